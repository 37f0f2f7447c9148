package io.github.trackscan.synth;

/** The kinds of broken file the generator hides among the tracks, each with an audio extension. */
public enum JunkKind {
  /** An empty {@code .mp3}. */
  ZERO_BYTE_MP3("mp3"),
  /** A text file renamed to {@code .mp3}: no ID3 tag, no MPEG frame. */
  TEXT_AS_MP3("mp3"),
  /** An {@code .mp3} whose ID3v2 header declares a tag far larger than the file. */
  BAD_ID3_SIZE_MP3("mp3"),
  /** An {@code .m4a} cut off inside its {@code moov} atom. */
  TRUNCATED_M4A("m4a"),
  /** A {@code .flac} cut off inside its metadata blocks. */
  TRUNCATED_FLAC("flac");

  private final String extension;

  JunkKind(String extension) {
    this.extension = extension;
  }

  /** The file's extension, lower case, without the dot. */
  public String extension() {
    return extension;
  }
}
