package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.trackscan.walk.EntryKind;
import io.github.trackscan.walk.WalkEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class WalkedListTest {
  @Test
  void walkedList_givesBackWhatWasAddedAndFilters() {
    List<String> prefixes = List.of("/music/", "/other root/");
    List<String> folders = List.of("", "A", "A/B (1999)", "Ünï/専輯 🎵", "A/B (1999)/CD1");
    SplittableRandom r = new SplittableRandom(3);
    WalkedList packed = new WalkedList(prefixes);
    List<Diff.Walked> expected = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      int root = r.nextInt(2);
      String folder = folders.get((i / 7) % folders.size());
      String relative = (folder.isEmpty() ? "" : folder + "/") + i + " - é.mp3";
      WalkEntry e = new WalkEntry(relative, r.nextLong(), r.nextLong(1L << 40), r.nextLong(), r.nextLong(),
          r.nextBoolean() ? EntryKind.FILE : EntryKind.SYMLINK_FILE);
      Diff.Walked w = new Diff.Walked(root, prefixes.get(root) + relative, e);
      packed.add(w);
      expected.add(w);
    }
    assertEquals(expected, packed);
    packed.removeIf(w -> w.root() == 1);
    expected.removeIf(w -> w.root() == 1);
    assertEquals(expected, packed);
    packed.retain(i -> i % 3 != 1); // In place, as the diff keeps a walk's early files as its added ones
    List<Diff.Walked> kept = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      if (i % 3 != 1) {
        kept.add(expected.get(i));
      }
    }
    assertEquals(kept, packed);
    packed.add(expected.get(1)); // Still appendable after
    kept.add(expected.get(1));
    assertEquals(kept, packed);

    packed.retain(i -> i % 10 == 0); // Few kept: their bytes copied out of the old pages
    List<Diff.Walked> few = new ArrayList<>();
    for (int i = 0; i < kept.size(); i += 10) {
      few.add(kept.get(i));
    }
    packed.compact();
    assertEquals(few, packed);
    packed.add(expected.get(2));
    few.add(expected.get(2));
    assertEquals(few, packed);
  }

  @Test
  void walkedList_keepsEachFilesDeviceWhereAFewFilesAreOnAnother() {
    // One device for nearly every file (a root's filesystem), another for a run of files (a mount
    // point below the root) and for single files here and there, the first file of a chunk too.
    List<String> prefixes = List.of("/music/");
    WalkedList packed = new WalkedList(prefixes);
    List<Diff.Walked> expected = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      long device = (i >= 5_000 && i < 5_300) || i % 4096 == 0 || i % 997 == 3 ? 77 : 2049;
      WalkEntry e = new WalkEntry("f/" + i + ".flac", i, i, device, i + 1, EntryKind.FILE);
      Diff.Walked w = new Diff.Walked(0, "/music/f/" + i + ".flac", e);
      packed.add(w);
      expected.add(w);
    }
    assertEquals(expected, packed);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).entry().device(), packed.device(i), "file " + i);
    }
    // Kept files move down across chunks with their devices; files not yet moved keep theirs.
    packed.retain(i -> i % 5 != 0 && !(i > 4_090 && i < 4_200));
    List<Diff.Walked> kept = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      if (i % 5 != 0 && !(i > 4_090 && i < 4_200)) {
        kept.add(expected.get(i));
      }
    }
    assertEquals(kept, packed);
    packed.trimToSize();
    WalkEntry late = new WalkEntry("g/late.flac", 1, 1, 99, 1, EntryKind.FILE);
    packed.add(new Diff.Walked(0, "/music/g/late.flac", late));
    kept.add(new Diff.Walked(0, "/music/g/late.flac", late));
    assertEquals(kept, packed);
  }

  @Test
  void changedList_keepsEachFileWithItsRowAndDropsOfflineRoots() {
    List<String> prefixes = List.of("/a/", "/b/");
    ChangedList changed = new ChangedList(prefixes);
    List<Diff.Modified> expected = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      int root = i % 2;
      WalkEntry e = new WalkEntry("f" + (i / 10) + "/" + i + ".flac", i, i * 3L, 1, i, EntryKind.FILE);
      changed.add(root, e, 1000L + i);
      expected.add(new Diff.Modified(new Diff.Walked(root, prefixes.get(root) + e.path(), e), 1000L + i));
    }
    assertEquals(expected, changed);
    assertEquals(2_500, changed.removeRoots(java.util.Set.of(1)));
    expected.removeIf(m -> m.file().root() == 1);
    changed.trimToSize();
    assertEquals(expected, changed);
  }

  @Test
  void inodeOrder_sortsEachRunOfFilesByInodeAndKeepsTheRunsInWalkOrder() {
    WalkedList files = new WalkedList(List.of("/m/"));
    int n = ScanRun.DISK_ORDER_WINDOW * 2 + 100;
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < n; i++) {
      long inode = i >= ScanRun.DISK_ORDER_WINDOW * 2 && i % 50 == 0 ? Long.MAX_VALUE - i : r.nextLong(1L << 40);
      files.add(0, new WalkEntry("f/" + i, 1, 1, 1, inode, EntryKind.FILE));
    }
    int[] order = ScanRun.inodeOrder(files);
    java.util.BitSet seen = new java.util.BitSet();
    for (int i = 0; i < n; i++) {
      int window = i / ScanRun.DISK_ORDER_WINDOW;
      assertEquals(window, order[i] / ScanRun.DISK_ORDER_WINDOW, "stays in its run");
      seen.set(order[i]);
      if (window < 2 && i % ScanRun.DISK_ORDER_WINDOW > 0) {
        org.junit.jupiter.api.Assertions.assertTrue(files.inode(order[i - 1]) <= files.inode(order[i]));
      }
      if (window == 2) {
        assertEquals(i, order[i], "a run with an inode too large for the key keeps the walk's order");
      }
    }
    assertEquals(n, seen.cardinality(), "every file once");
  }
}
