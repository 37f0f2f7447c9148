package io.github.trackscan.store;

import io.github.trackscan.tags.TrackTags;
import java.util.Collection;

/**
 * The single writer of a {@link Catalog}: explicit transactions, one method per kind of change.
 * Every change writes only trackscan's own columns, by id; changes are visible to readers only after
 * {@link #commit()}. Not thread-safe: one thread at a time. {@link LibraryWriter} documents each
 * method's contract in full; every engine keeps it.
 */
public interface CatalogWriter {
  /** When the scan whose rows are written next began, epoch ms: each written row's {@code checked_at}. */
  void scanStartedAt(long epochMs);

  /**
   * Starts a write transaction.
   *
   * @throws IllegalStateException if one is open
   * @throws StoreException when it cannot start
   */
  void begin();

  /**
   * Commits the open transaction (rolled back if the commit fails).
   *
   * @throws IllegalStateException if none is open
   * @throws StoreException when the commit fails
   */
  void commit();

  /** Rolls back the open transaction, if any; never throws. */
  void rollback();

  /** Whether a transaction is open. */
  boolean inTransaction();

  /**
   * Inserts a file; returns its new id.
   *
   * @param tags what was parsed, or {@code null} when parsing failed
   * @param error why parsing failed, or {@code null}
   * @param contentKey the file's content key, or {@code null}
   * @throws StoreException when the insert fails (the transaction is then void: roll back)
   */
  long insert(String path, String format, Fingerprint fingerprint, TrackTags tags, String error, Long contentKey,
      long nowMs);

  /**
   * Overwrites row {@code id}'s tags, fingerprint and content key after a parse; clears missing.
   *
   * @throws StoreException when the update fails
   */
  void update(long id, String format, Fingerprint fingerprint, TrackTags tags, Long contentKey, long nowMs);

  /**
   * Records that row {@code id}'s file changed and could not be parsed; its tags are kept.
   *
   * @throws StoreException when the update fails
   */
  void updateFailed(long id, String format, Fingerprint fingerprint, String error, Long contentKey, long nowMs);

  /**
   * Records a second read of a file whose fingerprint matched; changes the row only if what was read differs.
   *
   * @return whether the row changed (a MODIFIED file)
   * @throws StoreException when the update fails
   */
  boolean recheck(long id, String format, Fingerprint fingerprint, TrackTags tags, String error, Long contentKey,
      long nowMs);

  /**
   * Gives row {@code id} a new path (a moved file): id, tags and host columns stay; clears missing.
   *
   * @throws StoreException when the update fails
   */
  void move(long id, String newPath, Fingerprint fingerprint, long nowMs);

  /**
   * Marks row {@code id} missing since {@code sinceMs} (a row already missing keeps its first date).
   *
   * @throws StoreException when the update fails
   */
  void markMissing(long id, long sinceMs);

  /**
   * Clears row {@code id}'s missing mark.
   *
   * @throws StoreException when the update fails
   */
  void restore(long id);

  /**
   * Records the device {@code root} was on after a complete walk.
   *
   * @throws StoreException when the write fails
   */
  void recordRoot(String root, long device, long nowMs);

  /**
   * Replaces the folder cache of {@code root} with what a full scan of it listed (every folder,
   * the root's own as path ""); the count of quick scans since the last full one starts at 0.
   *
   * @throws IllegalStateException if no transaction is open
   * @throws StoreException when the write fails
   */
  void replaceFolders(String root, Collection<CachedFolder> folders, long fullScanAtMs);

  /**
   * After a quick scan of {@code root}: records the folders it listed again, forgets those gone
   * (each with every folder below it) and sets the count of quick scans since the last full one.
   *
   * @param gone paths relative to the root, never "" (the root itself)
   * @throws IllegalStateException if no transaction is open
   * @throws StoreException when the write fails
   */
  void updateFolders(String root, Collection<CachedFolder> listed, Collection<String> gone, int quickScans);

  /**
   * Forgets the folder cache of {@code root} (a full scan that could not list every folder): its
   * next quick scan is a full one.
   *
   * @throws IllegalStateException if no transaction is open
   * @throws StoreException when the write fails
   */
  void clearFolders(String root);

  /**
   * Deletes row {@code id}: only for a file taken out of scope (an exclude).
   *
   * @throws StoreException when the delete fails
   */
  void delete(long id);

  /**
   * Appends a scan to the scan table in its own transaction, pruning old ones.
   *
   * @throws IllegalStateException if a transaction is open
   * @throws StoreException when the write fails
   */
  void recordScan(ScanRecord scan);

  /**
   * The engine's upkeep at the end of a scan, in its own transaction (SQLite rewrites its
   * fingerprint snapshot when stale; others may do nothing). Failing costs the next scan speed, never data.
   *
   * @throws IllegalStateException if a transaction is open
   * @throws StoreException when the write fails
   */
  void afterScan();
}
