package io.github.trackscan.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A catalogue of a music library, as a scan and a host use it: the boundary between the scan
 * pipeline and one database engine. {@link Library} keeps it in an SQLite file;
 * {@code io.github.trackscan.store.postgres} in a PostgreSQL database. Opened, and migrated to the
 * current schema, by a {@link CatalogSource}.
 *
 * <p>Every implementation keeps the same rules: one row per file with a stable {@code id}; rows of
 * vanished files are marked missing, never deleted by a scan; only trackscan's own columns are
 * written, by id, so a host's columns survive; readers see only committed batches. Engine tricks
 * (SQLite's fingerprint snapshot and journal, PostgreSQL's advisory locks) stay inside.
 *
 * <p>Threading: reads may come from any thread and are serialised; the {@link #writer()} is used
 * by one thread at a time.
 */
public interface Catalog extends AutoCloseable {
  /**
   * For each of {@code roots} (absolute, normalized, none inside another), the fingerprints of its
   * rows keyed by path relative to it ('/'-separated, as walkers report paths); each StoredFile's
   * path is that relative path, with {@link StoredFile#recheck()} and {@link StoredFile#missing()}
   * set. A scan's first read: an engine that guards roots against a second scanner takes the guard
   * here and holds it until {@link #close()}.
   *
   * @return one map per root, in the order of {@code roots}
   * @throws StoreException when the read fails, or another scanner holds one of the roots
   */
  List<Map<String, StoredFile>> fingerprintsBelow(List<Path> roots);

  /**
   * The same as {@link #fingerprintsBelow} for a few folders of the roots (a watch's or a quick
   * scan's folders that changed), read without any of the whole-library fast paths a full scan
   * uses. Folder i's map holds every row below it, or, when {@code filesOnly} has bit i, only the
   * rows of the files directly in it (a folder whose subfolders are not walked: for the root of a
   * large library, its few loose files, not every row below it). Where folders nest, a deeper
   * folder's rows may be in the shallower one's map too.
   *
   * @param folders absolute, normalized
   * @throws StoreException when the read fails, or another scanner holds one of the folders
   */
  List<Map<String, StoredFile>> fingerprintsIn(List<Path> folders, java.util.BitSet filesOnly);

  /**
   * Whether a row below {@code root} has its file there at its last scan (not missing): a root
   * that looks empty while this is true is not mounted, not emptied.
   *
   * @throws StoreException when the read fails
   */
  boolean hasPresentRowsBelow(Path root);

  /**
   * How many rows below {@code root} have their file there at its last scan (not missing): what a
   * quick scan counts as unchanged in the folders it did not list.
   *
   * @throws StoreException when the read fails
   */
  long presentRowsBelow(Path root);

  /**
   * Every row whose file an earlier scan found gone, wherever it lies, with absolute paths: a file
   * found at a new path may be one of them.
   *
   * @throws StoreException when the read fails
   */
  List<MoveCandidate> missingCandidates();

  /**
   * These rows (with absolute paths) as move candidates, with their content and identity keys;
   * rows no longer in the catalogue are left out.
   *
   * @throws StoreException when the read fails
   */
  List<MoveCandidate> candidates(List<StoredFile> rows);

  /**
   * The content keys of the rows {@code ids[0, count)}, each written to {@code keys} at its id's
   * position and that position set in {@code known}; a row without a key (written before schema 4),
   * or no longer in the catalogue, leaves its position unset. Nothing per row is kept: a
   * reorganised library asks this for every one of its rows.
   *
   * @throws StoreException when the read fails
   */
  void contentKeys(long[] ids, int count, long[] keys, java.util.BitSet known);

  /**
   * The absolute paths of the rows {@code ids[from, to)}, at the same positions ({@code null} for a
   * row no longer in the catalogue).
   *
   * @throws StoreException when the read fails
   */
  String[] paths(long[] ids, int from, int to);

  /**
   * The device each root was on at its last complete scan, by root path.
   *
   * @throws StoreException when the read fails
   */
  Map<String, Long> rootDevices();

  /**
   * The folder cache of {@code root} ({@code --quick}; see {@link FolderTable}), or empty when it
   * has none: no full scan recorded one, or it was cleared.
   *
   * @param root absolute, normalized
   * @throws StoreException when the read fails
   */
  Optional<FolderCache> folderCache(Path root);

  /**
   * Rows whose file is missing, by path, at most {@code limit}; below {@code roots} only, unless empty.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws StoreException when the read fails
   */
  List<MissingFile> missing(List<Path> roots, int limit);

  /**
   * Deletes the rows missing for at least {@code missingFor} ({@link Duration#ZERO}: all), below
   * {@code roots} only unless empty, in batches; a batch the database refuses is rolled back whole
   * and reported.
   *
   * @throws IllegalArgumentException if {@code missingFor} is negative
   * @throws StoreException when the missing rows cannot be read
   */
  PurgeResult purgeMissing(Duration missingFor, List<Path> roots);

  /**
   * A summary: tracks, missing, failures, tracks per format, duration, size and the last scan.
   *
   * @throws StoreException when the read fails
   */
  LibraryStats stats();

  /**
   * The most recent scan recorded, if any.
   *
   * @throws StoreException when the read fails
   */
  Optional<ScanRecord> lastScan();

  /**
   * Files recorded as unparseable, by path, at most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws StoreException when the read fails
   */
  List<RecordedError> errors(int limit);

  /**
   * The single writer of this catalogue, made on first call.
   *
   * @throws StoreException when it cannot be prepared
   */
  CatalogWriter writer();

  /** What this catalogue is, for messages: a file path, or a URL without its password. */
  String describe();

  /**
   * Closes the catalogue's connections (and releases any root guard). An open write transaction is
   * rolled back.
   *
   * @throws StoreException when closing fails
   */
  @Override
  void close();
}
