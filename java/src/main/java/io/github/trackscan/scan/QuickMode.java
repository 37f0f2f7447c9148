package io.github.trackscan.scan;

/**
 * Which roots a scan may scan quickly, from their folder cache ({@link Scanner.Builder#quick}): a
 * quick scan checks each folder the cache holds with one stat and lists only those whose own
 * mtime or device changed (and new folders found in them), instead of listing every folder and
 * stat-ing every file.
 *
 * <p>Its blind spot: a file rewritten in place (same name, same folder) leaves its folder's mtime
 * as it was, so a quick scan does not see it; nor one changed on a server whose clock runs more
 * than {@value FolderCachePlan#RACY_MARGIN_MS} ms behind this machine's, within that margin of a
 * scan. A full scan every {@link Scanner.Builder#fullEvery} quick scans sees both.
 */
public enum QuickMode {
  /** Every root is scanned in full, and no folder cache is kept (the default). */
  OFF,
  /**
   * Network and FUSE roots are scanned quickly once a full scan has recorded their folder cache;
   * local roots in full (listing a local folder costs about what checking it would, so the blind
   * spot would buy little there).
   */
  NETWORK,
  /** Every root is scanned quickly once a full scan has recorded its folder cache. */
  ALWAYS
}
