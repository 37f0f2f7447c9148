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
 */
public record StoredFile(long id, String path, long mtimeNs, long sizeBytes, long device, long inode) {
  /** Stands for a fingerprint field the row does not have. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  /** This row with another path (the same file named from elsewhere: absolute, or relative to a root). */
  public StoredFile withPath(String otherPath) {
    return new StoredFile(id, otherPath, mtimeNs, sizeBytes, device, inode);
  }

  /** Whether the file on disk still has the fingerprint this row recorded. */
  public boolean sameContentAs(long mtimeNs, long sizeBytes) {
    return this.mtimeNs == mtimeNs && this.sizeBytes == sizeBytes && mtimeNs != UNKNOWN;
  }
}
