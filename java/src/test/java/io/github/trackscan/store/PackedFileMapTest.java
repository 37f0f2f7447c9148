package io.github.trackscan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class PackedFileMapTest {
  private static final List<String> FOLDERS = List.of("", "A", "A/B (1999)", "Ünïcödé/専輯", "x/y/z/w", "A/B (1999)/CD1");
  private static final List<String> NAMES = List.of("01 - a.mp3", "02 - b.flac", "cover.jpg", "ü.ogg", "🎵.m4a", "a");

  private static String path(SplittableRandom r) {
    String folder = FOLDERS.get(r.nextInt(FOLDERS.size()));
    String name = NAMES.get(r.nextInt(NAMES.size())) + (r.nextInt(3) == 0 ? "" : Integer.toString(r.nextInt(500)));
    return folder.isEmpty() ? name : folder + "/" + name;
  }

  private static StoredFile row(SplittableRandom r, String path) {
    return new StoredFile(1 + r.nextInt(1_000_000), path, r.nextLong(), r.nextLong(1L << 40), r.nextInt(4),
        r.nextLong(), r.nextBoolean(), r.nextInt(4) == 0);
  }

  private static long present(Map<String, StoredFile> map) {
    return map.values().stream().filter(f -> !f.missing()).count();
  }

  @Test
  void packedFileMap_behavesAsAHashMapUnderRandomOperations() {
    SplittableRandom r = new SplittableRandom(7);
    Map<String, StoredFile> expected = new HashMap<>();
    PackedFileMap packed = new PackedFileMap();
    for (int i = 0; i < 200_000; i++) {
      String p = path(r);
      switch (r.nextInt(5)) {
        case 0, 1 -> {
          StoredFile f = row(r, p);
          assertEquals(expected.put(p, f), packed.put(p, f), p);
        }
        case 2 -> assertEquals(expected.remove(p), packed.remove(p), p);
        case 3 -> assertEquals(expected.get(p), packed.get(p), p);
        default -> {
          byte[] bytes = ("root/" + p).getBytes(StandardCharsets.UTF_8);
          StoredFile f = new StoredFile(r.nextLong(1, 99), p, r.nextLong(), r.nextLong(1000), 3, r.nextLong());
          expected.put(p, f);
          packed.put(bytes, 5, bytes.length - 5, f.id(), f.mtimeNs(), f.sizeBytes(), f.device(), f.inode());
        }
      }
      assertEquals(expected.size(), packed.size());
      if (i % 20_000 == 0) {
        assertEquals(expected, new HashMap<>(packed));
        assertEquals(present(expected), packed.presentRows());
      }
    }
    assertEquals(expected, new HashMap<>(packed));
    assertEquals(expected, packed);
    assertEquals(present(expected), packed.presentRows());
    packed.computeIfPresent(expected.keySet().iterator().next(), (k, v) -> v.withMissing());
    expected.computeIfPresent(expected.keySet().iterator().next(), (k, v) -> v.withMissing());
    assertEquals(expected, new HashMap<>(packed));
    assertEquals(present(expected), packed.presentRows());
    packed.clear();
    assertTrue(packed.isEmpty());
    assertNull(packed.get("A/01 - a.mp3"));
  }

  @Test
  void packedFileMap_manyRowsAfterEnsureCapacityAndRemovalByIterator() {
    PackedFileMap packed = new PackedFileMap();
    packed.ensureCapacity(50_000);
    for (int i = 0; i < 60_000; i++) {
      String p = "Artist " + (i / 1000) + "/Album " + (i / 12) + "/" + (i % 12) + " - t.mp3";
      packed.put(p, new StoredFile(i + 1, p, i, i * 10L, 1, i));
    }
    assertEquals(60_000, packed.size());
    for (int i = 0; i < 60_000; i++) {
      String p = "Artist " + (i / 1000) + "/Album " + (i / 12) + "/" + (i % 12) + " - t.mp3";
      StoredFile f = packed.get(p);
      assertEquals(i + 1, f.id(), p);
      assertEquals(p, f.path());
    }
    var it = packed.entrySet().iterator();
    int removed = 0;
    while (it.hasNext()) {
      var e = it.next();
      assertEquals(e.getKey(), e.getValue().path());
      if (e.getValue().id() % 2 == 0) {
        it.remove();
        removed++;
      }
    }
    assertEquals(30_000, removed);
    assertEquals(30_000, packed.size());
    assertFalse(packed.containsKey("Artist 0/Album 0/1 - t.mp3"));
    assertTrue(packed.containsKey("Artist 0/Album 0/0 - t.mp3"));
  }
}
