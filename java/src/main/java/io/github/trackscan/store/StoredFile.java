package io.github.trackscan.store;

/**
 * A library row as the diff sees it: its id, path and fingerprint, nothing else.
 *
 * @param id the row's stable id
 * @param path the absolute path, or the path relative to a root when read with
 *     {@link Library#fingerprintsBelow}
 * @param mtimeNs modification time in nanoseconds, or {@link #UNKNOWN} for a row migrated from a
 *     schema without one (such a row is always read again)
 * @param sizeBytes size in bytes, or {@link #UNKNOWN}
 * @param device device id, or {@link #UNKNOWN}
 * @param inode inode number, or {@link #UNKNOWN}
 * @param recheck whether the fingerprint cannot be trusted yet: the file's mtime is as recent as
 *     the scan that read it, so a write in the same clock tick would not have changed it; the next
 *     scan reads such a file again even if its fingerprint matches
 * @param missing whether an earlier scan found the file gone (the row is kept, marked with
 *     {@code missing_since}); a file found at its path again restores it
 */
public record StoredFile(long id, String path, long mtimeNs, long sizeBytes, long device, long inode, boolean recheck,
    boolean missing) {
  /** Stands for a fingerprint field the row does not have. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  /** A row whose fingerprint can be trusted. */
  public StoredFile(long id, String path, long mtimeNs, long sizeBytes, long device, long inode) {
    this(id, path, mtimeNs, sizeBytes, device, inode, false, false);
  }

  /** This row with another path (the same file named from elsewhere: absolute, or relative to a root). */
  public StoredFile withPath(String otherPath) {
    return new StoredFile(id, otherPath, mtimeNs, sizeBytes, device, inode, recheck, missing);
  }

  /** This row, to be read again whatever its fingerprint says. */
  public StoredFile withRecheck() {
    return new StoredFile(id, path, mtimeNs, sizeBytes, device, inode, true, missing);
  }

  /** This row, marked as missing: its file was gone at an earlier scan. */
  public StoredFile withMissing() {
    return new StoredFile(id, path, mtimeNs, sizeBytes, device, inode, recheck, true);
  }

  /** Whether the file on disk still has the fingerprint this row recorded. */
  public boolean sameContentAs(long mtimeNs, long sizeBytes) {
    return this.mtimeNs == mtimeNs && this.sizeBytes == sizeBytes && mtimeNs != UNKNOWN;
  }
}
