package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/*
 * ASF (WMA): a Header Object (its GUID, size, object count) holding the objects this needs, all
 * in the first bytes of the file, before the audio:
 *   File Properties     play duration (100 ns units) and preroll (ms): mutagen's length is
 *                       duration / 10^7 - preroll / 1000
 *   Stream Properties   the first audio stream's WAVEFORMATEX: channels, sample rate, bytes/s
 *   Content Description title, author (the artist), copyright, description, rating (UTF-16LE)
 *   Extended Content    named attributes: WM/AlbumTitle, WM/AlbumArtist, WM/TrackNumber,
 *     Description       WM/PartOfSet, WM/Year, WM/Genre ... (strings, or numbers)
 *   Header Extension    may hold a Metadata and a Metadata Library object with more attributes
 * Object sizes are 64-bit; GUIDs are stored with their first three fields little-endian. Tag
 * precedence as mutagen's: a named attribute first, the Content Description for title and author.
 * The PlayerFields come from Picard's ASF attribute names (WM/Composer, WM/IsCompilation,
 * WM/...SortOrder, MusicBrainz/Track Id..., REPLAYGAIN_*, WM/BeatsPerMinute, WM/ISRC, WM/Publisher,
 * WM/SetSubTitle) and the Content Description's description (the comment); of a WM/Picture only
 * its header is looked at.
 */
/** Reads ASF (WMA) from memory. */
final class AsfReader {
  private AsfReader() {}

  private static final String FORMAT = "ASF";
  static final byte[] HEADER = guid("75B22630-668E-11CF-A6D9-00AA0062CE6C");
  private static final byte[] FILE_PROPERTIES = guid("8CABDCA1-A947-11CF-8EE4-00C00C205365");
  private static final byte[] STREAM_PROPERTIES = guid("B7DC0791-A9B7-11CF-8EE6-00C00C205365");
  private static final byte[] AUDIO_MEDIA = guid("F8699E40-5B4D-11CF-A8FD-00805F5C442B");
  private static final byte[] CONTENT_DESCRIPTION = guid("75B22633-668E-11CF-A6D9-00AA0062CE6C");
  private static final byte[] EXTENDED_CONTENT = guid("D2D0A440-E307-11D2-97F0-00A0C95EA850");
  private static final byte[] HEADER_EXTENSION = guid("5FBF03B5-A92E-11CF-8EE3-00C00C205365");
  private static final byte[] METADATA = guid("C5F8CBEA-5BAF-4877-8467-AA8C44FA4CCA");
  private static final byte[] METADATA_LIBRARY = guid("44231C94-9498-49D1-A141-1D134E457054");
  private static final int OBJECT_HEADER_BYTES = 24;

  /** A GUID as ASF stores it: the first three fields little-endian, the rest as written. */
  static byte[] guid(String text) {
    byte[] b = HexFormat.of().parseHex(text.replace("-", ""));
    return new byte[] {b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
        b[15]};
  }

  private static boolean is(ByteBuffer b, int at, byte[] guid) {
    if (at + 16 > b.limit()) {
      return false;
    }
    for (int i = 0; i < 16; i++) {
      if (b.get(at + i) != guid[i]) {
        return false;
      }
    }
    return true;
  }

  /** What the objects gave. */
  private static final class Found {
    double seconds = -1;
    int sampleRate;
    int channels;
    int bytesPerSecond;
    int formatTag = -1;
    final Map<String, String> attributes = new HashMap<>();
    final FieldSink sink = new FieldSink();
    /**
     * Where the first Content Description, Extended Content Description, Metadata and Metadata
     * Library objects' data start and end (-1: none): read after the walk in that order, as
     * mutagen orders the tags, whatever their order in the file.
     */
    final int[] described = {-1, -1, -1, -1, -1, -1, -1, -1};

