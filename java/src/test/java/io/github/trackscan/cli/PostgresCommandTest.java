package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.store.Engine;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --db postgresql://...}: a scan, stats and missing against a real server, and every fault the
 * user can meet, each with its exit code and one clear sentence: a scheme typo (2, with the forms),
 * no server (4), a wrong password (4), no right to create tables (4, nothing created), a schema from
 * a newer trackscan (4, untouched).
 */
final class PostgresCommandTest {
  @TempDir static Path shared;
  static Path library;

  @TempDir Path dir;

  @BeforeAll
  static void makeLibrary() throws java.io.IOException {
    library = shared.resolve("library");
    SynthLibrary.generate(library, SynthOptions.builder().tracks(40).seed(3).build());
  }

  @Test
  void scan_schemeTypo_isAUsageErrorListingTheAcceptedForms() {
    CliRun run = CliRun.of("scan", "--db", "postgersql://me:secret@db.example/music", library.toString());
    assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("unknown database URL scheme 'postgersql'"), run.toString());
    assertTrue(run.err().contains("postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME"), run.toString());
    assertTrue(run.err().contains("jdbc:postgresql://"), run.toString());
    assertTrue(!run.err().contains("secret"), "the password is not printed: " + run);
  }

  @Test
  void scan_serverDown_exit4WithAClearError() {
    // Port 1 of the loopback: nothing listens there.
    CliRun run = CliRun.of("scan", "--db", "postgresql://trackscan:pw@127.0.0.1:1/trackscan", library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("cannot connect to the PostgreSQL server"), run.toString());
    assertTrue(!run.err().contains(":pw@"), "the password is not printed: " + run);
  }

  @Test
  void scan_importNoOpStatsMissing() {
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    CliRun first = CliRun.of("scan", "--db", catalogue.url(), library.toString());
    assertEquals(ExitCode.OK, first.exitCode(), first.toString());
    long rows = catalogue.count("true");
    assertTrue(rows >= 40, first.toString());
    assertTrue(first.out().contains("added " + rows + " "), first.toString());

    CliRun again = CliRun.of("scan", "--json", "--db", catalogue.url(), library.toString());
    assertEquals(ExitCode.OK, again.exitCode(), again.toString());
    assertTrue(again.out().contains("\"UNCHANGED\":" + rows), again.toString());
    assertTrue(again.out().contains("\"database\":null"), again.toString());

    CliRun stats = CliRun.of("stats", "--db", catalogue.url());
    assertEquals(ExitCode.OK, stats.exitCode(), stats.toString());
    assertTrue(stats.out().contains(rows + " tracks (" + rows + " present, 0 missing)"), stats.toString());
    CliRun missing = CliRun.of("missing", "--db", catalogue.url());
    assertEquals(ExitCode.OK, missing.exitCode(), missing.toString());
  }

  @Test
  void stats_ofADatabaseWithoutACatalogue_exit4_createsNothing() {
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    for (String command : new String[] {"stats", "missing", "purge"}) {
      CliRun run = CliRun.of(command, "--db", catalogue.url());
      assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
      assertTrue(run.err().contains("no library in postgresql://"), run.toString());
    }
    assertEquals(0, catalogue.longValue("SELECT count(*) FROM pg_tables WHERE schemaname = '" + catalogue.schema() + "'"));
  }

  @Test
  void scan_wrongPassword_exit4() {
    Engine.POSTGRES.assume();
    CliRun run = CliRun.of("scan", "--db", "postgresql://trackscan:not-the-password@" + Engine.serverPart(),
        library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("refused the login (wrong user or password?)"), run.toString());
  }

  @Test
  void scan_noRightToCreateTables_exit4_nothingCreated() throws Exception {
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    String role = "nr_" + catalogue.schema();
    try (Connection admin = Engine.admin(); Statement s = admin.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
      s.execute("GRANT USAGE ON SCHEMA " + catalogue.schema() + " TO " + role); // May look, not create.
    }
    CliRun run = CliRun.of("scan", "--db", "postgresql://" + role + ":pw@" + Engine.serverPart() + "?currentSchema="
        + catalogue.schema(), library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("may not create tables"), run.toString());
    assertEquals(0, catalogue.longValue("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = '" + catalogue.schema() + "'"), "nothing was created");
  }

  @Test
  void scan_schemaFromANewerTrackscan_exit4_untouched() {
    Engine.Fresh catalogue = Engine.POSTGRES.fresh(dir);
    catalogue.execute("CREATE TABLE trackscan_schema (version integer NOT NULL)",
        "INSERT INTO trackscan_schema VALUES (99)");
    CliRun run = CliRun.of("scan", "--db", catalogue.url(), library.toString());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("schema version 99 is newer than this trackscan supports"), run.toString());
    assertEquals(1, catalogue.longValue("SELECT count(*) FROM pg_tables WHERE schemaname = '" + catalogue.schema() + "'"),
        "no table was added");
    assertEquals(99, catalogue.longValue("SELECT version FROM trackscan_schema"));
  }
}
