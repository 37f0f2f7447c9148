package io.github.trackscan.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power-cut safety: a scan in a child JVM is killed with SIGKILL at seeded random points of an
 * initial import and of a delta scan. After every kill the database must pass integrity_check,
 * hold no path twice and no half-written row (every row equals a row of a clean scan, before or
 * after the delta), keep every host column value, and the next scan must converge to exactly what
 * a clean scan gives.
 *
 * <p>The kill delays are drawn after the child prints STARTED, uniformly over the length of an
 * unkilled child scan measured first, so they spread over the walk, the parse and the commits. The
 * seed is printed; {@code -Dtrackscan.crash.seed=N} repeats a run.
 */
final class CrashRecoveryTest {
  private static final long SEED = Long.getLong("trackscan.crash.seed", System.nanoTime() % 1_000_000);
  private static final int TRACKS = 300;
  /** Small batches: an import of TRACKS commits many times, so kills land between and inside commits. */
  private static final int BATCH_ROWS = 16;
  private static final int IMPORT_KILLS = 12;
  private static final int DELTA_KILLS = 12;
  private static final long CHILD_TIMEOUT_MS = 120_000;

  @TempDir Path dir;

  private Path music() {
    return dir.resolve("music");
  }

  private Scanner scanner(Path db) {
    return Scanner.builder().roots(music()).database(db).batchRows(BATCH_ROWS).build();
  }

  private ChildJvm child(Path db) throws IOException {
    return ChildJvm.start(List.of("-Xmx256m"), ScanChild.class, db.toString(), music().toString(),
        Integer.toString(BATCH_ROWS), "10000");
  }

  /** Milliseconds from STARTED to the first commit and to the end of an unkilled child scan. */
  private record Timing(long firstCommitMs, long runMs) {
    /**
     * Where kill {@code kill} lands: even ones anywhere from STARTED to the end; odd ones after the
     * first COMMITTED line, within the first half of the commits, so some surely fall between commits.
     */
    Point point(SplittableRandom random, int kill) {
      if (kill % 2 == 0) {
        return new Point("STARTED", random.nextLong(runMs));
      }
      return new Point("COMMITTED", random.nextLong(Math.max(1, (runMs - firstCommitMs) / 2)));
    }
  }

  /** A kill point: {@code delayMs} after the child prints a line starting with {@code after}. */
  private record Point(String after, long delayMs) {
    @Override
    public String toString() {
      return delayMs + " ms after " + after;
    }
  }

  private Timing timedChildScan(Path db) throws Exception {
    try (ChildJvm child = child(db)) {
      assertTrue(child.awaitLine("STARTED", CHILD_TIMEOUT_MS), child.output());
      long start = System.nanoTime();
      assertTrue(child.awaitLine("COMMITTED", CHILD_TIMEOUT_MS), child.output());
      long firstCommit = (System.nanoTime() - start) / 1_000_000;
      assertEquals(0, child.waitFor(CHILD_TIMEOUT_MS), child.output());
      return new Timing(firstCommit, Math.max(50, (System.nanoTime() - start) / 1_000_000));
    }
  }

