package io.github.trackscan.store;

import static io.github.trackscan.store.Schema.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The library database: one SQLite file holding the {@code library} table (one row per audio file)
 * and the {@code scan} table (one row per scan).
 *
 * <p>{@link #open} creates the file if needed and migrates an older schema in place (adding
 * columns, never dropping any: columns a host added survive); a database from a newer schema is
 * refused with {@link SchemaTooNewException} before anything is written.
 *
 * <p>Threading: reads go through one read-only connection and are serialized; writes go through
 * the single {@link LibraryWriter}, which one thread at a time may use. Readers see only committed
 * transactions (WAL), never half a batch. Another process may read the file at the same time.
 */
public final class Library implements Catalog {
  /** The database file name used when the host names none. */
  public static final String DEFAULT_FILE_NAME = "library.db";

  /** Pages of cache per connection, in KiB (negative: KiB, per SQLite's convention). */
  private static final int CACHE_KIB = 32 * 1024;
  private static final long MMAP_BYTES = 256L * 1024 * 1024;
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Path database;
  private final Connection writeConnection;
  private final Object readLock = new Object();
  private Connection readConnection;
  private LibraryWriter writer;
  /** Made with the writer (a catalogue only read never starts its thread); closed before the connections. */
  private volatile WalCheckpointer checkpointer;
  private volatile boolean snapshotUnusable;

  private Library(Path database, Connection writeConnection) {
    this.database = database;
    this.writeConnection = writeConnection;
  }

  /**
   * Opens (creating if needed) and migrates the library in {@code database}.
   *
   * @throws SchemaTooNewException when the file was written by a newer schema; nothing is written
   * @throws StoreException when the file cannot be opened, is not a database, or cannot be migrated
   */
  public static Library open(Path database) {
    Objects.requireNonNull(database, "database");
    checkWritable(database);
    Connection connection = connect(database, false);
    try {
      int version;
      try {
        version = Schema.userVersion(connection);
      } catch (SQLException e) {
        throw new StoreException(database, "reading the schema version (is it an SQLite database?)", e);
      }
      if (version > Schema.VERSION) {
        throw new SchemaTooNewException(database, version, Schema.VERSION);
      }
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = NORMAL");
        s.execute("PRAGMA cache_size = -" + CACHE_KIB);
        s.execute("PRAGMA temp_store = MEMORY");
        // A host's foreign keys on library.id are honoured: a purge that its ON DELETE RESTRICT
        // forbids fails, and deletes nothing of that batch, rather than leaving dangling references.
        s.execute("PRAGMA foreign_keys = ON");
      } catch (SQLException e) {
        throw new StoreException(database, "configuring the connection (WAL, synchronous=NORMAL)", e);
      }
      if (version < Schema.VERSION) {
        Schema.migrate(connection, database);
      }
      return new Library(database, connection);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  /**
   * Refuses a read-only database file or folder before SQLite opens it: otherwise the scan runs to
   * its first write before failing, and SQLite leaves -wal and -shm files beside a read-only file.
   */
  private static void checkWritable(Path database) {
    Path folder = database.toAbsolutePath().getParent();
    if (Files.exists(database) && !Files.isWritable(database)) {
      throw new StoreException(database, "the database file is read-only; nothing was written", null);
    }
    if (folder != null && Files.isDirectory(folder) && !Files.isWritable(folder)) {
      throw new StoreException(database, "its folder is read-only (SQLite keeps its -wal and -shm files beside the"
          + " database); nothing was written", null);
    }
  }

  private static Connection connect(Path database, boolean readOnly) {
    Properties properties = new Properties();
    properties.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    // trackscan hands out its own ids; without this, sqlite-jdbc runs a regex over the SQL after
    // every executeUpdate to decide whether to fetch generated keys (a move of 41k rows: 41k times).
    properties.setProperty("jdbc.get_generated_keys", "false");
    try {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database, properties);
      if (readOnly) {
        try (Statement s = connection.createStatement()) {
          s.execute("PRAGMA query_only = 1");
          s.execute("PRAGMA cache_size = -" + CACHE_KIB);
          s.execute("PRAGMA mmap_size = " + MMAP_BYTES);
        }
      }
      return connection;
    } catch (SQLException e) {
      throw new StoreException(database, "opening the database" + (readOnly ? " for reading" : ""), e);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Already failing; the first exception says why.
    }
  }

