package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * Musepack, after an ID3v2 tag if one leads:
 *  - SV8 ("MPCK"): packets of a two-letter key and a variable-length size; the stream header (SH)
 *    gives the sample count less the samples to skip, the rate and the channels.
 *  - SV7 ("MP+", version 7): a frame count (1152 samples a frame, the last 576 short, as mutagen
 *    counts) and a rate index; always stereo.
 *  - SV4 to SV6: a frame count, 44.1 kHz stereo.
 * Tags: APEv2 or ID3v1 at the end.
 */
/** Reads Musepack from memory. */
final class MusepackReader {
  private MusepackReader() {}

  private static final String FORMAT = "Musepack";
  private static final int[] RATES = {44100, 48000, 37800, 32000};
  private static final int PACKETS_MAX = 64;

  static TrackTags read(Source in) throws IOException, TagReadException {
    long start = 0;
    ByteBuffer h = in.read(0, Math.min(in.size, 32), ByteOrder.LITTLE_ENDIAN, FORMAT, "the header");
    if (h.limit() >= 10 && Source.matches(h, 0, "ID3")) {
      start = Id3Text.tagBytes(h, 0);
      h = in.read(start, Math.min(in.size - start, 32), ByteOrder.LITTLE_ENDIAN, FORMAT, "the header after the ID3v2 tag");
    }
    TrackTags tags = ApeTag.read(in, FORMAT);
    if (Source.matches(h, 0, "MPCK")) {
      return sv8(in, start + 4, tags);
    }
    if (h.limit() < 32) {
      throw in.fail(FORMAT, "the header is truncated");
    }
    long frames;
    int rate;
    String version;
    if (Source.matches(h, 0, "MP+")) {
      int sv = h.get(3) & 0x0F;
      if (sv < 7) {
        throw in.fail(FORMAT, "stream version " + sv + " after MP+");
      }
      frames = h.getInt(4) & 0xFFFFFFFFL;
      rate = RATES[(h.getInt(8) >>> 16) & 3];
      version = "SV" + sv;
    } else {
      int word = h.getInt(0);
      int sv = (word >>> 11) & 0x3FF;
      if (sv < 4 || sv > 6) {
        throw in.fail(FORMAT, "no MPCK or MP+ header (and not stream version 4 to 6)");
      }
      rate = 44100;
      frames = sv >= 5 ? h.getInt(4) & 0xFFFFFFFFL : h.getShort(6) & 0xFFFF;
      if (sv < 6) {
        frames -= 1;
      }
      version = "SV" + sv;
    }
    double seconds = Math.max(0, frames * 1152 - 576) / (double) rate;
    return StreamProperties.of(tags, seconds, StreamProperties.kbps(in.size, seconds), rate, 2, "Musepack " + version);
  }

  private static TrackTags sv8(Source in, long at, TrackTags tags) throws IOException, TagReadException {
    for (int i = 0; i < PACKETS_MAX && at + 3 <= in.size; i++) {
      ByteBuffer p = in.read(at, Math.min(in.size - at, 2 + 9), ByteOrder.BIG_ENDIAN, FORMAT, "packet " + i + "'s header");
      byte k0 = p.get(0);
      byte k1 = p.get(1);
      if (k0 < 'A' || k0 > 'Z' || k1 < 'A' || k1 > 'Z') {
        throw in.fail(FORMAT, "packet " + i + " at " + at + " has no two-letter key");
      }
      long size = 0;
      int sizeBytes = 0;
      boolean more = true;
      while (more) {
        if (2 + sizeBytes >= p.limit() || sizeBytes == 9) {
          throw in.fail(FORMAT, "packet " + i + "'s size is not terminated");
        }
        int b = p.get(2 + sizeBytes++) & 0xFF;
        size = size << 7 | (b & 0x7F);
        more = (b & 0x80) != 0;
      }
      if (size < 2 + sizeBytes || at + size > in.size) {
        throw in.fail(FORMAT, "packet " + i + " declares " + size + " bytes");
      }
      if (k0 == 'S' && k1 == 'H') {
        ByteBuffer sh = in.read(at + 2 + sizeBytes, size - 2 - sizeBytes, ByteOrder.BIG_ENDIAN, FORMAT, "the stream header");
        return streamHeader(in, sh, tags);
      }
      if ((k0 == 'A' && k1 == 'P') || (k0 == 'S' && k1 == 'E')) {
        break;
      }
      at += size;
    }
    throw in.fail(FORMAT, "no stream header (SH) packet before the audio");
  }

  private static TrackTags streamHeader(Source in, ByteBuffer sh, TrackTags tags) throws TagReadException {
    int at = 4; // CRC
    if (at + 1 > sh.limit()) {
      throw in.fail(FORMAT, "the stream header is truncated");
    }
    int version = sh.get(at++) & 0xFF;
    long[] value = new long[1];
    at = varint(sh, at, value);
    long samples = value[0];
    at = at < 0 ? at : varint(sh, at, value);
    long skip = value[0];
    if (at < 0 || at + 2 > sh.limit()) {
      throw in.fail(FORMAT, "the stream header is truncated");
    }
    int rate = RATES[(sh.get(at) & 0xFF) >>> 5 & 3];
    if ((sh.get(at) & 0xFF) >>> 5 > 3) {
      throw in.fail(FORMAT, "reserved sample rate index " + ((sh.get(at) & 0xFF) >>> 5));
    }
    int channels = ((sh.get(at + 1) & 0xFF) >>> 4) + 1;
    double seconds = Math.max(0, samples - skip) / (double) rate;
    return StreamProperties.of(tags, seconds, StreamProperties.kbps(in.size, seconds), rate, channels, "Musepack SV" + version);
  }

  /** Reads a variable-length number at {@code at} into {@code value[0]}; the position after it, or -1. */
  private static int varint(ByteBuffer b, int at, long[] value) {
    long v = 0;
    for (int i = 0; i < 9 && at < b.limit(); i++) {
      int x = b.get(at++) & 0xFF;
      v = v << 7 | (x & 0x7F);
      if ((x & 0x80) == 0) {
        value[0] = v;
        return at;
      }
    }
    return -1;
  }
}
