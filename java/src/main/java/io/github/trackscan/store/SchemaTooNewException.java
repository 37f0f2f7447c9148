package io.github.trackscan.store;

import java.nio.file.Path;

/**
 * The database was written by a newer trackscan whose schema this version does not know. Nothing
 * was written to it; upgrade trackscan, or scan into another database file.
 */
public final class SchemaTooNewException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final int found;
  private final int supported;

  /**
   * @param database the database file
   * @param found its schema version ({@code PRAGMA user_version})
   * @param supported the newest schema version this code knows
   */
  public SchemaTooNewException(Path database, int found, int supported) {
    super(database, "schema version " + found + " is newer than this trackscan supports (" + supported
        + "); nothing was written. Use a newer trackscan or another database file", null);
    this.found = found;
    this.supported = supported;
  }

  /**
   * For a catalogue that is not a file (a PostgreSQL database).
   *
   * @param catalogue what the catalogue is: a URL without its password
   * @param found its schema version
   * @param supported the newest schema version this code knows
   */
  public SchemaTooNewException(String catalogue, int found, int supported) {
    super(catalogue, "schema version " + found + " is newer than this trackscan supports (" + supported
        + "); nothing was written. Use a newer trackscan or another database", null);
    this.found = found;
    this.supported = supported;
  }

  /** The database's schema version. */
  public int found() {
    return found;
  }

  /** The newest schema version this code knows. */
  public int supported() {
    return supported;
  }
}
