package io.github.trackscan.tags;

/** The tag readers trackscan ships. */
public final class TagReaders {
  private TagReaders() {}

  /**
   * The fastest reader: MP3 and FLAC are read with one or two positional reads into memory and
   * parsed there; other formats go through jaudiotagger's file readers.
   */
  public static TagReader standard() {
    return MemoryTagReader.INSTANCE;
  }

  /** jaudiotagger's own file readers for every format ({@code AudioFileIO.readAs}). */
  public static TagReader jaudiotagger() {
    return JaudiotaggerReader.INSTANCE;
  }
}
