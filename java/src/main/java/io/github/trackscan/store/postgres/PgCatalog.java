package io.github.trackscan.store.postgres;

import static io.github.trackscan.store.postgres.PgSchema.*;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogQueries;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.LibraryStats;
import io.github.trackscan.store.MissingFile;
import io.github.trackscan.store.MoveCandidate;
import io.github.trackscan.store.PurgeResult;
import io.github.trackscan.store.RecordedError;
import io.github.trackscan.store.ScanRecord;
import io.github.trackscan.store.SchemaTooNewException;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.tags.TrackTags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import io.github.trackscan.store.FolderTable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/*
 * The PostgreSQL catalogue: two connections, as the SQLite Library has. The write connection
 * belongs to the single PgWriter, and holds the scan's advisory locks on its roots (session locks:
 * they outlive each transaction and go with the connection, or with pg_advisory_unlock_all when
 * the connection goes back to a host's pool). The read connection runs each read in one
 * REPEATABLE READ, read-only transaction, so the numbers of one call agree with each other and a
 * reader never sees half a batch.
 *
 * Durability: the write connection sets synchronous_commit = off, PostgreSQL's counterpart of
 * SQLite's WAL with synchronous=NORMAL: a crash of the server's machine may lose the last commits
 * (at most about 3 x wal_writer_delay), never leaves half of one, and a crash of trackscan loses
 * nothing committed.
 */
final class PgCatalog implements Catalog {
  /** Opens a connection (DriverManager or a host's DataSource). */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  /** The advisory lock class of root locks: 'trks'. Objects are the CRC-32C of the folder's path. */
  static final int ROOT_LOCK_CLASS = 0x74726B73;
  private static final int FETCH_ROWS = 10_000;

  private final Connector connector;
  private final String catalogue;
  private final boolean waitForLockedRoots;
  private final Connection writeConnection;
  private final Object readLock = new Object();
  private Connection readConnection;
  private PgWriter writer;
  private boolean rootsLocked;

  private PgCatalog(Connector connector, String catalogue, boolean waitForLockedRoots, Connection writeConnection) {
    this.connector = connector;
    this.catalogue = catalogue;
    this.waitForLockedRoots = waitForLockedRoots;
    this.writeConnection = writeConnection;
  }

  static PgCatalog open(Connector connector, String catalogue, boolean waitForLockedRoots) {
    Connection connection = PostgresCatalog.checkedConnection(connector, catalogue);
    try {
      int version;
      try {
        connection.setAutoCommit(true);
        version = PgSchema.version(connection);
      } catch (SQLException e) {
        throw new StoreException(catalogue, "reading the schema version", e);
      }
      if (version > PgSchema.VERSION) {
        throw new SchemaTooNewException(catalogue, version, PgSchema.VERSION);
      }
      if (version < PgSchema.VERSION) {
        PgSchema.migrate(connection, catalogue);
      }
      try (Statement s = connection.createStatement()) {
        s.execute("SET synchronous_commit = off");
      } catch (SQLException e) {
        throw new StoreException(catalogue, "configuring the connection (synchronous_commit)", e);
      }
      return new PgCatalog(connector, catalogue, waitForLockedRoots, connection);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Already failing; the first exception says why.
    }
  }

  @Override
  public String describe() {
    return catalogue;
  }

  @Override
  public synchronized PgWriter writer() {
    if (writer == null) {
      writer = new PgWriter(catalogue, writeConnection);
    }
    return writer;
  }

