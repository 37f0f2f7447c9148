package io.github.trackscan.tags;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Vorbis comments (FLAC, Ogg Vorbis, Opus, Speex, Ogg FLAC): decoding, and the fields kept. */
final class VorbisComments {
  private VorbisComments() {}

  /**
   * The first value of every field, keys upper-cased, from a comment block (vendor string, count,
   * fields), or null when a declared length runs past the block. Every ARTIST and GENRE value, the
   * PlayerFields keys and the first METADATA_BLOCK_PICTURE go to {@code sink} (when not null); a
   * picture's base64 text is never decoded past its header, nor made into a string.
   */
  static Map<String, String> parse(ByteBuffer block, FieldSink sink) {
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
      int start = b.position();
      int eq = 0;
      while (eq < length && b.get(start + eq) != '=') {
        eq++;
      }
      b.position(start + length);
      if (eq == 0 || eq == length) {
        continue; // no key, or no '=': not a field
      }
      byte[] keyBytes = new byte[eq];
      b.get(start, keyBytes);
      String key = new String(keyBytes, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
      if (key.equals("METADATA_BLOCK_PICTURE")) {
        if (sink != null) {
          base64Picture(b.slice(start + eq + 1, length - eq - 1), sink);
        }
        continue;
      }
      byte[] valueBytes = new byte[length - eq - 1];
      b.get(start + eq + 1, valueBytes);
      String value = new String(valueBytes, StandardCharsets.UTF_8);
      fields.putIfAbsent(key, value);
      if (sink != null) {
        switch (key) {
          case "ARTIST" -> sink.artist(value);
          case "GENRE" -> sink.genre(value);
          default -> sink.put(FieldSink.vorbisSlot(key), value);
        }
      }
    }
    return fields;
  }

  /** Base64 text decoded to find a picture's header: MIME type and description fit in this. */
  private static final int PICTURE_HEADER_BASE64_MAX = 4 * 512;

  /**
   * Notes the picture of a METADATA_BLOCK_PICTURE field: its header is decoded from the start of
   * the base64 text; the offset is null, as the picture's bytes are not in the file as such.
   */
  private static void base64Picture(ByteBuffer text, FieldSink sink) {
    int chars = Math.min(text.remaining(), PICTURE_HEADER_BASE64_MAX) & ~3;
    try {
      ByteBuffer header = Base64.getDecoder().decode(text.slice(0, chars));
      picture(header, -1, Long.MAX_VALUE, sink);
    } catch (IllegalArgumentException e) {
      sink.cover(null, null, null, false); // not base64: a picture is there, where is unknown
    }
  }

  /**
   * Notes the picture whose FLAC PICTURE structure (type, MIME type, description, dimensions, data
   * length, data; big-endian) starts {@code b}; {@code base} is its absolute offset in the file,
   * or -1 when it is not in the file as such; {@code blockBytes} the structure's declared length.
   */
  static void picture(ByteBuffer b, long base, long blockBytes, FieldSink sink) {
    ByteBuffer h = b.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (h.limit() < 8) {
      sink.cover(null, null, null, false);
      return;
    }
    boolean front = h.getInt(0) == 3;
    long mimeBytes = h.getInt(4) & 0xFFFFFFFFL;
    if (8 + mimeBytes + 4 > h.limit()) {
      sink.cover(null, null, null, front);
      return;
    }
    byte[] mime = new byte[(int) mimeBytes];
    h.get(8, mime);
    String mimeType = new String(mime, StandardCharsets.ISO_8859_1);
    long descriptionBytes = h.getInt(8 + (int) mimeBytes) & 0xFFFFFFFFL;
    long dataLength = 12 + mimeBytes + descriptionBytes + 16;
    if (dataLength + 4 > h.limit()) {
      sink.cover(mimeType, null, null, front);
      return;
    }
    long data = dataLength + 4;
    long size = h.getInt((int) dataLength) & 0xFFFFFFFFL;
    boolean whole = data + size <= blockBytes;
    sink.cover(mimeType, whole ? size : null, whole && base >= 0 ? base + data : null, front);
  }

  /** Tags from Vorbis comments, and stream properties; {@code sink} (may be null) holds what parse gave it. */
  static TrackTags tags(Map<String, String> comments, FieldSink sink, double seconds, Integer kbps, int sampleRate,
      int channels, String codec) {
    String date = first(comments, "DATE", "YEAR");
    String artist = sink == null ? null : sink.artistDisplay();
    String genre = sink == null ? null : sink.genreDisplay();
    TrackTags text = new TrackTags(first(comments, "TITLE"), artist != null ? artist : first(comments, "ARTIST"),
        first(comments, "ALBUM"), first(comments, "ALBUMARTIST", "ALBUM ARTIST", "ALBUM_ARTIST"),
        Numbers.leadingInt(first(comments, "TRACKNUMBER")),
        total(comments, "TRACKNUMBER", "TRACKTOTAL", "TOTALTRACKS"),
        Numbers.leadingInt(first(comments, "DISCNUMBER")),
        total(comments, "DISCNUMBER", "DISCTOTAL", "TOTALDISCS"),
        Numbers.year(date), date, genre != null ? genre : first(comments, "GENRE"), null, null, null, null, null,
        sink == null ? PlayerFields.NONE : sink.build());
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
