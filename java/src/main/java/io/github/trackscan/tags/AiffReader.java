package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * AIFF and AIFF-C: big-endian IFF chunks (sizes padded to even). COMM gives channels, the frame
 * count, bits and the rate as an 80-bit extended float (and, in AIFF-C, the compression type);
 * the duration is frames over rate. Tags: an "ID3 " chunk, as mutagen reads them.
 */
/** Reads AIFF and AIFF-C from memory. */
final class AiffReader {
  private AiffReader() {}

  private static final String FORMAT = "AIFF";
  private static final int CHUNKS_MAX = 1024;

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.read(0, 12, ByteOrder.BIG_ENDIAN, FORMAT, "the FORM header");
    boolean aifc = Source.matches(h, 8, "AIFC");
    if (!Source.matches(h, 0, "FORM") || !(aifc || Source.matches(h, 8, "AIFF"))) {
      throw in.fail(FORMAT, "no FORM AIFF or AIFC header");
    }
    ByteBuffer comm = null;
    TrackTags id3 = null;
    long at = 12;
    for (int i = 0; i < CHUNKS_MAX && at + 8 <= in.size; i++) {
      ByteBuffer c = in.read(at, 8, ByteOrder.BIG_ENDIAN, FORMAT, "chunk " + i + "'s header");
      long length = c.getInt(4) & 0xFFFFFFFFL;
      long body = at + 8;
      boolean sound = Source.matches(c, 0, "SSND");
      if (!sound && body + length > in.size) {
        throw in.fail(FORMAT, "a chunk declares " + length + " bytes, past the end of the file (" + in.size + " bytes)");
      }
      if (Source.matches(c, 0, "COMM") && comm == null) {
        if (length < 18) {
          throw in.fail(FORMAT, "the COMM chunk is " + length + " bytes, less than 18");
        }
        comm = in.read(body, Math.min(length, 22), ByteOrder.BIG_ENDIAN, FORMAT, "the COMM chunk");
      } else if ((Source.matches(c, 0, "ID3 ") || Source.matches(c, 0, "id3 ")) && id3 == null && length >= 10) {
        id3 = LeadingId3.at(in, body);
      }
      at = body + length + (length & 1);
    }
    if (comm == null) {
      throw in.fail(FORMAT, "no COMM chunk");
    }
    int channels = comm.getShort(0);
    long frames = comm.getInt(2) & 0xFFFFFFFFL;
    int bits = comm.getShort(6);
    double rate = extended(comm, 8);
    if (!(rate > 0 && rate < Integer.MAX_VALUE)) {
      throw in.fail(FORMAT, "the COMM chunk's sample rate is " + rate);
    }
    int hz = (int) rate;
    double seconds = frames / (double) hz;
    String compression = aifc && comm.limit() >= 22 ? new String(new byte[] {comm.get(18), comm.get(19), comm.get(20), comm.get(21)},
        java.nio.charset.StandardCharsets.ISO_8859_1) : "NONE";
    long kbps = (long) channels * bits * hz / 1000;
    boolean uncompressed = compression.equals("NONE") || compression.equals("twos") || compression.equals("sowt");
    return StreamProperties.of(id3, seconds, uncompressed && kbps > 0 ? (int) kbps : StreamProperties.kbps(in.size, seconds),
        hz, channels, uncompressed ? "PCM " + bits + " bits" : "AIFF-C " + compression.strip());
  }

  /** An IEEE 754 80-bit extended float at {@code at}. */
  static double extended(ByteBuffer b, int at) {
    int exponent = b.getShort(at) & 0x7FFF;
    boolean negative = (b.get(at) & 0x80) != 0;
    long mantissa = b.getLong(at + 2);
    if (exponent == 0 && mantissa == 0) {
      return 0;
    }
    if (exponent == 0x7FFF) {
      return Double.NaN;
    }
    double value = (mantissa >>> 11) * Math.pow(2, exponent - 16383 - 52);
    return negative ? -value : value;
  }
}
