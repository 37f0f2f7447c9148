package io.github.trackscan.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a catalogue lives, and how to open it: an SQLite file ({@link Library#source(Path)}) or a
 * PostgreSQL database ({@code io.github.trackscan.store.postgres.PostgresCatalog}). Immutable; each
 * {@link #open()} makes a new connection set.
 */
public interface CatalogSource {
  /**
   * Opens the catalogue, creating and migrating its schema as needed.
   *
   * @throws SchemaTooNewException when it was written by a newer trackscan (nothing is written)
   * @throws StoreException when it cannot be opened, reached, or migrated
   */
  Catalog open();

  /** For messages and reports: a file path, or a URL without its password. */
  String describe();

  /**
   * Whether a catalogue is there already (a command that only reads must not create one): the
   * file exists, or the database holds trackscan's tables.
   *
   * @throws StoreException when a server cannot be reached or asked
   */
  boolean exists();

  /** The SQLite file, when the catalogue is one. */
  Optional<Path> file();
}
