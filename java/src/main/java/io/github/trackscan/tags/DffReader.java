package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * DSDIFF (.dff): big-endian chunks with 64-bit sizes (padded to even) in a "FRM8" form of type
 * "DSD ". PROP/SND holds FS (rate), CHNL (channels) and CMPR ("DSD " or "DST "). The length, as
 * mutagen computes it: for plain DSD the DSD chunk's bytes x 8 / channels over the rate; for DST
 * the FRTE chunk's frame count over its frame rate. Tags: an "ID3 " chunk.
 */
/** Reads DSDIFF from memory. */
final class DffReader {
  private DffReader() {}

  private static final String FORMAT = "DSDIFF";
  private static final int CHUNKS_MAX = 1024;

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.read(0, 16, ByteOrder.BIG_ENDIAN, FORMAT, "the FRM8 header");
    if (!Source.matches(h, 0, "FRM8") || !Source.matches(h, 12, "DSD ")) {
      throw in.fail(FORMAT, "no FRM8 form of type DSD");
    }
    long rate = 0;
    int channels = 0;
    String compression = "DSD";
    long dsdBytes = -1;
    long dstFrames = -1;
    int dstFrameRate = 0;
    TrackTags id3 = null;
    long at = 16;
    for (int i = 0; i < CHUNKS_MAX && at + 12 <= in.size; i++) {
      ByteBuffer c = in.read(at, 12, ByteOrder.BIG_ENDIAN, FORMAT, "chunk " + i + "'s header");
      long length = c.getLong(4);
      long body = at + 12;
      boolean sound = Source.matches(c, 0, "DSD ") || Source.matches(c, 0, "DST ");
      if (length < 0 || (!sound && body + length > in.size)) {
        throw in.fail(FORMAT, "a chunk declares " + length + " bytes, past the end of the file (" + in.size + " bytes)");
      }
      if (Source.matches(c, 0, "PROP")) {
        ByteBuffer prop = in.read(body, length, ByteOrder.BIG_ENDIAN, FORMAT, "the PROP chunk");
        if (!Source.matches(prop, 0, "SND ")) {
          throw in.fail(FORMAT, "the PROP chunk is not of type SND");
        }
        int p = 4;
        for (int k = 0; k < CHUNKS_MAX && p + 12 <= prop.limit(); k++) {
          long size = prop.getLong(p + 4);
          if (size < 0 || p + 12 + size > prop.limit()) {
            throw in.fail(FORMAT, "a PROP sub-chunk declares " + size + " bytes, past the end of PROP");
          }
          if (Source.matches(prop, p, "FS  ") && size >= 4) {
            rate = prop.getInt(p + 12) & 0xFFFFFFFFL;
          } else if (Source.matches(prop, p, "CHNL") && size >= 2) {
            channels = prop.getShort(p + 12) & 0xFFFF;
          } else if (Source.matches(prop, p, "CMPR") && size >= 4) {
            compression = Source.matches(prop, p + 12, "DST ") ? "DST" : Source.matches(prop, p + 12, "DSD ") ? "DSD"
                : "other";
          }
          p += 12 + (int) size + (int) (size & 1);
        }
      } else if (Source.matches(c, 0, "DSD ")) {
        dsdBytes = Math.min(length, in.size - body);
      } else if (Source.matches(c, 0, "DST ")) {
        if (body + 12 + 6 <= in.size) {
          ByteBuffer frte = in.read(body, 18, ByteOrder.BIG_ENDIAN, FORMAT, "the DST chunk's FRTE");
          if (Source.matches(frte, 0, "FRTE")) {
            dstFrames = frte.getInt(12) & 0xFFFFFFFFL;
            dstFrameRate = frte.getShort(16) & 0xFFFF;
          }
        }
      } else if (Source.matches(c, 0, "ID3 ") && id3 == null && length >= 10) {
        id3 = LeadingId3.at(in, body);
      }
      at = body + length + (length & 1);
    }
    if (rate == 0 || rate > Integer.MAX_VALUE) {
      throw in.fail(FORMAT, "no sample rate (FS) in PROP");
    }
    double seconds = 0;
    if (compression.equals("DSD") && dsdBytes >= 0) {
      seconds = dsdBytes * 8.0 / Math.max(1, channels) / rate;
    } else if (compression.equals("DST") && dstFrames >= 0 && dstFrameRate > 0) {
      seconds = dstFrames / (double) dstFrameRate;
    }
    long kbps = compression.equals("DSD") ? rate * channels / 1000 : 0;
    return StreamProperties.of(id3, seconds, kbps > 0 && kbps < Integer.MAX_VALUE ? (int) kbps
        : StreamProperties.kbps(in.size, seconds), (int) rate, channels, compression.equals("DST") ? "DST" : "DSD 1 bit");
  }
}
