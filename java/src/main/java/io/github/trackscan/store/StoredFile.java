package io.github.trackscan.store;

/**
 * A library row as the diff sees it: its id, path and fingerprint, nothing else.
 *
 * @param id the row's stable id
 * @param path the absolute path
 * @param mtimeNs modification time in nanoseconds, or {@link #UNKNOWN} for a row migrated from a
 *     schema without one (such a row is always read again)
 * @param sizeBytes size in bytes, or {@link #UNKNOWN}
 * @param device device id, or {@link #UNKNOWN}
 * @param inode inode number, or {@link #UNKNOWN}
 */
public record StoredFile(long id, String path, long mtimeNs, long sizeBytes, long device, long inode) {
  /** Stands for a fingerprint field the row does not have. */
  public static final long UNKNOWN = Long.MIN_VALUE;

  /** Whether the file on disk still has the fingerprint this row recorded. */
  public boolean sameContentAs(long mtimeNs, long sizeBytes) {
    return this.mtimeNs == mtimeNs && this.sizeBytes == sizeBytes && mtimeNs != UNKNOWN;
  }
}
