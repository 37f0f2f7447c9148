package io.github.trackscan.bench.db;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * trackscan's catalogue workload against one engine, in a JVM of its own (so heap and RSS are the
 * engine's): {@code EngineWorkload ENGINE ROWS DIR URL MODE}, where ROWS is {@code synthetic:N} or
 * {@code catalogue:FILE} (a trackscan SQLite catalogue), DIR an empty folder for the engine's files
 * and URL the PostgreSQL server ({@code -} for the others). Modes:
 * <ul>
 *   <li>{@code measure}: times each step and prints one line {@code RESULT key=value ...};
 *   <li>{@code crash}: imports in 1,000-row transactions, printing {@code COMMITTED n} after each
 *       (the evaluation kills it with SIGKILL);
 *   <li>{@code check}: opens what a killed run left and prints {@code CHECK rows=.. distinct=..}.
 * </ul>
 */
public final class EngineWorkload {
  private EngineWorkload() {}

  static final int BATCH_ROWS = 1000;
  static final int MOVE_ROWS_MAX = 60_000;

  public static void main(String[] args) throws Exception {
    Dialect dialect = Dialect.valueOf(args[0]);
    Path dir = Path.of(args[2]);
    String url = args[3];
    Files.createDirectories(dir);
    switch (args[4]) {
      case "measure" -> System.out.println("RESULT " + format(measure(dialect, rows(args[1]), dir, url)));
      case "crash" -> crash(dialect, rows(args[1]), dir, url);
      case "check" -> System.out.println("CHECK " + format(check(dialect, dir, url)));
      default -> throw new IllegalArgumentException("mode: measure, crash or check");
    }
    System.out.flush();
    System.exit(0); // Engines' own threads (H2's writer) must not keep the JVM.
  }

  static List<Row> rows(String spec) throws SQLException {
    if (spec.startsWith("synthetic:")) {
      return Row.synthetic(Integer.parseInt(spec.substring("synthetic:".length())), 1);
    }
    if (spec.startsWith("catalogue:")) {
      return Row.fromCatalogue(Path.of(spec.substring("catalogue:".length())));
    }
    throw new IllegalArgumentException("rows: synthetic:N or catalogue:FILE, got " + spec);
  }

  private static String format(Map<String, Object> values) {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
    return s.toString();
  }

  private static double ms(long ns) {
    return Math.round(ns / 1e5) / 10.0;
  }

  static Map<String, Object> measure(Dialect dialect, List<Row> rows, Path dir, String url) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rows", rows.size());
    dialect.reset(dir, url);
    long t = System.nanoTime();
    Connection c = dialect.open(dir, url);
    dialect.create(c);
    r.put("create_ms", ms(System.nanoTime() - t));

