package io.github.trackscan.store;

import static io.github.trackscan.store.Schema.*;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read queries every engine asks the same way (the table and column names are the same in
 * each): the library's statistics and its last scan. The caller runs them inside one read
 * transaction, so the numbers agree with each other. Also the missing rows, and the id lists and
 * positions of the queries by id.
 */
public final class CatalogQueries {
  private CatalogQueries() {}

  /**
   * Positions of {@code ids[from, to)} by id: the chunks of {@link Catalog#contentKeys} answer in
   * any order. Ids are unique in a catalogue, so one position each.
   */
  public static Map<Long, Integer> positions(long[] ids, int from, int to) {
    Map<Long, Integer> at = new HashMap<>((to - from) * 2);
    for (int i = from; i < to; i++) {
      at.put(ids[i], i);
    }
    return at;
  }

  /** {@code ids[from, to)} as a comma-separated list of literals, for an IN (...) clause. */
  public static String idList(long[] ids, int from, int to) {
    StringBuilder in = new StringBuilder((to - from) * 8);
    for (int i = from; i < to; i++) {
      in.append(i == from ? "" : ",").append(ids[i]);
    }
    return in.toString();
  }

  /**
   * The rows missing since before {@code beforeMs}, by path, below one of {@code prefixes} (every
   * row when empty), at most {@code limit}: what a catalogue lists as missing and a purge deletes.
   */
  public static List<MissingFile> missingRows(Connection connection, long beforeMs, List<String> prefixes, int limit)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT " + ID + ", " + PATH + ", " + MISSING_SINCE
        + " FROM " + LIBRARY + " WHERE " + MISSING_SINCE + " IS NOT NULL AND " + MISSING_SINCE + " < ? ORDER BY "
        + PATH)) {
      select.setLong(1, beforeMs);
      List<MissingFile> missing = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next() && missing.size() < limit) {
          String path = rs.getString(2);
          if (prefixes.isEmpty() || prefixes.stream().anyMatch(path::startsWith)) {
            missing.add(new MissingFile(rs.getLong(1), path, rs.getLong(3)));
          }
        }
      }
      return missing;
    }
  }

  /**
   * The library's statistics.
   *
   * @param failedCount the engine's expression counting the failed rows (SQLite sums a boolean,
   *     PostgreSQL filters)
   */
  public static LibraryStats stats(Statement s, String failedCount) throws SQLException {
    long tracks;
    long failed;
    long duration;
    long size;
    long missing;
    try (ResultSet rs = s.executeQuery("SELECT count(*), " + failedCount + ", coalesce(sum(" + DURATION_MS
        + "), 0), coalesce(sum(" + FILE_SIZE + "), 0), count(" + MISSING_SINCE + ") FROM " + LIBRARY)) {
      rs.next();
      tracks = rs.getLong(1);
      failed = rs.getLong(2);
      duration = rs.getLong(3);
      size = rs.getLong(4);
      missing = rs.getLong(5);
    }
    Map<String, Long> byFormat = new LinkedHashMap<>();
    try (ResultSet rs = s.executeQuery("SELECT coalesce(" + FORMAT + ", 'unknown') AS f, count(*) FROM " + LIBRARY
        + " GROUP BY f ORDER BY count(*) DESC, f")) {
      while (rs.next()) {
        byFormat.put(rs.getString(1), rs.getLong(2));
      }
    }
    return new LibraryStats(tracks, missing, failed, byFormat, duration, size, lastScan(s));
  }

  /** The newest row of the scan table; the missing and restored counts of rows from before schema 4 read as 0. */
  public static Optional<ScanRecord> lastScan(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT " + STARTED_AT + ", " + FINISHED_AT + ", " + ROOTS + ", " + OUTCOME
        + ", " + FILES_WALKED + ", " + ADDED + ", " + MODIFIED + ", " + MOVED + ", " + DELETED + ", " + UNCHANGED
        + ", " + FAILED + ", " + WALK_ERRORS + ", " + TOTAL_NS + ", coalesce(" + MISSING + ", 0), coalesce(" + RESTORED
        + ", 0) FROM " + SCAN + " ORDER BY " + ID + " DESC LIMIT 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new ScanRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
          rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(14), rs.getLong(15), rs.getLong(9), rs.getLong(10),
          rs.getLong(11), rs.getLong(12), rs.getLong(13)));
    }
  }
}
