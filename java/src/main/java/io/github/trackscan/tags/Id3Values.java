package io.github.trackscan.tags;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/*
 * The values inside ID3v2 frames, decoded as mutagen decodes them (mutagen 1.46 is the reference;
 * Id3DifferentialTest holds these to it):
 *  - Text: encoding byte 0 Latin-1, 1 UTF-16 with a byte-order mark, 2 UTF-16BE, 3 UTF-8; each
 *    value ends at its NUL (a NUL character for UTF-16, counted from the value's start). UTF-16
 *    without a mark is tried as mutagen tries it: as it is, with a NUL added (a value cut in half
 *    a character), then as little-endian (what writers that drop the mark write), then both; a
 *    value no attempt decodes (invalid UTF-8, a lone surrogate) makes the whole frame junk, which
 *    mutagen drops. Before ID3v2.4 values did not repeat, so zeros after a value are padding.
 *  - Genres (TCON): "17" and "(17)" are ID3v1 genre numbers, "(17)Rock" a number refined by a
 *    name, "(RX)" Remix and "(CR)" Cover, "((" an escaped parenthesis; an unknown number "Unknown".
 *  - Time stamps (TDRC): split at - T : / . and white space into year, month, day, hour, minute,
 *    second, each kept while it is a number, then written back "2003-05-01 12:30:00". An ID3v2.3
 *    date comes from TYER, TDAT (DDMM) and TIME (HHMM), combined as mutagen upgrades them.
 */
/** Decodes ID3v2 text, genres and time stamps. */
final class Id3Values {
  private Id3Values() {}

  private static final byte[] BOM_LE = {(byte) 0xFF, (byte) 0xFE};
  private static final byte[] NUL = {0};

  /**
   * Every value of the text that starts at {@code at} in {@code body} (up to its limit) in
   * {@code encoding}, or null when the frame is junk: an unknown encoding, no bytes at all, or a
   * value that does not decode.
   */
  static List<String> values(ByteBuffer body, int at, int encoding, boolean v24) {
    if (encoding < 0 || encoding > 3 || at >= body.limit()) {
      return null;
    }
    List<String> out = new ArrayList<>(1);
    int[] next = new int[1];
    while (at < body.limit()) {
      String value = value(body, at, encoding, v24, next);
      if (value == null) {
        return null;
      }
      out.add(value);
      at = next[0];
    }
    return out;
  }

  /**
   * One value from {@code at}: its text, with in {@code next[0]} where the next value starts; null
   * when no attempt decodes it.
   */
  static String value(ByteBuffer body, int at, int encoding, boolean v24, int[] next) {
    int limit = body.limit();
    String value;
    switch (encoding) {
      case 0, 3 -> {
        int nul = at;
        while (nul < limit && body.get(nul) != 0) {
          nul++;
        }
        value = encoding == 0 ? latin1(body, at, nul) : utf8(body, at, nul);
        next[0] = Math.min(limit, nul + 1);
      }
      case 1, 2 -> {
        // Every attempt ends at the first NUL pair aligned with the value's start (a mark added in
        // front keeps the alignment): the bytes beyond are not copied (a picture's, say).
        int end = at;
        while (end + 1 < limit && (body.get(end) != 0 || body.get(end + 1) != 0)) {
          end += 2;
        }
        byte[] data = new byte[(end + 1 < limit ? end + 2 : limit) - at];
        body.get(at, data);
        value = utf16(data, encoding == 1, next);
        next[0] += at;
      }
      default -> value = null;
    }
    if (value != null && !v24) {
      int rest = next[0];
      while (rest < limit && body.get(rest) == 0) {
        rest++;
      }
      if (rest == limit) {
        next[0] = limit; // zeros after the value: padding, not more (empty) values
      }
    }
    return value;
  }

