package io.github.trackscan.scan;

/**
 * Follows a scan. Every method is called on the thread that called {@link Scanner#scan}, never
 * concurrently, so an implementation needs no locking of its own; it should return quickly, since
 * the scan waits for it. An exception thrown here stops the scan: the open transaction is rolled
 * back (committed batches stay) and {@link Scanner#scan} rethrows it.
 */
public interface ScanListener {
  /** A listener that ignores everything. */
  ScanListener NONE = new ScanListener() {};

  /** A new phase begins. */
  default void phase(ScanPhase phase) {}

  /** Progress: every 512 files, at least every quarter second while parsing, and at the end of the walk and of parsing. */
  default void progress(ScanProgress progress) {}

  /**
   * A change was committed to the library. A listener that does not override this method spares the
   * scan making a {@link Change} for every row it writes, and reading each moved row's old path back
   * from the catalogue: the counts in {@link ScanReport} are the same either way.
   */
  default void change(Change change) {}

  /** A file could not be parsed; it is recorded with its error and fingerprint. */
  default void fileFailed(FileError error) {}

  /**
   * Something worth knowing about a file that is not a problem: its content is another format
   * than its name says (it is read, and catalogued, as what its content is).
   */
  default void fileNote(FileError note) {}

  /** The walk went past a problem (an unreadable folder, a vanished file) or could not walk a root. */
  default void walkError(FileError error) {}

  /** A root is about to be walked: its file system and the requests kept in flight there. */
  default void rootPlanned(RootPlan plan) {}

  /** A root is offline: none of its rows is touched by this scan (see {@link OfflineRoot}). */
  default void rootOffline(OfflineRoot root) {}
}
