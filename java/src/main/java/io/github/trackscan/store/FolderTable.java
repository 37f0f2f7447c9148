package io.github.trackscan.store;

import static io.github.trackscan.store.Schema.PATH;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/*
 * The folder cache's two tables, the same SQL in every engine:
 *
 *   folder        (root, path, mtime_ns, entries, device, checked_at): one row per folder a scan
 *                 listed, path relative to the root ("" for the root itself);
 *   folder_root   (root, quick_scans, full_scan_at): per root with a cache, the quick scans since
 *                 its last full scan (--full-every) and when that full scan began.
 *
 * Why outside the schema version: these tables are a cache. A full scan of a root rewrites its
 * rows whole, so nothing in them needs migrating, and an older trackscan that does not know them
 * never reads them: its full scans simply leave them stale, and a stale row only makes a quick scan
 * list a folder it could have skipped, or miss nothing (a changed folder's mtime differs from any
 * stale one). So they are made with CREATE TABLE IF NOT EXISTS by the first write that needs them,
 * in its transaction, and a database without them just has no cache (a quick scan then scans in
 * full), whatever its schema version. Another version of the library schema can come and go
 * beside them.
 */
public final class FolderTable {
  private FolderTable() {}

  static final String FOLDER = "folder";
  static final String ROOT = "root";
  static final String MTIME_NS = "mtime_ns";
  static final String ENTRIES = "entries";
  static final String DEVICE = "device";
  static final String CHECKED_AT = "checked_at";
  static final String FOLDER_ROOT = "folder_root";
  static final String QUICK_SCANS = "quick_scans";
  static final String FULL_SCAN_AT = "full_scan_at";

  /** The name of the table whose presence says a database has a folder cache at all. */
  public static final String PRESENCE_TABLE = FOLDER_ROOT;

  /** Rows per executeBatch. */
  private static final int BATCH_MAX = 512;

  /**
   * Creates both tables if missing, in the caller's transaction.
   *
   * @param text the engine's text type, with a byte-order collation where it has one (paths are
   *     compared as bytes, as the library's are)
   * @param integer the engine's 64-bit integer type
   */
  public static void create(Connection c, String text, String integer) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + FOLDER + " (" + ROOT + " " + text + " NOT NULL, " + PATH + " " + text
          + " NOT NULL, " + MTIME_NS + " " + integer + " NOT NULL, " + ENTRIES + " " + integer + " NOT NULL, " + DEVICE
          + " " + integer + " NOT NULL, " + CHECKED_AT + " " + integer + " NOT NULL, PRIMARY KEY (" + ROOT + ", " + PATH
          + "))");
      s.execute("CREATE TABLE IF NOT EXISTS " + FOLDER_ROOT + " (" + ROOT + " " + text + " PRIMARY KEY, " + QUICK_SCANS
          + " " + integer + " NOT NULL, " + FULL_SCAN_AT + " " + integer + " NOT NULL)");
    }
  }

  /**
   * The cache of {@code root}, or empty when it has none (or the tables are not there: the caller
   * checked {@code tablesExist} its own way).
   */
  public static Optional<FolderCache> read(Connection c, String root, boolean tablesExist) throws SQLException {
    if (!tablesExist) {
      return Optional.empty();
    }
    int quickScans;
    long fullScanAt;
    try (PreparedStatement select = c.prepareStatement("SELECT " + QUICK_SCANS + ", " + FULL_SCAN_AT + " FROM "
        + FOLDER_ROOT + " WHERE " + ROOT + " = ?")) {
      select.setString(1, root);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        quickScans = rs.getInt(1);
        fullScanAt = rs.getLong(2);
      }
    }
    Map<String, CachedFolder> folders = new HashMap<>();
    try (PreparedStatement select = c.prepareStatement("SELECT " + PATH + ", " + MTIME_NS + ", " + ENTRIES + ", "
        + DEVICE + ", " + CHECKED_AT + " FROM " + FOLDER + " WHERE " + ROOT + " = ?")) {
      select.setString(1, root);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          CachedFolder folder = new CachedFolder(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5));
          folders.put(folder.path(), folder);
        }
      }
    }
    if (!folders.containsKey("")) {
      return Optional.empty(); // Not a cache a full scan left (the root's own row is always there).
    }
    return Optional.of(new FolderCache(folders, quickScans, fullScanAt));
  }

  /** Replaces every row of {@code root} with {@code folders}, after a full scan; its quick scans start again from 0. */
  public static void replace(Connection c, String root, Collection<CachedFolder> folders, long fullScanAtMs)
      throws SQLException {
    deleteAll(c, root);
    upsert(c, root, folders);
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + FOLDER_ROOT + " (" + ROOT + ", " + QUICK_SCANS
        + ", " + FULL_SCAN_AT + ") VALUES (?, 0, ?)")) {
      insert.setString(1, root);
      insert.setLong(2, fullScanAtMs);
      insert.executeUpdate();
    }
  }

  /**
   * After a quick scan: writes the folders it listed, deletes those gone (each with every row
   * below it) and sets the count of quick scans.
   */
  public static void update(Connection c, String root, Collection<CachedFolder> listed, Collection<String> gone,
      int quickScans) throws SQLException {
    upsert(c, root, listed);
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + FOLDER + " WHERE " + ROOT + " = ? AND ("
        + PATH + " = ? OR (" + PATH + " >= ? AND " + PATH + " < ?))")) {
      int pending = 0;
      for (String path : gone) {
        if (path.isEmpty()) {
          throw new IllegalArgumentException("a root's own folder row is never deleted by a quick scan");
        }
        delete.setString(1, root);
        delete.setString(2, path);
        delete.setString(3, path + "/");
        delete.setString(4, path + (char) ('/' + 1));
        delete.addBatch();
        if (++pending == BATCH_MAX) {
          delete.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        delete.executeBatch();
      }
    }
    try (PreparedStatement set = c.prepareStatement("UPDATE " + FOLDER_ROOT + " SET " + QUICK_SCANS + " = ? WHERE "
        + ROOT + " = ?")) {
      set.setInt(1, quickScans);
      set.setString(2, root);
      set.executeUpdate();
    }
  }

  /** Forgets {@code root}'s cache: its next quick scan is a full one. */
  public static void clear(Connection c, String root) throws SQLException {
    deleteAll(c, root);
  }

  private static void deleteAll(Connection c, String root) throws SQLException {
    for (String table : new String[] {FOLDER, FOLDER_ROOT}) {
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE " + ROOT + " = ?")) {
        delete.setString(1, root);
        delete.executeUpdate();
      }
    }
  }

  private static void upsert(Connection c, String root, Collection<CachedFolder> folders) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + FOLDER + " (" + ROOT + ", " + PATH + ", "
        + MTIME_NS + ", " + ENTRIES + ", " + DEVICE + ", " + CHECKED_AT + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ("
        + ROOT + ", " + PATH + ") DO UPDATE SET " + MTIME_NS + " = excluded." + MTIME_NS + ", " + ENTRIES
        + " = excluded." + ENTRIES + ", " + DEVICE + " = excluded." + DEVICE + ", " + CHECKED_AT + " = excluded."
        + CHECKED_AT)) {
      int pending = 0;
      for (CachedFolder folder : folders) {
        insert.setString(1, root);
        insert.setString(2, folder.path());
        insert.setLong(3, folder.mtimeNs());
        insert.setLong(4, folder.entries());
        insert.setLong(5, folder.device());
        insert.setLong(6, folder.checkedAtMs());
        insert.addBatch();
        if (++pending == BATCH_MAX) {
          insert.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        insert.executeBatch();
      }
    }
  }
}
