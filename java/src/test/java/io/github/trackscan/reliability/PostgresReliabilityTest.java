package io.github.trackscan.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.Engine;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.store.postgres.PostgresCatalog;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL catalogue under faults and concurrency, against a real server (see {@link Engine}):
 * the server dropping the scan's connections mid-import, a kill -9 of the scanning process, two
 * scanners of disjoint halves at once, two scanners of the same root (advisory locks), and a reader
 * that must never see half a batch.
 */
final class PostgresReliabilityTest {
  private static final int BATCH_ROWS = 16;
  private static final long WAIT_MS = 120_000;
  /** trackscan's own columns that two scans of one tree agree on (ids and times aside). */
  private static final String COLUMNS = String.join(", ", Catalogue.FILE_COLUMNS.subList(1, Catalogue.FILE_COLUMNS.size()))
      + ", content_key, missing_since";

  @TempDir Path dir;

  @BeforeEach
  void needsServer() {
    Engine.POSTGRES.assume();
  }

  private Path music() {
    return dir.resolve("music");
  }

  private void synth(Path root, int tracks, long seed) throws IOException {
    SynthLibrary.generate(root, SynthOptions.builder().tracks(tracks).seed(seed).build());
  }

  private static Scanner scanner(Engine.Fresh catalogue, String url, Path... roots) {
    return Scanner.builder().roots(roots).database(url == null ? catalogue.url() : url).batchRows(BATCH_ROWS).build();
  }

  /** What a clean scan of {@code roots} into a new schema gives. */
  private Map<String, String> cleanRows(Path... roots) {
    Engine.Fresh clean = Engine.POSTGRES.fresh(dir);
    scanner(clean, null, roots).scan();
    return clean.rows(COLUMNS);
  }

  @Test
  void serverDropsTheConnectionsMidImport_committedStays_nextScanConverges() throws Exception {
    synth(music(), 200, 7);
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    String application = "trackscan_test_" + catalogue.schema();
    String url = catalogue.url() + "&ApplicationName=" + application;
    List<Change> heard = new ArrayList<>();
    ScanListener killer = new ScanListener() {
      @Override
      public void change(Change change) {
        if (heard.isEmpty()) {
          terminate(application); // After the first commit: the server "goes away" for this scan.
        }
        heard.add(change);
      }
    };

    StoreException e = assertThrows(StoreException.class,
        () -> scanner(catalogue, url, music()).scan(killer, new CancellationToken()));

    long committed = catalogue.count("true");
    assertTrue(committed >= 1 && committed == heard.size(), "what was heard is what was committed: " + committed
        + " rows, " + heard.size() + " changes heard; " + e.getMessage());
    ScanReport next = scanner(catalogue, null, music()).scan();
    assertEquals(ScanReport.Outcome.COMPLETED, next.outcome());
    assertEquals(committed, next.count(ChangeKind.UNCHANGED));
    assertEquals(0, next.count(ChangeKind.MISSING));
    assertEquals(cleanRows(music()), catalogue.rows(COLUMNS), "the next scan converged to a clean scan's rows");
  }