  private static void deleteDatabase(Path db) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
    }
  }

  private static void copyDatabase(Path from, Path to) throws IOException {
    assertFalse(Files.exists(from.resolveSibling(from.getFileName() + "-wal")), "the source was checkpointed");
    deleteDatabase(to);
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  /** One kill: the child is started, left to run to {@code point}, then killed with SIGKILL. */
  private record Kill(Point point, boolean killedWhileRunning, int rowsAfter) {}

  private Kill killAt(Path db, Point point) throws Exception {
    try (ChildJvm child = child(db)) {
      boolean seen = child.awaitLine(point.after(), CHILD_TIMEOUT_MS);
      assertTrue(seen || point.after().equals("COMMITTED"), child.output());
      Thread.sleep(point.delayMs());
      boolean killed = child.kill();
      return new Kill(point, killed, Catalogue.rows(db).size());
    }
  }

  private static void assertSound(Path db, String when) throws Exception {
    assertEquals("ok", Catalogue.integrity(db), "integrity_check " + when);
    if (Catalogue.hasLibrary(db)) {
      assertEquals(0, Catalogue.duplicatePaths(db), "duplicate paths " + when);
    }
  }

  @Test
  void kill9_duringInitialImport_nextScanEqualsACleanScan() throws Exception {
    SynthLibrary.generate(music(), SynthOptions.builder().tracks(TRACKS).seed(5).build());
    Path cleanDb = dir.resolve("clean.db");
    ScanReport clean = scanner(cleanDb).scan();
    SortedMap<String, String> expected = Catalogue.rows(cleanDb);
    assertEquals(clean.filesWalked(), expected.size());

    Path childDb = dir.resolve("child.db");
    Timing timing = timedChildScan(childDb);
    Catalogue.assertSameRows(expected, Catalogue.rows(childDb), "a child scan equals an in-process one");

    SplittableRandom random = new SplittableRandom(SEED);
    System.out.printf("[crash] import: seed %d, %d files, unkilled child scan %s%n", SEED, expected.size(), timing);
    Path db = dir.resolve("work.db");
    List<Kill> kills = new ArrayList<>();
    int midImport = 0;
    for (int attempt = 0; kills.size() < IMPORT_KILLS && attempt < IMPORT_KILLS * 3; attempt++) {
      deleteDatabase(db);
      Point point = timing.point(random, attempt);
      Kill kill = killAt(db, point);
      String when = "after a kill " + point + " of an import (seed " + SEED + ")";
      assertSound(db, when);
      SortedMap<String, String> partial = Catalogue.rows(db);
      for (Map.Entry<String, String> row : partial.entrySet()) {
        assertEquals(expected.get(row.getKey()), row.getValue(), "a whole row " + when);
      }
      scanner(db).scan(); // the restart
      assertSound(db, "after the scan that followed a kill " + point);
      Catalogue.assertSameRows(expected, Catalogue.rows(db), "the restarted scan converges " + when);
      if (kill.killedWhileRunning()) {
        kills.add(kill);
        if (kill.rowsAfter() > 0 && kill.rowsAfter() < expected.size()) {
          midImport++;
        }
      }
    }
    System.out.printf("[crash] import kills (point -> rows committed): %s%n",
        kills.stream().map(k -> k.point() + " -> " + k.rowsAfter()).toList());
    assertEquals(IMPORT_KILLS, kills.size(), "kills that hit a running scan");
    assertTrue(midImport >= 2, "at least two kills landed between the first and the last commit: " + kills);
  }

  @Test
  void kill9_duringDeltaScan_hostColumnsSurviveAndNextScanEqualsACleanScan() throws Exception {
    SynthLibrary.generate(music(), SynthOptions.builder().tracks(TRACKS).seed(6).build());
    Path baseDb = dir.resolve("base.db");
    scanner(baseDb).scan();
    Catalogue.execute(baseDb,
        "ALTER TABLE library ADD COLUMN play_count INTEGER",
        "ALTER TABLE library ADD COLUMN rating REAL",
        "UPDATE library SET play_count = id * 7 + 1, rating = (id % 5) + 0.5");
    Map<String, String> hostBefore = Catalogue.column(baseDb, "play_count || '/' || rating");
    SortedMap<String, String> before = Catalogue.rows(baseDb);
    Manifest manifest = SynthLibrary.mutate(music(), 11, Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS));
    Set<String> deleted = new HashSet<>();
    manifest.deleted().forEach(p -> deleted.add(music().resolve(p).toString()));

    Path cleanDb = dir.resolve("clean.db");
    copyDatabase(baseDb, cleanDb);
    scanner(cleanDb).scan();
    SortedMap<String, String> expected = Catalogue.rows(cleanDb);
    assertHostColumnsKept(cleanDb, hostBefore, deleted, true, "clean delta");

    Path childDb = dir.resolve("child.db");
    copyDatabase(baseDb, childDb);
    Timing timing = timedChildScan(childDb);
    Catalogue.assertSameRows(expected, Catalogue.rows(childDb), "a child delta scan equals an in-process one");

    SplittableRandom random = new SplittableRandom(SEED + 1);
    System.out.printf("[crash] delta: seed %d, %s, unkilled child scan %s%n", SEED + 1, manifest, timing);
    Path db = dir.resolve("work.db");
    List<Kill> kills = new ArrayList<>();
    for (int attempt = 0; kills.size() < DELTA_KILLS && attempt < DELTA_KILLS * 3; attempt++) {
      copyDatabase(baseDb, db);
      Point point = timing.point(random, attempt);
      Kill kill = killAt(db, point);
      String when = "after a kill " + point + " of a delta scan (seed " + (SEED + 1) + ")";
      assertSound(db, when);
      SortedMap<String, String> partial = Catalogue.rows(db);
      for (Map.Entry<String, String> row : partial.entrySet()) {
        String path = row.getKey();
        assertTrue(row.getValue().equals(before.get(path)) || row.getValue().equals(expected.get(path)),
            "each row is the old or the new one " + when + ": " + row.getValue());
      }
      for (String path : before.keySet()) {
        assertTrue(deleted.contains(path) || partial.containsKey(path), "row kept " + when + ": " + path);
      }
      assertHostColumnsKept(db, hostBefore, deleted, false, when);
      scanner(db).scan(); // the restart
      assertSound(db, "after the scan that followed a kill " + point);
      Catalogue.assertSameRows(expected, Catalogue.rows(db), "the restarted scan converges " + when);
      assertHostColumnsKept(db, hostBefore, deleted, true, "after recovering " + when);
      if (kill.killedWhileRunning()) {
        kills.add(kill);
      }
    }
    System.out.printf("[crash] delta kills (point -> rows): %s%n",
        kills.stream().map(k -> k.point() + " -> " + k.rowsAfter()).toList());
    assertEquals(DELTA_KILLS, kills.size(), "kills that hit a running scan");
  }

  /**
   * Every row that was there before still has its host values: a deleted file's row is kept,
   * marked missing, never deleted. With {@code deletionsDone}, exactly the deleted files' rows are
   * marked missing.
   */
  private static void assertHostColumnsKept(Path db, Map<String, String> hostBefore, Set<String> deleted,
      boolean deletionsDone, String when)
      throws Exception {
    Map<String, String> host = Catalogue.column(db, "play_count || '/' || rating");
    for (Map.Entry<String, String> e : hostBefore.entrySet()) {
      assertTrue(host.containsKey(e.getKey()), "row lost " + when + ": " + e.getKey());
      assertEquals(e.getValue(), host.get(e.getKey()), "host columns of " + e.getKey() + " " + when);
    }
    if (deletionsDone) {
      assertEquals(new java.util.TreeSet<>(deleted), Catalogue.missingPaths(db), "rows marked missing " + when);
    }
  }
}
