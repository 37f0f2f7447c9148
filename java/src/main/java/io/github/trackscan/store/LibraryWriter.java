package io.github.trackscan.store;

import static io.github.trackscan.store.Schema.*;

import io.github.trackscan.tags.TrackTags;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The library's single writer: one prepared statement per kind of change, made once and reused,
 * and explicit transactions. Every method writes only trackscan's own columns, by id, so columns a
 * host added to the {@code library} table are never touched (except by {@link #delete}).
 *
 * <p>Not thread-safe: one thread at a time. Changes are visible to readers only after
 * {@link #commit()}.
 */
public final class LibraryWriter implements CatalogWriter {
  private final Path database;
  private final Connection connection;
  private PreparedStatement insert;
  /** The short insert (Binding.insertSql(false)), for files without a sparse player field. */
  private PreparedStatement insertShort;
  private PreparedStatement updateShort;
  /** Rows waiting in each insert's batch. */
  private int pendingFull;
  private int pendingShort;
  private PreparedStatement update;
  private PreparedStatement updateFailed;
  private PreparedStatement move;
  private PreparedStatement delete;
  private PreparedStatement insertScan;
  private PreparedStatement recheckParsed;
  private PreparedStatement recheckFailed;
  private PreparedStatement touchChecked;
  private PreparedStatement markMissing;
  private PreparedStatement restore;
  private PreparedStatement recordRoot;
  private PreparedStatement deleteMissing;
  private boolean inTransaction;
  /** The checked_at of rows written from now on; NOT_SET: each write's own time. */
  private long checkedAtMs = NOT_SET;
  /** The id the next insert gets; read under the write lock at a transaction's first insert. */
  private long nextId = NO_ID;
  private int pendingInserts;
  private String firstPendingPath;

  private static final long NO_ID = -1;
  private static final long NOT_SET = Long.MIN_VALUE;
  /** The columns {@link #bindFile} binds, in its order. */
  private static final List<String> FILE_COLUMNS = Binding.FILE_COLUMNS;
  /** Inserts sent to SQLite in one executeBatch: one JNI crossing for many rows. */
  private static final int INSERT_BATCH_MAX = 256;

  private final Library library;

  LibraryWriter(Path database, Connection connection, Library library) {
    this.database = database;
    this.connection = connection;
    this.library = library;
  }

  /**
   * Says when the scan whose rows are written next began (it read their files' content after that):
   * stored as each inserted, updated or rechecked row's {@code checked_at}. A row whose file's mtime
   * is that recent is read again by the next scan (see {@link StoredFile#recheck()}). Without this
   * call each write's own time is used, which is right for a host that read the file just before.
   *
   * @param epochMs milliseconds since the Unix epoch
   */
  @Override
  public void scanStartedAt(long epochMs) {
    checkedAtMs = epochMs;
  }

  private long checkedAt(long nowMs) {
    return checkedAtMs == NOT_SET ? nowMs : checkedAtMs;
  }

  /**
   * Starts a write transaction ({@code BEGIN IMMEDIATE}: takes the write lock now, waiting for
   * another writer up to the busy timeout).
   *
   * @throws IllegalStateException if a transaction is already open
   * @throws StoreException when the lock cannot be taken
   */
  @Override
  public void begin() {
    if (inTransaction) {
      throw new IllegalStateException("a write transaction is already open");
    }
    execute("BEGIN IMMEDIATE", "starting a write transaction");
    inTransaction = true;
    nextId = NO_ID;
    pendingInserts = 0;
  }

  /**
   * Commits the open transaction.
   *
   * @throws IllegalStateException if none is open
   * @throws StoreException when the commit fails (the transaction is then rolled back)
   */
  @Override
  public void commit() {
    requireTransaction();
    try {
      flushInserts();
      execute("COMMIT", "committing a write transaction");
    } catch (StoreException e) {
      rollback();
      throw e;
    }
    inTransaction = false;
    library.committed();
  }

  /** Rolls back the open transaction, if any; never throws. */
  @Override
  public void rollback() {
    if (!inTransaction) {
      return;
    }
    inTransaction = false;
    pendingInserts = 0;
    pendingFull = 0;
    pendingShort = 0;
    for (PreparedStatement s : new PreparedStatement[] {insert, insertShort}) {
      if (s != null) {
        try {
          s.clearBatch();
        } catch (SQLException ignored) {
          // The rollback below discards the rows anyway.
        }
      }
    }
    try (Statement s = connection.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // SQLite rolls back on its own after some errors; nothing more can be done here.
    }
  }

  /** Whether a transaction is open. */
  @Override
  public boolean inTransaction() {
    return inTransaction;
  }

  /**
   * Inserts a file and returns its new id. Rows are sent to SQLite in batches; they are all
   * written by {@link #commit()}. Ids are allocated under the transaction's write lock, after the
   * largest id in use (and after any id an AUTOINCREMENT table ever handed out).
   *
   * @param path the absolute path, not in the library yet
   * @param format the lower-case extension ({@code mp3})
   * @param fingerprint the file's fingerprint as walked
   * @param tags what was parsed, or {@code null} when parsing failed
   * @param error why parsing failed, or {@code null}
   * @param contentKey the file's content key, or {@code null} when it could not be read
   * @param nowMs the time of the change, milliseconds since the Unix epoch
   * @throws StoreException when the insert fails, for instance because another writer inserted the
   *     same path since the fingerprints were read (then the whole transaction is void: roll back)
   */
  @Override
  public long insert(String path, String format, Fingerprint fingerprint, TrackTags tags, String error,
      Long contentKey, long nowMs) {
    requireTransaction();
    try {
      boolean full = Binding.full(tags);
      if (full && insert == null) {
        insert = prepare(Binding.insertSql(true));
      } else if (!full && insertShort == null) {
        insertShort = prepare(Binding.insertSql(false));
      }
      PreparedStatement s = full ? insert : insertShort;
      if (nextId == NO_ID) {
        nextId = firstFreeId();
      }
      long id = nextId++;
      int i = 1;
      s.setLong(i++, id);
      s.setString(i++, path);
      i = Binding.tags(s, i, tags, false, full);
      i = bindFile(s, i, format, fingerprint);
      s.setString(i++, error == null ? STATUS_OK : STATUS_FAILED);
      setString(s, i++, error);
      s.setLong(i++, nowMs);
      s.setLong(i++, nowMs);
      s.setLong(i++, checkedAt(nowMs));
      setLong(s, i, contentKey);
      s.addBatch();
      if (full) {
        pendingFull++;
      } else {
        pendingShort++;
      }
      if (pendingInserts++ == 0) {
        firstPendingPath = path;
      }
      if (pendingInserts >= INSERT_BATCH_MAX) {
        flushInserts();
      }
      return id;
    } catch (SQLException e) {
      throw new StoreException(database, "inserting " + path, e);
    }
  }

  private long firstFreeId() throws SQLException {
    long max = 0;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(" + ID + "), 0) FROM " + LIBRARY)) {
      if (rs.next()) {
        max = rs.getLong(1);
      }
    }
    if (hasSequenceTable()) {
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = '" + LIBRARY + "'")) {
        if (rs.next()) {
          max = Math.max(max, rs.getLong(1));
        }
      }
    }
    return max + 1;
  }

  private boolean hasSequenceTable() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")) {
      return rs.next();
    }
  }

  private void flushInserts() {
    if (pendingInserts == 0) {
      return;
    }
    try {
      // Rows carry their ids, so the two batches may run in either order.
      if (pendingFull > 0) {
        insert.executeBatch();
      }
      if (pendingShort > 0) {
        insertShort.executeBatch();
      }
    } catch (SQLException e) {
      throw new StoreException(database, "inserting a batch of " + pendingInserts + " files from " + firstPendingPath, e);
    } finally {
      pendingInserts = 0;
      pendingFull = 0;
      pendingShort = 0;
    }
  }

  /**
   * Overwrites the tags, fingerprint and content key of row {@code id} after a successful parse;
   * a missing row is present again.
   *
   * @throws StoreException when the update fails
   */
  @Override
  public void update(long id, String format, Fingerprint fingerprint, TrackTags tags, Long contentKey, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      boolean full = Binding.full(tags);
      if (full && update == null) {
        update = prepare(updateParsedSql(false, true));
      } else if (!full && updateShort == null) {
        updateShort = prepare(updateParsedSql(false, false));
      }
      updateParsed(full ? update : updateShort, id, format, fingerprint, tags, full, contentKey, nowMs);
    } catch (SQLException e) {
      throw new StoreException(database, "updating row " + id, e);
    }
  }

  /**
   * Records that row {@code id}'s file changed and could not be parsed: its fingerprint and the
   * error are stored (so it is not read again until it changes); its previous tags are kept. A
   * missing row is present again.
   *
   * @throws StoreException when the update fails
   */
  @Override
  public void updateFailed(long id, String format, Fingerprint fingerprint, String error, Long contentKey,
      long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (updateFailed == null) {
        updateFailed = prepare(updateFailedSql(false));
      }
      updateFailed(updateFailed, id, format, fingerprint, error, contentKey, nowMs);
    } catch (SQLException e) {
      throw new StoreException(database, "recording the parse error of row " + id, e);
    }
  }

  /**
   * Records what a second read of row {@code id}'s file found, its fingerprint matching the row's
   * (see {@link StoredFile#recheck()}): as {@link #update} or {@link #updateFailed} would, but only
   * if the tags or the parse outcome differ from what the row holds. Either way its
   * {@code checked_at} moves on, so a file that stays put stops being read again.
   *
   * @param tags what was parsed, or {@code null} when parsing failed
   * @param error why parsing failed, or {@code null}
   * @return whether the row changed (then it is a MODIFIED file)
   * @throws StoreException when the update fails
   */
  @Override
  public boolean recheck(long id, String format, Fingerprint fingerprint, TrackTags tags, String error,
      Long contentKey, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      int changed;
      if (error == null) {
        if (recheckParsed == null) {
          recheckParsed = prepare(updateParsedSql(true));
        }
        changed = updateParsed(recheckParsed, id, format, fingerprint, tags, true, contentKey, nowMs);
      } else {
        if (recheckFailed == null) {
          recheckFailed = prepare(updateFailedSql(true));
        }
        changed = updateFailed(recheckFailed, id, format, fingerprint, error, contentKey, nowMs);
      }
      if (changed > 0) {
        return true;
      }
      if (touchChecked == null) {
        touchChecked = prepare("UPDATE " + LIBRARY + " SET " + CHECKED_AT + " = ?, " + CONTENT_KEY + " = coalesce(?, "
            + CONTENT_KEY + ") WHERE " + ID + " = ?");
      }
      touchChecked.setLong(1, checkedAt(nowMs));
      setLong(touchChecked, 2, contentKey);
      touchChecked.setLong(3, id);
      touchChecked.executeUpdate();
      return false;
    } catch (SQLException e) {
      throw new StoreException(database, "recording the second read of row " + id, e);
    }
  }

  /*
   * The two updates after a parse. Parameters are numbered (?N) and bound in order: tags, then the
   * file (format, size, mtime, device, inode), then the error if any, updated_at, checked_at, the
   * content key and the id. Both clear missing_since: the file was just read, so it is there. With
   * onlyIfDifferent the WHERE clause also compares the new values with the row's (IS is null-safe
   * equality, with the column's affinity applied to the value as on storing it), so the update
   * matches no row that already holds them; a content key counts as different only where the row
   * has one (rows of schema 3 have none, and their first recheck is no change).
   */

  private static String updateParsedSql(boolean onlyIfDifferent) {
    return updateParsedSql(onlyIfDifferent, true);
  }

  /**
   * Without {@code full}, the short update, for tags that {@link Binding#full} says need no more (as
   * the short insert): the sparse player columns are set to NULL in the statement and the artist and
   * genre arrays made from the display columns' parameters, so none of them is bound. A retag is
   * half of a delta's rows, and every column bound costs sqlite-jdbc a few JNI calls.
   */
  static String updateParsedSql(boolean onlyIfDifferent, boolean full) {
    if (onlyIfDifferent && !full) {
      throw new IllegalArgumentException("a recheck compares every column: it binds them all");
    }
    StringBuilder set = new StringBuilder();
    StringBuilder same = new StringBuilder();
    int n = 1;
    for (Column column : TAG_COLUMNS) {
      String name = column.name();
      if (!full && SPARSE_COLUMNS.contains(name)) {
        set.append(name).append(" = NULL, ");
      } else if (!full && Binding.isArray(name)) {
        set.append(name).append(" = ").append(Binding.arrayOfDisplay(name, 1)).append(", ");
      } else {
        set.append(name).append(" = ?").append(n).append(", ");
        same.append(name).append(" IS ?").append(n++).append(" AND ");
      }
    }
    same.append(FORMAT).append(" IS ?").append(n).append(" AND ");
    for (String column : FILE_COLUMNS) {
      set.append(column).append(" = ?").append(n++).append(", ");
    }
    set.append(PARSE_STATUS).append(" = '").append(STATUS_OK).append("', ").append(PARSE_ERROR).append(" = NULL, ")
        .append(UPDATED_AT).append(" = ?").append(n++).append(", ").append(CHECKED_AT).append(" = ?").append(n++);
    int key = n++;
    set.append(", ").append(CONTENT_KEY).append(" = ?").append(key).append(", ").append(MISSING_SINCE).append(" = NULL");
    String sql = "UPDATE " + LIBRARY + " SET " + set + " WHERE " + ID + " = ?" + n;
    return onlyIfDifferent
        ? sql + " AND NOT (" + same + PARSE_STATUS + " IS '" + STATUS_OK + "' AND " + PARSE_ERROR + " IS NULL AND "
            + sameKey(key) + ")"
        : sql;
  }

  private static String updateFailedSql(boolean onlyIfDifferent) {
    StringBuilder set = new StringBuilder();
    int n = 1;
    for (String column : FILE_COLUMNS) {
      set.append(column).append(" = ?").append(n++).append(", ");
    }
    int error = n++;
    set.append(PARSE_STATUS).append(" = '").append(STATUS_FAILED).append("', ").append(PARSE_ERROR).append(" = ?")
        .append(error).append(", ").append(UPDATED_AT).append(" = ?").append(n++).append(", ").append(CHECKED_AT)
        .append(" = ?").append(n++);
    int key = n++;
    set.append(", ").append(CONTENT_KEY).append(" = ?").append(key).append(", ").append(MISSING_SINCE).append(" = NULL");
    String sql = "UPDATE " + LIBRARY + " SET " + set + " WHERE " + ID + " = ?" + n;
    return onlyIfDifferent
        ? sql + " AND NOT (" + FORMAT + " IS ?1 AND " + PARSE_STATUS + " IS '" + STATUS_FAILED + "' AND " + PARSE_ERROR
            + " IS ?" + error + " AND " + sameKey(key) + ")"
        : sql;
  }

  private static String sameKey(int parameter) {
    return "(" + CONTENT_KEY + " IS NULL OR ?" + parameter + " IS NULL OR " + CONTENT_KEY + " = ?" + parameter + ")";
  }

  private int updateParsed(PreparedStatement s, long id, String format, Fingerprint fingerprint, TrackTags tags,
      boolean full, Long contentKey, long nowMs) throws SQLException {
    int i = Binding.tags(s, 1, tags, false, full);
    i = bindFile(s, i, format, fingerprint);
    s.setLong(i++, nowMs);
    s.setLong(i++, checkedAt(nowMs));
    setLong(s, i++, contentKey);
    s.setLong(i, id);
    return s.executeUpdate();
  }

  private int updateFailed(PreparedStatement s, long id, String format, Fingerprint fingerprint, String error,
      Long contentKey, long nowMs) throws SQLException {
    int i = bindFile(s, 1, format, fingerprint);
    s.setString(i++, error);
    s.setLong(i++, nowMs);
    s.setLong(i++, checkedAt(nowMs));
    setLong(s, i++, contentKey);
    s.setLong(i, id);
    return s.executeUpdate();
  }

  /**
   * Gives row {@code id} a new path (a moved file): id, tags and host columns stay; a missing row
   * is present again.
   *
   * @throws StoreException when the update fails
   */
  @Override
  public void move(long id, String newPath, Fingerprint fingerprint, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (move == null) {
        move = prepare("UPDATE " + LIBRARY + " SET " + PATH + " = ?, " + FILE_SIZE + " = ?, " + FILE_MTIME_NS + " = ?, "
            + DEVICE + " = ?, " + INODE + " = ?, " + UPDATED_AT + " = ?, " + MISSING_SINCE + " = NULL WHERE " + ID
            + " = ?");
      }
      move.setString(1, newPath);
      move.setLong(2, fingerprint.sizeBytes());
      move.setLong(3, fingerprint.mtimeNs());
      move.setLong(4, fingerprint.device());
      move.setLong(5, fingerprint.inode());
      move.setLong(6, nowMs);
      move.setLong(7, id);
      move.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(database, "moving row " + id + " to " + newPath, e);
    }
  }

  /**
   * Marks row {@code id} missing since {@code sinceMs}: its file is gone, the row and everything
   * a host stored on it stay. A row already missing keeps its first date.
   *
   * @throws StoreException when the update fails
   */
  @Override
  public void markMissing(long id, long sinceMs) {
    requireTransaction();
    flushInserts();
    try {
      if (markMissing == null) {
        markMissing = prepare("UPDATE " + LIBRARY + " SET " + MISSING_SINCE + " = coalesce(" + MISSING_SINCE + ", ?) WHERE "
            + ID + " = ?");
      }
      markMissing.setLong(1, sinceMs);
      markMissing.setLong(2, id);
      markMissing.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(database, "marking row " + id + " missing", e);
    }
  }

  /**
   * Clears row {@code id}'s missing mark: its file is back, as it was (a changed one is written
   * with {@link #update}, which clears the mark too).
   *
   * @throws StoreException when the update fails
   */
  @Override
  public void restore(long id) {
    requireTransaction();
    flushInserts();
    try {
      if (restore == null) {
        restore = prepare("UPDATE " + LIBRARY + " SET " + MISSING_SINCE + " = NULL WHERE " + ID + " = ?");
      }
      restore.setLong(1, id);
      restore.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(database, "restoring row " + id, e);
    }
  }

  /**
   * Records the device {@code root} is on, after a scan that walked it completely: the next scan
   * compares, to tell an unmounted share (the mount point shows another device) from an emptied
   * folder.
   *
   * @throws StoreException when the write fails
   */
  @Override
  public void recordRoot(String root, long device, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (recordRoot == null) {
        recordRoot = prepare("INSERT INTO " + ROOT + " (" + PATH + ", " + ROOT_DEVICE + ", " + ROOT_SCANNED_AT
            + ") VALUES (?, ?, ?) ON CONFLICT (" + PATH + ") DO UPDATE SET " + ROOT_DEVICE + " = excluded." + ROOT_DEVICE
            + ", " + ROOT_SCANNED_AT + " = excluded." + ROOT_SCANNED_AT);
      }
      recordRoot.setString(1, root);
      recordRoot.setLong(2, device);
      recordRoot.setLong(3, nowMs);
      recordRoot.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(database, "recording the device of root " + root, e);
    }
  }

  @Override
  public void replaceFolders(String root, java.util.Collection<CachedFolder> folders, long fullScanAtMs) {
    folderWrite("recording the folder cache of " + root,
        () -> FolderTable.replace(connection, root, folders, fullScanAtMs));
  }

  @Override
  public void updateFolders(String root, java.util.Collection<CachedFolder> listed, java.util.Collection<String> gone,
      int quickScans) {
    folderWrite("updating the folder cache of " + root,
        () -> FolderTable.update(connection, root, listed, gone, quickScans));
  }

  @Override
  public void clearFolders(String root) {
    folderWrite("clearing the folder cache of " + root, () -> FolderTable.clear(connection, root));
  }

  private interface FolderWork {
    void run() throws SQLException;
  }

  private void folderWrite(String doing, FolderWork work) {
    requireTransaction();
    flushInserts();
    try {
      FolderTable.create(connection, "TEXT", "INTEGER");
      work.run();
    } catch (SQLException e) {
      throw new StoreException(database, doing, e);
    }
  }

  /**
   * Deletes the rows missing since before {@code missingBeforeMs}, below one of {@code prefixes}
   * (absolute folder paths ending in '/'; every row when empty), in transactions of
   * {@code batchRows}. A batch the database refuses (a host's foreign key with ON DELETE RESTRICT)
   * is rolled back whole and reported; the others go on.
   *
   * @throws IllegalStateException if a transaction is open
   * @throws StoreException when the missing rows cannot be read
   */
  public PurgeResult purgeMissing(long missingBeforeMs, List<String> prefixes, int batchRows) {
    if (inTransaction) {
      throw new IllegalStateException("a write transaction is already open");
    }
    List<MissingFile> due;
    try {
      due = CatalogQueries.missingRows(connection, missingBeforeMs, prefixes, Integer.MAX_VALUE);
    } catch (SQLException e) {
      throw new StoreException(database, "reading the missing rows to purge", e);
    }
    List<MissingFile> deleted = new java.util.ArrayList<>();
    List<String> errors = new java.util.ArrayList<>();
    for (int from = 0; from < due.size(); from += batchRows) {
      List<MissingFile> batch = due.subList(from, Math.min(due.size(), from + batchRows));
      try {
        begin();
        for (MissingFile row : batch) {
          deleteMissing(row.id());
        }
        commit();
        deleted.addAll(batch);
      } catch (StoreException e) {
        rollback();
        errors.add("could not delete " + batch.size() + " missing rows from " + batch.get(0).path() + ": "
            + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()) + "; none of them was deleted");
      }
    }
    return new PurgeResult(deleted, errors);
  }

  /** Deletes row {@code id} if it is still missing (the file may have come back since it was read). */
  private void deleteMissing(long id) {
    try {
      if (deleteMissing == null) {
        deleteMissing = prepare("DELETE FROM " + LIBRARY + " WHERE " + ID + " = ? AND " + MISSING_SINCE + " IS NOT NULL");
      }
      deleteMissing.setLong(1, id);
      deleteMissing.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(database, "deleting missing row " + id, e);
    }
  }

  /**
   * Deletes row {@code id}: only for a file the host took out of the library's scope (an
   * exclude); a file that is gone is marked with {@link #markMissing} instead.
   *
   * @throws StoreException when the delete fails
   */
  @Override
  public void delete(long id) {
    requireTransaction();
    flushInserts();
    try {
      if (delete == null) {
        delete = prepare("DELETE FROM " + LIBRARY + " WHERE " + ID + " = ?");
      }
      delete.setLong(1, id);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(database, "deleting row " + id, e);
    }
  }

  /**
   * Appends a scan to the {@code scan} table, in its own transaction, and prunes the oldest beyond
   * the last thousand.
   *
   * @throws IllegalStateException if a transaction is open
   * @throws StoreException when the write fails
   */
  @Override
  public void recordScan(ScanRecord scan) {
    inOwnTransaction("recording the scan", () -> {
      if (insertScan == null) {
        insertScan = prepare("INSERT INTO " + SCAN + " (" + STARTED_AT + ", " + FINISHED_AT + ", " + ROOTS + ", "
            + OUTCOME + ", " + FILES_WALKED + ", " + ADDED + ", " + MODIFIED + ", " + MOVED + ", " + DELETED + ", "
            + UNCHANGED + ", " + FAILED + ", " + WALK_ERRORS + ", " + TOTAL_NS + ", " + MISSING + ", " + RESTORED
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      }
      insertScan.setLong(1, scan.startedAtMs());
      insertScan.setLong(2, scan.finishedAtMs());
      insertScan.setString(3, scan.roots());
      insertScan.setString(4, scan.outcome());
      insertScan.setLong(5, scan.filesWalked());
      insertScan.setLong(6, scan.added());
      insertScan.setLong(7, scan.modified());
      insertScan.setLong(8, scan.moved());
      insertScan.setLong(9, scan.deleted());
      insertScan.setLong(10, scan.unchanged());
      insertScan.setLong(11, scan.failed());
      insertScan.setLong(12, scan.walkErrors());
      insertScan.setLong(13, scan.totalNs());
      insertScan.setLong(14, scan.missing());
      insertScan.setLong(15, scan.restored());
      insertScan.executeUpdate();
      try (Statement s = connection.createStatement()) {
        s.executeUpdate("DELETE FROM " + SCAN + " WHERE " + ID + " <= (SELECT max(" + ID + ") FROM " + SCAN + ") - "
            + SCANS_KEPT_MAX);
      }
    });
  }

  /**
   * Rewrites the fingerprint snapshot, in its own transaction, when there is none, the last read
   * could not use it, or many rows changed since it was written; otherwise only checks. The scanner
   * calls this at the end of a scan so that the next one reads a few blobs instead of every row.
   *
   * @throws IllegalStateException if a transaction is open
   * @throws StoreException when the write fails (the library itself is unaffected: the snapshot is
   *     only a faster copy of what its rows say)
   */
  public void refreshSnapshot() {
    inOwnTransaction("writing the fingerprint snapshot", () -> {
      if (library.snapshotUnusable() || FingerprintSnapshot.needsRewrite(connection)) {
        FingerprintSnapshot.write(connection);
      }
    });
    library.snapshotWritten();
  }

  /** SQLite's upkeep after a scan: {@link #refreshSnapshot()}. */
  @Override
  public void afterScan() {
    refreshSnapshot();
  }

  /** Work against the connection that may throw SQLException. */
  private interface SqlWork {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work} in a write transaction of its own: committed, or rolled back on any failure.
   *
   * @throws IllegalStateException if a transaction is open
   * @throws StoreException when the work or the commit fails, saying what was {@code doing}
   */
  private void inOwnTransaction(String doing, SqlWork work) {
    begin();
    try {
      work.run();
      commit();
    } catch (SQLException e) {
      rollback();
      throw new StoreException(database, doing, e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  void closeStatements() {
    rollback();
    Binding.closeQuietly(insert, insertShort, update, updateShort, updateFailed, move, delete, insertScan,
        recheckParsed, recheckFailed, touchChecked, markMissing, restore, recordRoot, deleteMissing);
  }

  private static int bindFile(PreparedStatement s, int i, String format, Fingerprint f) throws SQLException {
    return Binding.file(s, i, format, f, false);
  }

  private static void setString(PreparedStatement s, int i, String value) throws SQLException {
    Binding.text(s, i, value, false);
  }

  private static void setLong(PreparedStatement s, int i, Long value) throws SQLException {
    Binding.int64(s, i, value);
  }

  private static void setInt(PreparedStatement s, int i, Integer value) throws SQLException {
    Binding.int32(s, i, value);
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    return connection.prepareStatement(sql);
  }

  private void execute(String sql, String doing) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new StoreException(database, doing, e);
    }
  }

  private void requireTransaction() {
    if (!inTransaction) {
      throw new IllegalStateException("no write transaction is open: call begin() first");
    }
  }
}
