package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * True Audio: "TTA1" (after an ID3v2 tag if one leads), format, channels, bits, rate, sample
 * count. Tags: the leading ID3v2 tag (what mutagen reads), else APEv2 or ID3v1 at the end.
 */
/** Reads True Audio (TTA) from memory. */
final class TtaReader {
  private TtaReader() {}

  private static final String FORMAT = "TTA";

  static TrackTags read(Source in) throws IOException, TagReadException {
    long start = 0;
    TrackTags tags = null;
    ByteBuffer h = in.read(0, Math.min(in.size, 18), ByteOrder.LITTLE_ENDIAN, FORMAT, "the header");
    if (h.limit() >= 10 && Source.matches(h, 0, "ID3")) {
      start = Id3Text.tagBytes(h, 0);
      tags = LeadingId3.read(in);
      h = in.read(start, 18, ByteOrder.LITTLE_ENDIAN, FORMAT, "the header after the ID3v2 tag");
    }
    if (h.limit() < 18 || !Source.matches(h, 0, "TTA")) {
      throw in.fail(FORMAT, "no TTA header at " + start);
    }
    int channels = h.getShort(6) & 0xFFFF;
    int bits = h.getShort(8) & 0xFFFF;
    int rate = h.getInt(10);
    long samples = h.getInt(14) & 0xFFFFFFFFL;
    if (rate <= 0) {
      throw in.fail(FORMAT, "the header's sample rate is " + rate);
    }
    if (tags == null) {
      tags = ApeTag.read(in, FORMAT);
    }
    double seconds = samples / (double) rate;
    return StreamProperties.of(tags, seconds, StreamProperties.kbps(in.size, seconds), rate, channels, "TTA " + bits + " bits");
  }
}
