package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * WavPack: the first block's 32-byte header gives the total sample count, and its flags the sample
 * rate (an index into a table; index 15 means a custom rate in an ID_SAMPLE_RATE sub-block), the
 * bit depth and mono or stereo; an ID_CHANNEL_INFO sub-block gives the count of a multichannel
 * file (mutagen reports 2 there). When the header does not know the total (streamed or split
 * files), the blocks are stepped over to add their sample counts, as mutagen does. Tags: APEv2 or
 * ID3v1 at the end.
 */
/** Reads WavPack from memory. */
final class WavPackReader {
  private WavPackReader() {}

  private static final String FORMAT = "WavPack";
  static final int[] RATES = {6000, 8000, 9600, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200,
      96000, 192000};
  private static final int BLOCKS_MAX = 1 << 20;
  private static final int SUB_BLOCKS_MAX = 256;
  private static final int ID_CHANNEL_INFO = 0x0D;
  private static final int ID_SAMPLE_RATE = 0x27;

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer header = in.read(0, 32, ByteOrder.LITTLE_ENDIAN, FORMAT, "the first block header");
    if (!Source.matches(header, 0, "wvpk")) {
      throw in.fail(FORMAT, "no wvpk block header at the start of the file");
    }
    long blockBytes = (header.getInt(4) & 0xFFFFFFFFL) + 8;
    long totalSamples = header.getInt(12) & 0xFFFFFFFFL;
    long blockIndex = header.getInt(16) & 0xFFFFFFFFL;
    int flags = header.getInt(24);
    if (blockBytes < 32) {
      throw in.fail(FORMAT, "the first block declares " + blockBytes + " bytes, less than its header");
    }
    int rateIndex = (flags >>> 23) & 15;
    int rate = rateIndex < RATES.length ? RATES[rateIndex] : 0;
    int channels = (flags & 4) != 0 ? 1 : 2;
    int bits = ((flags & 3) + 1) * 8;
    // Sub-blocks of the first block: custom rate, channel count.
    ByteBuffer block = in.read(0, Math.min(blockBytes, in.size), ByteOrder.LITTLE_ENDIAN, FORMAT, "the first block");
    int at = 32;
    for (int i = 0; i < SUB_BLOCKS_MAX && at + 2 <= block.limit(); i++) {
      int id = block.get(at) & 0xFF;
      int words = block.get(at + 1) & 0xFF;
      int data = at + 2;
      if ((id & 0x80) != 0) {
        if (at + 4 > block.limit()) {
          break;
        }
        words |= (block.get(at + 2) & 0xFF) << 8 | (block.get(at + 3) & 0xFF) << 16;
        data = at + 4;
      }
      int bytes = words * 2 - ((id & 0x40) != 0 ? 1 : 0);
      if (bytes < 0 || data + bytes > block.limit()) {
        break;
      }
      if ((id & 0x3F) == ID_CHANNEL_INFO && bytes >= 1) {
        channels = block.get(data) & 0xFF;
      } else if ((id & 0x3F) == ID_SAMPLE_RATE && bytes >= 3 && rateIndex == 15) {
        rate = (block.get(data) & 0xFF) | (block.get(data + 1) & 0xFF) << 8 | (block.get(data + 2) & 0xFF) << 16;
      }
      at = data + words * 2;
    }
    if ((flags >>> 31) != 0) { // DSD audio: the rate counts bytes of 8 one-bit samples... as mutagen says
      rate *= 4;
      bits = 1;
    }
    if (rate <= 0) {
      throw in.fail(FORMAT, "unknown sample rate (index " + rateIndex + ")");
    }
    long samples = totalSamples;
    if (totalSamples == 0xFFFFFFFFL || blockIndex != 0) {
      samples = header.getInt(20) & 0xFFFFFFFFL;
      long next = blockBytes;
      for (int i = 0; i < BLOCKS_MAX && next + 32 <= in.size; i++) {
        ByteBuffer h = in.read(next, 32, ByteOrder.LITTLE_ENDIAN, FORMAT, "block " + i + "'s header");
        if (!Source.matches(h, 0, "wvpk")) {
          break;
        }
        samples += h.getInt(20) & 0xFFFFFFFFL;
        next += (h.getInt(4) & 0xFFFFFFFFL) + 8;
      }
    }
    double seconds = samples / (double) rate;
    return StreamProperties.of(ApeTag.read(in, FORMAT), seconds, StreamProperties.kbps(in.size, seconds), rate, channels,
        "WavPack " + bits + " bits");
  }
}
