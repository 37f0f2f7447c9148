package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every format the in-memory readers own, fed damaged versions of its hand-made fixture
 * ({@link HandMade}, audio payloads cut to 20 ms): zero length, truncated at every byte of its head and tail and at points
 * between, bytes flipped, 32-bit words set to sizes that run past the end (0, 2^31 - 1, 2^31,
 * 2^32 - 1), random bytes behind the magic, and random bytes alone. Each read must return tags or
 * throw a {@link TagReadException} whose one-line reason starts with the format's name (unless the
 * damage made the file look like a format jaudiotagger reads), within a time limit, allocating no
 * more than a small multiple of the file's size.
 */
final class HostileFormatsTest {
  @TempDir Path dir;

  private static final long SEED = 20261201L;
  private static final int MUTATIONS = 120;
  private static final Duration FIXTURE_LIMIT = Duration.ofSeconds(60);
  /**
   * Allowed allocation a read: this much, plus a few times the file's size. Garbage counts too
   * (an ID3v2 tag's frames decoded and dropped, a compressed frame inflated up to its bounds); a
   * read sized by a declared length would take up to Source.TAG_BYTES_MAX (16 MiB) or more.
   */
  private static final long ALLOCATION_SLACK_BYTES = 4L << 20;
  private static final List<String> OWNED_LABELS = List.of("WavPack", "Monkey's Audio", "Musepack", "TTA", "DSF", "DSDIFF", "WAV",
      "AIFF", "AAC (ADTS)", "Ogg", "Ogg Opus", "Ogg Speex", "Ogg FLAC", "ASF", "Matroska");

  @TestFactory
  Stream<DynamicTest> read_damagedFiles_parseOrFailWithTheFormatsName() {
    Map<String, byte[]> corpus = new java.util.LinkedHashMap<>(MutagenDifferentialTest.handMade(true));
    corpus.put("hand.mka", MatroskaReaderTest.handMade()); // mutagen reads no Matroska: not in the differential corpus
    return corpus.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> assertTimeoutPreemptively(FIXTURE_LIMIT,
            () -> hostile(dir, e.getKey(), e.getValue()))));
  }

  /**
   * Damages {@code good} in every way above, in a file {@code name} in {@code dir}, and holds each
   * read to the rules above (also used on the files of {@link PlayerFieldsDifferentialTest}).
   */
  static void hostile(Path dir, String name, byte[] good) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, good);
    assertNotNull(TagReaders.standard().read(file, good.length).durationMs(), "the undamaged " + name + " parses");
    SplittableRandom random = new SplittableRandom(SEED ^ name.hashCode());
    List<byte[]> variants = new ArrayList<>();
    variants.add(new byte[0]);
    for (int n = 1; n < Math.min(good.length, 300); n++) {
      variants.add(Arrays.copyOf(good, n));
    }
    for (int n = Math.max(300, good.length - 300); n < good.length; n++) {
      variants.add(Arrays.copyOf(good, n));
    }
    for (int i = 1; i < 50; i++) {
      variants.add(Arrays.copyOf(good, (int) ((long) good.length * i / 50)));
    }
    int[] sizes = {0, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] b = good.clone();
      int at = structural(random, b.length - 4);
      if (i % 2 == 0) {
        ByteBuffer.wrap(b).putInt(at, sizes[random.nextInt(sizes.length)]);
      } else {
        for (int k = random.nextInt(1, 8); k > 0; k--) {
          b[structural(random, b.length - 1)] ^= (byte) random.nextInt(1, 256);
        }
      }
      variants.add(b);
    }
    for (int i = 0; i < 20; i++) {
      byte[] b = new byte[random.nextInt(1, Math.min(good.length, 70_000))];
      random.nextBytes(b);
      if (i % 2 == 0) {
        System.arraycopy(good, 0, b, 0, Math.min(b.length, 4));
      }
      variants.add(b);
    }
    int parsed = 0;
    int failed = 0;
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (byte[] bytes : variants) {
      Files.write(file, bytes);
      long before = threads.getCurrentThreadAllocatedBytes();
      try {
        TagReaders.standard().read(file, bytes.length);
        parsed++;
      } catch (TagReadException e) {
        failed++;
        String reason = e.reason();
        assertFalse(reason.isBlank(), name + ": a blank reason");
        assertFalse(reason.contains("\n"), name + ": a reason of more than one line: " + reason);
        if (!looksLikeAFallbackFormat(bytes, name)) {
          assertTrue(OWNED_LABELS.stream().anyMatch(l -> reason.startsWith(l + ": ")),
              name + " (" + bytes.length + " bytes): the reason names the format: " + reason);
        }
      } catch (Throwable t) {
        fail(name + " (" + bytes.length + " bytes): " + t, t);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (!looksLikeAFallbackFormat(bytes, name)) {
        assertTrue(allocated <= ALLOCATION_SLACK_BYTES + 8L * bytes.length,
            name + " (" + bytes.length + " bytes, variant " + variants.indexOf(bytes) + "): allocated " + allocated + " bytes");
      }
    }
    System.out.printf("[hostile] %-14s %4d damaged versions: %4d parsed, %4d failed with a reason%n", name,
        variants.size(), parsed, failed);
  }

  /** An offset, usually in the first or last 512 bytes (where the headers and tags are). */
  private static int structural(SplittableRandom random, int limit) {
    if (limit <= 0) {
      return 0;
    }
    return switch (random.nextInt(3)) {
      case 0 -> random.nextInt(Math.min(limit, 512));
      case 1 -> Math.max(0, limit - random.nextInt(Math.min(limit, 512)));
      default -> random.nextInt(limit);
    };
  }

  /**
   * Whether the file (damaged) starts like a format whose oddities go to jaudiotagger, or has no
   * magic and a name that does: then jaudiotagger's message and allocations are not checked. An
   * ID3v2 tag in front (TTA) counts: a damaged one may send the file to the MP3 reader.
   */
  private static boolean looksLikeAFallbackFormat(byte[] bytes, String name) {
    Sniffer.Format magic = Sniffer.magic(ByteBuffer.wrap(bytes), 0);
    boolean id3 = bytes.length >= 3 && bytes[0] == 'I' && bytes[1] == 'D' && bytes[2] == '3';
    Sniffer.Format format = magic != null ? magic : Sniffer.byExtension(name.substring(name.lastIndexOf('.') + 1));
    return id3 || format.fallsBack;
  }
}
