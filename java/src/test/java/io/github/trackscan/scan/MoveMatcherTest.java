package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The move matcher as a scan drives it: gone rows read in place from the packed maps (GoneRows),
 * files from the walk's packed list, content keys by index. Files of one size by the thousand (as
 * a --tiny library's are) must each find their row, and identical copies are told apart by name
 * or left alone, never guessed.
 */
final class MoveMatcherTest {
  @TempDir Path dir;

  @Test
  void match_thousandsOfFilesOfOneSizeEachFindTheirRowAndCopiesAreNeverGuessed() throws IOException {
    int n = 3000;
    Map<String, StoredFile> rows = new HashMap<>();
    List<WalkEntry> walked = new ArrayList<>();
    Map<Long, Long> keysById = new HashMap<>();
    Map<String, Long> idOfNewPath = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String body = String.format("track %06d", i); // Same length: every file the same size.
      long id = 1000 + i;
      add(rows, walked, keysById, id, "old/" + i + ".mp3", "new/" + i + "-renamed.mp3", body, 7_000_000 + i);
      idOfNewPath.put("new/" + i + "-renamed.mp3", id);
    }
    // Two identical copies keeping their names: told apart by name. Two renamed: ambiguous.
    add(rows, walked, keysById, 1, "old/same-a.mp3", "new/same-a.mp3", "copy", 1);
    add(rows, walked, keysById, 2, "old/same-b.mp3", "new/same-b.mp3", "copy", 2);
    add(rows, walked, keysById, 3, "old/twin-1.mp3", "new/twin-x.mp3", "twin", 3);
    add(rows, walked, keysById, 4, "old/twin-2.mp3", "new/twin-y.mp3", "twin", 4);
    idOfNewPath.put("new/same-a.mp3", 1L);
    idOfNewPath.put("new/same-b.mp3", 2L);

    Diff diff = new Diff(List.of(dir + "/"), List.of(rows));
    walked.forEach(entry -> diff.accept(0, entry));
    Diff.Result result = diff.finish(List.of(), null, Set.of());
    GoneRows gone = result.gone();
    assertEquals(n + 4, gone.size());
    long[] keys = new long[gone.size()];
    BitSet known = new BitSet();
    for (int i = 0; i < gone.size(); i++) {
      keys[i] = keysById.get(gone.id(i));
      known.set(i);
    }
    Map<Long, String> pathById = new HashMap<>();
    rows.values().forEach(row -> pathById.put(row.id(), dir + "/" + row.path()));
    int[] queries = {0};
    int[] rowsRead = {0};
    gone.fetchPathsFrom((ids, from, to) -> { // As the scan does: the maps' paths let go, read by id
      queries[0]++;
      rowsRead[0] += to - from;
      String[] paths = new String[to - from];
      for (int i = from; i < to; i++) {
        paths[i - from] = pathById.get(ids[i]);
      }
      return paths;
    });
    MoveMatcher matcher = new MoveMatcher((file, size) -> { throw new TagReadException(file, "no tags here", null); },
        2, () -> false, list -> list.stream().map(row -> new MoveCandidate(row, null, null)).toList());

    MoveMatcher.Outcome outcome = matcher.match(result.added(), gone, keys, known, List.of(), Set.of());
    assertEquals(4, rowsRead[0], "matching read the paths of the four rows compared by name, and no others");

