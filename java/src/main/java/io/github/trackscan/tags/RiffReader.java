package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/*
 * WAV: the RIFF chunks are stepped over by their headers (8 bytes, sizes padded to even). "fmt "
 * gives format, channels, rate, byte rate, block alignment and bits; the duration is the data
 * chunk's frames (its size over the block alignment, as mutagen counts; a data size past the end
 * of a truncated file counts only the bytes there), or the "fact" chunk's sample count for a
 * compressed format. Tags: an "id3 "/"ID3 " chunk (what mutagen reads), else a LIST/INFO chunk.
 *
 * RIFF INFO, which mutagen does not read: the ids of Microsoft's RIFF specification, plus the ones
 * taggers write for what that list lacks, as exiftool documents them and Picard writes them:
 *
 *   INAM title    IART artist    IPRD album (the "product")    IAAR album artist    IGNR genre
 *   ICRD date     ITRK, IPRT track ("3" or "3/12")             ICMT comment    IMUS composer ("music by")
 *
 * Not mapped, though the names tempt: ISRC is the RIFF spec's "source" (who supplied the file), not
 * the International Standard Recording Code; ICOP is copyright, IWRI the lyricist, ISFT the
 * encoding software, none of them a field of ours. The id3 chunk wins as a whole, as mutagen would
 * have it: INFO fields are not mixed into the id3 chunk's.
 */
/** Reads WAV (RIFF WAVE) from memory. */
final class RiffReader {
  private RiffReader() {}

  private static final String FORMAT = "WAV";
  private static final int CHUNKS_MAX = 1024;
  /** A LIST chunk larger than this is not an INFO list worth reading (cue labels, say). */
  private static final int INFO_BYTES_MAX = 1024 * 1024;

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.read(0, 12, ByteOrder.LITTLE_ENDIAN, FORMAT, "the RIFF header");
    if (!Source.matches(h, 0, "RIFF") || !Source.matches(h, 8, "WAVE")) {
      throw in.fail(FORMAT, "no RIFF WAVE header");
    }
    ByteBuffer fmt = null;
    long dataBytes = -1;
    long factSamples = -1;
    TrackTags id3 = null;
    TrackTags info = null;
    long at = 12;
    for (int i = 0; i < CHUNKS_MAX && at + 8 <= in.size; i++) {
      ByteBuffer c = in.read(at, 8, ByteOrder.LITTLE_ENDIAN, FORMAT, "chunk " + i + "'s header");
      long length = c.getInt(4) & 0xFFFFFFFFL;
      long body = at + 8;
      if (Source.matches(c, 0, "data")) {
        dataBytes = Math.min(length, in.size - body);
      } else if (body + length > in.size) {
        throw in.fail(FORMAT, "chunk '" + fourcc(c) + "' declares " + length + " bytes, past the end of the file ("
            + in.size + " bytes)");
      } else if (Source.matches(c, 0, "fmt ") && fmt == null) {
        if (length < 16) {
          throw in.fail(FORMAT, "the fmt chunk is " + length + " bytes, less than 16");
        }
        fmt = in.read(body, 16, ByteOrder.LITTLE_ENDIAN, FORMAT, "the fmt chunk");
      } else if (Source.matches(c, 0, "fact") && length >= 4) {
        factSamples = in.read(body, 4, ByteOrder.LITTLE_ENDIAN, FORMAT, "the fact chunk").getInt(0) & 0xFFFFFFFFL;
      } else if ((Source.matches(c, 0, "id3 ") || Source.matches(c, 0, "ID3 ")) && id3 == null && length >= 10) {
        id3 = LeadingId3.at(in, body);
      } else if (Source.matches(c, 0, "LIST") && length >= 4 && length <= INFO_BYTES_MAX && info == null) {
        info = info(in, body, length);
      }
      at = body + length + (length & 1);
    }
    if (fmt == null) {
      throw in.fail(FORMAT, "no fmt chunk");
    }
    int format = fmt.getShort(0) & 0xFFFF;
    int channels = fmt.getShort(2) & 0xFFFF;
    int rate = fmt.getInt(4);
    long byteRate = fmt.getInt(8) & 0xFFFFFFFFL;
    int blockAlign = fmt.getShort(12) & 0xFFFF;
    int bits = fmt.getShort(14) & 0xFFFF;
    boolean pcm = format == 1 || format == 3 || format == 0xFFFE;
    double seconds = 0;
    if (rate > 0) {
      if (!pcm && factSamples >= 0) {
        seconds = factSamples / (double) rate;
      } else if (blockAlign > 0 && dataBytes > 0) {
        seconds = (double) (dataBytes / blockAlign) / rate;
      }
    }
    String codec = format == 1 || format == 0xFFFE ? "PCM " + bits + " bits"
        : format == 3 ? "PCM float " + bits + " bits" : String.format("WAV format 0x%04X", format);
    return StreamProperties.of(id3 != null ? id3 : info, seconds, byteRate > 0 ? (int) Math.min(Integer.MAX_VALUE, byteRate * 8 / 1000) : null,
        rate, channels, codec);
  }

  private static String fourcc(ByteBuffer c) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      int b = c.get(i) & 0xFF;
      s.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
    }
    return s.toString();
  }

  /** The fields of a LIST/INFO chunk, or null for another LIST. */
  private static TrackTags info(Source in, long body, long length) throws IOException, TagReadException {
    ByteBuffer list = in.read(body, length, ByteOrder.LITTLE_ENDIAN, FORMAT, "the LIST chunk");
    if (!Source.matches(list, 0, "INFO")) {
      return null;
    }
    String title = null, album = null, albumArtist = null, date = null, track = null;
    FieldSink sink = new FieldSink();
    int at = 4;
    for (int i = 0; i < CHUNKS_MAX && at + 8 <= list.limit(); i++) {
      long size = list.getInt(at + 4) & 0xFFFFFFFFL;
      if (at + 8 + size > list.limit()) {
        throw in.fail(FORMAT, "INFO item " + i + " declares " + size + " bytes, past the end of its LIST chunk");
      }
      byte[] bytes = new byte[(int) size];
      list.get(at + 8, bytes);
      int n = 0;
      while (n < bytes.length && bytes[n] != 0) {
        n++;
      }
      String value = Numbers.blankToNull(new String(bytes, 0, n, StandardCharsets.UTF_8));
      String id = fourcc(list.slice(at, 4));
      switch (id) {
        case "INAM" -> title = value;
        case "IART" -> sink.artist(value);
        case "IPRD" -> album = value;
        case "iaar", "IAAR" -> albumArtist = value; // jaudiotagger writes iaar
        case "IGNR" -> sink.genre(value);
        case "ICRD" -> date = value;
        case "ITRK", "itrk", "IPRT" -> track = track == null ? value : track;
        case "ICMT" -> sink.put(FieldSink.COMMENT, value);
        case "IMUS" -> sink.put(FieldSink.COMPOSER, value);
        default -> {}
      }
      at += 8 + (int) size + (int) (size & 1);
    }
    return new TrackTags(title, sink.artistDisplay(), album, albumArtist, Numbers.leadingInt(track), Id3Text.total(track),
        null, null, Numbers.year(date), date, sink.genreDisplay(), null, null, null, null, null, sink.build());
  }
}
