package io.github.trackscan.synth;

/** Turns a {@link SynthTrack} into its file's bytes; the same track and seed give the same bytes. */
final class TrackCodec {
  private TrackCodec() {}

  static byte[] encode(SynthTrack t, long librarySeed) {
    return encode(t, librarySeed, false);
  }

  /**
   * @param tiny fewer audio frames where the format allows (MP3); a tiny track's cover size is
   *     already the smallest in {@link SynthTrack#coverBytes()}
   */
  static byte[] encode(SynthTrack t, long librarySeed, boolean tiny) {
    byte[] cover = t.coverBytes() > 0 ? Covers.jpeg(t.coverBytes(), coverSeed(librarySeed, t.path())) : null;
    return switch (t.format()) {
      case MP3_ID3V23, MP3_ID3V23_ID3V1, MP3_ID3V24, MP3_ID3V24_ID3V1 ->
          Mp3Encoder.encode(t.format(), t.tags(), cover, tiny ? Mp3Encoder.TINY_FRAMES : Mp3Encoder.FRAMES);
      case FLAC -> FlacEncoder.encode(t.tags(), cover);
      case M4A -> Mp4Encoder.encode(t.tags(), cover);
      case OGG_VORBIS -> OggVorbisEncoder.encode(t.tags(), (int) hash(librarySeed ^ 0x0667L, t.path()));
    };
  }

  /** Every track of an album folder gets the same cover. */
  static long coverSeed(long librarySeed, String trackPath) {
    int slash = trackPath.lastIndexOf('/');
    return hash(librarySeed, slash < 0 ? "" : trackPath.substring(0, slash));
  }

  /** A well-mixed 64-bit hash of a seed and a string (FNV-1a, then a SplitMix64 finaliser). */
  static long hash(long seed, String s) {
    long h = 0xCBF29CE484222325L ^ seed;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001B3L;
    }
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
