package io.github.trackscan.watch;

/** How a watch follows a root. */
public enum RootMode {
  /** Every folder is watched by the operating system's notifications. */
  WATCHING,
  /** Some folders are watched, the rest (past the watch limit) polled. */
  PARTLY_POLLING,
  /** Scanned again every poll interval: a network or FUSE root, or no notifications to be had. */
  POLLING,
  /** Not there (unmounted, deleted, unreadable): none of its rows is touched; checked until it is back. */
  OFFLINE
}
