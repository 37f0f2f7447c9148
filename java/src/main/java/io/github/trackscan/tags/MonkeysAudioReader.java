package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * Monkey's Audio: "MAC ", a version (3.99 is 3990), then for 3.98 and later a descriptor (whose
 * length it states) and a header with blocks per frame, blocks in the final frame, the frame count,
 * bits, channels and rate; earlier versions have one older header and imply blocks per frame from
 * the version and compression level, as mutagen does. Tags: APEv2 or ID3v1 at the end.
 */
/** Reads Monkey's Audio (APE) from memory. */
final class MonkeysAudioReader {
  private MonkeysAudioReader() {}

  private static final String FORMAT = "Monkey's Audio";
  private static final int DESCRIPTOR_BYTES_MAX = 4096;

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.read(0, Math.min(in.size, 76), ByteOrder.LITTLE_ENDIAN, FORMAT, "the header");
    if (h.limit() < 32 || !Source.matches(h, 0, "MAC ")) {
      throw in.fail(FORMAT, "no MAC header at the start of the file (" + in.size + " bytes)");
    }
    int version = h.getShort(4) & 0xFFFF;
    long blocksPerFrame;
    long finalFrameBlocks;
    long totalFrames;
    int bits;
    int channels;
    long rate;
    if (version >= 3980) {
      long descriptorBytes = h.getInt(8) & 0xFFFFFFFFL;
      if (descriptorBytes < 52 || descriptorBytes > DESCRIPTOR_BYTES_MAX) {
        throw in.fail(FORMAT, "the descriptor declares " + descriptorBytes + " bytes");
      }
      ByteBuffer header = in.read(descriptorBytes, 24, ByteOrder.LITTLE_ENDIAN, FORMAT, "the header after the descriptor");
      blocksPerFrame = header.getInt(4) & 0xFFFFFFFFL;
      finalFrameBlocks = header.getInt(8) & 0xFFFFFFFFL;
      totalFrames = header.getInt(12) & 0xFFFFFFFFL;
      bits = header.getShort(16) & 0xFFFF;
      channels = header.getShort(18) & 0xFFFF;
      rate = header.getInt(20) & 0xFFFFFFFFL;
    } else {
      int compression = h.getShort(6) & 0xFFFF;
      int flags = h.getShort(8) & 0xFFFF;
      channels = h.getShort(10) & 0xFFFF;
      rate = h.getInt(12) & 0xFFFFFFFFL;
      totalFrames = h.getInt(24) & 0xFFFFFFFFL;
      finalFrameBlocks = h.getInt(28) & 0xFFFFFFFFL;
      blocksPerFrame = version >= 3950 ? 73728 * 4 : version >= 3900 || (version >= 3800 && compression == 4000) ? 73728 : 9216;
      bits = (flags & 1) != 0 ? 8 : (flags & 8) != 0 ? 24 : 16;
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw in.fail(FORMAT, "the header's sample rate is " + rate);
    }
    double seconds = totalFrames > 0 ? ((totalFrames - 1) * blocksPerFrame + finalFrameBlocks) / (double) rate : 0;
    return StreamProperties.of(ApeTag.read(in, FORMAT), seconds, StreamProperties.kbps(in.size, seconds), (int) rate,
        channels, "Monkey's Audio " + (version / 1000) + "." + String.format("%02d", version % 1000 / 10));
  }
}
