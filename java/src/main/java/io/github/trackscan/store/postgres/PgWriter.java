package io.github.trackscan.store.postgres;

import static io.github.trackscan.store.postgres.PgSchema.*;

import io.github.trackscan.store.Binding;
import io.github.trackscan.store.CatalogQueries;
import io.github.trackscan.store.CatalogWriter;
import io.github.trackscan.store.Fingerprint;
import io.github.trackscan.store.MissingFile;
import io.github.trackscan.store.PurgeResult;
import io.github.trackscan.store.ScanRecord;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.tags.TrackTags;
import java.sql.Connection;
import io.github.trackscan.store.FolderTable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL catalogue's single writer: the contract of the SQLite {@code LibraryWriter}, one
 * prepared statement per kind of change, reused. Inserts go to the server in batches of
 * {@value #INSERT_BATCH_MAX} (rewritten by the driver into multi-row INSERTs), with ids taken from
 * the sequence a block at a time, so that scanners writing at once never collide on an id.
 */
final class PgWriter implements CatalogWriter {
  private static final long NOT_SET = Long.MIN_VALUE;
  private static final int INSERT_BATCH_MAX = 256;
  private static final int ID_BLOCK = 256;

  private final String catalogue;
  private final Connection connection;
  private PreparedStatement insert;
  private PreparedStatement nextIds;
  private PreparedStatement update;
  private PreparedStatement updateFailed;
  private PreparedStatement recheckParsed;
  private PreparedStatement recheckFailed;
  private PreparedStatement touchChecked;
  private PreparedStatement move;
  private PreparedStatement markMissing;
  private PreparedStatement restore;
  private PreparedStatement recordRoot;
  private PreparedStatement delete;
  private PreparedStatement deleteMissing;
  private PreparedStatement insertScan;
  private boolean inTransaction;
  private long checkedAtMs = NOT_SET;
  private final long[] ids = new long[ID_BLOCK];
  private int idsLeft;
  private int idNext;
  private int pendingInserts;
  private String firstPendingPath;

  PgWriter(String catalogue, Connection connection) {
    this.catalogue = catalogue;
    this.connection = connection;
  }

  @Override
  public void scanStartedAt(long epochMs) {
    checkedAtMs = epochMs;
  }

  private long checkedAt(long nowMs) {
    return checkedAtMs == NOT_SET ? nowMs : checkedAtMs;
  }

  @Override
  public void begin() {
    if (inTransaction) {
      throw new IllegalStateException("a write transaction is already open");
    }
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException(catalogue, "starting a write transaction", e);
    }
    inTransaction = true;
    pendingInserts = 0;
  }

  @Override
  public void commit() {
    requireTransaction();
    try {
      flushInserts();
      connection.commit();
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      rollback();
      throw new StoreException(catalogue, "committing a write transaction", e);
    } catch (StoreException e) {
      rollback();
      throw e;
    }
    inTransaction = false;
  }

  @Override
  public void rollback() {
    if (!inTransaction) {
      return;
    }
    inTransaction = false;
    pendingInserts = 0;
    try {
      if (insert != null) {
        insert.clearBatch();
      }
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection may be gone; the server rolls back a transaction whose session ended.
    }
  }

  @Override
  public boolean inTransaction() {
    return inTransaction;
  }

  @Override
  public long insert(String path, String format, Fingerprint fingerprint, TrackTags tags, String error,
      Long contentKey, long nowMs) {
    requireTransaction();
    try {
      if (insert == null) {
        insert = connection.prepareStatement(Binding.insertSql());
      }
      long id = nextId();
      int i = 1;
      insert.setLong(i++, id);
      insert.setString(i++, path);
      i = bindTags(insert, i, tags);
      i = bindFile(insert, i, format, fingerprint);
      insert.setString(i++, error == null ? STATUS_OK : STATUS_FAILED);
      setString(insert, i++, error);
      insert.setLong(i++, nowMs);
      insert.setLong(i++, nowMs);
      insert.setLong(i++, checkedAt(nowMs));
      setLong(insert, i, contentKey);
      insert.addBatch();
      if (pendingInserts++ == 0) {
        firstPendingPath = path;
      }
      if (pendingInserts >= INSERT_BATCH_MAX) {
        flushInserts();
      }
      return id;
    } catch (SQLException e) {
      throw new StoreException(catalogue, "inserting " + path, e);
    }
  }

  /** The next id from the sequence, fetched {@value #ID_BLOCK} at a time (unused ones are skipped, never reused). */
  private long nextId() throws SQLException {
    if (idsLeft == 0) {
      if (nextIds == null) {
        nextIds = connection.prepareStatement("SELECT nextval('" + ID_SEQUENCE + "') FROM generate_series(1, "
            + ID_BLOCK + ")");
      }
      int n = 0;
      try (ResultSet rs = nextIds.executeQuery()) {
        while (rs.next()) {
          ids[n++] = rs.getLong(1);
        }
      }
      idsLeft = n;
      idNext = 0;
    }
    idsLeft--;
    return ids[idNext++];
  }

  private void flushInserts() {
    if (pendingInserts == 0) {
      return;
    }
    try {
      insert.executeBatch();
    } catch (SQLException e) {
      SQLException cause = e.getNextException() != null ? e.getNextException() : e;
      throw new StoreException(catalogue, "inserting a batch of " + pendingInserts + " files from " + firstPendingPath,
          cause);
    } finally {
      pendingInserts = 0;
    }
  }

  @Override
  public void update(long id, String format, Fingerprint fingerprint, TrackTags tags, Long contentKey, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (update == null) {
        update = connection.prepareStatement(updateParsedSql(false));
      }
      updateParsed(update, false, id, format, fingerprint, tags, contentKey, nowMs);
    } catch (SQLException e) {
      throw new StoreException(catalogue, "updating row " + id, e);
    }
  }

  @Override
  public void updateFailed(long id, String format, Fingerprint fingerprint, String error, Long contentKey,
      long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (updateFailed == null) {
        updateFailed = connection.prepareStatement(updateFailedSql(false));
      }
      updateFailed(updateFailed, false, id, format, fingerprint, error, contentKey, nowMs);
    } catch (SQLException e) {
      throw new StoreException(catalogue, "recording the parse error of row " + id, e);
    }
  }

  @Override
  public boolean recheck(long id, String format, Fingerprint fingerprint, TrackTags tags, String error,
      Long contentKey, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      int changed;
      if (error == null) {
        if (recheckParsed == null) {
          recheckParsed = connection.prepareStatement(updateParsedSql(true));
        }
        changed = updateParsed(recheckParsed, true, id, format, fingerprint, tags, contentKey, nowMs);
      } else {
        if (recheckFailed == null) {
          recheckFailed = connection.prepareStatement(updateFailedSql(true));
        }
        changed = updateFailed(recheckFailed, true, id, format, fingerprint, error, contentKey, nowMs);
      }
      if (changed > 0) {
        return true;
      }
      if (touchChecked == null) {
        touchChecked = connection.prepareStatement("UPDATE " + LIBRARY + " SET " + CHECKED_AT + " = ?, " + CONTENT_KEY
            + " = coalesce(?, " + CONTENT_KEY + ") WHERE " + ID + " = ?");
      }
      touchChecked.setLong(1, checkedAt(nowMs));
      setLong(touchChecked, 2, contentKey);
      touchChecked.setLong(3, id);
      touchChecked.executeUpdate();
      return false;
    } catch (SQLException e) {
      throw new StoreException(catalogue, "recording the second read of row " + id, e);
    }
  }

  /*
   * The updates after a parse, as SQLite's: tags, file columns, updated_at, checked_at, content
   * key, id; both clear missing_since. With onlyIfDifferent the row is matched only when something
   * differs (IS NOT DISTINCT FROM is PostgreSQL's null-safe equality), the values bound again.
   */

  private static String updateParsedSql(boolean onlyIfDifferent) {
    StringBuilder set = new StringBuilder();
    StringBuilder same = new StringBuilder();
    for (Column column : TAG_COLUMNS) {
      set.append(column.name()).append(" = ?, ");
      same.append(column.name()).append(" IS NOT DISTINCT FROM ? AND ");
    }
    same.append(FORMAT).append(" IS NOT DISTINCT FROM ? AND ");
    for (String column : FILE_COLUMNS) {
      set.append(column).append(" = ?, ");
    }
    set.append(PARSE_STATUS).append(" = '").append(STATUS_OK).append("', ").append(PARSE_ERROR).append(" = NULL, ")
        .append(UPDATED_AT).append(" = ?, ").append(CHECKED_AT).append(" = ?, ").append(CONTENT_KEY).append(" = ?, ")
        .append(MISSING_SINCE).append(" = NULL");
    String sql = "UPDATE " + LIBRARY + " SET " + set + " WHERE " + ID + " = ?";
    return onlyIfDifferent
        ? sql + " AND NOT (" + same + PARSE_STATUS + " IS NOT DISTINCT FROM '" + STATUS_OK + "' AND " + PARSE_ERROR
            + " IS NULL AND " + SAME_KEY + ")"
        : sql;
  }

  private static String updateFailedSql(boolean onlyIfDifferent) {
    StringBuilder set = new StringBuilder();
    for (String column : FILE_COLUMNS) {
      set.append(column).append(" = ?, ");
    }
    set.append(PARSE_STATUS).append(" = '").append(STATUS_FAILED).append("', ").append(PARSE_ERROR).append(" = ?, ")
        .append(UPDATED_AT).append(" = ?, ").append(CHECKED_AT).append(" = ?, ").append(CONTENT_KEY).append(" = ?, ")
        .append(MISSING_SINCE).append(" = NULL");
    String sql = "UPDATE " + LIBRARY + " SET " + set + " WHERE " + ID + " = ?";
    return onlyIfDifferent
        ? sql + " AND NOT (" + FORMAT + " IS NOT DISTINCT FROM ? AND " + PARSE_STATUS + " IS NOT DISTINCT FROM '"
            + STATUS_FAILED + "' AND " + PARSE_ERROR + " IS NOT DISTINCT FROM ? AND " + SAME_KEY + ")"
        : sql;
  }

  /** A content key counts as different only where the row has one (two parameters: the key twice). */
  private static final String SAME_KEY = "(" + CONTENT_KEY + " IS NULL OR CAST(? AS bigint) IS NULL OR " + CONTENT_KEY
      + " = ?)";

  private int updateParsed(PreparedStatement s, boolean onlyIfDifferent, long id, String format,
      Fingerprint fingerprint, TrackTags tags, Long contentKey, long nowMs) throws SQLException {
    int i = bindTags(s, 1, tags);
    i = bindFile(s, i, format, fingerprint);
    s.setLong(i++, nowMs);
    s.setLong(i++, checkedAt(nowMs));
    setLong(s, i++, contentKey);
    s.setLong(i++, id);
    if (onlyIfDifferent) {
      i = bindTags(s, i, tags);
      setString(s, i++, format);
      setLong(s, i++, contentKey);
      setLong(s, i, contentKey);
    }
    return s.executeUpdate();
  }

  private int updateFailed(PreparedStatement s, boolean onlyIfDifferent, long id, String format,
      Fingerprint fingerprint, String error, Long contentKey, long nowMs) throws SQLException {
    int i = bindFile(s, 1, format, fingerprint);
    s.setString(i++, error);
    s.setLong(i++, nowMs);
    s.setLong(i++, checkedAt(nowMs));
    setLong(s, i++, contentKey);
    s.setLong(i++, id);
    if (onlyIfDifferent) {
      setString(s, i++, format);
      s.setString(i++, error);
      setLong(s, i++, contentKey);
      setLong(s, i, contentKey);
    }
    return s.executeUpdate();
  }

  @Override
  public void move(long id, String newPath, Fingerprint fingerprint, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (move == null) {
        move = connection.prepareStatement("UPDATE " + LIBRARY + " SET " + PATH + " = ?, " + FILE_SIZE + " = ?, "
            + FILE_MTIME_NS + " = ?, " + DEVICE + " = ?, " + INODE + " = ?, " + UPDATED_AT + " = ?, " + MISSING_SINCE
            + " = NULL WHERE " + ID + " = ?");
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
      throw new StoreException(catalogue, "moving row " + id + " to " + newPath, e);
    }
  }

  @Override
  public void markMissing(long id, long sinceMs) {
    requireTransaction();
    flushInserts();
    try {
      if (markMissing == null) {
        markMissing = connection.prepareStatement("UPDATE " + LIBRARY + " SET " + MISSING_SINCE + " = coalesce("
            + MISSING_SINCE + ", ?) WHERE " + ID + " = ?");
      }
      markMissing.setLong(1, sinceMs);
      markMissing.setLong(2, id);
      markMissing.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(catalogue, "marking row " + id + " missing", e);
    }
  }

  @Override
  public void restore(long id) {
    requireTransaction();
    flushInserts();
    try {
      if (restore == null) {
        restore = connection.prepareStatement("UPDATE " + LIBRARY + " SET " + MISSING_SINCE + " = NULL WHERE " + ID
            + " = ?");
      }
      restore.setLong(1, id);
      restore.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(catalogue, "restoring row " + id, e);
    }
  }

  @Override
  public void replaceFolders(String root, java.util.Collection<io.github.trackscan.store.CachedFolder> folders,
      long fullScanAtMs) {
    folderWrite("recording the folder cache of " + root,
        () -> FolderTable.replace(connection, root, folders, fullScanAtMs));
  }

  @Override
  public void updateFolders(String root, java.util.Collection<io.github.trackscan.store.CachedFolder> listed,
      java.util.Collection<String> gone, int quickScans) {
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
      FolderTable.create(connection, "text COLLATE \"C\"", "bigint");
      work.run();
    } catch (SQLException e) {
      throw new StoreException(catalogue, doing, e);
    }
  }

  @Override
  public void recordRoot(String root, long device, long nowMs) {
    requireTransaction();
    flushInserts();
    try {
      if (recordRoot == null) {
        recordRoot = connection.prepareStatement("INSERT INTO " + ROOT + " (" + PATH + ", " + ROOT_DEVICE + ", "
            + ROOT_SCANNED_AT + ") VALUES (?, ?, ?) ON CONFLICT (" + PATH + ") DO UPDATE SET " + ROOT_DEVICE
            + " = excluded." + ROOT_DEVICE + ", " + ROOT_SCANNED_AT + " = excluded." + ROOT_SCANNED_AT);
      }
      recordRoot.setString(1, root);
      recordRoot.setLong(2, device);
      recordRoot.setLong(3, nowMs);
      recordRoot.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(catalogue, "recording the device of root " + root, e);
    }
  }

  @Override
  public void delete(long id) {
    requireTransaction();
    flushInserts();
    try {
      if (delete == null) {
        delete = connection.prepareStatement("DELETE FROM " + LIBRARY + " WHERE " + ID + " = ?");
      }
      delete.setLong(1, id);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(catalogue, "deleting row " + id, e);
    }
  }

  /**
   * Deletes the rows missing since before {@code missingBeforeMs} below one of {@code prefixes}, in
   * transactions of {@code batchRows}; a batch the database refuses is rolled back whole and reported.
   */
  PurgeResult purgeMissing(long missingBeforeMs, List<String> prefixes, int batchRows) {
    if (inTransaction) {
      throw new IllegalStateException("a write transaction is already open");
    }
    List<MissingFile> due;
    try {
      due = CatalogQueries.missingRows(connection, missingBeforeMs, prefixes, Integer.MAX_VALUE);
    } catch (SQLException e) {
      throw new StoreException(catalogue, "reading the missing rows to purge", e);
    }
    List<MissingFile> deleted = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int from = 0; from < due.size(); from += batchRows) {
      List<MissingFile> batch = due.subList(from, Math.min(due.size(), from + batchRows));
      try {
        begin();
        if (deleteMissing == null) {
          deleteMissing = connection.prepareStatement("DELETE FROM " + LIBRARY + " WHERE " + ID + " = ? AND "
              + MISSING_SINCE + " IS NOT NULL");
        }
        for (MissingFile row : batch) {
          deleteMissing.setLong(1, row.id());
          deleteMissing.addBatch();
        }
        deleteMissing.executeBatch();
        commit();
        deleted.addAll(batch);
      } catch (SQLException | StoreException e) {
        rollback();
        Throwable cause = e instanceof SQLException sql && sql.getNextException() != null ? sql.getNextException()
            : (e instanceof StoreException && e.getCause() != null ? e.getCause() : e);
        errors.add("could not delete " + batch.size() + " missing rows from " + batch.get(0).path() + ": "
            + cause.getMessage() + "; none of them was deleted");
      }
    }
    return new PurgeResult(deleted, errors);
  }

  @Override
  public void recordScan(ScanRecord scan) {
    begin();
    try {
      if (insertScan == null) {
        insertScan = connection.prepareStatement("INSERT INTO " + SCAN + " (" + String.join(", ", SCAN_COLUMNS)
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      }
      long[] numbers = {scan.filesWalked(), scan.added(), scan.modified(), scan.moved(), scan.deleted(),
          scan.unchanged(), scan.failed(), scan.walkErrors(), scan.totalNs(), scan.missing(), scan.restored()};
      insertScan.setLong(1, scan.startedAtMs());
      insertScan.setLong(2, scan.finishedAtMs());
      insertScan.setString(3, scan.roots());
      insertScan.setString(4, scan.outcome());
      for (int i = 0; i < numbers.length; i++) {
        insertScan.setLong(5 + i, numbers[i]);
      }
      insertScan.executeUpdate();
      try (Statement s = connection.createStatement()) {
        s.executeUpdate("DELETE FROM " + SCAN + " WHERE " + ID + " <= (SELECT max(" + ID + ") FROM " + SCAN + ") - "
            + SCANS_KEPT_MAX);
      }
      commit();
    } catch (SQLException e) {
      rollback();
      throw new StoreException(catalogue, "recording the scan", e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** Nothing to keep up: PostgreSQL's autovacuum keeps the statistics the scan's read needs. */
  @Override
  public void afterScan() {
    if (inTransaction) {
      throw new IllegalStateException("a write transaction is already open");
    }
  }

  void closeStatements() {
    Binding.closeQuietly(insert, nextIds, update, updateFailed, recheckParsed, recheckFailed, touchChecked, move,
        markMissing, restore, recordRoot, delete, deleteMissing, insertScan);
  }

  private static int bindTags(PreparedStatement s, int i, TrackTags t) throws SQLException {
    return Binding.tags(s, i, t, true);
  }

  private static int bindFile(PreparedStatement s, int i, String format, Fingerprint f) throws SQLException {
    return Binding.file(s, i, format, f, true);
  }

  /** PostgreSQL text holds no NUL; a tag with one (junk files have them) keeps the rest. */
  private static void setString(PreparedStatement s, int i, String value) throws SQLException {
    Binding.text(s, i, value, true);
  }

  private static void setLong(PreparedStatement s, int i, Long value) throws SQLException {
    Binding.int64(s, i, value);
  }

  private static void setInt(PreparedStatement s, int i, Integer value) throws SQLException {
    Binding.int32(s, i, value);
  }

  private void requireTransaction() {
    if (!inTransaction) {
      throw new IllegalStateException("no write transaction is open: call begin() first");
    }
  }
}
