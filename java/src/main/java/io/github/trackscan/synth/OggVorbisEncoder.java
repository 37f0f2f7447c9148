package io.github.trackscan.synth;

import java.util.ArrayList;
import java.util.List;

/*
 * The Vorbis identification and setup headers and the audio are taken from a template made once
 * with Debian's tools (the committed resource vorbis-template.ogg, 0.25 s of mono silence):
 *   sox -n -r 44100 -c 1 -b 16 silence.wav trim 0 0.25
 *   oggenc -Q --serial 1 -q 0 -o vorbis-template.ogg silence.wav
 * Each track gets a new comment header; the headers are re-paged (the identification header alone
 * on the first page, comment and setup on the following pages), the template's audio pages are
 * copied with a new serial number and sequence numbers, and every page's CRC is recomputed.
 */
/** Encodes tracks as Ogg Vorbis files. */
final class OggVorbisEncoder {
  private static final byte[] ID_HEADER;
  private static final byte[] SETUP_HEADER;
  private static final List<byte[]> AUDIO_PAGES = new ArrayList<>();
  static final String VENDOR;
  static final long TOTAL_SAMPLES;

  static {
    byte[] template = Covers.resource("vorbis-template.ogg");
    List<byte[]> packets = new ArrayList<>();
    Bytes packet = new Bytes(4096);
    int at = 0;
    long granule = 0;
    while (at < template.length && packets.size() < 3) {
      int segments = template[at + 26] & 0xFF;
      int body = at + 27 + segments;
      for (int s = 0; s < segments; s++) {
        int lace = template[at + 27 + s] & 0xFF;
        packet.bytes(template, body, lace);
        body += lace;
        if (lace < 255) {
          packets.add(packet.toArray());
          packet = new Bytes(4096);
        }
      }
      at = body;
    }
    if (packets.size() != 3 || packet.size() != 0) {
      throw new IllegalStateException("vorbis template: headers do not end on a page boundary");
    }
    while (at < template.length) {
      int segments = template[at + 26] & 0xFF;
      int length = 27 + segments;
      for (int s = 0; s < segments; s++) {
        length += template[at + 27 + s] & 0xFF;
      }
      byte[] page = new byte[length];
      System.arraycopy(template, at, page, 0, length);
      granule = readLongLe(page, 6);
      AUDIO_PAGES.add(page);
      at += length;
    }
    ID_HEADER = packets.get(0);
    SETUP_HEADER = packets.get(2);
    byte[] comment = packets.get(1);
    int vendorLength = (comment[7] & 0xFF) | (comment[8] & 0xFF) << 8;
    VENDOR = new String(comment, 11, vendorLength, java.nio.charset.StandardCharsets.UTF_8);
    TOTAL_SAMPLES = granule;
  }

  private OggVorbisEncoder() {}

  static byte[] encode(TrackTags tags, int serial) {
    Bytes comment = new Bytes(1024);
    comment.u8(3).ascii("vorbis");
    VorbisComments.write(comment, VENDOR, tags);
    comment.u8(1); // framing bit
    Bytes out = new Bytes(8192);
    int sequence = 0;
    sequence = page(out, List.of(ID_HEADER), 0x02, serial, sequence);
    sequence = page(out, List.of(comment.toArray(), SETUP_HEADER), 0x00, serial, sequence);
    for (byte[] template : AUDIO_PAGES) {
      int start = out.size();
      out.bytes(template);
      out.putU32le(start + 14, serial);
      out.putU32le(start + 18, sequence++);
      out.putU32le(start + 22, 0);
      out.putU32le(start + 22, Checksums.ogg(out.raw(), start, template.length));
    }
    return out.toArray();
  }

  /**
   * Writes {@code packets} as as many pages as they need (granule 0, as for header packets), the
   * last packet ending its page; returns the next sequence number.
   */
  private static int page(Bytes out, List<byte[]> packets, int firstFlags, int serial, int sequence) {
    List<int[]> laces = new ArrayList<>(); // {packet index, offset, length}
    for (int p = 0; p < packets.size(); p++) {
      int length = packets.get(p).length;
      int offset = 0;
      while (true) {
        int lace = Math.min(255, length - offset);
        laces.add(new int[] {p, offset, lace});
        offset += lace;
        if (lace < 255) {
          break;
        }
      }
    }
    int next = 0;
    boolean continued = false;
    while (next < laces.size()) {
      int count = Math.min(255, laces.size() - next);
      int start = out.size();
      boolean endsPacket = laces.get(next + count - 1)[2] < 255;
      boolean finishesAny = false;
      for (int i = next; i < next + count; i++) {
        finishesAny |= laces.get(i)[2] < 255;
      }
      int flags = (continued ? 0x01 : 0) | (sequence == 0 ? firstFlags : 0);
      out.ascii("OggS").u8(0).u8(flags).u64le(finishesAny ? 0 : -1L).u32le(serial).u32le(sequence++)
          .u32le(0).u8(count);
      for (int i = next; i < next + count; i++) {
        out.u8(laces.get(i)[2]);
      }
      for (int i = next; i < next + count; i++) {
        int[] l = laces.get(i);
        out.bytes(packets.get(l[0]), l[1], l[2]);
      }
      out.putU32le(start + 22, Checksums.ogg(out.raw(), start, out.size() - start));
      continued = !endsPacket;
      next += count;
    }
    return sequence;
  }

  private static long readLongLe(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }
}