    // Initial import, with a host reading as a music server would: one album artist's tracks, and a
    // search on title/artist; the reader's worst latency while the import writes.
    Row sample = rows.get(rows.size() / 2);
    Connection readerConnection = dialect.reader(c, dir, url);
    AtomicBoolean importing = new AtomicBoolean(true);
    AtomicLong worstNs = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (PreparedStatement byArtist = readerConnection.prepareStatement("SELECT id, title, track_number FROM library"
          + " WHERE album_artist = ? ORDER BY album, disc_number, track_number");
          PreparedStatement search = readerConnection.prepareStatement("SELECT id, title FROM library WHERE title LIKE ?"
              + " OR artist LIKE ? LIMIT 50")) {
        byArtist.setString(1, sample.albumArtist());
        search.setString(1, "%Love%");
        search.setString(2, "%Love%");
        while (importing.get()) {
          for (PreparedStatement q : new PreparedStatement[] {byArtist, search}) {
            long start = System.nanoTime();
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                rs.getLong(1);
              }
            }
            worstNs.accumulateAndGet(System.nanoTime() - start, Math::max);
            reads.incrementAndGet();
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("the host reader failed", e);
      }
    });
    t = System.nanoTime();
    try {
      dialect.bulkInsert(c, rows, BATCH_ROWS);
    } finally {
      importing.set(false);
    }
    long importNs = System.nanoTime() - t;
    reader.join();
    r.put("import_ms", ms(importNs));
    r.put("import_rows_per_s", Math.round(rows.size() / (importNs / 1e9)));
    r.put("reader_queries", reads.get());
    r.put("reader_worst_ms", ms(worstNs.get()));
    long idleStart = System.nanoTime();
    hostQueries(readerConnection, sample);
    r.put("reader_idle_ms", ms(System.nanoTime() - idleStart));
    readerConnection.close();

    // The scan's read: every row's (id, path, mtime, size, device, inode) into a map. Twice: the
    // first pays for a cold cache and JIT, the second is a rescan's.
    r.put("fingerprints_first_ms", ms(fingerprints(c, rows.size())));
    r.put("fingerprints_ms", ms(fingerprints(c, rows.size())));

    // A delta: 200 inserts, 200 updates, 10 deletes, one transaction.
    t = System.nanoTime();
    delta(c, rows);
    r.put("delta_ms", ms(System.nanoTime() - t));

    // A move of up to 60k rows: new paths, ids kept, 1,000-row transactions.
    int moves = Math.min(MOVE_ROWS_MAX, rows.size() - 10);
    t = System.nanoTime();
    move(c, rows, moves);
    r.put("move_rows", moves);
    r.put("move_ms", ms(System.nanoTime() - t));

    r.put("size_mb", Math.round(dialect.sizeBytes(c, dir) / 1e5) / 10.0);
    c.close();
    t = System.nanoTime();
    try (Connection again = dialect.open(dir, url); Statement s = again.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM library")) {
      rs.next();
      r.put("reopen_count_ms", ms(System.nanoTime() - t));
      r.put("rows_after", rs.getLong(1));
    }
    r.put("heap_peak_mb", Math.round(heapPeak() / 1e6));
    r.put("rss_peak_mb", rssPeakMb());
    return r;
  }

  private static void hostQueries(Connection c, Row sample) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT id FROM library WHERE album_artist = ?")) {
      q.setString(1, sample.albumArtist());
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          rs.getLong(1);
        }
      }
    }
  }

  private static long fingerprints(Connection c, int expected) throws SQLException {
    long t = System.nanoTime();
    Map<String, long[]> map = new HashMap<>(expected * 2);
    c.setAutoCommit(false); // PostgreSQL streams only inside a transaction.
    try (Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet rs = s.executeQuery("SELECT id, path, file_mtime_ns, file_size, device, inode FROM library")) {
        while (rs.next()) {
          map.put(rs.getString(2), new long[] {rs.getLong(1), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
        }
      }
    }
    c.commit();
    c.setAutoCommit(true);
    if (map.size() != expected) {
      throw new IllegalStateException("read " + map.size() + " fingerprints, expected " + expected);
    }
    return System.nanoTime() - t;
  }

  private static void delta(Connection c, List<Row> rows) throws SQLException {
    c.setAutoCommit(false);
    long nextId = rows.size() + 1;
    try (PreparedStatement insert = c.prepareStatement(Dialect.insertSql());
        PreparedStatement update = c.prepareStatement("UPDATE library SET title = ?, file_mtime_ns = ?, file_size = ?,"
            + " updated_at = ? WHERE id = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM library WHERE id = ?")) {
      for (int i = 0; i < 200; i++) {
        Row base = rows.get(i * 7 % rows.size());
        Dialect.bind(insert, new Row(nextId + i, "/music/_delta/" + i + " - " + base.title() + "." + base.format(),
            base.title(), base.artist(), "Delta", base.albumArtist(), i, 1, 2025, base.genre(), base.durationMs(),
            base.bitrateKbps(), base.sampleRateHz(), base.channels(), base.codec(), base.format(), base.fileSize(),
            base.mtimeNs() + 1, base.device(), 9_000_000 + i, 1, 1, "OK", 1, 1L));
        insert.addBatch();
      }
      insert.executeBatch();
      for (int i = 0; i < 200; i++) {
        update.setString(1, "Retagged " + i);
        update.setLong(2, 1_700_000_000_000_000_000L + i);
        update.setLong(3, 5_000_000 + i);
        update.setLong(4, 2);
        update.setLong(5, 100 + i * 13L % rows.size());
        update.addBatch();
      }
      update.executeBatch();
      for (int i = 0; i < 10; i++) {
        delete.setLong(1, rows.size() - i);
        delete.addBatch();
      }
      delete.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  private static void move(Connection c, List<Row> rows, int moves) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement move = c.prepareStatement("UPDATE library SET path = ?, updated_at = ? WHERE id = ?")) {
      for (int id = 1; id <= moves; id++) {
        move.setString(1, "/moved" + rows.get(id - 1).path());
        move.setLong(2, 3);
        move.setLong(3, id);
        move.addBatch();
        if (id % BATCH_ROWS == 0 || id == moves) {
          move.executeBatch();
          c.commit();
        }
      }
    }
    c.setAutoCommit(true);
  }

  private static long heapPeak() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** The process's peak resident set (VmHWM), MB; -1 where /proc has none. */
  static long rssPeakMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException e) {
      // Not Linux.
    }
    return -1;
  }

  private static void crash(Dialect dialect, List<Row> rows, Path dir, String url) throws SQLException {
    dialect.reset(dir, url);
    Connection c = dialect.open(dir, url);
    dialect.create(c);
    System.out.println("STARTED");
    System.out.flush();
    for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
      dialect.bulkInsert(c, rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS)), BATCH_ROWS);
      System.out.println("COMMITTED " + Math.min(rows.size(), from + BATCH_ROWS));
      System.out.flush();
    }
    System.out.println("DONE");
  }

  private static Map<String, Object> check(Dialect dialect, Path dir, String url) throws SQLException {
    Map<String, Object> r = new LinkedHashMap<>();
    long t = System.nanoTime();
    try (Connection c = dialect.open(dir, url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT path), count(*) FILTER (WHERE parse_status IS NULL)"
            + " FROM library")) {
      rs.next();
      r.put("open_ms", ms(System.nanoTime() - t));
      r.put("rows", rs.getLong(1));
      r.put("distinct", rs.getLong(2));
      r.put("half_rows", rs.getLong(3));
      if (dialect == Dialect.SQLITE) {
        try (ResultSet ic = s.executeQuery("PRAGMA integrity_check")) {
          ic.next();
          r.put("integrity", ic.getString(1));
        }
      }
    }
    return r;
  }
}