  /**
   * Deletes a library database and the files SQLite keeps beside it (WAL, shared memory, rollback
   * journal). For a database this process made and must not leave half-made, or a benchmark's.
   *
   * @throws IOException when a file exists and cannot be deleted
   */
  public static void deleteFiles(Path database) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
    }
  }

  /** The database file. */
  public Path database() {
    return database;
  }

  @Override
  public String describe() {
    return database.toString();
  }

  /**
   * The SQLite catalogue in {@code database} as a {@link CatalogSource}: {@link CatalogSource#open()}
   * is {@link #open(Path)}.
   *
   * @throws NullPointerException if null
   */
  public static CatalogSource source(Path database) {
    Path file = Objects.requireNonNull(database, "database").toAbsolutePath().normalize();
    return new CatalogSource() {
      @Override
      public Catalog open() {
        return Library.open(file);
      }

      @Override
      public String describe() {
        return file.toString();
      }

      @Override
      public boolean exists() {
        return Files.isRegularFile(file);
      }

      @Override
      public Optional<Path> file() {
        return Optional.of(file);
      }

      @Override
      public String toString() {
        return file.toString();
      }
    };
  }

  /** The schema version this code reads and writes ({@code PRAGMA user_version}). */
  public static int schemaVersion() {
    return Schema.VERSION;
  }

  /**
   * The single writer of this library, made on first call. Use it from one thread at a time.
   *
   * @throws StoreException when its statements cannot be prepared
   */
  @Override
  public synchronized LibraryWriter writer() {
    if (writer == null) {
      try {
        checkpointer = new WalCheckpointer(connect(database, false), writeConnection);
      } catch (SQLException | StoreException e) {
        checkpointer = null; // The writer checkpoints in its commits, as SQLite does by default.
      }
      writer = new LibraryWriter(database, writeConnection, this);
    }
    return writer;
  }

  /**
   * The fingerprints of every row below {@code roots} (absolute, normalized folder paths), keyed by
   * absolute path.
   *
   * @throws StoreException when the read fails
   */
  public Map<String, StoredFile> fingerprints(List<Path> roots) {
    Map<String, StoredFile> rows = new HashMap<>();
    List<Map<String, StoredFile>> below = fingerprintsBelow(roots);
    for (int i = 0; i < roots.size(); i++) {
      String prefix = prefixOf(roots.get(i));
      below.get(i).values().forEach(row -> rows.put(prefix + row.path(), row.withPath(prefix + row.path())));
    }
    return rows;
  }

  /**
   * For each of {@code roots} (absolute, normalized, none inside another), the fingerprints of its
   * rows keyed by path relative to it, '/'-separated as the walkers report paths; each StoredFile's
   * path is that relative path too. This is the scanner's read: it looks walked entries up without
   * building an absolute path for each. Read from the fingerprint snapshot when a current one is
   * stored (a few blobs), else row by row with SQL.
   *
   * @return one map per root, in the order of {@code roots}
   * @throws StoreException when the read fails
   */
  @Override
  public List<Map<String, StoredFile>> fingerprintsBelow(List<Path> roots) {
    List<Map<String, StoredFile>> rows = new ArrayList<>(roots.size());
    List<byte[]> prefixes = new ArrayList<>(roots.size());
    for (Path root : roots) {
      rows.add(new PackedFileMap());
      prefixes.add(prefixOf(root).getBytes(StandardCharsets.UTF_8));
    }
    synchronized (readLock) {
      readFingerprints(roots, prefixes, rows);
      markRechecks(roots, rows);
      markMissing(roots, rows);
      return rows;
    }
  }

  /**
   * The same as {@link #fingerprintsBelow} for a few folders (a watch's or a quick scan's folders
   * that changed), each whole or its own files only (Catalog.fingerprintsIn): read through the path
   * index only, since the snapshot holds every row of the library and reading it all would cost
   * more than the rows wanted.
   *
   * @param folders absolute, normalized
   * @throws StoreException when the read fails
   */
  @Override
  public List<Map<String, StoredFile>> fingerprintsIn(List<Path> folders, java.util.BitSet filesOnly) {
    List<Map<String, StoredFile>> rows = new ArrayList<>(folders.size());
    List<byte[]> prefixes = new ArrayList<>(folders.size());
    for (Path folder : folders) {
      rows.add(new HashMap<>());
      prefixes.add(prefixOf(folder).getBytes(StandardCharsets.UTF_8));
    }
    synchronized (readLock) {
      readRows(folders, prefixes, rows, filesOnly);
      markRechecks(folders, rows);
      markMissing(folders, rows);
      return rows;
    }
  }

  /**
   * Whether the library holds a row below {@code root} whose file was there at its last scan: a
   * root that looks empty while this is true is not mounted, not emptied.
   *
   * @throws StoreException when the read fails
   */
  @Override
  public long presentRowsBelow(Path root) {
    String prefix = prefixOf(root);
    String sql = "SELECT count(*) FROM " + LIBRARY + " WHERE " + PATH + " >= ? AND " + PATH + " < ? AND "
        + MISSING_SINCE + " IS NULL";
    synchronized (readLock) {
      try (PreparedStatement select = reader().prepareStatement(sql)) {
        select.setString(1, prefix);
        select.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw new StoreException(database, "counting the rows below " + root, e);
      }
    }
  }

  @Override
  public boolean hasPresentRowsBelow(Path root) {
    String prefix = prefixOf(root);
    String sql = "SELECT 1 FROM " + LIBRARY + " WHERE " + PATH + " >= ? AND " + PATH + " < ? AND " + MISSING_SINCE
        + " IS NULL LIMIT 1";
    synchronized (readLock) {
      try (PreparedStatement select = reader().prepareStatement(sql)) {
        select.setString(1, prefix);
        select.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
        try (ResultSet rs = select.executeQuery()) {
          return rs.next();
        }
      } catch (SQLException e) {
        throw new StoreException(database, "reading the rows below " + root, e);
      }
    }
  }

  private void readFingerprints(List<Path> roots, List<byte[]> prefixes, List<Map<String, StoredFile>> rows) {
    try {
      if (FingerprintSnapshot.read(reader(), prefixes, rows)) {
        return;
      }
      snapshotUnusable = true;
    } catch (SQLException e) {
      throw new StoreException(database, "reading the fingerprint snapshot", e);
    }
    readRows(roots, prefixes, rows, new java.util.BitSet());
  }

  private void readRows(List<Path> roots, List<byte[]> prefixes, List<Map<String, StoredFile>> rows,
      java.util.BitSet filesOnly) {
    // The same rows row by row, each root's through the path index: [prefix, prefix with '/' + 1);
    // a folder's own files only: no '/' after the prefix (substr counts characters, as does ?3).
    String sql = FingerprintSnapshot.SELECT_ROWS + " WHERE " + PATH + " >= ?1 AND " + PATH + " < ?2";
    String ownSql = sql + " AND instr(substr(" + PATH + ", ?3), '/') = 0";
    try (PreparedStatement below = reader().prepareStatement(sql);
        PreparedStatement own = reader().prepareStatement(ownSql)) {
      for (int i = 0; i < roots.size(); i++) {
        String prefix = prefixOf(roots.get(i));
        PreparedStatement select = filesOnly.get(i) ? own : below;
        select.setString(1, prefix);
        select.setString(2, prefix.substring(0, prefix.length() - 1) + (char) ('/' + 1));
        if (filesOnly.get(i)) {
          select.setInt(3, prefix.codePointCount(0, prefix.length()) + 1);
        }
        try (ResultSet rs = select.executeQuery()) {
          // Into this folder's map, whatever other folder's prefix its rows also have: where
          // folders nest, the deeper one's rows belong in its own map (and in the shallower one's).
          FingerprintSnapshot.addRows(rs, List.of(prefixes.get(i)), List.of(rows.get(i)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(database, "reading the fingerprints below " + roots, e);
    }
  }

  /**
   * Marks the rows whose fingerprint cannot be trusted yet (Schema.RECHECK_WHERE), read through
   * the partial index that holds only them: usually none.
   */
  private void markRechecks(List<Path> roots, List<Map<String, StoredFile>> rows) {
    markRows(roots, rows, RECHECK_WHERE, StoredFile::withRecheck, "reading the rows to read again");
  }

  /** Marks the rows whose file an earlier scan found gone, read through their partial index. */
  private void markMissing(List<Path> roots, List<Map<String, StoredFile>> rows) {
    markRows(roots, rows, MISSING_SINCE + " IS NOT NULL", StoredFile::withMissing, "reading the missing rows");
  }

  private void markRows(List<Path> roots, List<Map<String, StoredFile>> rows, String where,
      java.util.function.UnaryOperator<StoredFile> mark, String doing) {
    List<String> prefixes = roots.stream().map(Library::prefixOf).toList();
    String sql = "SELECT " + ID + ", " + PATH + " FROM " + LIBRARY + " WHERE " + where;
    try (Statement select = reader().createStatement(); ResultSet rs = select.executeQuery(sql)) {
      while (rs.next()) {
        long id = rs.getLong(1);
        String path = rs.getString(2);
        for (int i = 0; i < prefixes.size(); i++) {
          String prefix = prefixes.get(i);
          if (path != null && path.startsWith(prefix)) {
            rows.get(i).computeIfPresent(path.substring(prefix.length()),
                (relative, row) -> row.id() == id ? mark.apply(row) : row);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException(database, doing, e);
    }
  }

  /** The columns of a row's identity by tags (TrackTags.identityKey), in its order. */
  private static final String SELECT_TAGS = "coalesce(" + ALBUM_ARTIST + ", " + ARTIST + "), " + ALBUM + ", "
      + DISC_NUMBER + ", " + TRACK_NUMBER + ", " + TITLE;
  /** What a move candidate is read with: the row's fingerprint, content key and identity tags. */
  private static final String SELECT_CANDIDATES = "SELECT " + ID + ", " + PATH + ", " + FILE_MTIME_NS + ", "
      + FILE_SIZE + ", " + DEVICE + ", " + INODE + ", " + MISSING_SINCE + ", " + CONTENT_KEY + ", " + SELECT_TAGS
      + " FROM " + LIBRARY;
  /** The keys of rows whose fingerprint the caller has. */
  private static final String SELECT_KEYS = "SELECT " + ID + ", " + CONTENT_KEY + ", " + SELECT_TAGS + " FROM " + LIBRARY;

  /**
   * Every row of the library whose file an earlier scan found gone, wherever it lies: a file found
   * at a new path may be one of them (moved while the scans could not see it, or to another root).
   *
   * @throws StoreException when the read fails
   */
  @Override
  public List<MoveCandidate> missingCandidates() {
    synchronized (readLock) {
      try (Statement select = reader().createStatement();
          ResultSet rs = select.executeQuery(SELECT_CANDIDATES + " WHERE " + MISSING_SINCE + " IS NOT NULL")) {
        List<MoveCandidate> candidates = new ArrayList<>();
        while (rs.next()) {
          candidates.add(candidate(rs));
        }
        return candidates;
      } catch (SQLException e) {
        throw new StoreException(database, "reading the missing rows", e);
      }
    }
  }

  /**
   * These rows (those a scan just found gone, with absolute paths) as move candidates, with their
   * content and identity keys; rows no longer in the library are left out.
   *
   * @throws StoreException when the read fails
   */
  @Override
  public List<MoveCandidate> candidates(List<StoredFile> rows) {
    final int chunk = 500;
    Map<Long, StoredFile> byId = new HashMap<>(rows.size() * 2);
    rows.forEach(row -> byId.put(row.id(), row));
    long[] ids = byId.keySet().stream().mapToLong(Long::longValue).toArray();
    List<MoveCandidate> candidates = new ArrayList<>(ids.length);
    synchronized (readLock) {
      try (Statement s = reader().createStatement()) {
        s.execute("BEGIN"); // One read transaction: the chunks agree with each other.
        try {
          for (int from = 0; from < ids.length; from += chunk) {
            String in = CatalogQueries.idList(ids, from, Math.min(ids.length, from + chunk));
            try (ResultSet rs = s.executeQuery(SELECT_KEYS + " WHERE " + ID + " IN (" + in + ")")) {
              while (rs.next()) {
                candidates.add(new MoveCandidate(byId.get(rs.getLong(1)), rs.getObject(2) == null ? null : rs.getLong(2),
                    identityKey(rs, 3)));
              }
            }
          }
        } finally {
          s.execute("COMMIT");
        }
      } catch (SQLException e) {
        throw new StoreException(database, "reading the rows whose files are gone", e);
      }
    }
    return candidates;
  }

  @Override
  public void contentKeys(long[] ids, int count, long[] keys, java.util.BitSet known) {
    final int chunk = 500; // Ids inlined as literals: SQLite's default limit is 32,766 variables, literals have none.
    synchronized (readLock) {
      try (Statement s = reader().createStatement()) {
        s.execute("BEGIN"); // One read transaction: the chunks agree with each other.
        try {
          for (int from = 0; from < count; from += chunk) {
            int to = Math.min(count, from + chunk);
            Map<Long, Integer> at = CatalogQueries.positions(ids, from, to);
            try (ResultSet rs = s.executeQuery("SELECT " + ID + ", " + CONTENT_KEY + " FROM " + LIBRARY + " WHERE "
                + ID + " IN (" + CatalogQueries.idList(ids, from, to) + ") AND " + CONTENT_KEY + " IS NOT NULL")) {
              while (rs.next()) {
                int i = at.get(rs.getLong(1));
                keys[i] = rs.getLong(2);
                known.set(i);
              }
            }
          }
        } finally {
          s.execute("COMMIT");
        }
      } catch (SQLException e) {
        throw new StoreException(database, "reading the content keys of the rows whose files are gone", e);
      }
    }
  }

  @Override
  public String[] paths(long[] ids, int from, int to) {
    String[] paths = new String[to - from];
    Map<Long, Integer> at = CatalogQueries.positions(ids, from, to);
    synchronized (readLock) {
      try (Statement s = reader().createStatement();
          ResultSet rs = s.executeQuery("SELECT " + ID + ", " + PATH + " FROM " + LIBRARY + " WHERE " + ID + " IN ("
              + CatalogQueries.idList(ids, from, to) + ")")) {
        while (rs.next()) {
          paths[at.get(rs.getLong(1)) - from] = rs.getString(2);
        }
      } catch (SQLException e) {
        throw new StoreException(database, "reading the paths of rows whose files are gone", e);
      }
    }
    return paths;
  }

  private static MoveCandidate candidate(ResultSet rs) throws SQLException {
    StoredFile row = new StoredFile(rs.getLong(1), rs.getString(2), longOrUnknown(rs, 3), longOrUnknown(rs, 4),
        longOrUnknown(rs, 5), longOrUnknown(rs, 6), false, rs.getObject(7) != null);
    Long key = rs.getObject(8) == null ? null : rs.getLong(8);
    return new MoveCandidate(row, key, identityKey(rs, 9));
  }

  /** The identity key of the tag columns selected from {@code first} on, in SELECT_TAGS' order. */
  private static Long identityKey(ResultSet rs, int first) throws SQLException {
    return io.github.trackscan.tags.TrackTags.identityKey(rs.getString(first), rs.getString(first + 1),
        intOrNull(rs, first + 2), intOrNull(rs, first + 3), rs.getString(first + 4));
  }

  private static long longOrUnknown(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? StoredFile.UNKNOWN : value;
  }

  private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /**
   * The device each root was on at its last complete scan, by root path (as {@link Path#toString}).
   *
   * @throws StoreException when the read fails
   */
  @Override
  public Optional<FolderCache> folderCache(Path root) {
    synchronized (readLock) {
      try {
        Connection c = reader();
        boolean exists;
        try (PreparedStatement select = c.prepareStatement(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
          select.setString(1, FolderTable.PRESENCE_TABLE);
          try (ResultSet rs = select.executeQuery()) {
            exists = rs.next();
          }
        }
        return FolderTable.read(c, root.toString(), exists);
      } catch (SQLException e) {
        throw new StoreException(database, "reading the folder cache of " + root, e);
      }
    }
  }

  @Override
  public Map<String, Long> rootDevices() {
    synchronized (readLock) {
      try (Statement select = reader().createStatement();
          ResultSet rs = select.executeQuery("SELECT " + PATH + ", " + ROOT_DEVICE + " FROM " + ROOT)) {
        Map<String, Long> devices = new HashMap<>();
        while (rs.next()) {
          long device = rs.getLong(2);
          if (!rs.wasNull()) {
            devices.put(rs.getString(1), device);
          }
        }
        return devices;
      } catch (SQLException e) {
        throw new StoreException(database, "reading the roots' devices", e);
      }
    }
  }

  /**
   * Rows whose file is missing, by path, at most {@code limit} of them; below {@code roots} only,
   * unless that is empty.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws StoreException when the read fails
   */
  @Override
  public List<MissingFile> missing(List<Path> roots, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    synchronized (readLock) {
      try {
        return CatalogQueries.missingRows(reader(), Long.MAX_VALUE, roots.stream().map(Library::prefixOf).toList(), limit);
      } catch (SQLException e) {
        throw new StoreException(database, "reading the missing rows", e);
      }
    }
  }

  /**
   * Deletes the rows missing for at least {@code missingFor} (below {@code roots} only, unless that
   * is empty): the one way rows of vanished files are deleted. In transactions of a few hundred
   * rows; a batch the database refuses (a host's foreign key with ON DELETE RESTRICT) is rolled
   * back whole and reported, and the others go on.
   *
   * @throws IllegalArgumentException if {@code missingFor} is negative
   * @throws StoreException when the missing rows cannot be read
   */
  @Override
  public PurgeResult purgeMissing(java.time.Duration missingFor, List<Path> roots) {
    if (missingFor.isNegative()) {
      throw new IllegalArgumentException("missingFor must not be negative, got " + missingFor);
    }
    // Zero means every missing row, whatever its date (a clock set back must not hide rows from it).
    long before = missingFor.isZero() ? Long.MAX_VALUE : System.currentTimeMillis() - missingFor.toMillis();
    return writer().purgeMissing(before, roots.stream().map(Library::prefixOf).toList(), PURGE_BATCH_ROWS);
  }

  private static final int PURGE_BATCH_ROWS = 500;

  /** Whether the last {@link #fingerprintsBelow} found no usable snapshot (so the next refresh rebuilds it). */
  boolean snapshotUnusable() {
    return snapshotUnusable;
  }

  /** A write transaction was committed (LibraryWriter). */
  void committed() {
    WalCheckpointer c = checkpointer; // Read once: close() may clear it.
    if (c != null) {
      c.committed();
    }
  }

  /** How many background checkpoints have run (tests); -1 without the thread. */
  synchronized long checkpoints() {
    return checkpointer == null ? -1 : checkpointer.checkpoints();
  }

  void snapshotWritten() {
    snapshotUnusable = false;
  }

  /** The prefix every path below {@code root} starts with: the root with one trailing '/'. */
  public static String prefixOf(Path root) {
    String s = io.github.trackscan.walk.PathNames.text(root); // toString() would lose a name that is not UTF-8
    return s.endsWith("/") ? s : s + '/';
  }

  /**
   * A summary of the library: tracks, failures, tracks per format, total duration and size, and
   * the last scan.
   *
   * @throws StoreException when the read fails
   */
  @Override
  public LibraryStats stats() {
    synchronized (readLock) {
      try (Statement s = reader().createStatement()) {
        // One read transaction, so the numbers agree with each other.
        s.execute("BEGIN");
        try {
          return CatalogQueries.stats(s, "coalesce(sum(" + PARSE_STATUS + " = '" + STATUS_FAILED + "'), 0)");
        } finally {
          s.execute("COMMIT");
        }
      } catch (SQLException e) {
        throw new StoreException(database, "reading the library's statistics", e);
      }
    }
  }

  /**
   * The most recent scan recorded, if any.
   *
   * @throws StoreException when the read fails
   */
  @Override
  public Optional<ScanRecord> lastScan() {
    synchronized (readLock) {
      try (Statement s = reader().createStatement()) {
        return CatalogQueries.lastScan(s);
      } catch (SQLException e) {
        throw new StoreException(database, "reading the last scan", e);
      }
    }
  }

  /**
   * Files recorded as unparseable, by path, at most {@code limit} of them.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws StoreException when the read fails
   */
  @Override
  public List<RecordedError> errors(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    synchronized (readLock) {
      try (PreparedStatement select = reader().prepareStatement("SELECT " + ID + ", " + PATH + ", " + PARSE_ERROR
          + " FROM " + LIBRARY + " WHERE " + PARSE_STATUS + " = '" + STATUS_FAILED + "' ORDER BY " + PATH + " LIMIT ?")) {
        select.setInt(1, limit);
        List<RecordedError> errors = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            errors.add(new RecordedError(rs.getLong(1), rs.getString(2), rs.getString(3)));
          }
        }
        return errors;
      } catch (SQLException e) {
        throw new StoreException(database, "reading the recorded errors", e);
      }
    }
  }

  private Connection reader() {
    if (readConnection == null) {
      readConnection = connect(database, true);
    }
    return readConnection;
  }

  /**
   * Closes both connections. A write transaction still open is rolled back.
   *
   * @throws StoreException when closing fails
   */
  @Override
  public void close() {
    SQLException failure = null;
    synchronized (this) {
      if (writer != null) {
        writer.closeStatements();
      }
      if (checkpointer != null) {
        try {
          checkpointer.close();
        } catch (SQLException e) {
          failure = e;
        }
        checkpointer = null;
      }
    }
    synchronized (readLock) {
      try {
        if (readConnection != null) {
          readConnection.close();
        }
      } catch (SQLException e) {
        failure = e;
      }
    }
    try {
      writeConnection.close();
    } catch (SQLException e) {
      failure = e;
    }
    if (failure != null) {
      throw new StoreException(database, "closing the database", failure);
    }
  }
}
