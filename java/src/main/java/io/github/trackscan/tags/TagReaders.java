package io.github.trackscan.tags;

/** The tag readers trackscan ships. */
public final class TagReaders {
  private TagReaders() {}

  /**
   * The fastest reader: MP3, FLAC, Ogg Vorbis and MP4 (m4a) are read with one to three positional
   * reads into memory and parsed there (MP3's ID3v2 tags by jaudiotagger's own parsers); other
   * formats, and any file the in-memory path finds unusual (junk included), go through
   * jaudiotagger's file readers. Both agree field by field on the formats read from memory.
   */
  public static TagReader standard() {
    return MemoryTagReader.INSTANCE;
  }

  /** jaudiotagger's own file readers for every format ({@code AudioFileIO.readAs}). */
  public static TagReader jaudiotagger() {
    return JaudiotaggerReader.INSTANCE;
  }
}