  static String latin1(ByteBuffer b, int from, int to) {
    byte[] bytes = new byte[Math.max(0, to - from)];
    b.get(from, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Strict UTF-8 (as Python's decoder: a malformed sequence is an error, not a replacement), or null. */
  private static String utf8(ByteBuffer b, int from, int to) {
    byte[] bytes = new byte[Math.max(0, to - from)];
    b.get(from, bytes);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text; // no replacement: the bytes were valid (the usual case, without a decoder's allocations)
    }
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b.duplicate().limit(to).position(from));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * A UTF-16 value ({@code withBom}: encoding 1, else UTF-16BE) through mutagen's attempts, the
   * bytes it used in {@code next[0]}, or null.
   */
  private static String utf16(byte[] data, boolean withBom, int[] next) {
    int[] used = new int[1];
    byte[][] prefixes = withBom ? new byte[][] {{}, {}, BOM_LE, BOM_LE} : new byte[][] {{}, {}};
    for (int attempt = 0; attempt < prefixes.length; attempt++) {
      byte[] prefix = prefixes[attempt];
      byte[] suffix = attempt % 2 == 1 ? NUL : new byte[0];
      byte[] tried = data;
      if (prefix.length + suffix.length > 0) {
        tried = new byte[prefix.length + data.length + suffix.length];
        System.arraycopy(prefix, 0, tried, 0, prefix.length);
        System.arraycopy(data, 0, tried, prefix.length, data.length);
        System.arraycopy(suffix, 0, tried, prefix.length + data.length, suffix.length);
      }
      String value = utf16Terminated(tried, withBom, used);
      if (value != null) {
        next[0] = Math.min(data.length, Math.max(0, used[0] - prefix.length));
        return value;
      }
    }
    return null;
  }

  /**
   * Decodes code units up to the first NUL character, as Python's incremental UTF-16 decoder fed
   * byte by byte: with {@code bom} the first two bytes must be a byte-order mark; a surrogate
   * without its pair or an odd byte at the end is an error (null). {@code used[0]}: the bytes
   * through the NUL, or all of them when there is none.
   */
  private static String utf16Terminated(byte[] d, boolean bom, int[] used) {
    int i = 0;
    boolean little = false;
    if (bom) {
      if (d.length < 2) {
        return null;
      }
      if ((d[0] & 0xFF) == 0xFF && (d[1] & 0xFF) == 0xFE) {
        little = true;
      } else if (!((d[0] & 0xFF) == 0xFE && (d[1] & 0xFF) == 0xFF)) {
        return null;
      }
      i = 2;
    }
    StringBuilder text = new StringBuilder((d.length - i) / 2);
    int high = -1;
    while (i + 1 < d.length) {
      int unit = little ? (d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8 : (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
      i += 2;
      boolean isHigh = unit >= 0xD800 && unit <= 0xDBFF;
      boolean isLow = unit >= 0xDC00 && unit <= 0xDFFF;
      if (high >= 0) {
        if (!isLow) {
          return null;
        }
        text.append((char) high).append((char) unit);
        high = -1;
      } else if (isHigh) {
        high = unit;
      } else if (isLow) {
        return null;
      } else if (unit == 0) {
        used[0] = i;
        return text.toString();
      } else {
        text.append((char) unit);
      }
    }
    if (i < d.length || high >= 0) {
      return null; // truncated
    }
    used[0] = d.length;
    return text.toString();
  }

  /** The ID3v1 genres by number, as mutagen names them (Winamp's extensions included). */
  static final String[] GENRES = {"Blues", "Classic Rock", "Country", "Dance", "Disco", "Funk", "Grunge",
      "Hip-Hop", "Jazz", "Metal", "New Age", "Oldies", "Other", "Pop", "R&B", "Rap", "Reggae", "Rock", "Techno",
      "Industrial", "Alternative", "Ska", "Death Metal", "Pranks", "Soundtrack", "Euro-Techno", "Ambient",
      "Trip-Hop", "Vocal", "Jazz+Funk", "Fusion", "Trance", "Classical", "Instrumental", "Acid", "House", "Game",
      "Sound Clip", "Gospel", "Noise", "Alt. Rock", "Bass", "Soul", "Punk", "Space", "Meditative",
      "Instrumental Pop", "Instrumental Rock", "Ethnic", "Gothic", "Darkwave", "Techno-Industrial", "Electronic",
      "Pop-Folk", "Eurodance", "Dream", "Southern Rock", "Comedy", "Cult", "Gangsta Rap", "Top 40",
      "Christian Rap", "Pop/Funk", "Jungle", "Native American", "Cabaret", "New Wave", "Psychedelic", "Rave",
      "Showtunes", "Trailer", "Lo-Fi", "Tribal", "Acid Punk", "Acid Jazz", "Polka", "Retro", "Musical",
      "Rock & Roll", "Hard Rock", "Folk", "Folk-Rock", "National Folk", "Swing", "Fast-Fusion", "Bebop", "Latin",
      "Revival", "Celtic", "Bluegrass", "Avantgarde", "Gothic Rock", "Progressive Rock", "Psychedelic Rock",
      "Symphonic Rock", "Slow Rock", "Big Band", "Chorus", "Easy Listening", "Acoustic", "Humour", "Speech",
      "Chanson", "Opera", "Chamber Music", "Sonata", "Symphony", "Booty Bass", "Primus", "Porn Groove", "Satire",
      "Slow Jam", "Club", "Tango", "Samba", "Folklore", "Ballad", "Power Ballad", "Rhythmic Soul", "Freestyle",
      "Duet", "Punk Rock", "Drum Solo", "A Cappella", "Euro-House", "Dance Hall", "Goa", "Drum & Bass",
      "Club-House", "Hardcore", "Terror", "Indie", "BritPop", "Afro-Punk", "Polsk Punk", "Beat",
      "Christian Gangsta Rap", "Heavy Metal", "Black Metal", "Crossover", "Contemporary Christian",
      "Christian Rock", "Merengue", "Salsa", "Thrash Metal", "Anime", "JPop", "Synthpop", "Abstract", "Art Rock",
      "Baroque", "Bhangra", "Big Beat", "Breakbeat", "Chillout", "Downtempo", "Dub", "EBM", "Eclectic", "Electro",
      "Electroclash", "Emo", "Experimental", "Garage", "Global", "IDM", "Illbient", "Industro-Goth", "Jam Band",
      "Krautrock", "Leftfield", "Lounge", "Math Rock", "New Romantic", "Nu-Breakz", "Post-Punk", "Post-Rock",
      "Psytrance", "Shoegaze", "Space Rock", "Trop Rock", "World Music", "Neoclassical", "Audiobook",
      "Audio Theatre", "Neue Deutsche Welle", "Podcast", "Indie Rock", "G-Funk", "Dubstep", "Garage Rock",
      "Psybient"};

  /** The genres one TCON value names, in order, added to {@code out}. */
  static void genres(String value, List<String> out) {
    if (value.isEmpty()) {
      return;
    }
    if (isDigits(value)) {
      int n = number(value);
      if (n < 256) {
        out.add(n < GENRES.length ? GENRES[n] : "Unknown");
        return;
      }
    } else if (value.equals("CR")) {
      out.add("Cover");
      return;
    } else if (value.equals("RX")) {
      out.add("Remix");
      return;
    }
    // Leading "(id)" groups, then the name (up to a line break, as the pattern's "." stops there).
    List<String> found = new ArrayList<>(2);
    int at = 0;
    while (at < value.length() && value.charAt(at) == '(') {
      int close = value.indexOf(')', at + 1);
      if (close < 0) {
        break;
      }
      String id = value.substring(at + 1, close);
      boolean digits = !id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9');
      if (!digits && !id.equals("RX") && !id.equals("CR")) {
        break;
      }
      if (digits) {
        int n = id.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(id);
        found.add(n < GENRES.length ? GENRES[n] : "Unknown");
      } else {
        found.add(id.equals("CR") ? "Cover" : "Remix");
      }
      at = close + 1;
    }
    int end = value.indexOf('\n', at);
    String name = value.substring(at, end < 0 ? value.length() : end);
    if (!name.isEmpty()) {
      if (name.startsWith("((")) {
        name = name.substring(1);
      }
      if (!found.contains(name)) {
        found.add(name);
      }
    }
    out.addAll(found);
  }

  /** Python's str.isdigit for what ID3 holds: decimal digits of any script. */
  private static boolean isDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /** The number, or Integer.MAX_VALUE when it has more than nine digits. */
  private static int number(String digits) {
    if (digits.length() > 9) {
      return Integer.MAX_VALUE;
    }
    int n = 0;
    for (int i = 0; i < digits.length(); i++) {
      n = n * 10 + Character.digit(digits.charAt(i), 10);
    }
    return n;
  }

  /**
   * A time stamp as mutagen's ID3TimeStamp gives it back: the numbers before the first part that
   * is not one, "%04d-%02d-%02d %02d:%02d:%02d"; "" when the year is not a number.
   */
  static String timeStamp(String text) {
    String[] parts = splitStamp(text);
    StringBuilder out = new StringBuilder();
    String separators = "-- ::";
    for (int i = 0; i < 6; i++) {
      String n = stampNumber(parts[i]);
      if (n == null) {
        break;
      }
      if (i > 0) {
        out.append(separators.charAt(i - 1));
      }
      for (int pad = (i == 0 ? 4 : 2) - n.length(); pad > 0; pad--) {
        out.append('0');
      }
      out.append(n);
    }
    return out.toString();
  }

  /** The first six parts of {@code text}, split at - T : / . and runs of white space. */
  private static String[] splitStamp(String text) {
    String[] parts = {"", "", "", "", "", ""};
    int part = 0;
    StringBuilder current = new StringBuilder();
    int i = 0;
    while (i < text.length() && part < 6) {
      char c = text.charAt(i);
      if ("-T:/.".indexOf(c) >= 0 || Character.isWhitespace(c)) {
        parts[part++] = current.toString();
        current.setLength(0);
        i++;
        if (Character.isWhitespace(c)) {
          while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
          }
        }
      } else {
        current.append(c);
        i++;
      }
    }
    if (part < 6) {
      parts[part] = current.toString();
    }
    return parts;
  }

  /** The decimal digits of a part as Python's int() reads it (an optional "+"), leading zeros dropped; null when not a number. */
  private static String stampNumber(String part) {
    String digits = part.startsWith("+") ? part.substring(1) : part;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    return digits.substring(first);
  }

  /**
   * The date of an ID3v2.3 tag without TDRC, from its TYER, TDAT and TIME values taken side by
   * side: the first non-empty "YYYY[-MM-DD[THH:MM:00]]" (each part only when the one before it is
   * there and well formed), as a time stamp; null when none.
   */
  static String upgradedDate(List<String> years, List<String> dates, List<String> times) {
    int n = Math.max(years.size(), Math.max(dates.size(), times.size()));
    for (int i = 0; i < n; i++) {
      String y = i < years.size() ? years.get(i) : "";
      String d = i < dates.size() ? dates.get(i) : "";
      String t = i < times.size() ? times.get(i) : "";
      if (y.isEmpty() || !y.chars().allMatch(c -> c >= '0' && c <= '9')) {
        continue;
      }
      StringBuilder stamp = new StringBuilder(y);
      if (fourDigits(d)) {
        stamp.append('-').append(d, 2, 4).append('-').append(d, 0, 2);
        if (fourDigits(t)) {
          stamp.append('T').append(t, 0, 2).append(':').append(t, 2, 4).append(":00");
        }
      }
      return timeStamp(stamp.toString());
    }
    return null;
  }

  private static boolean fourDigits(String s) {
    return s.length() == 4 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
