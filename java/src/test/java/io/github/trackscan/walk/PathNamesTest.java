package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The escape of names that are not UTF-8: exact, one-to-one, and plain text for every other name. */
final class PathNamesTest {
  @TempDir Path dir;

  private static String decode(byte[] bytes) {
    return PathNames.decode(bytes, 0, bytes.length);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void decode_validNamesArePlainAndBrokenBytesEscaped() {
    String plain = "Björk - Jóga 日本 🎵.flac";
    assertEquals(plain, decode(plain.getBytes(StandardCharsets.UTF_8)));
    assertEquals("caf\uFFFDE9.mp3", decode("caf\u00e9.mp3".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals("\uFFFDED\uFFFDA0\uFFFD80", decode(bytes(0xED, 0xA0, 0x80)), "a surrogate half, byte by byte");
    assertEquals("\uFFFDC0\uFFFDAF", decode(bytes(0xC0, 0xAF)), "an overlong '/'");
    assertEquals("\uFFFDF4\uFFFD90\uFFFD80\uFFFD80", decode(bytes(0xF4, 0x90, 0x80, 0x80)), "past U+10FFFF");
    assertEquals("a\uFFFDE6\uFFFD9D", decode(bytes('a', 0xE6, 0x9D)), "truncated at the end");
    assertEquals("\uFFFDEF\uFFFDBF\uFFFDBDx", decode(bytes(0xEF, 0xBF, 0xBD, 'x')), "a real U+FFFD is escaped too");
  }

  @Test
  void bytes_undoesTheEscapeExactly() {
    Random random = new Random(7);
    Map<String, byte[]> seen = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] name = new byte[1 + random.nextInt(12)];
      for (int k = 0; k < name.length; k++) {
        // Mostly the bytes UTF-8 is made of, so valid and broken sequences both come up often.
        name[k] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 0x80 + random.nextInt(128));
      }
      String text = decode(name);
      assertArrayEquals(name, PathNames.bytes(text), text);
      byte[] before = seen.putIfAbsent(text, name);
      assertTrue(before == null || Arrays.equals(before, name), "one text, one name: " + text);
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), new String(text.getBytes(StandardCharsets.UTF_8),
          StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), "valid UTF-8 text for any host");
    }
  }

  @Test
  void path_opensTheFileOfTheExactBytesAndNameReadsThemBack() throws IOException {
    String escaped = dir + "/caf\uFFFDE9.mp3";
    Files.writeString(PathNames.path(escaped), "bytes");
    try (var listing = Files.list(dir)) {
      Path listed = listing.findFirst().orElseThrow();
      assertEquals("caf\uFFFDE9.mp3", PathNames.name(listed));
      assertEquals("bytes", Files.readString(listed));
    }
    assertEquals("bytes", Files.readString(PathNames.path(escaped)));
    assertEquals(Path.of("/plain/name.mp3"), PathNames.path("/plain/name.mp3"));
    assertEquals("plain.mp3", PathNames.name(Path.of("/x/plain.mp3")));
  }
}
