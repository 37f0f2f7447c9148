package io.github.trackscan.cli;

import io.github.trackscan.scan.Databases;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db FILE|URL} (and {@code --wait-for-lock}), shared by the commands that use the catalogue. */
final class DatabaseOption {
  @Option(names = "--db", paramLabel = "FILE|URL", defaultValue = "library.db",
      description = "The catalogue: an SQLite file (default: ${DEFAULT-VALUE} in the current folder) or a PostgreSQL"
          + " database, postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME or jdbc:postgresql://...")
  String value;

  @Option(names = "--wait-for-lock",
      description = "PostgreSQL: when another trackscan is scanning one of these roots, wait for it (default: fail at once).")
  boolean waitForLock;

  /** The catalogue named; a URL with an unknown scheme is a usage error listing the accepted forms. */
  CatalogSource source() {
    try {
      return Databases.parse(value, waitForLock);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
  }

  /** The catalogue, a file checked before a scan so a bad path fails at once with one sentence. */
  CatalogSource checkedForWriting() {
    CatalogSource source = source();
    if (source.file().isEmpty()) {
      return source;
    }
    Path db = source.file().get();
    Path parent = db.getParent();
    if (Files.isDirectory(db)) {
      throw new CliException(ExitCode.DATABASE, db + " is a folder, not a database file");
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new CliException(ExitCode.DATABASE, "cannot create " + db + ": its folder does not exist");
    }
    if (Files.exists(db) && !Files.isReadable(db)) {
      throw new CliException(ExitCode.DATABASE, "cannot read " + db + ": permission denied");
    }
    return source;
  }

  /** The catalogue for reading: a file must exist, since reading never creates one. */
  CatalogSource checkedForReading() {
    CatalogSource source = source();
    if (source.file().isEmpty()) {
      try {
        if (!source.exists()) {
          throw new CliException(ExitCode.DATABASE, "no library in " + source.describe()
              + " (run 'trackscan scan' first); nothing was created");
        }
      } catch (io.github.trackscan.store.StoreException e) {
        throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
      }
      return source;
    }
    Path db = source.file().get();
    if (!Files.isRegularFile(db)) {
      throw new CliException(ExitCode.DATABASE, "no library at " + db + " (run 'trackscan scan' first)");
    }
    if (!Files.isReadable(db)) {
      throw new CliException(ExitCode.DATABASE, "cannot read " + db + ": permission denied");
    }
    return source;
  }

  /** Removes a database file this run created and could not finish setting up: nothing half-made stays. */
  static void removeCreated(Path db) {
    try {
      Library.deleteFiles(db);
    } catch (IOException e) {
      // Best effort: the error being reported matters more.
    }
  }
}
