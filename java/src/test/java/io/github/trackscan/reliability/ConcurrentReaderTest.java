package io.github.trackscan.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host reads the library on its own connection while an import writes it. Every state it sees
 * must be a whole committed prefix of the import (ids are handed out in write order, so the rows
 * visible are ids 1..n with exactly the counts and sizes the finished import has for them), never a
 * row without its fingerprint or status, and its reads must never wait long for the writer.
 *
 * The reader is made certain to see the import in progress whatever the scheduling (a busy machine
 * once let the whole import commit between two reads): at the first change of each of the first
 * HELD_COMMITS commits the reader has not seen, the scan's listener, which runs after the commit,
 * holds the writer until the reader has read once more. It proves the same things, without
 * depending on which thread runs when.
 */
final class ConcurrentReaderTest {
  private static final int BATCH_ROWS = 20;
  /** Batches after which the writer waits for the reader to look. */
  private static final int HELD_COMMITS = 3;
  /** Generous: WAL readers do not wait for the writer at all; only a stalled machine comes near this. */
  private static final long READ_LATENCY_MAX_NS = TimeUnit.SECONDS.toNanos(2);

  @TempDir Path dir;

  /** One read transaction's view. */
  private record View(long count, long maxId, long sizeSum, long titled, long incomplete, long latencyNs) {}

  @Test
  void read_duringImport_seesOnlyWholeCommittedBatchesAndIsNeverBlocked() throws Exception {
    Path music = dir.resolve("music");
    SynthLibrary.generate(music, SynthOptions.builder().tracks(400).seed(21).build());
    Path db = dir.resolve("library.db");
    Scanner scanner = Scanner.builder().roots(music).database(db).batchRows(BATCH_ROWS).build();
    scanner.scan(); // creates the schema; then the import below starts from an empty table
    Catalogue.execute(db, "DELETE FROM library");

    // The n-th change heard reaches the listener after the commit holding it. The first change the
    // reader has not seen yet (n > seen) is the first of a commit it has not seen: the writer waits
    // there until the reader has read again, which then sees at least n rows, more than it saw
    // before. A commit holds at most the parse queue (64) plus a batch, so the first three such
    // commits end well before the 405th row: three distinct partial states, whatever the timing.
    BlockingQueue<Long> committed = new LinkedBlockingQueue<>();
    BlockingQueue<Long> looked = new LinkedBlockingQueue<>();
    AtomicLong changes = new AtomicLong();
    AtomicLong seen = new AtomicLong();
    int[] holds = {0};
    ScanListener holdWriter = new ScanListener() {
      @Override
      public void change(Change change) {
        long n = changes.incrementAndGet();
        if (holds[0] < HELD_COMMITS && n > seen.get()) {
          holds[0]++;
          committed.add(n);
          try {
            if (looked.poll(60, TimeUnit.SECONDS) == null) {
              throw new IllegalStateException("the reader did not look within a minute");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    CompletableFuture<ScanReport> scan = CompletableFuture.supplyAsync(
        () -> scanner.scan(holdWriter, new CancellationToken()));
    List<View> views = new ArrayList<>();
    int integrityChecks = 0;
    try (Connection c = Catalogue.connect(db); Statement s = c.createStatement()) {
      Long held = null;
      while (!scan.isDone() || views.isEmpty() || held != null) {
        if (held != null) {
          looked.add(held); // The previous read began after that commit: let the writer go on.
        }
        held = committed.poll(); // Taken before the read, so the read below sees that commit.
        long start = System.nanoTime();
        s.execute("BEGIN"); // one read transaction: the numbers must agree with each other
        View view;
        try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(max(id), 0), coalesce(sum(file_size), 0),"
            + " count(title), coalesce(sum(file_size IS NULL OR file_mtime_ns IS NULL OR parse_status IS NULL"
            + " OR format IS NULL), 0) FROM library")) {
          rs.next();
          view = new View(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), 0);
        }
        if (views.size() % 20 == 0) {
          try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1), "quick_check during the import");
            integrityChecks++;
          }
        }
        s.execute("COMMIT");
        if (held != null) {
          seen.set(view.count()); // Before the writer is let go (next turn): its next hold is past this.
        }
        views.add(new View(view.count(), view.maxId(), view.sizeSum(), view.titled(), view.incomplete(),
            System.nanoTime() - start));
      }
    }
    ScanReport report = scan.get(120, TimeUnit.SECONDS);
    assertEquals("ok", Catalogue.integrity(db));

    // Prefix sums of the finished import, by id.
    long rows = Catalogue.longValue(db, "SELECT count(*) FROM library");
    assertEquals(report.filesWalked(), rows);
    long[] sizeSum = new long[(int) rows + 1];
    long[] titled = new long[(int) rows + 1];
    try (Connection c = Catalogue.connect(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, file_size, title IS NOT NULL FROM library ORDER BY id")) {
      int i = 0;
      while (rs.next()) {
        i++;
        assertEquals(i, rs.getLong(1), "ids of an import are 1..n in write order");
        sizeSum[i] = sizeSum[i - 1] + rs.getLong(2);
        titled[i] = titled[i - 1] + rs.getLong(3);
      }
    }
    long previous = 0;
    long maxLatency = 0;
    java.util.SortedSet<Long> counts = new java.util.TreeSet<>();
    for (View v : views) {
      assertTrue(v.count() >= previous, "the count never goes back: " + previous + " then " + v.count());
      previous = v.count();
      counts.add(v.count());
      assertEquals(0, v.incomplete(), "no row without its fingerprint, status or format");
      assertEquals(v.count(), v.maxId(), "the rows seen are a prefix 1..n of the import");
      assertEquals(sizeSum[(int) v.count()], v.sizeSum(), "sum(file_size) of the first " + v.count() + " rows");
      assertEquals(titled[(int) v.count()], v.titled(), "titled rows among the first " + v.count());
      maxLatency = Math.max(maxLatency, v.latencyNs());
    }
    System.out.printf("[readers] %d reads (%d quick_checks) during an import of %d rows; %d distinct states seen %s;"
        + " max read latency %.1f ms%n", views.size(), integrityChecks, rows, counts.size(),
        counts.size() > 12 ? counts.headSet(counts.stream().skip(12).findFirst().orElse(Long.MAX_VALUE)) + "..." : counts,
        maxLatency / 1e6);
    assertTrue(counts.stream().filter(n -> n > 0 && n < rows).count() >= HELD_COMMITS,
        "the reader saw the import in progress: " + counts);
    assertTrue(maxLatency < READ_LATENCY_MAX_NS, "max read latency " + maxLatency / 1e6 + " ms");
  }
}
