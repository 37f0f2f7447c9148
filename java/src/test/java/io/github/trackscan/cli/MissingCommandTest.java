package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scan} with files and roots gone, {@code missing}, {@code purge} and {@code stats}: output and exit codes. */
final class MissingCommandTest {
  @TempDir Path dir;

  private Path library() throws IOException {
    Path library = dir.resolve("music");
    SynthLibrary.generate(library, SynthOptions.builder().tracks(40).seed(9).build());
    return library;
  }

  private static List<Path> audio(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      // Not below a hidden folder (.Trash-1000/, .AppleDouble/): those are not catalogued.
      return all.filter(p -> p.toString().endsWith(".flac") && !root.relativize(p).toString().matches("(.*/)?\\..*"))
          .sorted().toList();
    }
  }

  @Test
  void missingFiles_listedThenPurged() throws IOException {
    Path library = library();
    String db = dir.resolve("library.db").toString();
    assertEquals(ExitCode.OK, CliRun.of("scan", "--db", db, library.toString()).exitCode());
    List<Path> gone = audio(library).subList(0, 2);
    for (Path p : gone) {
      Files.delete(p);
    }

    CliRun scan = CliRun.of("scan", "--db", db, library.toString());
    assertEquals(ExitCode.OK, scan.exitCode(), scan.toString());
    assertTrue(scan.out().contains("missing 2 "), scan.out());
    CliRun json = CliRun.of("scan", "--json", "--db", db, library.toString());
    assertTrue(json.out().contains("\"MISSING\":0"), "reported once: " + json.out());
    assertTrue(json.out().contains("\"offline\":[]"), json.out());

    CliRun stats = CliRun.of("stats", "--db", db);
    assertTrue(stats.out().contains(" missing)"), stats.out());
    assertTrue(stats.out().contains(", 2 missing)"), stats.out());
    assertTrue(CliRun.of("stats", "--json", "--db", db).out().contains("\"missing\":2"));

    CliRun missing = CliRun.of("missing", "--db", db);
    assertEquals(ExitCode.OK, missing.exitCode(), missing.toString());
    for (Path p : gone) {
      assertTrue(missing.out().contains(p.toString()), missing.out());
    }
    assertTrue(missing.out().contains("2 missing"), missing.out());
    CliRun missingJson = CliRun.of("missing", "--json", "--db", db);
    assertTrue(missingJson.out().startsWith("{\"missing\":[{\"id\":"), missingJson.out());
    assertTrue(missingJson.out().contains("\"missingSinceMs\":"), missingJson.out());

    CliRun young = CliRun.of("purge", "--missing-for", "30d", "--db", db);
    assertEquals(ExitCode.OK, young.exitCode(), young.toString());
    assertTrue(young.out().contains("purged 0 missing tracks"), young.out());
    CliRun purge = CliRun.of("purge", "--json", "--db", db);
    assertEquals(ExitCode.OK, purge.exitCode(), purge.toString());
    assertTrue(purge.out().startsWith("{\"deleted\":[{\"id\":"), purge.out());
    assertTrue(purge.out().endsWith("\"errors\":[]}\n"), purge.out());
    assertTrue(CliRun.of("missing", "--db", db).out().contains("0 missing"));
  }

  @Test
  void offlineRoot_exitCode3AndRowsKept() throws IOException {
    Path library = library();
    String db = dir.resolve("library.db").toString();
    assertEquals(ExitCode.OK, CliRun.of("scan", "--db", db, library.toString()).exitCode());
    try (Stream<Path> all = Files.walk(library)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(library)) {
          Files.delete(p);
        }
      }
    }

    CliRun scan = CliRun.of("scan", "--json", "--db", db, library.toString());

    assertEquals(ExitCode.ROOT, scan.exitCode(), scan.toString());
    assertTrue(scan.out().contains("\"offline\":[{\"root\":"), scan.out());
    assertTrue(scan.out().contains("empty folder"), scan.out());
    assertTrue(scan.err().contains("offline"), scan.err());
    assertTrue(CliRun.of("stats", "--db", db).out().contains(", 0 missing)"));
  }

  @Test
  void purge_badDurationIsAUsageError() {
    CliRun run = CliRun.of("purge", "--missing-for", "soon", "--db", dir.resolve("x.db").toString());
    assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("30d"), run.err());
  }

  @Test
  void parseDuration_acceptsUnitsAndIso() {
    assertEquals(Duration.ofDays(30), PurgeCommand.parseDuration("30d"));
    assertEquals(Duration.ofHours(12), PurgeCommand.parseDuration("12h"));
    assertEquals(Duration.ofMinutes(90), PurgeCommand.parseDuration("90m"));
    assertEquals(Duration.ofDays(14), PurgeCommand.parseDuration("2w"));
    assertEquals(Duration.ofDays(3), PurgeCommand.parseDuration("P3D"));
    assertEquals(Duration.ZERO, PurgeCommand.parseDuration("0"));
  }
}
