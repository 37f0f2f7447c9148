package io.github.trackscan.synth;

/** The kinds of hidden file (a path with a component starting with '.') the generator writes. */
public enum HiddenKind {
  /** A Finder {@code .DS_Store} in a folder. */
  DS_STORE,
  /** An AppleDouble twin {@code ._NN - Title.ext} beside a track: 4 KiB of metadata, audio extension. */
  APPLE_DOUBLE_TWIN,
  /** A Netatalk entry inside an {@code .AppleDouble/} folder (named like a track, or {@code .Parent}). */
  NETATALK_ENTRY,
  /** A valid, tagged MP3 inside {@code .Trash-1000/files/}. */
  TRASHED_AUDIO,
  /** A {@code .trashinfo} file inside {@code .Trash-1000/info/}. */
  TRASH_INFO
}
