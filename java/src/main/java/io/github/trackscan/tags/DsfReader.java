package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * DSF (Sony's DSD stream file): a "DSD " chunk holding the offset of an ID3v2 tag at the end, then
 * a "fmt " chunk with channels, rate (2.8224 MHz for DSD64), bits (1) and the sample count.
 */
/** Reads DSF from memory. */
final class DsfReader {
  private DsfReader() {}

  private static final String FORMAT = "DSF";

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.read(0, 28 + 52, ByteOrder.LITTLE_ENDIAN, FORMAT, "the DSD and fmt chunks");
    if (!Source.matches(h, 0, "DSD ") || !Source.matches(h, 28, "fmt ")) {
      throw in.fail(FORMAT, "no DSD chunk followed by a fmt chunk");
    }
    long metadata = h.getLong(20);
    int channels = h.getInt(28 + 24);
    int rate = h.getInt(28 + 28);
    int bits = h.getInt(28 + 32);
    long samples = h.getLong(28 + 36);
    if (rate <= 0) {
      throw in.fail(FORMAT, "the fmt chunk's sample rate is " + rate);
    }
    TrackTags tags = metadata > 0 && metadata + 10 <= in.size ? LeadingId3.at(in, metadata) : null;
    double seconds = samples / (double) rate;
    long kbps = (long) rate * bits * channels / 1000;
    return StreamProperties.of(tags, seconds, kbps > 0 && kbps < Integer.MAX_VALUE ? (int) kbps : null, rate, channels,
        "DSD " + bits + " bit");
  }
}
