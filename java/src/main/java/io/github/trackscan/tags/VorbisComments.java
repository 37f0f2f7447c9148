package io.github.trackscan.tags;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Vorbis comments (FLAC, Ogg Vorbis, Opus, Speex, Ogg FLAC): decoding, and the fields kept. */
final class VorbisComments {
  private VorbisComments() {}

  /**
   * The first value of every field, keys upper-cased, from a comment block (vendor string, count,
   * fields), or null when a declared length runs past the block.
   */
  static Map<String, String> parse(ByteBuffer block) {
    ByteBuffer b = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() < 8) {
      return null;
    }
    int vendor = b.getInt();
    if (vendor < 0 || vendor > b.remaining() - 4) {
      return null;
    }
    b.position(b.position() + vendor);
    long count = b.getInt() & 0xFFFFFFFFL;
    Map<String, String> fields = new HashMap<>();
    for (long i = 0; i < count && b.remaining() >= 4; i++) {
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        return null;
      }
      byte[] bytes = new byte[length];
      b.get(bytes);
      String field = new String(bytes, StandardCharsets.UTF_8);
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.putIfAbsent(field.substring(0, eq).toUpperCase(Locale.ROOT), field.substring(eq + 1));
      }
    }
    return fields;
  }

  /** Tags from Vorbis comments, and stream properties. */
  static TrackTags tags(Map<String, String> comments, double seconds, Integer kbps, int sampleRate, int channels,
      String codec) {
    String date = first(comments, "DATE", "YEAR");
    TrackTags text = new TrackTags(first(comments, "TITLE"), first(comments, "ARTIST"), first(comments, "ALBUM"),
        first(comments, "ALBUMARTIST", "ALBUM ARTIST", "ALBUM_ARTIST"),
        Numbers.leadingInt(first(comments, "TRACKNUMBER")),
        total(comments, "TRACKNUMBER", "TRACKTOTAL", "TOTALTRACKS"),
        Numbers.leadingInt(first(comments, "DISCNUMBER")),
        total(comments, "DISCNUMBER", "DISCTOTAL", "TOTALDISCS"),
        Numbers.year(date), date, first(comments, "GENRE"), null, null, null, null, null);
    return StreamProperties.of(text, seconds, kbps, sampleRate, channels, codec);
  }

  private static Integer total(Map<String, String> comments, String numberKey, String... totalKeys) {
    Integer total = Numbers.leadingInt(first(comments, totalKeys));
    return total != null ? total : Id3Text.total(comments.get(numberKey));
  }

  private static String first(Map<String, String> comments, String... keys) {
    for (String key : keys) {
      String value = Numbers.blankToNull(comments.get(key));
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
