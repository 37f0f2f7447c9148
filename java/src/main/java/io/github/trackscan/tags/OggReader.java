package io.github.trackscan.tags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/*
 * Ogg: the first two packets (identification, comment) are reassembled from the first pages, the
 * codec is told by the first packet, and the duration comes from the granule position of the
 * stream's last page (one pread of the file's tail), as mutagen computes it:
 *  - Vorbis: granule / rate. Anything unusual goes to jaudiotagger, which reads Ogg Vorbis too.
 *  - Opus: (granule - pre-skip) / 48000; Opus always decodes at 48 kHz (the header's "input sample
 *    rate" is only what the encoder was fed); comments follow "OpusTags".
 *  - Speex: granule / rate; the comment packet is a bare Vorbis comment.
 *  - Ogg FLAC: STREAMINFO's sample count (the granule when it is zero); the comment packet is a
 *    FLAC metadata block.
 * jaudiotagger reads none of the last three, so problems there are TagReadExceptions naming the
 * codec, not a fallback.
 */
/** Reads Ogg Vorbis, Opus, Speex and FLAC from memory. */
final class OggReader {
  private OggReader() {}

  private static final int CAPTURE = 0x5367674F; // "OggS" read little-endian
  private static final int TAIL_BYTES = 64 * 1024;
  private static final int PAGES_MAX = 4096;
  private static final int OPUS_RATE = 48000;

  static TrackTags read(Source in) throws IOException, TagReadException, Fallback {
    ByteBuffer[] packets = new ByteBuffer[2];
    int serial;
    try {
      serial = packets(in, packets);
    } catch (TagReadException e) {
      boolean vorbis = packets[0] == null ? !in.extension.equals("opus") && !in.extension.equals("spx")
          : isVorbis(packets[0], 1);
      if (vorbis) {
        throw Fallback.INSTANCE; // jaudiotagger names what is wrong with an Ogg Vorbis file
      }
      throw e;
    }
    ByteBuffer id = packets[0];
    ByteBuffer comment = packets[1];
    if (isVorbis(id, 1)) {
      return vorbis(in, id, comment, serial);
    }
    if (Source.matches(id, 0, "OpusHead")) {
      return opus(in, id, comment, serial);
    }
    if (Source.matches(id, 0, "Speex   ")) {
      return speex(in, id, comment, serial);
    }
    if (Source.matches(id, 0, "\u007FFLAC")) {
      return flac(in, id, comment, serial);
    }
    throw in.fail("Ogg", "the first packet is not Vorbis, Opus, Speex or FLAC (a codec trackscan does not read)");
  }

  private static TrackTags vorbis(Source in, ByteBuffer id, ByteBuffer comment, int serial) throws IOException, Fallback {
    if (!isVorbis(comment, 3) || id.limit() < 30) {
      throw Fallback.INSTANCE;
    }
    int channels = id.get(11) & 0xFF;
    long sampleRate = id.getInt(12) & 0xFFFFFFFFL;
    int nominal = id.getInt(20);
    if (sampleRate == 0) {
      throw Fallback.INSTANCE;
    }
    FieldSink sink = new FieldSink();
    Map<String, String> comments = VorbisComments.parse(comment.slice(7, comment.limit() - 7), sink);
    long samples = lastGranule(in, serial);
    if (comments == null || samples < 0) {
      throw Fallback.INSTANCE;
    }
    double seconds = samples / (double) sampleRate;
    Integer kbps = nominal > 0 ? nominal / 1000 : StreamProperties.kbps(in.size, seconds);
    return VorbisComments.tags(comments, sink, seconds, kbps, (int) sampleRate, channels, "Ogg Vorbis v1");
  }

  private static TrackTags opus(Source in, ByteBuffer id, ByteBuffer comment, int serial) throws TagReadException, IOException {
    String format = "Ogg Opus";
    if (id.limit() < 19) {
      throw in.fail(format, "the OpusHead packet is " + id.limit() + " bytes, less than 19");
    }
    if ((id.get(8) & 0xF0) != 0) {
      throw in.fail(format, "OpusHead version " + (id.get(8) & 0xFF) + " is not supported");
    }
    int channels = id.get(9) & 0xFF;
    int preSkip = id.getShort(10) & 0xFFFF;
    if (!Source.matches(comment, 0, "OpusTags")) {
      throw in.fail(format, "the second packet is not OpusTags");
    }
    FieldSink sink = new FieldSink();
    Map<String, String> comments = comments(in, format, comment, 8, sink);
    long granule = granule(in, format, serial);
    double seconds = Math.max(0, granule - preSkip) / (double) OPUS_RATE;
    return VorbisComments.tags(comments, sink, seconds, StreamProperties.kbps(in.size, seconds), OPUS_RATE, channels, "Opus");
  }

  private static TrackTags speex(Source in, ByteBuffer id, ByteBuffer comment, int serial) throws TagReadException, IOException {
    String format = "Ogg Speex";
    if (id.limit() < 56) {
      throw in.fail(format, "the Speex header packet is " + id.limit() + " bytes, less than 56");
    }
    int rate = id.getInt(36);
    int channels = id.getInt(48);
    int bitrate = id.getInt(52);
    if (rate <= 0) {
      throw in.fail(format, "the header's sample rate is " + rate);
    }
    FieldSink sink = new FieldSink();
    Map<String, String> comments = comments(in, format, comment, 0, sink);
    double seconds = granule(in, format, serial) / (double) rate;
    Integer kbps = bitrate > 0 ? Math.round(bitrate / 1000f) : StreamProperties.kbps(in.size, seconds);
    return VorbisComments.tags(comments, sink, seconds, kbps, rate, channels, "Speex");
  }

