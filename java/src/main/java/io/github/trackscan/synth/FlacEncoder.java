package io.github.trackscan.synth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/*
 * A FLAC here is "fLaC", STREAMINFO, VORBIS_COMMENT, an optional PICTURE, PADDING, then FRAMES
 * fixed-blocksize frames of 4096 samples of 16-bit mono silence, each one CONSTANT subframe, with
 * the header CRC-8 and frame CRC-16 computed. STREAMINFO carries the true total samples, frame
 * sizes and MD5 of the decoded audio, so `flac -t` passes.
 */
/** Encodes tracks as FLAC files. */
final class FlacEncoder {
  static final String VENDOR = "reference libFLAC 1.4.3 20230623";
  static final int BLOCK_SAMPLES = 4096;
  static final int FRAMES = 5;
  static final int SAMPLE_RATE = 44100;
  static final long TOTAL_SAMPLES = (long) BLOCK_SAMPLES * FRAMES;
  static final int FRAME_BYTES = 11;
  static final int PADDING_BYTES = 1024;
  private static final byte[] MD5 = silenceMd5();
  private static final byte[] AUDIO = frames();

  private FlacEncoder() {}

  static byte[] encode(TrackTags tags, byte[] cover) {
    Bytes b = new Bytes(2048 + (cover == null ? 0 : cover.length));
    b.ascii("fLaC");
    blockHeader(b, false, 0, 34);
    b.u16be(BLOCK_SAMPLES).u16be(BLOCK_SAMPLES).u24be(FRAME_BYTES).u24be(FRAME_BYTES);
    long packed = ((long) SAMPLE_RATE << 44) | (0L << 41) | (15L << 36) | TOTAL_SAMPLES;
    b.u32be(packed >>> 32).u32be(packed);
    b.bytes(MD5);

    Bytes comment = new Bytes(512);
    VorbisComments.write(comment, VENDOR, tags);
    blockHeader(b, false, 4, comment.size());
    b.bytes(comment);

    if (cover != null) {
      int length = 32 + "image/jpeg".length() + cover.length;
      blockHeader(b, false, 6, length);
      b.u32be(3).u32be(10).ascii("image/jpeg").u32be(0).u32be(16).u32be(16).u32be(24).u32be(0)
          .u32be(cover.length).bytes(cover);
    }
    blockHeader(b, true, 1, PADDING_BYTES);
    b.zeros(PADDING_BYTES);
    b.bytes(AUDIO);
    return b.toArray();
  }

  private static void blockHeader(Bytes b, boolean last, int type, int length) {
    if (length >= 1 << 24) {
      throw new IllegalArgumentException("metadata block too large: " + length);
    }
    b.u8((last ? 0x80 : 0) | type).u24be(length);
  }

  private static byte[] frames() {
    Bytes b = new Bytes(FRAMES * FRAME_BYTES);
    for (int n = 0; n < FRAMES; n++) {
      int start = b.size();
      // sync + fixed blocksize; 4096 samples (0xC), 44.1 kHz (0x9); mono (0x0), 16 bits (0x4 << 1);
      // frame number as one UTF-8 byte.
      b.u8(0xFF).u8(0xF8).u8(0xC9).u8(0x08).u8(n);
      b.u8(Checksums.crc8(b.raw(), start, 5));
      b.u8(0x00).u16be(0); // CONSTANT subframe, no wasted bits, value 0
      b.u16be(Checksums.crc16(b.raw(), start, b.size() - start));
      if (b.size() - start != FRAME_BYTES) {
        throw new AssertionError("frame size");
      }
    }
    return b.toArray();
  }

  private static byte[] silenceMd5() {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(new byte[(int) TOTAL_SAMPLES * 2]);
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
