package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.synth.SynthReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan, stats and synth commands in-process: output and exit codes, error cases included. */
final class ScanCommandTest {
  @TempDir static Path shared;
  static Path library;
  static SynthReport synth;

  @TempDir Path dir;

  @BeforeAll
  static void makeLibrary() throws IOException {
    library = shared.resolve("library");
    CliRun run = CliRun.of("synth", "--tracks", "60", "--seed", "3", library.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    assertTrue(run.out().startsWith("wrote 60 tracks"), run.out());
    synth = SynthReport.read(library);
  }

  @Test
  void scan_importThenNoOp() {
    Path db = dir.resolve("library.db");
    CliRun first = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, first.exitCode(), first.toString());
    int catalogued = synth.expectedCatalogue().size();
    int failures = synth.expectedParseFailures().size();
    assertTrue(first.out().contains("added " + catalogued + " "), first.toString());
    assertTrue(first.out().contains("failed " + failures), first.toString());
    assertTrue(first.err().contains(failures + " files could not be parsed"), first.toString());

    CliRun again = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, again.exitCode(), again.toString());
    assertTrue(again.out().contains("added 0  modified 0  moved 0  missing 0  restored 0  deleted 0  unchanged " + catalogued), again.toString());
    assertEquals("", again.err(), "quiet when all is well: junk was recorded once, not re-read");
  }

  @Test
  void scan_quickOnALocalRoot_isAFullScan_andSaysWhy() {
    Path db = dir.resolve("library.db");
    CliRun first = CliRun.of("scan", "--quick", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, first.exitCode(), first.toString());
    assertTrue(first.out().contains(library + ": full (a local root"), first.toString());
    CliRun json = CliRun.of("scan", "--quick", "--json", "--db", db.toString(), library.toString());
    assertTrue(json.out().contains("\"rootScans\":[{\"root\":\"" + library + "\",\"mode\":\"FULL\""), json.toString());
    CliRun plain = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertTrue(!plain.out().contains(": full ("), "no word on it when --quick was not asked: " + plain);
  }

  @Test
  void scan_fullEveryOutOfRange_isAUsageError() {
    CliRun run = CliRun.of("scan", "--quick", "--full-every", "-1", "--db", dir.resolve("x.db").toString(),
        library.toString());
    assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--full-every"), run.toString());
  }

  @Test
  void scan_jsonIsOneDocument() {
    Path db = dir.resolve("library.db");
    CliRun run = CliRun.of("scan", "--json", "--walker", "nio", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    String json = run.out().strip();
    assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), json);
    assertTrue(json.contains("\"ADDED\":" + synth.expectedCatalogue().size()), json);
    assertTrue(json.contains("\"backend\":\"NIO\""), json);
  }

  @Test
  void scan_jsonLinesStreamsEachChange_thenTheReport() {
    Path db = dir.resolve("library.db");
    CliRun run = CliRun.of("scan", "--json-lines", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    String[] lines = run.out().strip().split("\n");
    long changes = java.util.Arrays.stream(lines).filter(l -> l.startsWith("{\"event\":\"change\",\"kind\":\"ADDED\""))
        .count();
    long problems = java.util.Arrays.stream(lines).filter(l -> l.startsWith("{\"event\":\"problem\"")).count();
    assertEquals(synth.expectedCatalogue().size(), changes, run.toString());
    assertEquals(synth.expectedParseFailures().size(), problems, run.toString());
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("{\"event\":\"report\",\"report\":{\"outcome\":\"COMPLETED\"") && last.endsWith("}}"), last);
    assertEquals(changes + problems + 1, lines.length, "nothing but JSON lines on stdout");

    CliRun both = CliRun.of("scan", "--json", "--json-lines", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.USAGE, both.exitCode(), both.toString());
  }

  @Test
  void watch_badSettleTime_isAUsageError() {
    CliRun run = CliRun.of("watch", "--settle", "soon", "--db", dir.resolve("l.db").toString(), library.toString());
    assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("--settle takes a time such as 500ms"), run.toString());
  }

  @Test
  void scan_verboseListsEachFailure() {
    CliRun run = CliRun.of("scan", "-v", "--no-parallel", "--db", dir.resolve("l.db").toString(), library.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    for (String junk : synth.expectedParseFailures()) {
      assertTrue(run.err().contains(junk), "listed: " + junk + "\n" + run);
    }
  }

  @Test
  void scan_missingRootKeepsItsRowsAndScansTheOthers() throws IOException {
    Path db = dir.resolve("library.db");
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    assertEquals(ExitCode.OK, CliRun.of("scan", "--db", db.toString(), library.toString()).exitCode());
    CliRun run = CliRun.of("scan", "--db", db.toString(), library.resolveSibling("missing").toString(), other.toString());
    assertEquals(ExitCode.ROOT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("missing"), run.err());
    CliRun stats = CliRun.of("stats", "--db", db.toString());
    assertTrue(stats.out().contains(String.format("%,d tracks", synth.expectedCatalogue().size())), stats.toString());
  }

  @Test
  void scan_excludeTakesFilesOutOfScope() {
    Path db = dir.resolve("library.db");
    String artist = synth.expectedCatalogue().first().split("/")[0];
    long underArtist = synth.expectedCatalogue().stream().filter(p -> p.startsWith(artist + "/")).count();
    int all = synth.expectedCatalogue().size();
    CliRun excluded = CliRun.of("scan", "--db", db.toString(), "--exclude", artist + "/**", library.toString());
    assertEquals(ExitCode.OK, excluded.exitCode(), excluded.toString());
    assertTrue(excluded.out().contains("added " + (all - underArtist) + " "), excluded.toString());
    CliRun included = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertTrue(included.out().contains("added " + underArtist + " "), included.toString());
    CliRun again = CliRun.of("scan", "--db", db.toString(), "--exclude", artist + "/**", library.toString());
    assertTrue(again.out().contains("deleted " + underArtist + " "), again.toString());
    assertEquals(ExitCode.USAGE, CliRun.of("scan", "--db", db.toString(), "--exclude", "[a", library.toString()).exitCode());
  }

  @Test
  void scan_badOptions() {
    String db = dir.resolve("l.db").toString();
    assertEquals(ExitCode.USAGE, CliRun.of("scan", "--db", db, "--workers", "-1", library.toString()).exitCode());
    assertEquals(ExitCode.USAGE, CliRun.of("scan", "--db", db, "--io-depth", "-1", library.toString()).exitCode());
    assertEquals(ExitCode.USAGE, CliRun.of("scan", "--db", db, "--walker", "turbo", library.toString()).exitCode());
    assertEquals(ExitCode.USAGE, CliRun.of("scan", "--db", db, "--progress", "sometimes", library.toString()).exitCode());
    assertEquals(ExitCode.USAGE, CliRun.of("scan", "--db", db).exitCode(), "a root is required");
    assertFalse(Files.exists(dir.resolve("l.db")), "nothing written for bad options");
  }

  @Test
  void scan_databaseInMissingFolderLeavesNothing() {
    Path db = dir.resolve("no/such/folder/library.db");
    CliRun run = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("folder does not exist"), run.err());
    assertFalse(Files.exists(dir.resolve("no")));
  }

  @Test
  void scan_notADatabaseIsRefusedAndKept() throws IOException {
    Path db = dir.resolve("notes.db");
    Files.writeString(db, "these are my notes, not a database\n".repeat(200));
    byte[] before = Files.readAllBytes(db);
    CliRun run = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().startsWith("trackscan: "), run.err());
    assertEquals(1, run.err().strip().lines().count(), "one clear sentence: " + run.err());
    assertEquals(new String(before), new String(Files.readAllBytes(db)), "the file is untouched");
  }

  @Test
  void scan_newerSchemaIsRefusedWithNothingWritten() throws SQLException {
    Path db = dir.resolve("future.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = 999");
    }
    CliRun run = CliRun.of("scan", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("999"), run.err());
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet tables = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
      assertEquals(0, tables.getInt(1), "no table was created");
    }
    assertEquals(ExitCode.DATABASE, CliRun.of("stats", "--db", db.toString()).exitCode());
  }

  @Test
  void scan_lockedDatabase() throws SQLException {
    Path db = dir.resolve("locked.db");
    assertEquals(ExitCode.OK, CliRun.of("scan", "--db", db.toString(), library.toString()).exitCode());
    try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = holder.createStatement()) {
      statement.execute("BEGIN EXCLUSIVE");
      CliRun run = CliRun.of("scan", "--db", db.toString(), library.toString());
      assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
      assertTrue(run.err().contains("lock") || run.err().contains("busy"), run.err());
      statement.execute("ROLLBACK");
    }
  }

  @Test
  void scan_unreadableDatabase() throws IOException {
    Path db = dir.resolve("secret.db");
    assertEquals(ExitCode.OK, CliRun.of("scan", "--db", db.toString(), library.toString()).exitCode());
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(Files.isReadable(db),
          "this process can read a mode-000 file (root with CAP_DAC_OVERRIDE); .ci/run drops it");
      CliRun run = CliRun.of("scan", "--db", db.toString(), library.toString());
      assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
      assertTrue(run.err().contains("permission denied"), run.err());
      assertEquals(ExitCode.DATABASE, CliRun.of("stats", "--db", db.toString()).exitCode());
    } finally {
      Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void stats_reportsFormatsAndLastScan() {
    Path db = dir.resolve("library.db");
    assertEquals(ExitCode.OK, CliRun.of("scan", "--db", db.toString(), library.toString()).exitCode());
    CliRun run = CliRun.of("stats", "--db", db.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    assertTrue(run.out().contains("formats: "), run.out());
    assertTrue(run.out().contains("mp3 "), run.out());
    assertTrue(run.out().contains("flac "), run.out());
    assertTrue(run.out().contains("failed to parse: " + synth.expectedParseFailures().size()), run.out());
    assertTrue(run.out().contains("last scan: "), run.out());
    CliRun json = CliRun.of("stats", "--json", "--db", db.toString());
    assertTrue(json.out().contains("\"tracks\":" + synth.expectedCatalogue().size()), json.out());
  }

  @Test
  void stats_missingDatabaseIsNotCreated() {
    Path db = dir.resolve("none.db");
    CliRun run = CliRun.of("stats", "--db", db.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("no library at"), run.err());
    assertFalse(Files.exists(db));
  }

  @Test
  void synth_refusesNonEmptyFolderAndMutateWritesManifest() throws IOException {
    Files.writeString(dir.resolve("keep.txt"), "mine");
    assertEquals(ExitCode.USAGE, CliRun.of("synth", "--tracks", "10", dir.toString()).exitCode());
    Path lib = dir.resolve("lib");
    assertEquals(ExitCode.OK, CliRun.of("synth", "--tracks", "30", lib.toString()).exitCode());
    CliRun mutate = CliRun.of("synth", "mutate", "--seed", "5", lib.toString());
    assertEquals(ExitCode.OK, mutate.exitCode(), mutate.toString());
    assertTrue(mutate.out().startsWith("added 200, modified"), mutate.out());
    assertEquals(ExitCode.USAGE, CliRun.of("synth", "mutate", dir.toString()).exitCode(), "not a synth library");
  }

  @Test
  void help_listsEverySubcommandAndExitCodes() {
    CliRun run = CliRun.of("--help");
    for (String command : new String[] {"scan", "stats", "missing", "purge", "walk", "synth", "bench"}) {
      assertTrue(run.out().contains("  " + command + " "), command + "\n" + run.out());
    }
    assertTrue(run.out().contains("Exit codes:"), run.out());
    for (String command : new String[] {"scan", "stats", "missing", "purge", "walk", "synth", "bench"}) {
      CliRun help = CliRun.of(command, "--help");
      assertEquals(ExitCode.OK, help.exitCode(), command);
      assertTrue(help.out().startsWith("Usage: trackscan " + command), help.out());
      CliRun version = CliRun.of(command, "--version");
      assertEquals(ExitCode.OK, version.exitCode(), command);
      assertTrue(version.out().startsWith("trackscan "), command + " --version: " + version.out());
    }
    CliRun mutateVersion = CliRun.of("synth", "mutate", "--version");
    assertTrue(mutateVersion.out().startsWith("trackscan "), mutateVersion.out());
  }

  @Test
  void help_ofEveryCommandIsFormattedWithoutPicocliWarnings() {
    // picocli formats descriptions (a bare % breaks it) and warns on System.err, not on the run's.
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    CliRun mutate;
    try {
      for (String[] command : new String[][] {{"scan"}, {"stats"}, {"missing"}, {"purge"}, {"walk"}, {"synth"},
          {"synth", "mutate"}, {"bench"}, {"watch"}}) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 1);
        args[command.length] = "--help";
        assertEquals(ExitCode.OK, CliRun.of(args).exitCode(), String.join(" ", command));
      }
      mutate = CliRun.of("synth", "mutate", "--help");
    } finally {
      System.setErr(err);
    }
    assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(mutate.out().contains("changes P% of the tracks"), mutate.out());
  }
}
