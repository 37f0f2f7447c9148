package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content key that the parse records must be the key the move matcher reads later, whatever
 * the file's size (whole in the head buffer or not, tail overlapping the head or not) and whichever
 * reader path took it.
 */
final class ContentKeyTest {
  @TempDir Path dir;

  @Test
  void readWithKey_givesTheKeyThatReadGives() throws IOException {
    AudioFixtures.Meta meta = AudioFixtures.Meta.of("Artist", "Album", 3);
    byte[] mp3 = AudioFixtures.mp3(meta, 400); // about 160 KiB: head buffer and tail apart
    int[] sizes = {0, 1, 100, 4095, 4096, 4097, 8191, 8192, 8193, 20_000, 32 * 1024, 32 * 1024 + 1, mp3.length};
    Random random = new Random(7);
    for (int size : sizes) {
      for (String ext : new String[] {"mp3", "flac", "ogg", "wav"}) {
        byte[] bytes = size <= mp3.length ? Arrays.copyOf(mp3, size) : new byte[size];
        if (ext.equals("wav")) {
          random.nextBytes(bytes); // Not a format the fast path reads: the default path.
        }
        Path file = AudioFixtures.write(dir.resolve(size + "." + ext), bytes);
        FileRead read = MemoryTagReader.INSTANCE.readWithKey(file, size);
        assertEquals(ContentKey.read(file, size), read.contentKey(), size + " bytes ." + ext);
        assertEquals(ContentKey.read(file.toString(), size), read.contentKey(), "by its text: " + size + " bytes ." + ext);
        assertNotNull(read.contentKey(), size + " bytes ." + ext);
      }
    }
  }

  @Test
  void read_differsWhenEitherEndDiffersAndNeedsTheWalkedSize() throws IOException {
    byte[] bytes = new byte[50_000];
    new Random(1).nextBytes(bytes);
    Path a = Files.write(dir.resolve("a"), bytes);
    long key = ContentKey.read(a, bytes.length);
    bytes[10] ^= 1;
    Path head = Files.write(dir.resolve("head"), bytes);
    bytes[10] ^= 1;
    bytes[bytes.length - 10] ^= 1;
    Path tail = Files.write(dir.resolve("tail"), bytes);
    bytes[bytes.length - 10] ^= 1;
    bytes[25_000] ^= 1;
    Path middle = Files.write(dir.resolve("middle"), bytes);

    assertNotEquals(key, ContentKey.read(head, bytes.length));
    assertNotEquals(key, ContentKey.read(tail, bytes.length));
    assertEquals(key, ContentKey.read(middle, bytes.length), "the middle is never read");
    assertNull(ContentKey.read(a, bytes.length - 1), "another size than walked: no key");
    assertNull(ContentKey.read(dir.resolve("absent"), 10));
    assertEquals(key, ContentKey.read(a.toString(), bytes.length));
    assertNotEquals(key, ContentKey.read(head.toString(), bytes.length));
    assertNotEquals(key, ContentKey.read(tail.toString(), bytes.length));
    assertNull(ContentKey.read(a.toString(), bytes.length - 1), "by its text, another size: no key");
    assertNull(ContentKey.read(a.toString(), bytes.length + 1), "by its text, the file shorter than walked: no key");
    assertNull(ContentKey.read(dir.resolve("absent").toString(), 10));
    assertNull(ContentKey.read(dir.toString(), 4096), "a folder: no key");
  }
}