  /** Work against the read connection, in one read-only transaction. */
  private interface Read<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(String doing, Read<T> work) {
    synchronized (readLock) {
      try {
        Connection c = reader();
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException ignored) {
            // The connection may be gone; the first exception says why.
          }
          throw e;
        }
      } catch (SQLException e) {
        throw new StoreException(catalogue, doing, e);
      }
    }
  }

  private Connection reader() throws SQLException {
    if (readConnection == null) {
      Connection c = PostgresCatalog.checkedConnection(connector, catalogue);
      try {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
      readConnection = c;
    }
    return readConnection;
  }

  @Override
  public List<Map<String, StoredFile>> fingerprintsBelow(List<Path> roots) {
    return fingerprintsBelow(roots, new java.util.BitSet());
  }

  private List<Map<String, StoredFile>> fingerprintsBelow(List<Path> roots, java.util.BitSet filesOnly) {
    lockRoots(roots);
    return read("reading the fingerprints below " + roots, c -> {
      List<Map<String, StoredFile>> rows = new ArrayList<>(roots.size());
      String sql = "SELECT " + ID + ", " + PATH + ", " + FILE_MTIME_NS + ", " + FILE_SIZE + ", " + DEVICE + ", " + INODE
          + ", " + MISSING_SINCE + " IS NOT NULL, coalesce(" + RECHECK_WHERE + ", false) FROM " + LIBRARY + " WHERE "
          + PATH + " >= ? AND " + PATH + " < ?";
      // A folder's own files only: no '/' after its prefix (substr counts characters, as does the third ?).
      String ownSql = sql + " AND strpos(substr(" + PATH + ", ?), '/') = 0";
      try (PreparedStatement all = c.prepareStatement(sql); PreparedStatement own = c.prepareStatement(ownSql)) {
        all.setFetchSize(FETCH_ROWS);
        own.setFetchSize(FETCH_ROWS);
        for (int i = 0; i < roots.size(); i++) {
          String prefix = Library.prefixOf(roots.get(i));
          PreparedStatement select = filesOnly.get(i) ? own : all;
          Map<String, StoredFile> below = new io.github.trackscan.store.PackedFileMap(); // About 100 bytes a row, not 250: see PackedFileMap.
          select.setString(1, prefix);
          select.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
          if (filesOnly.get(i)) {
            select.setInt(3, prefix.codePointCount(0, prefix.length()) + 1);
          }
          try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
              String relative = rs.getString(2).substring(prefix.length());
              StoredFile row = new StoredFile(rs.getLong(1), relative, longOrUnknown(rs, 3), longOrUnknown(rs, 4),
                  longOrUnknown(rs, 5), longOrUnknown(rs, 6), rs.getBoolean(8), rs.getBoolean(7));
              below.put(relative, row);
            }
          }
          rows.add(below);
        }
      }
      return rows;
    });
  }

  @Override
  public List<Map<String, StoredFile>> fingerprintsIn(List<Path> folders, java.util.BitSet filesOnly) {
    return fingerprintsBelow(folders, filesOnly); // Each folder's range through the path index, and its guard.
  }

  @Override
  public long presentRowsBelow(Path root) {
    return read("counting the rows below " + root, c -> {
      String prefix = Library.prefixOf(root);
      try (PreparedStatement select = c.prepareStatement("SELECT count(*) FROM " + LIBRARY + " WHERE " + PATH
          + " >= ? AND " + PATH + " < ? AND " + MISSING_SINCE + " IS NULL")) {
        select.setString(1, prefix);
        select.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public boolean hasPresentRowsBelow(Path root) {
    return read("reading the rows below " + root, c -> {
      String prefix = Library.prefixOf(root);
      try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM " + LIBRARY + " WHERE " + PATH + " >= ? AND "
          + PATH + " < ? AND " + MISSING_SINCE + " IS NULL LIMIT 1")) {
        select.setString(1, prefix);
        select.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
        try (ResultSet rs = select.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /**
   * Takes the scan's advisory locks: each root exclusively, each folder above a root shared (so a
   * scan of /music and one of /music/a exclude each other, while /music/a and /music/b do not).
   * In the order of their keys, so two scanners never wait on each other in a cycle.
   */
  private void lockRoots(List<Path> roots) {
    if (rootsLocked) {
      return;
    }
    TreeMap<Integer, Boolean> exclusive = new TreeMap<>();
    Map<Integer, String> names = new HashMap<>();
    for (Path root : roots) {
      int key = lockKey(root.toString());
      exclusive.put(key, true);
      names.put(key, root.toString());
      for (Path up = root.getParent(); up != null; up = up.getParent()) {
        int k = lockKey(up.toString());
        exclusive.putIfAbsent(k, false);
        names.putIfAbsent(k, up.toString());
      }
    }
    try (Statement s = writeConnection.createStatement()) {
      for (Map.Entry<Integer, Boolean> lock : exclusive.entrySet()) {
        String function = (waitForLockedRoots ? "pg_advisory_lock" : "pg_try_advisory_lock")
            + (lock.getValue() ? "" : "_shared");
        try (ResultSet rs = s.executeQuery("SELECT " + function + "(" + ROOT_LOCK_CLASS + ", " + lock.getKey() + ")")) {
          rs.next();
          if (!waitForLockedRoots && !rs.getBoolean(1)) {
            s.execute("SELECT pg_advisory_unlock_all()");
            throw new StoreException(catalogue, "another trackscan is scanning " + names.get(lock.getKey())
                + (lock.getValue() ? "" : " (a folder above one of these roots)") + " in this catalogue (it holds its"
                + " PostgreSQL advisory lock); nothing was written. Wait for it, or scan with --wait-for-lock", null);
          }
        }
      }
      rootsLocked = true;
    } catch (SQLException e) {
      throw new StoreException(catalogue, "locking the roots " + roots + " against another scanner", e);
    }
  }

  /** The advisory lock key of a folder path: its CRC-32C (a collision only serialises two scans). */
  static int lockKey(String path) {
    CRC32C crc = new CRC32C();
    crc.update(path.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  private static final String SELECT_TAGS = "coalesce(" + ALBUM_ARTIST + ", " + ARTIST + "), " + ALBUM + ", "
      + DISC_NUMBER + ", " + TRACK_NUMBER + ", " + TITLE;

  @Override
  public List<MoveCandidate> missingCandidates() {
    return read("reading the missing rows", c -> {
      List<MoveCandidate> candidates = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + ID + ", " + PATH + ", "
          + FILE_MTIME_NS + ", " + FILE_SIZE + ", " + DEVICE + ", " + INODE + ", " + CONTENT_KEY + ", " + SELECT_TAGS
          + " FROM " + LIBRARY + " WHERE " + MISSING_SINCE + " IS NOT NULL")) {
        while (rs.next()) {
          StoredFile row = new StoredFile(rs.getLong(1), rs.getString(2), longOrUnknown(rs, 3), longOrUnknown(rs, 4),
              longOrUnknown(rs, 5), longOrUnknown(rs, 6), false, true);
          candidates.add(new MoveCandidate(row, longOrNull(rs, 7), identityKey(rs, 8)));
        }
      }
      return candidates;
    });
  }

  @Override
  public List<MoveCandidate> candidates(List<StoredFile> rows) {
    Map<Long, StoredFile> byId = new HashMap<>(rows.size() * 2);
    rows.forEach(row -> byId.put(row.id(), row));
    return read("reading the rows whose files are gone", c -> {
      List<MoveCandidate> candidates = new ArrayList<>(byId.size());
      Array ids = c.createArrayOf("bigint", byId.keySet().toArray());
      try (PreparedStatement s = c.prepareStatement("SELECT " + ID + ", " + CONTENT_KEY + ", " + SELECT_TAGS + " FROM "
          + LIBRARY + " WHERE " + ID + " = ANY (?)")) {
        s.setArray(1, ids);
        s.setFetchSize(FETCH_ROWS);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            candidates.add(new MoveCandidate(byId.get(rs.getLong(1)), longOrNull(rs, 2), identityKey(rs, 3)));
          }
        }
      }
      return candidates;
    });
  }

  @Override
  public void contentKeys(long[] ids, int count, long[] keys, java.util.BitSet known) {
    final int chunk = 10_000; // One array parameter a chunk: a round trip per 10,000 rows, bounded memory.
    read("reading the content keys of the rows whose files are gone", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + ID + ", " + CONTENT_KEY + " FROM " + LIBRARY + " WHERE "
          + ID + " = ANY (?) AND " + CONTENT_KEY + " IS NOT NULL")) {
        for (int from = 0; from < count; from += chunk) {
          int to = Math.min(count, from + chunk);
          Map<Long, Integer> at = CatalogQueries.positions(ids, from, to);
          s.setArray(1, c.createArrayOf("bigint", boxed(ids, from, to)));
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              int i = at.get(rs.getLong(1));
              keys[i] = rs.getLong(2);
              known.set(i);
            }
          }
        }
      }
      return null;
    });
  }

  @Override
  public Optional<io.github.trackscan.store.FolderCache> folderCache(Path root) {
    return read("reading the folder cache of " + root, c -> {
      boolean exists;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT to_regclass('" + FolderTable.PRESENCE_TABLE + "') IS NOT NULL")) {
        rs.next();
        exists = rs.getBoolean(1);
      }
      return FolderTable.read(c, root.toString(), exists);
    });
  }

  @Override
  public String[] paths(long[] ids, int from, int to) {
    String[] paths = new String[to - from];
    Map<Long, Integer> at = CatalogQueries.positions(ids, from, to);
    read("reading the paths of rows whose files are gone", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + ID + ", " + PATH + " FROM " + LIBRARY + " WHERE "
          + ID + " = ANY (?)")) {
        s.setArray(1, c.createArrayOf("bigint", boxed(ids, from, to)));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            paths[at.get(rs.getLong(1)) - from] = rs.getString(2);
          }
        }
      }
      return null;
    });
    return paths;
  }

  /** {@code ids[from, to)} boxed, for a bigint array parameter. */
  private static Long[] boxed(long[] ids, int from, int to) {
    Long[] boxed = new Long[to - from];
    for (int i = from; i < to; i++) {
      boxed[i - from] = ids[i];
    }
    return boxed;
  }

  @Override
  public Map<String, Long> rootDevices() {
    return read("reading the roots' devices", c -> {
      Map<String, Long> devices = new HashMap<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT " + PATH + ", " + ROOT_DEVICE + " FROM " + ROOT)) {
        while (rs.next()) {
          Long device = longOrNull(rs, 2);
          if (device != null) {
            devices.put(rs.getString(1), device);
          }
        }
      }
      return devices;
    });
  }

  @Override
  public List<MissingFile> missing(List<Path> roots, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    List<String> prefixes = roots.stream().map(Library::prefixOf).toList();
    return read("reading the missing rows", 
        c -> CatalogQueries.missingRows(c, Long.MAX_VALUE, prefixes, limit));
  }

  @Override
  public PurgeResult purgeMissing(Duration missingFor, List<Path> roots) {
    if (missingFor.isNegative()) {
      throw new IllegalArgumentException("missingFor must not be negative, got " + missingFor);
    }
    long before = missingFor.isZero() ? Long.MAX_VALUE : System.currentTimeMillis() - missingFor.toMillis();
    return writer().purgeMissing(before, roots.stream().map(Library::prefixOf).toList(), 500);
  }

  @Override
  public LibraryStats stats() {
    return read("reading the library's statistics", c -> {
      try (Statement s = c.createStatement()) {
        return CatalogQueries.stats(s, "count(*) FILTER (WHERE " + PARSE_STATUS + " = '" + STATUS_FAILED + "')");
      }
    });
  }

  @Override
  public Optional<ScanRecord> lastScan() {
    return read("reading the last scan", c -> {
      try (Statement s = c.createStatement()) {
        return CatalogQueries.lastScan(s);
      }
    });
  }

  @Override
  public List<RecordedError> errors(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    return read("reading the recorded errors", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT " + ID + ", " + PATH + ", " + PARSE_ERROR + " FROM "
          + LIBRARY + " WHERE " + PARSE_STATUS + " = '" + STATUS_FAILED + "' ORDER BY " + PATH + " LIMIT ?")) {
        select.setInt(1, limit);
        List<RecordedError> errors = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            errors.add(new RecordedError(rs.getLong(1), rs.getString(2), rs.getString(3)));
          }
        }
        return errors;
      }
    });
  }

  private static Long identityKey(ResultSet rs, int first) throws SQLException {
    return TrackTags.identityKey(rs.getString(first), rs.getString(first + 1), intOrNull(rs, first + 2),
        intOrNull(rs, first + 3), rs.getString(first + 4));
  }

  private static long longOrUnknown(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? StoredFile.UNKNOWN : value;
  }

  private static Long longOrNull(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  @Override
  public void close() {
    SQLException failure = null;
    synchronized (this) {
      if (writer != null) {
        writer.rollback();
        writer.closeStatements();
      }
    }
    synchronized (readLock) {
      if (readConnection != null) {
        try {
          readConnection.close();
        } catch (SQLException e) {
          failure = e;
        }
      }
    }
    try {
      if (rootsLocked && !writeConnection.isClosed()) {
        try (Statement s = writeConnection.createStatement()) {
          s.execute("SELECT pg_advisory_unlock_all()"); // A pooled connection keeps its session locks.
        }
      }
    } catch (SQLException e) {
      // The server or the connection is gone: its locks went with it.
    }
    try {
      writeConnection.close();
    } catch (SQLException e) {
      failure = e;
    }
    if (failure != null) {
      throw new StoreException(catalogue, "closing the connections", failure);
    }
  }
}