    void describe(int kind, int data, int end) {
      if (described[2 * kind] < 0) {
        described[2 * kind] = data;
        described[2 * kind + 1] = end;
      }
    }
  }

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.read(0, Math.min(in.size, 30), ByteOrder.LITTLE_ENDIAN, FORMAT, "the Header Object");
    if (h.limit() < 30 || !is(h, 0, HEADER)) {
      throw in.fail(FORMAT, "no Header Object");
    }
    long headerBytes = h.getLong(16);
    if (headerBytes < 30 || headerBytes > in.size) {
      throw in.fail(FORMAT, "the Header Object declares " + headerBytes + " bytes, the file holds " + in.size);
    }
    ByteBuffer b = in.read(0, headerBytes, ByteOrder.LITTLE_ENDIAN, FORMAT, "the Header Object");
    Found found = new Found();
    objects(in, b, 30, (int) headerBytes, found);
    int[] d = found.described;
    if (d[0] >= 0) {
      contentDescription(in, b, d[0], d[1], found);
    }
    if (d[2] >= 0) {
      extendedContent(in, b, d[2], d[3], found);
    }
    for (int kind = 2; kind < 4; kind++) {
      if (d[2 * kind] >= 0) {
        metadata(in, b, d[2 * kind], d[2 * kind + 1], found);
      }
    }
    if (found.seconds < 0) {
      throw in.fail(FORMAT, "no File Properties Object");
    }
    if (found.formatTag < 0) {
      throw in.fail(FORMAT, "no audio stream");
    }
    Map<String, String> a = found.attributes;
    String date = first(a, "WM/YEAR");
    String track = first(a, "WM/TRACKNUMBER");
    if (track == null && a.get("WM/TRACK") != null) {
      Integer zeroBased = Numbers.leadingInt(a.get("WM/TRACK")); // The old 0-based attribute.
      track = zeroBased == null ? null : String.valueOf(zeroBased + 1);
    }
    String disc = first(a, "WM/PARTOFSET");
    String artist = found.sink.artistDisplay();
    String genre = found.sink.genreDisplay();
    TrackTags text = new TrackTags(first(a, "TITLE"), artist != null ? artist : first(a, "AUTHOR"),
        first(a, "WM/ALBUMTITLE"), first(a, "WM/ALBUMARTIST"), Numbers.leadingInt(track), Id3Text.total(track),
        Numbers.leadingInt(disc), Id3Text.total(disc), Numbers.year(date), date,
        genre != null ? genre : first(a, "WM/GENRE"), null, null, null, null, null, found.sink.build());
    Integer kbps = found.bytesPerSecond > 0 ? Math.round(found.bytesPerSecond * 8 / 1000f)
        : StreamProperties.kbps(in.size, found.seconds);
    return StreamProperties.of(text, found.seconds, kbps, found.sampleRate, found.channels, codec(found.formatTag));
  }

  /** The objects in {@code b[from, to)}. */
  private static void objects(Source in, ByteBuffer b, int from, int to, Found found) throws TagReadException {
    for (int at = from; at + OBJECT_HEADER_BYTES <= to; ) {
      long size = b.getLong(at + 16);
      if (size < OBJECT_HEADER_BYTES || at + size > to) {
        throw in.fail(FORMAT, "an object at " + at + " declares " + size + " bytes, past the end of its parent (" + to
            + ")");
      }
      int data = at + OBJECT_HEADER_BYTES;
      int end = (int) (at + size);
      if (is(b, at, FILE_PROPERTIES) && end - data >= 80) {
        long duration = b.getLong(data + 40);
        long preroll = b.getLong(data + 56);
        found.seconds = Math.max(0, duration / 1e7 - preroll / 1e3);
      } else if (is(b, at, STREAM_PROPERTIES) && end - data >= 54 && is(b, data, AUDIO_MEDIA) && found.formatTag < 0) {
        int typeBytes = b.getInt(data + 40);
        if (typeBytes >= 16 && data + 54 + 16 <= end) {
          int wave = data + 54;
          found.formatTag = b.getShort(wave) & 0xFFFF;
          found.channels = b.getShort(wave + 2) & 0xFFFF;
          found.sampleRate = b.getInt(wave + 4);
          found.bytesPerSecond = b.getInt(wave + 8);
        }
      } else if (is(b, at, CONTENT_DESCRIPTION) && end - data >= 10) {
        found.describe(0, data, end);
      } else if (is(b, at, EXTENDED_CONTENT) && end - data >= 2) {
        found.describe(1, data, end);
      } else if (is(b, at, HEADER_EXTENSION) && end - data >= 22) {
        int extensionBytes = b.getInt(data + 18);
        if (data + 22 + extensionBytes <= end) {
          objects(in, b, data + 22, data + 22 + extensionBytes, found);
        }
      } else if (is(b, at, METADATA) && end - data >= 2) {
        found.describe(2, data, end);
      } else if (is(b, at, METADATA_LIBRARY) && end - data >= 2) {
        found.describe(3, data, end);
      }
      at = end;
    }
  }

  /** The Content Description: five lengths, then title, author, copyright, description, rating. */
  private static void contentDescription(Source in, ByteBuffer b, int data, int end, Found found)
      throws TagReadException {
    String[] names = {"TITLE", "AUTHOR", "COPYRIGHT", "DESCRIPTION", "RATING"};
    int p = data + 10;
    for (int i = 0; i < names.length; i++) {
      int length = b.getShort(data + 2 * i) & 0xFFFF;
      if (p + length > end) {
        throw in.fail(FORMAT, "the Content Description's " + names[i].toLowerCase(Locale.ROOT) + " runs past it");
      }
      if (length > 0) {
        attribute(b, names[i], 0, p, length, found);
      }
      p += length;
    }
  }

  private static void extendedContent(Source in, ByteBuffer b, int data, int end, Found found) throws TagReadException {
    int count = b.getShort(data) & 0xFFFF;
    int p = data + 2;
    for (int i = 0; i < count; i++) {
      if (p + 2 > end) {
        throw in.fail(FORMAT, "the Extended Content Description ends inside its attribute " + i);
      }
      int nameBytes = b.getShort(p) & 0xFFFF;
      if (p + 2 + nameBytes + 4 > end) {
        throw in.fail(FORMAT, "the Extended Content Description's attribute " + i + " runs past it");
      }
      String name = utf16(b, p + 2, nameBytes);
      int type = b.getShort(p + 2 + nameBytes) & 0xFFFF;
      int valueBytes = b.getShort(p + 4 + nameBytes) & 0xFFFF;
      int value = p + 6 + nameBytes;
      if (value + valueBytes > end) {
        throw in.fail(FORMAT, "the value of " + name + " runs past the Extended Content Description");
      }
      attribute(b, name, type, value, valueBytes, found);
      p = value + valueBytes;
    }
  }

  /** A Metadata or Metadata Library object: records with 32-bit value lengths. */
  private static void metadata(Source in, ByteBuffer b, int data, int end, Found found) throws TagReadException {
    int count = b.getShort(data) & 0xFFFF;
    int p = data + 2;
    for (int i = 0; i < count; i++) {
      if (p + 12 > end) {
        throw in.fail(FORMAT, "a Metadata object ends inside its record " + i);
      }
      int nameBytes = b.getShort(p + 4) & 0xFFFF;
      int type = b.getShort(p + 6) & 0xFFFF;
      long valueBytes = b.getInt(p + 8) & 0xFFFFFFFFL;
      if (p + 12 + nameBytes + valueBytes > end) {
        throw in.fail(FORMAT, "a Metadata object's record " + i + " runs past it");
      }
      String name = utf16(b, p + 12, nameBytes);
      attribute(b, name, type, p + 12 + nameBytes, (int) valueBytes, found);
      p += (int) (12 + nameBytes + valueBytes);
    }
  }

  /**
   * One named value; the first of a name wins (mutagen lists them all and gives the first). Every
   * Author and WM/Genre value is kept, the PlayerFields attributes (Picard's ASF names) go to the
   * sink, and a WM/Picture's place is noted. {@code at} is an offset in the Header Object, which
   * starts the file, so it is the file offset too.
   */
  private static void attribute(ByteBuffer b, String name, int type, int at, int bytes, Found found) {
    String key = name.toUpperCase(Locale.ROOT);
    if (type == 1 && key.equals("WM/PICTURE")) {
      picture(b, at, bytes, found.sink);
      return;
    }
    String value = switch (type) {
      case 0 -> utf16(b, at, bytes);
      case 2 -> bytes >= 4 ? String.valueOf(b.getInt(at) != 0) : bytes >= 2 ? String.valueOf(b.getShort(at) != 0) : null;
      case 3 -> bytes >= 4 ? String.valueOf(b.getInt(at) & 0xFFFFFFFFL) : null;
      case 4 -> bytes >= 8 ? Long.toUnsignedString(b.getLong(at)) : null;
      case 5 -> bytes >= 2 ? String.valueOf(b.getShort(at) & 0xFFFF) : null;
      default -> null; // Bytes (a picture) or a GUID: not text.
    };
    if (value != null) {
      found.attributes.putIfAbsent(key, value);
      switch (key) {
        case "AUTHOR" -> found.sink.artist(value);
        case "WM/GENRE" -> found.sink.genre(value);
        case "WM/ISCOMPILATION" -> found.sink.put(FieldSink.COMPILATION,
            value.equals("true") ? "1" : value.equals("false") ? "0" : value);
        default -> found.sink.put(slot(key), value);
      }
    }
  }

  /** The PlayerFields slot of an attribute (upper case), by Picard's ASF names, or NONE. */
  private static int slot(String key) {
    return switch (key) {
      case "WM/COMPOSER" -> FieldSink.COMPOSER;
      case "DESCRIPTION" -> FieldSink.COMMENT;
      case "WM/TITLESORTORDER" -> FieldSink.TITLE_SORT;
      case "WM/ARTISTSORTORDER" -> FieldSink.ARTIST_SORT;
      case "WM/ALBUMSORTORDER" -> FieldSink.ALBUM_SORT;
      case "WM/ALBUMARTISTSORTORDER" -> FieldSink.ALBUM_ARTIST_SORT;
      case "WM/BEATSPERMINUTE" -> FieldSink.BPM;
      case "WM/ISRC" -> FieldSink.ISRC;
      case "WM/PUBLISHER" -> FieldSink.LABEL;
      case "WM/SETSUBTITLE" -> FieldSink.DISC_SUBTITLE;
      default -> key.startsWith("MUSICBRAINZ/")
          ? FieldSink.descriptiveSlot("MUSICBRAINZ " + key.substring("MUSICBRAINZ/".length()))
          : FieldSink.descriptiveSlot(key);
    };
  }

  /**
   * Notes a WM/Picture value: picture type (1 byte), data length (4), MIME type and description
   * (UTF-16LE, each NUL-ended), then the picture, which is not read.
   */
  private static void picture(ByteBuffer b, int at, int bytes, FieldSink sink) {
    if (bytes < 5) {
      sink.cover(null, null, null, false);
      return;
    }
    boolean front = b.get(at) == 3;
    long size = b.getInt(at + 1) & 0xFFFFFFFFL;
    int end = at + bytes;
    int mime = at + 5;
    int mimeEnd = utf16End(b, mime, end);
    int description = mimeEnd + 2;
    int descriptionEnd = utf16End(b, description, end);
    int data = descriptionEnd + 2;
    String mimeType = mimeEnd < end ? utf16(b, mime, mimeEnd - mime) : null;
    boolean whole = descriptionEnd < end && data + size <= end;
    sink.cover(mimeType, whole ? size : null, whole ? (long) data : null, front);
  }

  /** Where the UTF-16LE string at {@code from} has its NUL, or {@code end} when it has none before. */
  private static int utf16End(ByteBuffer b, int from, int end) {
    int i = from;
    while (i + 1 < end && (b.get(i) != 0 || b.get(i + 1) != 0)) {
      i += 2;
    }
    return i + 1 < end ? i : end;
  }

  private static String utf16(ByteBuffer b, int at, int bytes) {
    byte[] raw = new byte[bytes & ~1];
    b.get(at, raw);
    int end = raw.length;
    while (end >= 2 && raw[end - 1] == 0 && raw[end - 2] == 0) {
      end -= 2; // NUL-terminated
    }
    return new String(raw, 0, end, StandardCharsets.UTF_16LE);
  }

  private static String first(Map<String, String> attributes, String name) {
    return Numbers.blankToNull(attributes.get(name));
  }

  private static String codec(int formatTag) {
    return switch (formatTag) {
      case 0x0160 -> "WMA v1";
      case 0x0161 -> "WMA v2";
      case 0x0162 -> "WMA Pro";
      case 0x0163 -> "WMA Lossless";
      case 0x000A -> "WMA Voice";
      case 0x0055 -> "MP3";
      case 0x0001 -> "PCM";
      default -> String.format("ASF audio 0x%04X", formatTag);
    };
  }
}
