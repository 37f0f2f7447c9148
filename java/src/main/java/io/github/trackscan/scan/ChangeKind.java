package io.github.trackscan.scan;

/** How a file compares with what the library recorded for its path. */
public enum ChangeKind {
  /** A file at a path the library did not have; it is parsed and inserted. */
  ADDED,
  /** A file whose size or modification time changed; it is parsed again and its row updated. */
  MODIFIED,
  /**
   * A file found at a new path that is the file of a row whose path vanished (now or at an earlier
   * scan): the same device and inode, or the same size and content key (a copy with a new inode),
   * told apart by tags and file name where several rows share them. The row keeps its id, tags and
   * host columns and only its path changes; nothing is parsed.
   */
  MOVED,
  /**
   * A row whose file is gone from a root that could be scanned: the row is kept, with its id and
   * host columns, and marked ({@code missing_since}) until the file comes back ({@link #RESTORED}),
   * is found elsewhere ({@link #MOVED}), or a purge deletes it. Reported once, by the scan that
   * found it gone.
   */
  MISSING,
  /**
   * A missing row whose file is at its path again: the mark is cleared, and the file is parsed
   * again only if its fingerprint differs from the row's.
   */
  RESTORED,
  /**
   * A row deleted: by an explicit purge of missing rows, or because an exclude took its file out
   * of the library's scope. A scan never deletes a row because its file is gone.
   */
  DELETED,
  /** A file with the fingerprint the library recorded; nothing is read or written. */
  UNCHANGED
}
