package io.github.trackscan.tags;

/** The tag readers trackscan ships. */
public final class TagReaders {
  private TagReaders() {}

  /**
   * The fastest reader, and the most complete: a reader per format, picked by content, parses from
   * one to four positional reads into memory (MP3/MP2, FLAC, Ogg Vorbis/Opus/Speex/FLAC, MP4, WAV,
   * AIFF, WavPack, Monkey's Audio, Musepack, TTA, DSF, DSDIFF, raw AAC), with the lengths mutagen reports.
   * An MP3, FLAC, Ogg Vorbis or MP4 file the in-memory path finds unusual (junk included), and
   * formats without a reader here, go through jaudiotagger's file readers; on the common MP3, FLAC,
   * Ogg Vorbis and MP4 files both agree field by field, except where this follows mutagen: MP3
   * lengths subtract a LAME header's encoder delay and padding, and HE-AAC in MP4 reports the
   * output (SBR) rate its AudioSpecificConfig signals.
   */
  public static TagReader standard() {
    return MemoryTagReader.INSTANCE;
  }

  /** jaudiotagger's own file readers for every format ({@code AudioFileIO.readAs}). */
  public static TagReader jaudiotagger() {
    return JaudiotaggerReader.INSTANCE;
  }
}
