package io.github.trackscan.scan;

/** How a file compares with what the library recorded for its path. */
public enum ChangeKind {
  /** A file at a path the library did not have; it is parsed and inserted. */
  ADDED,
  /** A file whose size or modification time changed; it is parsed again and its row updated. */
  MODIFIED,
  /**
   * A file found at a new path with the device, inode, size and modification time of a row whose
   * path vanished: that row keeps its id, tags and host columns and only its path changes; nothing
   * is parsed.
   */
  MOVED,
  /** A row whose file is gone; the row is deleted. */
  DELETED,
  /** A file with the fingerprint the library recorded; nothing is read or written. */
  UNCHANGED
}
