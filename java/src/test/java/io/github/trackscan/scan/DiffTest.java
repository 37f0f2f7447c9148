package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.store.StoredFile;
import io.github.trackscan.walk.EntryKind;
import io.github.trackscan.walk.WalkEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  @Test
  void compute_classifiesEveryFile() {
    Diff.Result r = Diff.compute("/m/",
        List.of(walked("same", 10, 100, 1), walked("newer", 20, 100, 2), walked("bigger", 10, 200, 3), walked("new", 5, 5, 4)),
        rows(row(1, "same", 10, 100, 1), row(2, "newer", 10, 100, 2), row(3, "bigger", 10, 100, 3), row(4, "gone", 1, 1, 9)),
        List.of());

    assertEquals(1, r.unchanged());
    assertEquals(List.of("/m/newer", "/m/bigger"), r.modified().stream().map(m -> m.file().path()).toList());
    assertEquals(List.of("/m/new"), r.added().stream().map(Diff.Walked::path).toList());
    assertEquals(List.of(4L), r.deleted().stream().map(StoredFile::id).toList());
    assertEquals(List.of("/m/gone"), r.deleted().stream().map(StoredFile::path).toList());
    assertEquals(List.of("/m/newer", "/m/bigger"), r.modified().stream().map(m -> m.row().path()).toList());
    assertTrue(r.moved().isEmpty());
  }

  @Test
  void compute_rowToRecheckWithItsFingerprintIsReadAgainNotUnchanged() {
    Diff.Result r = Diff.compute("/m/",
        List.of(walked("fresh", 10, 100, 1), walked("fresh but changed", 20, 100, 2), walked("settled", 10, 100, 3)),
        rows(row(1, "fresh", 10, 100, 1).withRecheck(), row(2, "fresh but changed", 10, 100, 2).withRecheck(),
            row(3, "settled", 10, 100, 3)),
        List.of());

    assertEquals(List.of("/m/fresh"), r.rechecked().stream().map(m -> m.file().path()).toList());
    assertEquals(List.of(1L), r.rechecked().stream().map(m -> m.row().id()).toList());
    assertEquals(List.of("/m/fresh but changed"), r.modified().stream().map(m -> m.file().path()).toList());
    assertEquals(1, r.unchanged());
  }

  @Test
  void compute_movedRowToRecheckIsStillAMove() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("b/x", 10, 100, 7)), rows(row(1, "a/x", 10, 100, 7).withRecheck()),
        List.of());

    assertEquals(1, r.moved().size());
    assertTrue(r.rechecked().isEmpty());
  }

  @Test
  void compute_sameInodeSizeAndMtimeIsAMove() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("b/x", 10, 100, 7)), rows(row(1, "a/x", 10, 100, 7)), List.of());

    assertEquals(1, r.moved().size());
    assertEquals(1L, r.moved().get(0).row().id());
    assertEquals("/m/b/x", r.moved().get(0).file().path());
    assertTrue(r.added().isEmpty());
    assertTrue(r.deleted().isEmpty());
  }

  @Test
  void compute_sameInodeButOtherMtimeIsNoMove() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("b/x", 11, 100, 7)), rows(row(1, "a/x", 10, 100, 7)), List.of());

    assertTrue(r.moved().isEmpty());
    assertEquals(1, r.added().size());
    assertEquals(1, r.deleted().size());
  }

  @Test
  void compute_ambiguousMoveKeyMovesNothing() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("c/x", 10, 100, 7)),
        rows(row(1, "a/x", 10, 100, 7), row(2, "b/x", 10, 100, 7)), List.of());

    assertTrue(r.moved().isEmpty());
    assertEquals(2, r.deleted().size());
  }

  @Test
  void compute_rowsAtOrBelowProtectedPathsAreKept() {
    Diff.Result r = Diff.compute("/m/", List.of(),
        rows(row(1, "locked/x", 1, 1, 1), row(2, "locked", 1, 1, 2), row(3, "lockedness/x", 1, 1, 3), row(4, "other/y", 1, 1, 4)),
        List.of("/m/locked"));

    assertEquals(2, r.kept());
    assertEquals(List.of(3L, 4L), r.deleted().stream().map(StoredFile::id).sorted().toList());
  }

  @Test
  void compute_migratedRowWithoutFingerprintIsModified() {
    Diff.Result r = Diff.compute("/m/", List.of(walked("x", 10, 100, 1)),
        rows(new StoredFile(1, "x", StoredFile.UNKNOWN, StoredFile.UNKNOWN, StoredFile.UNKNOWN, StoredFile.UNKNOWN)),
        List.of());

    assertEquals(1, r.modified().size());
  }

  @Test
  void isProtected_matchesWholeNamesOnly() {
    assertTrue(Diff.isProtected("/m/a/b", List.of("/m/a")));
    assertTrue(Diff.isProtected("/m/a", List.of("/m/a")));
    assertTrue(Diff.isProtected("/m/a/b", List.of("/m/")));
    assertFalse(Diff.isProtected("/m/ab", List.of("/m/a")));
  }
}
