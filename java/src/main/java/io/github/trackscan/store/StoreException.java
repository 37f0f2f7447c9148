package io.github.trackscan.store;

import java.nio.file.Path;

/**
 * The library database could not be opened, read or written. The message says what was being
 * done and names the database file; the cause is the driver's exception.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path database;

  /**
   * @param database the database file
   * @param message what was being done and what went wrong
   * @param cause the driver's exception, or {@code null}
   */
  public StoreException(Path database, String message, Throwable cause) {
    super(database + ": " + message + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    this.database = database;
  }

  /** The database file concerned. */
  public Path database() {
    return database;
  }
}
