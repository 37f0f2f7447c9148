package io.github.trackscan.tags;

/** Lenient parsing of the numbers found in tags ("3/12", " 2003-05-01", "Stereo"). */
final class Numbers {
  private Numbers() {}

  /**
   * {@code s} without leading and trailing white space, or null when nothing is left. White space
   * as Python's str.strip() has it (mutagen's users trim so): Java's, plus the no-break spaces
   * (U+00A0, U+2007, U+202F) and NEL (U+0085).
   */
  static String blankToNull(String s) {
    if (s == null) {
      return null;
    }
    int from = 0;
    int to = s.length();
    while (from < to && isSpace(s.charAt(from))) {
      from++;
    }
    while (to > from && isSpace(s.charAt(to - 1))) {
      to--;
    }
    return from == to ? null : s.substring(from, to);
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\u0085';
  }

  /** The integer at the start of {@code s} ("3/12" gives 3), or null. */
  static Integer leadingInt(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    int n = s.length();
    while (i < n && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && digits < 9) {
      value = value * 10 + (s.charAt(i) - '0');
      i++;
      digits++;
    }
    return digits == 0 ? null : (int) value;
  }

  /**
   * The decimal number at the start of {@code s} ("-6.48 dB" gives -6.48, "+1.2" 1.2), or null.
   * ReplayGain is written by many taggers with a unit after the number.
   */
  static Double leadingDouble(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    int n = s.length();
    while (i < n && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    int start = i;
    if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      i++;
    }
    int digits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0 || digits > 30) {
      return null;
    }
    double d = Double.parseDouble(s.substring(start, i));
    return Double.isFinite(d) ? d : null;
  }

  /** The year of a date: its first four digits when they start it, or null. */
  static Integer year(String date) {
    if (date == null || date.length() < 4) {
      return null;
    }
    for (int i = 0; i < 4; i++) {
      char c = date.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return Integer.parseInt(date, 0, 4, 10);
  }

  /** Channels from jaudiotagger's description ("2", "Stereo", "Joint Stereo", "Mono"). */
  static Integer channels(String description) {
    if (description == null) {
      return null;
    }
    Integer n = leadingInt(description);
    if (n != null) {
      return n > 0 ? n : null;
    }
    String d = description.toLowerCase(java.util.Locale.ROOT);
    if (d.contains("mono") || d.contains("single")) {
      return 1;
    }
    if (d.contains("stereo") || d.contains("dual")) {
      return 2;
    }
    return null;
  }
}