    Map<String, Long> moved = new TreeMap<>();
    outcome.moved().forEach(m -> {
      moved.put(m.file().path().substring(dir.toString().length() + 1), m.row().id());
      assertEquals(pathById.get(m.row().id()), m.row().path(), "the old path, read by id");
    });
    assertEquals(idOfNewPath, moved, "each file with its own row's id");
    assertEquals(List.of("new/twin-x.mp3", "new/twin-y.mp3"),
        outcome.added().stream().map(w -> w.entry().path()).sorted().toList());
    assertEquals(List.of(3L, 4L), outcome.missing().stream().map(StoredFile::id).sorted().toList());
    assertEquals(2, outcome.ambiguous());
    assertTrue(outcome.missing().stream().allMatch(r -> r.path().startsWith(dir + "/old/twin-")), "absolute paths");
    // Each pass over the lists above reads a few blocks of GoneRows.BLOCK rows, never a row at a time.
    assertTrue(queries[0] > 0 && queries[0] < 40, queries[0] + " reads for " + (n + 4) + " rows");
  }

  @Test
  void match_copiesSharingANameAreToldApartByTheFoldersAboveIt() throws IOException {
    Map<String, StoredFile> rows = new HashMap<>();
    List<WalkEntry> walked = new ArrayList<>();
    Map<Long, Long> keysById = new HashMap<>();
    // Empty junk files of one name in two albums, their artist folders re-filed under a letter
    // (the reorganise): the album folder tells them apart.
    add(rows, walked, keysById, 1, "Ada/Burning Gardens/14 - Roads.mp3", "_by-letter/A/Ada/Burning Gardens/14 - Roads.mp3",
        "", 1);
    add(rows, walked, keysById, 2, "Clara/Savage Comets/14 - Roads.mp3",
        "_by-letter/C/Clara/Savage Comets/14 - Roads.mp3", "", 2);
    // Three levels alike (disc folders of two box sets, both renamed): as far as SUFFIX_LEVELS
    // reaches, nothing tells them apart, so nothing is guessed.
    add(rows, walked, keysById, 3, "x/Box/A/B/CD1/01.mp3", "y/Box (2)/A/B/CD1/01.mp3", "same disc", 3);
    add(rows, walked, keysById, 4, "x/Set/A/B/CD1/01.mp3", "y/Set (2)/A/B/CD1/01.mp3", "same disc", 4);

    Diff diff = new Diff(List.of(dir + "/"), List.of(rows));
    walked.forEach(entry -> diff.accept(0, entry));
    Diff.Result result = diff.finish(List.of(), null, Set.of());
    GoneRows gone = result.gone();
    long[] keys = new long[gone.size()];
    BitSet known = new BitSet();
    for (int i = 0; i < gone.size(); i++) {
      keys[i] = keysById.get(gone.id(i));
      known.set(i);
    }
    MoveMatcher matcher = new MoveMatcher((file, size) -> { throw new TagReadException(file, "no tags here", null); },
        2, () -> false, list -> list.stream().map(row -> new MoveCandidate(row, null, null)).toList());

    MoveMatcher.Outcome outcome = matcher.match(result.added(), gone, keys, known, List.of(), Set.of());

    Map<String, Long> moved = new TreeMap<>();
    outcome.moved().forEach(m -> moved.put(m.file().entry().path(), m.row().id()));
    assertEquals(Map.of("_by-letter/A/Ada/Burning Gardens/14 - Roads.mp3", 1L,
        "_by-letter/C/Clara/Savage Comets/14 - Roads.mp3", 2L), moved);
    assertEquals(List.of(3L, 4L), outcome.missing().stream().map(StoredFile::id).sorted().toList());
    assertEquals(2, outcome.ambiguous());
  }

  @Test
  void pathSuffix_takesTheLastComponents() {
    assertEquals("x.mp3", MoveMatcher.pathSuffix("/m/A/B/x.mp3", 1));
    assertEquals("B/x.mp3", MoveMatcher.pathSuffix("/m/A/B/x.mp3", 2));
    assertEquals("m/A/B/x.mp3", MoveMatcher.pathSuffix("/m/A/B/x.mp3", 4));
    assertEquals("/m/A/B/x.mp3", MoveMatcher.pathSuffix("/m/A/B/x.mp3", 5), "no more components: the whole path");
    assertEquals("x.mp3", MoveMatcher.pathSuffix("x.mp3", 2));
  }

  /** A row at {@code oldPath} whose file now lies at {@code newPath} (written, with a new inode). */
  private void add(Map<String, StoredFile> rows, List<WalkEntry> walked, Map<Long, Long> keys, long id, String oldPath,
      String newPath, String body, long inode) throws IOException {
    Path file = dir.resolve(newPath);
    Files.createDirectories(file.getParent());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Files.write(file, bytes);
    rows.put(oldPath, new StoredFile(id, oldPath, 10, bytes.length, 1, inode));
    walked.add(new WalkEntry(newPath, 10, bytes.length, 1, inode + 100_000_000L, EntryKind.FILE));
    keys.put(id, ContentKey.read(file, bytes.length));
  }
}
