package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/*
 * FLAC: STREAMINFO and VORBIS_COMMENT parsed from memory; of a PICTURE block only the header up to
 * the data length is read (MIME type, size and offset of the picture), never the picture; a comment block beyond the head costs one more pread. An ID3v2 tag in front
 * is stepped over (its fields are not read, as mutagen does not). Anything unusual (a truncated
 * block) goes to jaudiotagger.
 */
/** Reads native FLAC from memory. */
final class FlacReader {
  private FlacReader() {}

  private static final int STREAMINFO = 0;
  private static final int VORBIS_COMMENT = 4;
  private static final int PICTURE = 6;
  /** Bytes of a PICTURE block read to find where its picture starts: MIME type and description. */
  private static final int PICTURE_HEADER_BYTES_MAX = 1024;
  private static final int BLOCKS_MAX = 1024;

  /** What STREAMINFO says. */
  record StreamInfo(int sampleRate, int channels, int bits, long samples) {
    /** Decodes the 34-byte STREAMINFO block body at {@code at} in {@code b}. */
    static StreamInfo of(ByteBuffer b, int at) {
      long packed = b.order(ByteOrder.BIG_ENDIAN).getLong(at + 10);
      return new StreamInfo((int) (packed >>> 44), (int) ((packed >>> 41) & 7) + 1, (int) ((packed >>> 36) & 31) + 1,
          packed & 0xFFFFFFFFFL);
    }
  }

  static TrackTags read(Source in) throws IOException, Fallback {
    ByteBuffer head = in.head.order(ByteOrder.BIG_ENDIAN);
    long start = 0;
    if (head.limit() >= 10 && Source.matches(head, 0, "ID3")) {
      start = Id3Text.tagBytes(head, 0); // an ID3v2 tag in front, which mutagen steps over too
    }
    if (start + 4 + 4 + 34 > in.size || in.slice(start, 4).getInt(0) != 0x664C6143) { // "fLaC"
      throw Fallback.INSTANCE;
    }
    long at = start + 4;
    StreamInfo info = null;
    Map<String, String> comments = Map.of();
    FieldSink sink = new FieldSink();
    for (int block = 0; block < BLOCKS_MAX; block++) {
      ByteBuffer header = in.slice(at, 4);
      int first = header.get(0) & 0xFF;
      int length = ((header.get(1) & 0xFF) << 16) | ((header.get(2) & 0xFF) << 8) | (header.get(3) & 0xFF);
      int type = first & 0x7F;
      if (at + 4 + length > in.size) {
        throw Fallback.INSTANCE;
      }
      if (type == STREAMINFO) {
        if (length < 34) {
          throw Fallback.INSTANCE;
        }
        info = StreamInfo.of(in.slice(at + 4, 34), 0);
      } else if (type == VORBIS_COMMENT && comments.isEmpty()) {
        comments = VorbisComments.parse(in.slice(at + 4, length), sink);
        if (comments == null) {
          throw Fallback.INSTANCE;
        }
      } else if (type == PICTURE) {
        VorbisComments.picture(in.slice(at + 4, Math.min(length, PICTURE_HEADER_BYTES_MAX)), at + 4, length, sink);
      }
      at += 4 + length;
      if ((first & 0x80) != 0) {
        break;
      }
    }
    if (info == null || info.sampleRate() == 0) {
      throw Fallback.INSTANCE;
    }
    double seconds = info.samples() / (double) info.sampleRate();
    // As jaudiotagger computes it (FlacInfoReader.computeBitrate): whole kilobytes, float seconds.
    float preciseSeconds = (float) info.samples() / info.sampleRate();
    Integer kbps = preciseSeconds > 0 ? (int) ((float) ((in.size - at) / 1000 * 8) / preciseSeconds) : null;
    return VorbisComments.tags(comments, sink, seconds, kbps, info.sampleRate(), info.channels(), "FLAC " + info.bits() + " bits");
  }
}
