package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher at the top of the repository, run as a separate process on a small library. */
final class LauncherIT {
  @TempDir Path dir;

  @Test
  void launcher_synthScanRescanStats() throws Exception {
    String launcher = Processes.launcher().toString();
    Path library = dir.resolve("library");
    Path db = dir.resolve("library.db");

    CliRun synth = Processes.run(300, launcher, "synth", "--tracks", "40", "--seed", "4", library.toString());
    assertEquals(ExitCode.OK, synth.exitCode(), synth.toString());
    assertTrue(synth.out().startsWith("wrote 40 tracks"), synth.toString());

    CliRun scan = Processes.run(120, launcher, "scan", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, scan.exitCode(), scan.toString());
    assertTrue(scan.out().startsWith("scanned "), scan.toString());
    assertTrue(Files.isRegularFile(db));

    CliRun again = Processes.run(120, launcher, "scan", "--json", "--db", db.toString(), library.toString());
    assertEquals(ExitCode.OK, again.exitCode(), again.toString());
    assertTrue(again.out().contains("\"ADDED\":0,\"MODIFIED\":0,\"MOVED\":0,\"MISSING\":0,\"RESTORED\":0,\"DELETED\":0"), again.toString());
    assertEquals("", again.err(), "a clean no-op prints nothing on stderr");

    CliRun stats = Processes.run(120, launcher, "stats", "--db", db.toString());
    assertEquals(ExitCode.OK, stats.exitCode(), stats.toString());
    assertTrue(stats.out().contains(" tracks (") && stats.out().contains(" present, 0 missing)"), stats.toString());

    CliRun missing = Processes.run(120, launcher, "scan", "--db", db.toString(), dir.resolve("nowhere").toString());
    assertEquals(ExitCode.ROOT, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("nowhere"), missing.toString());

    CliRun usage = Processes.run(120, launcher, "scan", "--walker", "fast", library.toString());
    assertEquals(ExitCode.USAGE, usage.exitCode(), usage.toString());
  }

  @Test
  void launcher_hostJvmOptionsComeLastAndWin() throws Exception {
    String launcher = Processes.launcher().toString();
    CliRun run = Processes.run(120, Map.of("TRACKSCAN_JAVA_OPTS", "-Xmx64m  -XX:TieredStopAtLevel=4 -XX:+PrintFlagsFinal"),
        launcher, "--version");
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    assertTrue(Pattern.compile("(?m)^\\s*intx TieredStopAtLevel\\s+= 4 ").matcher(run.out()).find(),
        "C2 back over the launcher's level 1: " + run);
    assertTrue(Pattern.compile("(?m)^\\s*size_t MaxHeapSize\\s+= 67108864 ").matcher(run.out()).find(), run.toString());
    assertTrue(run.out().contains("trackscan "), run.toString());

    CliRun plain = Processes.run(120, Map.of("TRACKSCAN_JAVA_OPTS", "-XX:+PrintFlagsFinal"), launcher, "--version");
    assertTrue(Pattern.compile("(?m)^\\s*intx TieredStopAtLevel\\s+= 1 ").matcher(plain.out()).find(),
        "the launcher's own level: " + plain);
  }
}
