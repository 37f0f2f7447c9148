package io.github.trackscan.walk;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/*
 * Linux names are bytes; Java paths and the catalogue's path column are text. A name that is not
 * UTF-8 (Latin-1 from an old Windows copy, a broken tagger) decoded as Java does it, with U+FFFD
 * for each bad byte, names no file and may name the same text as another file, so until this
 * existed such files were skipped and reported every scan.
 *
 * The escape: any byte of the name that is not part of a valid UTF-8 sequence becomes U+FFFD and
 * its value in two upper-case hex digits ("caf\xe9.mp3" -> "caf\uFFFDE9.mp3"), and a real U+FFFD
 * in a name that has one is escaped byte by byte the same way (EF BF BD), so U+FFFD in a path
 * always starts an escape: the mapping is one-to-one and is undone exactly (bytes()). Names that
 * are valid UTF-8 without U+FFFD, all but a handful in any real library, are their plain text.
 * Hosts see valid UTF-8 that still shows where the bad bytes were; path() turns an escaped path
 * back into a Path of the exact bytes (through a file: URI, whose %XX escapes are bytes, the one
 * public way to build a Path from raw bytes), and name() reads them from a Path the JDK listed
 * (its toUri() keeps the bytes that its toString() loses).
 */
/**
 * Paths whose names are not UTF-8, as text that maps back to the exact bytes. See
 * {@link WalkEntry#path()} for the escape as walkers report it.
 */
public final class PathNames {
  /** Starts an escaped byte: this, then two upper-case hex digits. */
  public static final char ESCAPE = '\uFFFD';

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNames() {}

  /** The text of UTF-8 bytes {@code bytes[from, from + length)}, escaped where they are not UTF-8. */
  public static String decode(byte[] bytes, int from, int length) {
    String plain = new String(bytes, from, length, StandardCharsets.UTF_8);
    return plain.indexOf(ESCAPE) < 0 ? plain : escape(bytes, from, length);
  }

  /** Whether {@code path} holds an escape (so names bytes that are not plain UTF-8). */
  public static boolean isEscaped(String path) {
    return path.indexOf(ESCAPE) >= 0;
  }

  /** The bytes an (escaped) path names. */
  public static byte[] bytes(String path) {
    if (!isEscaped(path)) {
      return path.getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = new byte[path.length() * 3];
    int n = 0;
    for (int i = 0; i < path.length(); ) {
      char c = path.charAt(i);
      if (c == ESCAPE && i + 2 < path.length() && hex(path.charAt(i + 1)) >= 0 && hex(path.charAt(i + 2)) >= 0) {
        out[n++] = (byte) (hex(path.charAt(i + 1)) << 4 | hex(path.charAt(i + 2)));
        i += 3;
        continue;
      }
      int cp = path.codePointAt(i);
      byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(utf8, 0, out, n, utf8.length);
      n += utf8.length;
      i += Character.charCount(cp);
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * A Path of the exact bytes an absolute (escaped) path names; {@code Path.of(path)} for a path
   * without escapes.
   *
   * @throws IllegalArgumentException if an escaped path is not absolute
   */
  public static Path path(String path) {
    if (!isEscaped(path)) {
      return Path.of(path);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute path: " + path);
    }
    StringBuilder uri = new StringBuilder("file://");
    for (byte b : bytes(path)) {
      int u = b & 0xff;
      if (u < 0x80 && (Character.isLetterOrDigit(u) || "/-._~".indexOf(u) >= 0)) {
        uri.append((char) u);
      } else {
        uri.append('%').append(HEX[u >> 4]).append(HEX[u & 15]);
      }
    }
    try {
      return Path.of(new URI(uri.toString()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot name " + path + " as a file URI: " + e.getMessage(), e);
    }
  }

  /**
   * The (escaped) name of a Path's last element as the file system has it: the JDK's own text when
   * that is lossless, else its bytes from {@link Path#toUri()}.
   */
  public static String name(Path path) {
    String name = path.getFileName().toString();
    if (name.indexOf(ESCAPE) < 0) {
      return name;
    }
    String raw = path.toAbsolutePath().toUri().getRawPath();
    if (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1); // toUri() adds it for a folder.
    }
    byte[] bytes = percentDecoded(raw.substring(raw.lastIndexOf('/') + 1));
    return escape(bytes, 0, bytes.length);
  }

  /**
   * The (escaped) text of a whole path, as {@link Path#toString()} gives it for a path whose names
   * are all UTF-8.
   */
  public static String text(Path path) {
    String s = path.toString();
    if (s.indexOf(ESCAPE) < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    if (path.isAbsolute()) {
      out.append('/');
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      out.append(i == 0 ? "" : "/").append(name(path.getName(i)));
    }
    return out.toString();
  }

  /**
   * A Path of {@code folder} and then {@code name} (escaped, as {@link #decode} gives it): the exact
   * bytes, where {@code folder.resolve(name)} would name U+FFFD.
   */
  public static Path resolve(Path folder, String name) {
    return isEscaped(name) || folder.toString().indexOf(ESCAPE) >= 0
        ? path(text(folder.toAbsolutePath()) + "/" + name) : folder.resolve(name);
  }

  /** {@code bytes[from, from + length)} as text, every byte outside valid UTF-8 (and every U+FFFD) escaped. */
  static String escape(byte[] bytes, int from, int length) {
    StringBuilder out = new StringBuilder(length + 8);
    int end = from + length;
    int i = from;
    while (i < end) {
      int n = sequenceLength(bytes, i, end);
      boolean replacement = n == 3 && (bytes[i] & 0xff) == 0xEF && (bytes[i + 1] & 0xff) == 0xBF
          && (bytes[i + 2] & 0xff) == 0xBD;
      if (n == 0 || replacement) {
        int count = n == 0 ? 1 : 3;
        for (int k = 0; k < count; k++) {
          int u = bytes[i + k] & 0xff;
          out.append(ESCAPE).append(HEX[u >> 4]).append(HEX[u & 15]);
        }
        i += count;
      } else {
        out.append(new String(bytes, i, n, StandardCharsets.UTF_8));
        i += n;
      }
    }
    return out.toString();
  }

  /**
   * The length of the valid UTF-8 sequence at {@code bytes[i]}, or 0 when there is none (a stray
   * continuation byte, an overlong form, a surrogate, a code point past U+10FFFF, a truncated one).
   */
  private static int sequenceLength(byte[] bytes, int i, int end) {
    int b0 = bytes[i] & 0xff;
    if (b0 < 0x80) {
      return 1;
    }
    int n;
    int min;
    int max = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
      min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      min = b0 == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
      max = b0 == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      min = b0 == 0xF0 ? 0x90 : 0x80;
      max = b0 == 0xF4 ? 0x8F : 0xBF; // past U+10FFFF
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int b1 = bytes[i + 1] & 0xff;
    if (b1 < min || b1 > max) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int b = bytes[i + k] & 0xff;
      if (b < 0x80 || b > 0xBF) {
        return 0;
      }
    }
    return n;
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private static byte[] percentDecoded(String raw) {
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
        i += 2;
      } else {
        out[n++] = (byte) c; // toUri() escapes every byte past ASCII
      }
    }
    return Arrays.copyOf(out, n);
  }
}
