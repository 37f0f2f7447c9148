package io.github.trackscan.synth;

/** The kinds of visible non-audio file beside the tracks. */
public enum SideKind {
  /** {@code cover.jpg}, a JPEG of 30-150 KB. */
  COVER_JPG,
  /** {@code folder.jpg}, a JPEG of 30-150 KB. */
  FOLDER_JPG,
  /** A cue sheet naming the album's tracks. */
  CUE,
  /** A ripper's log. */
  LOG,
  /** An M3U playlist of the album's tracks. */
  M3U,
  /** A release's {@code .nfo} text. */
  NFO
}