  private static void terminate(String application) {
    try (Connection admin = Engine.admin();
        PreparedStatement s = admin.prepareStatement(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
      s.setString(1, application);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertTrue(rs.getLong(1) >= 1, "the scan's connections were found to terminate");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void kill9_duringImport_nextScanEqualsACleanScan() throws Exception {
    synth(music(), 300, 5);
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    for (int kill = 0; kill < 4; kill++) {
      try (ChildJvm child = ChildJvm.start(List.of("-Xmx256m"), ScanChild.class, catalogue.url(), music().toString(),
          Integer.toString(BATCH_ROWS), "10000")) {
        if (child.awaitLine("COMMITTED", WAIT_MS)) {
          Thread.sleep(kill * 40L); // Between and inside later commits.
        }
        child.kill();
      }
      // Sound after every kill: no path twice (a unique index), no row without its parse outcome.
      assertEquals(0, catalogue.longValue("SELECT count(*) - count(DISTINCT path) FROM library"));
      assertEquals(0, catalogue.count("parse_status IS NULL OR file_mtime_ns IS NULL"));
    }
    ScanReport next = scanner(catalogue, null, music()).scan();
    assertEquals(ScanReport.Outcome.COMPLETED, next.outcome());
    assertEquals(0, next.count(ChangeKind.MISSING));
    assertEquals(cleanRows(music()), catalogue.rows(COLUMNS));
  }

  @Test
  void twoScannersOfDisjointHalves_startedTogether_endWithTheRowsOfOne() throws Exception {
    Path a = music().resolve("a");
    Path b = music().resolve("b");
    synth(a, 150, 11);
    synth(b, 150, 12);
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<ScanReport>> runs = new ArrayList<>();
      for (Path half : List.of(a, b)) {
        runs.add(pool.submit(() -> {
          start.await();
          return scanner(catalogue, null, half).scan();
        }));
      }
      start.countDown();
      for (Future<ScanReport> run : runs) {
        assertEquals(ScanReport.Outcome.COMPLETED, run.get(WAIT_MS, TimeUnit.MILLISECONDS).outcome());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(cleanRows(a, b), catalogue.rows(COLUMNS));
    assertEquals(catalogue.count("true"), catalogue.longValue("SELECT count(DISTINCT id) FROM library"));
  }

  @Test
  void sameRoot_secondScannerFailsClearly_orWaitsWhenAsked() throws Exception {
    synth(music(), 60, 3);
    Path inside = Files.list(music()).filter(Files::isDirectory).sorted().findFirst().orElseThrow();
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ScanListener blocker = new ScanListener() {
      @Override
      public void change(Change change) {
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<ScanReport> first = pool.submit(() -> scanner(catalogue, null, music()).scan(blocker, new CancellationToken()));
      assertTrue(holding.await(WAIT_MS, TimeUnit.MILLISECONDS), "the first scan committed and holds its roots");
      long rows = catalogue.count("true");

      StoreException same = assertThrows(StoreException.class, () -> scanner(catalogue, null, music()).scan());
      assertTrue(same.getMessage().contains("another trackscan is scanning " + music()), same.getMessage());
      StoreException nested = assertThrows(StoreException.class, () -> scanner(catalogue, null, inside).scan());
      assertTrue(nested.getMessage().contains("another trackscan is scanning"), nested.getMessage());
      assertEquals(rows, catalogue.count("true"), "the refused scans wrote nothing");

      AtomicReference<ScanReport> waited = new AtomicReference<>();
      Future<?> waiting = pool.submit(() -> waited.set(Scanner.builder().roots(music())
          .database(PostgresCatalog.source(catalogue.url(), true)).build().scan()));
      awaitLockWaiter(); // The waiting scan is blocked on the advisory lock, not failed.
      assertNull(waited.get());
      release.countDown();
      assertEquals(ScanReport.Outcome.COMPLETED, first.get(WAIT_MS, TimeUnit.MILLISECONDS).outcome());
      waiting.get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertEquals(0, waited.get().count(ChangeKind.ADDED), "the waiting scan saw the first one's rows");
      assertFalse(waited.get().count(ChangeKind.UNCHANGED) == 0);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /** Waits until some session waits for an advisory lock (pg_locks: not granted). */
  private static void awaitLockWaiter() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    try (Connection admin = Engine.admin()) {
      while (System.nanoTime() < deadline) {
        try (PreparedStatement s = admin.prepareStatement(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
            ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("no scan waited for the advisory lock");
  }

  @Test
  void readerDuringImport_seesWholeBatchesOnly_andChangesAfterTheirCommit() throws Exception {
    synth(music(), 200, 9);
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    List<long[]> seen = new ArrayList<>(); // {changes heard, rows a reader saw} at each change
    try (Connection reader = catalogue.connect()) {
      ScanListener listener = new ScanListener() {
        long heard;

        @Override
        public void change(Change change) {
          heard++;
          try (var s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM library")) {
            rs.next();
            seen.add(new long[] {heard, rs.getLong(1)});
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      };
      scanner(catalogue, null, music()).scan(listener, new CancellationToken());
    }
    // The writer waits for the listener, so a reader's count holds still while one batch is heard:
    // it is never below what was heard (a change is heard after its commit), and it equals what had
    // been heard by the last change of that batch (a reader sees the whole batch, never part).
    for (int i = 0; i < seen.size(); i++) {
      long[] at = seen.get(i);
      assertTrue(at[1] >= at[0], "a change heard before its row was visible: " + at[0] + " heard, " + at[1] + " rows");
      boolean lastOfBatch = i + 1 == seen.size() || seen.get(i + 1)[1] != at[1];
      if (lastOfBatch) {
        assertEquals(at[0], at[1], "a reader saw part of a batch");
      }
    }
    assertTrue(seen.stream().mapToLong(at -> at[1]).distinct().count() > 2, "the import committed several batches");
  }

  @Test
  void dataSource_scansAndReleasesItsLocksWhenDone() throws Exception {
    synth(music(), 40, 13);
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
    source.setUrl(catalogue.jdbcUrl());
    source.setUser(catalogue.user());
    source.setPassword(catalogue.password());
    Scanner scanner = Scanner.builder().roots(music()).database(source).build();

    ScanReport first = scanner.scan();
    ScanReport second = scanner.scan();

    assertEquals(catalogue.count("true"), first.count(ChangeKind.ADDED));
    assertEquals(catalogue.count("true"), second.count(ChangeKind.UNCHANGED));
    assertNull(scanner.database(), "not a file");
    try (Connection admin = Engine.admin(); var s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
            + 0x74726B73L)) {
      rs.next();
      assertEquals(0, rs.getLong(1), "no root lock outlives its scan");
    }
  }

  @Test
  void jdbcUrl_isAcceptedAsIs() throws Exception {
    synth(music(), 20, 17);
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    String url = catalogue.jdbcUrl() + "&user=" + catalogue.user() + "&password=" + catalogue.password();
    ScanReport report = Scanner.builder().roots(music()).database(url).build().scan();
    assertEquals(catalogue.count("true"), report.count(ChangeKind.ADDED));
    assertTrue(report.count(ChangeKind.ADDED) >= 20);
  }
}
