package io.github.trackscan.tags;

import java.nio.file.Path;

/** A file that could not be read as audio: junk, truncated, unsupported, or unreadable. */
public final class TagReadException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final String reason;

  /**
   * @param path the file concerned
   * @param message what went wrong, one line, without the path
   * @param cause the parser's exception, or {@code null}
   */
  public TagReadException(Path path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = path;
    this.reason = message;
  }

  /** What went wrong, without the path. */
  public String reason() {
    return reason;
  }

  /** The file concerned. */
  public Path path() {
    return path;
  }
}
