package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code synth --tiny}, {@code synth mutate --changes} and {@code bench --scale} in-process. */
final class SynthCommandTest {
  @TempDir Path dir;

  @Test
  void synth_tinyThenMutateByPercent() throws Exception {
    Path library = dir.resolve("lib");
    CliRun synth = CliRun.of("synth", "--tiny", "--tracks", "400", "--seed", "5", library.toString());
    assertEquals(ExitCode.OK, synth.exitCode(), synth.toString());
    assertTrue(synth.out().startsWith("wrote 400 tracks"), synth.toString());
    assertTrue(SynthReport.read(library).tiny());

    CliRun mutate = CliRun.of("synth", "mutate", "--changes", "5", "--seed", "9", library.toString());

    assertEquals(ExitCode.OK, mutate.exitCode(), mutate.toString());
    assertTrue(mutate.out().startsWith("added 10, modified 10, deleted 1;"), mutate.toString());
    Manifest manifest = Manifest.read(library.resolve(Manifest.fileName(9)));
    assertEquals(10, manifest.added().size());
    assertEquals(List.of(), manifest.deleted().stream().filter(p -> Files.exists(library.resolve(p))).toList());
  }

  @Test
  void synth_mutateRejectsAPercentOutOfRange() {
    Path library = dir.resolve("lib");
    assertEquals(ExitCode.OK, CliRun.of("synth", "--tiny", "--tracks", "20", library.toString()).exitCode());
    CliRun run = CliRun.of("synth", "mutate", "--changes", "0", library.toString());
    assertEquals(ExitCode.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("percent"), run.toString());
  }

  @Test
  void bench_scaleRunsEveryScenarioAsItsOwnProcess() throws Exception {
    Path work = dir.resolve("work");
    Path csv = dir.resolve("scale.csv");
    CliRun run = CliRun.of("bench", "--scale", "300", "--backend", "nio", "--jvm-args", "-Xmx64m",
        "--delta-rounds", "2", "--work", work.toString(), "--csv", csv.toString());

    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    List<String> rows = Files.readAllLines(csv);
    assertEquals(1 + 9, rows.size(), rows.toString());
    for (String scenario : List.of("import", "noop", "delta", "changed alone", "noop 2", "delta 2", "changed alone 2",
        "reorganise", "stats")) {
      assertTrue(rows.stream().anyMatch(r -> r.contains(",nio," + scenario + ",")), scenario + " in " + rows);
    }
    assertTrue(rows.stream().noneMatch(r -> r.endsWith(",false") || r.contains("exit ")), rows.toString());
    assertTrue(run.out().contains("| 300 | reorganise | nio |"), run.out());
    assertTrue(rows.stream().anyMatch(r -> r.contains(",nio,changed alone,") && r.contains(",4,4,4,")), rows.toString());
    assertTrue(run.out().matches("(?s).*300 nio round 2: delta - no-op -?\\d+ ms .*the \\d+ changed files imported alone \\d+ ms .*"),
        run.out());
    assertTrue(run.out().matches("(?s).*300 nio, median of 2 rounds: delta - no-op -?[\\d.]+ ms, changed files alone [\\d.]+ ms: .*"),
        run.out());
  }
}