  private static TrackTags flac(Source in, ByteBuffer id, ByteBuffer comment, int serial) throws TagReadException, IOException {
    String format = "Ogg FLAC";
    if (id.limit() < 17 + 34 || !Source.matches(id, 9, "fLaC") || (id.get(17 - 4) & 0x7F) != 0) {
      throw in.fail(format, "the first packet holds no fLaC marker and STREAMINFO");
    }
    if (id.get(5) != 1 || id.get(6) != 0) {
      throw in.fail(format, "mapping version " + id.get(5) + "." + id.get(6) + " is not supported");
    }
    FlacReader.StreamInfo info = FlacReader.StreamInfo.of(id, 17);
    if (info.sampleRate() == 0) {
      throw in.fail(format, "STREAMINFO's sample rate is 0");
    }
    if (comment.limit() < 4 || (comment.get(0) & 0x7F) != 4) {
      throw in.fail(format, "the second packet is not a VORBIS_COMMENT block");
    }
    FieldSink sink = new FieldSink();
    Map<String, String> comments = comments(in, format, comment, 4, sink);
    long samples = info.samples() > 0 ? info.samples() : granule(in, format, serial);
    double seconds = samples / (double) info.sampleRate();
    return VorbisComments.tags(comments, sink, seconds, StreamProperties.kbps(in.size, seconds), info.sampleRate(),
        info.channels(), "Ogg FLAC " + info.bits() + " bits");
  }

  private static Map<String, String> comments(Source in, String format, ByteBuffer packet, int at, FieldSink sink)
      throws TagReadException {
    Map<String, String> comments = VorbisComments.parse(packet.slice(at, packet.limit() - at), sink);
    if (comments == null) {
      throw in.fail(format, "a Vorbis comment length runs past the comment packet");
    }
    return comments;
  }

  private static long granule(Source in, String format, int serial) throws TagReadException, IOException {
    long granule;
    try {
      granule = lastGranule(in, serial);
    } catch (Fallback e) {
      granule = -1;
    }
    if (granule < 0) {
      throw in.fail(format, "no page of the stream with a granule position in the last " + TAIL_BYTES + " bytes");
    }
    return granule;
  }

  /**
   * Reassembles the first two packets into {@code packets} (a packet may span pages); returns the
   * stream's serial number.
   */
  private static int packets(Source in, ByteBuffer[] packets) throws IOException, TagReadException {
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    long at = 0;
    int serial = 0;
    int done = 0;
    for (int page = 0; page < PAGES_MAX && done < 2; page++) {
      ByteBuffer header = in.read(at, 27, ByteOrder.LITTLE_ENDIAN, "Ogg", "a page header");
      if (header.getInt(0) != CAPTURE) {
        throw in.fail("Ogg", "page " + page + " at " + at + " does not start with OggS");
      }
      if (page == 0) {
        serial = header.getInt(14);
      } else if (header.getInt(14) != serial) {
        throw in.fail("Ogg", "a second logical stream before the first one's comment packet (multiplexed streams)");
      }
      int segments = header.get(26) & 0xFF;
      ByteBuffer table = in.read(at + 27, segments, ByteOrder.LITTLE_ENDIAN, "Ogg", "a page's segment table");
      int bodyBytes = 0;
      for (int i = 0; i < segments; i++) {
        bodyBytes += table.get(i) & 0xFF;
      }
      ByteBuffer body = in.read(at + 27 + segments, bodyBytes, ByteOrder.LITTLE_ENDIAN, "Ogg", "a page body");
      int offset = 0;
      for (int i = 0; i < segments && done < 2; i++) {
        int lace = table.get(i) & 0xFF;
        if (packet.size() + lace > Source.TAG_BYTES_MAX) {
          throw in.fail("Ogg", "a header packet longer than " + Source.TAG_BYTES_MAX + " bytes");
        }
        byte[] bytes = new byte[lace];
        body.get(offset, bytes);
        packet.write(bytes, 0, lace);
        offset += lace;
        if (lace < 255) {
          packets[done++] = ByteBuffer.wrap(packet.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
          packet.reset();
        }
      }
      at += 27 + segments + bodyBytes;
    }
    if (done < 2) {
      throw in.fail("Ogg", "no comment packet in the first " + PAGES_MAX + " pages");
    }
    return serial;
  }

  private static boolean isVorbis(ByteBuffer packet, int type) {
    return packet.limit() >= 7 && packet.get(0) == type && Source.matches(packet, 1, "vorbis");
  }

  /** The granule position of the stream's last page in the tail: its length in samples, or -1. */
  private static long lastGranule(Source in, int serial) throws IOException, Fallback {
    int length = (int) Math.min(in.size, TAIL_BYTES);
    ByteBuffer tail = in.slice(in.size - length, length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = length - 27; i >= 0; i--) {
      if (tail.get(i) == 'O' && tail.getInt(i) == CAPTURE && tail.getInt(i + 14) == serial) {
        long granule = tail.getLong(i + 6);
        if (granule >= 0) {
          return granule;
        }
      }
    }
    return -1;
  }
}
