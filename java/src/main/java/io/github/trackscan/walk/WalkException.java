package io.github.trackscan.walk;

import java.io.IOException;
import java.nio.file.Path;

/** A walk that could not be made at all: its root is missing, not a folder, or unreadable. */
public final class WalkException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final WalkStatus status;

  public WalkException(Path path, WalkStatus status) {
    super(path + ": " + status.description());
    this.path = path;
    this.status = status;
  }

  public WalkException(Path path, WalkStatus status, Throwable cause) {
    this(path, status);
    initCause(cause);
  }

  /** The root (or library file) concerned. */
  public Path path() {
    return path;
  }

  /** What went wrong. */
  public WalkStatus status() {
    return status;
  }
}
