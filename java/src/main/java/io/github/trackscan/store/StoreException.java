package io.github.trackscan.store;

import java.nio.file.Path;

/**
 * The library database could not be opened, read or written. The message says what was being
 * done and names the database file (or the server's URL, without password); the cause is the driver's exception.
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

  /**
   * For a catalogue that is not a file (a PostgreSQL database).
   *
   * @param catalogue what the catalogue is: a URL without its password
   * @param message what was being done and what went wrong
   * @param cause the driver's exception, or {@code null}
   */
  public StoreException(String catalogue, String message, Throwable cause) {
    super(catalogue + ": " + message + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()),
        cause);
    this.database = null;
  }

  /** The database file concerned, or {@code null} when the catalogue is not a file. */
  public Path database() {
    return database;
  }
}
