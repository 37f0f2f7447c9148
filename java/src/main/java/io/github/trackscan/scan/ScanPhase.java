package io.github.trackscan.scan;

/** The phases of a scan, in order. */
public enum ScanPhase {
  /** Listing the roots; the library's fingerprints are read at the same time on another thread. */
  WALK,
  /** Comparing what was walked with what the library holds. */
  DIFF,
  /** Writing moves and deletions, then parsing added and modified files and writing them in batches. */
  PARSE,
  /** Recording the scan; the report follows. */
  DONE
}
