package io.github.trackscan.cli;

import io.github.trackscan.store.Library;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db FILE}, shared by the commands that use the library database. */
final class DatabaseOption {
  @Option(names = "--db", paramLabel = "FILE", defaultValue = "library.db",
      description = "The library database (default: ${DEFAULT-VALUE} in the current folder).")
  Path file;

  /** The database path, checked before a scan so a bad path fails at once with one sentence. */
  Path checkedForWriting() {
    Path db = file.toAbsolutePath().normalize();
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
    return db;
  }

  /** The database path for reading: it must exist, since reading never creates one. */
  Path checkedForReading() {
    Path db = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(db)) {
      throw new CliException(ExitCode.DATABASE, "no library at " + db + " (run 'trackscan scan' first)");
    }
    if (!Files.isReadable(db)) {
      throw new CliException(ExitCode.DATABASE, "cannot read " + db + ": permission denied");
    }
    return db;
  }

  /** Removes a database this run created and could not finish setting up: nothing half-made stays. */
  static void removeCreated(Path db) {
    try {
      Library.deleteFiles(db);
    } catch (IOException e) {
      // Best effort: the error being reported matters more.
    }
  }
}
