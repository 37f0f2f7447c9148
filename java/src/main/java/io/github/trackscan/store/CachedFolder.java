package io.github.trackscan.store;

import java.util.Objects;

/**
 * One folder of a root as a full scan (or the quick scan that last listed it) saw it: the folder
 * cache's row. A quick scan trusts a folder whose own mtime and device are still these, without
 * listing it.
 *
 * @param path the folder's path relative to its root, '/'-separated; "" for the root itself
 * @param mtimeNs the folder's own mtime, nanoseconds since the epoch, read before it was listed
 * @param entries the names its listing held (hidden ones included)
 * @param device the folder's device ({@code st_dev})
 * @param checkedAtMs when the scan that listed it began, epoch ms: a folder whose mtime is as
 *     recent as that may have changed again within the file system's mtime granularity, and is
 *     not trusted
 */
public record CachedFolder(String path, long mtimeNs, long entries, long device, long checkedAtMs) {
  public CachedFolder {
    Objects.requireNonNull(path, "path");
  }
}
