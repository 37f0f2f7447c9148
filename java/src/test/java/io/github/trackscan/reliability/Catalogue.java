package io.github.trackscan.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Looks at a library database from the outside, the way a host would: its integrity, duplicate
 * paths, and every row as text without the columns that legitimately differ between two scans of
 * the same files (id, added_at, updated_at).
 */
final class Catalogue {
  /**
   * trackscan's own columns that describe a file; two scans of the same tree give equal values.
   * parse_error is left out (parse_status stays): jaudiotagger's messages name the file, so a junk
   * file that was moved keeps a message with its old name, while a fresh scan names the new one.
   */
  static final List<String> FILE_COLUMNS = List.of("path", "title", "artist", "album", "album_artist",
      "track_number", "track_total", "disc_number", "disc_total", "year", "date", "genre", "duration_ms",
      "bitrate_kbps", "sample_rate_hz", "channels", "codec", "format", "file_size", "file_mtime_ns", "device",
      "inode", "parse_status");

  private Catalogue() {}

  static Connection connect(Path db) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db);
  }

  /** {@code PRAGMA integrity_check}'s answer, lines joined: "ok" when sound. */
  static String integrity(Path db) throws SQLException {
    try (Connection c = connect(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      List<String> lines = new ArrayList<>();
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
      return String.join("\n", lines);
    }
  }

  /** Paths held by more than one row. */
  static long duplicatePaths(Path db) throws SQLException {
    return longValue(db, "SELECT count(*) FROM (SELECT path FROM library GROUP BY path HAVING count(*) > 1)");
  }

  static long longValue(Path db, String sql) throws SQLException {
    try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether the database has a library table yet (a scan killed early may not have made it). */
  static boolean hasLibrary(Path db) throws SQLException {
    return longValue(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'library'") > 0;
  }

  /**
   * Every present row's {@link #FILE_COLUMNS} as one line, by path; empty when there is no library
   * table. Rows marked missing are left out: a scan keeps them for the host (see {@link #missingPaths}),
   * and a clean scan of the same tree has none, so present rows are what two scans must agree on.
   */
  static SortedMap<String, String> rows(Path db) throws SQLException {
    SortedMap<String, String> rows = new TreeMap<>();
    if (!hasLibrary(db)) {
      return rows;
    }
    try (Connection c = connect(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + String.join(", ", FILE_COLUMNS) + " FROM library"
            + (hasMissingColumn(c) ? " WHERE missing_since IS NULL" : ""))) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= FILE_COLUMNS.size(); i++) {
          row.append(FILE_COLUMNS.get(i - 1)).append('=').append(rs.getString(i)).append('|');
        }
        rows.put(rs.getString(1), row.toString());
      }
    }
    return rows;
  }

  private static boolean hasMissingColumn(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(library)")) {
      while (rs.next()) {
        if (rs.getString("name").equals("missing_since")) {
          return true;
        }
      }
      return false;
    }
  }

  /** The paths of rows marked missing, sorted; empty when there is no library table. */
  static java.util.SortedSet<String> missingPaths(Path db) throws SQLException {
    java.util.SortedSet<String> paths = new java.util.TreeSet<>();
    if (!hasLibrary(db)) {
      return paths;
    }
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      if (!hasMissingColumn(c)) {
        return paths;
      }
      try (ResultSet rs = s.executeQuery("SELECT path FROM library WHERE missing_since IS NOT NULL")) {
        while (rs.next()) {
          paths.add(rs.getString(1));
        }
      }
    }
    return paths;
  }

  /** Fails unless both catalogues are equal, naming the first few rows that differ. */
  static void assertSameRows(SortedMap<String, String> expected, SortedMap<String, String> actual, String message) {
    if (expected.equals(actual)) {
      return;
    }
    List<String> differences = new ArrayList<>();
    java.util.SortedSet<String> paths = new java.util.TreeSet<>(expected.keySet());
    paths.addAll(actual.keySet());
    int total = 0;
    for (String path : paths) {
      if (!java.util.Objects.equals(expected.get(path), actual.get(path))) {
        total++;
        if (differences.size() < 6) {
          differences.add("\n  expected " + expected.get(path) + "\n  actual   " + actual.get(path));
        }
      }
    }
    throw new AssertionError(message + ": " + total + " of " + paths.size() + " rows differ, " + expected.size()
        + " expected, " + actual.size() + " present" + String.join("", differences));
  }

  /** One column of every row, by path. */
  static Map<String, String> column(Path db, String column) throws SQLException {
    Map<String, String> values = new TreeMap<>();
    try (Connection c = connect(db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT path, " + column + " FROM library")) {
      while (rs.next()) {
        values.put(rs.getString(1), rs.getString(2));
      }
    }
    return values;
  }

  static void execute(Path db, String... sql) throws SQLException {
    try (Connection c = connect(db); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }
}
