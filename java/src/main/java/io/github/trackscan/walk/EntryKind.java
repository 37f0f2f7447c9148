package io.github.trackscan.walk;

/** What a {@link WalkEntry} is. */
public enum EntryKind {
  /** A regular file reached without following a symlink. */
  FILE,
  /** A regular file reached through a symlink; only when the walk follows symlinks. */
  SYMLINK_FILE
}
