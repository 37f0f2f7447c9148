package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.store.MoveCandidate;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.tags.ContentKey;
import io.github.trackscan.tags.TagReadException;
import io.github.trackscan.walk.EntryKind;
import io.github.trackscan.walk.WalkEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DiffTest {
  private static WalkEntry walked(String path, long mtime, long size, long inode) {
    return new WalkEntry(path, mtime, size, 1, inode, EntryKind.FILE);
  }

  private static StoredFile row(long id, String path, long mtime, long size, long inode) {
    return new StoredFile(id, path, mtime, size, 1, inode);
  }

  private static Map<String, StoredFile> rows(StoredFile... rows) {
    Map<String, StoredFile> map = new HashMap<>();
    for (StoredFile row : rows) {
      map.put(row.path(), row);
    }
    return map;
  }

  /** The diff, then the move matcher by inode alone (no content keys, no tags), as a scan does. */
  private static MoveMatcher.Outcome moves(Diff.Result r) {
    List<MoveCandidate> candidates = r.gone().stream().map(row -> new MoveCandidate(row, null, null)).toList();
    Set<Long> gone = new HashSet<>();
    r.gone().forEach(row -> gone.add(row.id()));
    return new MoveMatcher((file, size) -> { throw new TagReadException(file, "no tags in a unit test", null); }, 1, () -> false)
        .match(r.added(), candidates, gone);
  }

  @Test
  void compute_classifiesEveryFile() {
    Diff.Result r = Diff.compute("/m/",
        List.of(walked("same", 10, 100, 1), walked("newer", 20, 100, 2), walked("bigger", 10, 200, 3), walked("new", 5, 5, 4)),
        rows(row(1, "same", 10, 100, 1), row(2, "newer", 10, 100, 2), row(3, "bigger", 10, 100, 3), row(4, "gone", 1, 1, 9)),
        List.of());

    assertEquals(1, r.unchanged());
    assertEquals(List.of("/m/newer", "/m/bigger"), r.modified().stream().map(m -> m.file().path()).toList());
    assertEquals(List.of("/m/new"), r.added().stream().map(Diff.Walked::path).toList());
    assertEquals(List.of(4L), r.gone().stream().map(StoredFile::id).toList());
    assertEquals(List.of("/m/gone"), r.gone().stream().map(StoredFile::path).toList());
    assertTrue(r.deleted().isEmpty(), "a scan deletes nothing because a file is gone");
    assertEquals(List.of("/m/newer", "/m/bigger"), r.modified().stream().map(m -> m.file().path()).toList());
    assertEquals(List.of(4L), moves(r).missing().stream().map(StoredFile::id).toList());
  }

  @Test
  void compute_missingRowFoundAgainIsRestoredAndReadOnlyIfChanged() {
    Diff.Result r = Diff.compute("/m/",
        List.of(walked("back", 10, 100, 1), walked("back changed", 20, 100, 2)),
        rows(row(1, "back", 10, 100, 1).withMissing(), row(2, "back changed", 10, 100, 2).withMissing(),
            row(3, "still gone", 10, 100, 3).withMissing(), row(4, "just gone", 10, 100, 4)),
        List.of());

    assertEquals(List.of(1L), r.restored().stream().map(m -> m.rowId()).toList());
    assertEquals(List.of(2L), r.restoredModified().stream().map(m -> m.rowId()).toList());
    assertEquals(1, r.stillMissing(), "a row missing before is not reported again");
    assertEquals(List.of(4L), r.gone().stream().map(StoredFile::id).toList());
    assertTrue(r.modified().isEmpty());
    assertEquals(0, r.unchanged());
  }

  @Test
  void finish_excludedRowsAreDeletedAndOfflineRootsUntouched() {
    Diff diff = new Diff(List.of("/a/", "/b/"), List.of(
        rows(row(1, "Podcasts/p.mp3", 1, 1, 1), row(2, "music/m.mp3", 1, 1, 2)),
        rows(row(3, "x.mp3", 1, 1, 3), row(4, "y.mp3", 1, 1, 4))));
    diff.accept(1, walked("new.mp3", 1, 1, 5));
    diff.accept(1, walked("y.mp3", 2, 1, 4));

    Diff.Result r = diff.finish(List.of(), (root, relative) -> relative.startsWith("Podcasts/"), Set.of(1));

    assertEquals(List.of(1L), r.deleted().stream().map(StoredFile::id).toList());
    assertEquals(List.of(2L), r.gone().stream().map(StoredFile::id).toList());
    assertTrue(r.added().isEmpty(), "nothing is added below an offline root");
    assertTrue(r.modified().isEmpty(), "nothing is read below an offline root");
    assertEquals(2, r.kept());
  }

  @Test
  void presentRowsAndClaimed_countPerRoot() {
    Diff diff = new Diff(List.of("/a/", "/b/"), List.of(
        rows(row(1, "x", 1, 1, 1), row(2, "y", 1, 1, 2).withMissing()),
        rows()));
    diff.accept(0, walked("y", 1, 1, 2));
    diff.accept(1, walked("z", 1, 1, 3));

    assertEquals(1, diff.presentRows(0));
    assertEquals(1, diff.claimed(0));
    assertEquals(0, diff.presentRows(1));
    assertEquals(0, diff.claimed(1));
  }

  @Test
  void compute_movedRowToRecheckIsStillAMove() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("b/x", 10, 100, 7)), rows(row(1, "a/x", 10, 100, 7).withRecheck()),
        List.of());

    assertEquals(1, moves(r).moved().size());
    assertTrue(r.rechecked().isEmpty());
  }

  @Test
  void compute_sameInodeSizeAndMtimeIsAMove() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("b/x", 10, 100, 7)), rows(row(1, "a/x", 10, 100, 7)), List.of());
    MoveMatcher.Outcome m = moves(r);

    assertEquals(1, m.moved().size());
    assertEquals(1L, m.moved().get(0).row().id());
    assertEquals("/m/b/x", m.moved().get(0).file().path());
    assertTrue(m.added().isEmpty());
    assertTrue(m.missing().isEmpty());
  }

  @Test
  void compute_sameInodeButOtherMtimeIsNoMove() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("b/x", 11, 100, 7)), rows(row(1, "a/x", 10, 100, 7)), List.of());
    MoveMatcher.Outcome m = moves(r);

    assertTrue(m.moved().isEmpty());
    assertEquals(1, m.added().size());
    assertEquals(1, m.missing().size());
  }

  @Test
  void compute_ambiguousMoveKeyMovesNothing() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("c/x", 10, 100, 7)),
        rows(row(1, "a/x", 10, 100, 7), row(2, "b/x", 10, 100, 7)), List.of());
    MoveMatcher.Outcome m = moves(r);

    assertTrue(m.moved().isEmpty());
    assertEquals(2, m.missing().size());
  }

  @Test
  void match_reusedInodeWithOtherContentIsNoMove(@TempDir Path dir) throws IOException {
    // A file copied in after another was deleted got the freed inode, with the same size and mtime.
    Path file = Files.write(dir.resolve("new.mp3"), "other content, same size".getBytes(StandardCharsets.UTF_8));
    long size = Files.size(file);
    Diff.Walked walked = new Diff.Walked(0, file.toString(), new WalkEntry("new.mp3", 10, size, 1, 7, EntryKind.FILE));
    StoredFile gone = new StoredFile(1, dir.resolve("old.mp3").toString(), 10, size, 1, 7);
    Long itsKey = ContentKey.read(file, size);
    MoveMatcher matcher = new MoveMatcher((f, n) -> { throw new TagReadException(f, "no tags", null); }, 1, () -> false);

    MoveMatcher.Outcome other = matcher.match(List.of(walked), List.of(new MoveCandidate(gone, itsKey + 1, null)), Set.of(1L));
    MoveMatcher.Outcome same = new MoveMatcher((f, n) -> { throw new TagReadException(f, "no tags", null); }, 1,
        () -> false).match(List.of(walked), List.of(new MoveCandidate(gone, itsKey, null)), Set.of(1L));

    assertTrue(other.moved().isEmpty(), "the inode matches, the content does not");
    assertEquals(List.of(1L), other.missing().stream().map(StoredFile::id).toList());
    assertEquals(1, same.moved().size(), "the inode and the content match");
  }

  @Test
  void compute_rowsAtOrBelowProtectedPathsAreKept() {
    Diff.Result r = Diff.compute("/m/", List.of(),
        rows(row(1, "locked/x", 1, 1, 1), row(2, "locked", 1, 1, 2), row(3, "lockedness/x", 1, 1, 3), row(4, "other/y", 1, 1, 4)),
        List.of("/m/locked"));

    assertEquals(2, r.kept());
    assertEquals(List.of(3L, 4L), r.gone().stream().map(StoredFile::id).sorted().toList());
  }

  @Test
  void compute_migratedRowWithoutFingerprintIsModified() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("x", 10, 100, 1)),
        rows(new StoredFile(1, "x", StoredFile.UNKNOWN, StoredFile.UNKNOWN, StoredFile.UNKNOWN, StoredFile.UNKNOWN)),
        List.of());

    assertEquals(1, r.modified().size());
  }

  /**
   * Files walked before the rows were loaded are classified when they arrive; the kind most of
   * them have keeps the early list (here the modified ones, as after a retag of everything), the
   * others are copied out of it, and files walked after go to the same lists.
   */
  @Test
  void earlyFiles_areClassifiedWhicheverKindKeepsTheList() {
    for (int changed : new int[] {0, 30, 90}) {
      List<String> prefixes = List.of("/m/");
      Map<String, StoredFile> stored = new HashMap<>();
      WalkedList early = new WalkedList(prefixes);
      List<String> expectModified = new java.util.ArrayList<>();
      List<String> expectAdded = new java.util.ArrayList<>();
      List<String> expectRestored = new java.util.ArrayList<>();
      List<String> expectRestoredModified = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String path = "d" + (i / 8) + "/" + i + ".mp3";
        WalkEntry e = walked(path, i < changed ? 2 : 1, 10, i);
        if (i % 10 == 9) {
          expectAdded.add("/m/" + path); // No row
        } else if (i % 10 == 8) {
          stored.put(path, row(i, path, 1, 10, i).withMissing());
          (i < changed ? expectRestoredModified : expectRestored).add("/m/" + path);
        } else {
          stored.put(path, row(i, path, 1, 10, i));
          if (i < changed) {
            expectModified.add("/m/" + path);
          }
        }
        if (i < 60) {
          early.add(0, e);
        }
      }
      Diff diff = new Diff(prefixes, List.of(stored), early);
      for (int i = 60; i < 100; i++) {
        String path = "d" + (i / 8) + "/" + i + ".mp3";
        diff.accept(0, walked(path, i < changed ? 2 : 1, 10, i));
      }
      Diff.Result r = diff.finish(List.of(), null, Set.of());
      assertEquals(expectModified, r.modified().stream().map(m -> m.file().path()).toList(), "changed " + changed);
      r.modified().forEach(m -> assertEquals(m.file().entry().inode(), m.rowId()));
      assertEquals(expectAdded, r.added().stream().map(Diff.Walked::path).toList());
      assertEquals(expectRestored, r.restored().stream().map(m -> m.file().path()).toList());
      assertEquals(expectRestoredModified, r.restoredModified().stream().map(m -> m.file().path()).toList());
      assertEquals(100 - expectModified.size() - expectAdded.size() - expectRestored.size()
          - expectRestoredModified.size(), r.unchanged());
    }
  }

  @Test
  void isProtected_matchesWholeNamesOnly() {
    assertTrue(Diff.isProtected("/m/a/b", List.of("/m/a")));
    assertTrue(Diff.isProtected("/m/a", List.of("/m/a")));
    assertTrue(Diff.isProtected("/m/a/b", List.of("/m/")));
    assertFalse(Diff.isProtected("/m/ab", List.of("/m/a")));
  }
}
