package io.github.trackscan.synth;

/**
 * How a generated track is encoded: its container and, for MP3, which ID3 tags it carries. Every
 * track is a valid file of its format with a short stretch of silence.
 */
public enum TrackFormat {
  /** MPEG-1 Layer III with an ID3v2.3 tag (text frames, TYER, APIC). */
  MP3_ID3V23("mp3", 3, false),
  /** MPEG-1 Layer III with an ID3v2.3 tag and an ID3v1.1 tag at the end. */
  MP3_ID3V23_ID3V1("mp3", 3, true),
  /** MPEG-1 Layer III with an ID3v2.4 tag (UTF-8 text frames, TDRC, APIC). */
  MP3_ID3V24("mp3", 4, false),
  /** MPEG-1 Layer III with an ID3v2.4 tag and an ID3v1.1 tag at the end. */
  MP3_ID3V24_ID3V1("mp3", 4, true),
  /** FLAC with STREAMINFO, VORBIS_COMMENT, optional PICTURE, PADDING and CRC-checked frames. */
  FLAC("flac", 0, false),
  /** MPEG-4 audio (AAC-LC in ftyp/moov/mdat) with iTunes-style {@code moov/udta/meta/ilst} tags. */
  M4A("m4a", 0, false),
  /** Ogg Vorbis with the tags in the Vorbis comment header; never carries a cover. */
  OGG_VORBIS("ogg", 0, false);

  private final String extension;
  private final int id3v2Version;
  private final boolean id3v1;

  TrackFormat(String extension, int id3v2Version, boolean id3v1) {
    this.extension = extension;
    this.id3v2Version = id3v2Version;
    this.id3v1 = id3v1;
  }

  /** The file extension, lower case, without the dot. */
  public String extension() {
    return extension;
  }

  /** The ID3v2 minor version (3 or 4) for MP3 formats; 0 for every other format. */
  public int id3v2Version() {
    return id3v2Version;
  }

  /** Whether an ID3v1.1 tag follows the audio. */
  public boolean hasId3v1() {
    return id3v1;
  }

  /** Whether the file is MPEG audio (an {@code .mp3}). */
  public boolean isMp3() {
    return id3v2Version != 0;
  }

  /** Whether this format can carry an embedded cover (all but Ogg Vorbis). */
  public boolean supportsCover() {
    return this != OGG_VORBIS;
  }
}
