package io.github.trackscan.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.Walkers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario runner end to end on a small synthetic library (the reference shape: junk, hidden
 * files, covers, odd names): import, no-op, delta and reorganise, with both walker backends. Every
 * delta must equal its manifest and every reorganise must move every row keeping its id: the
 * headline check of the missing state, run by the benchmark on 41,000 tracks.
 */
final class ScenarioRunnerTest {
  @TempDir Path dir;

  @Test
  void run_everyScenarioMatchesOnBothBackends() throws Exception {
    List<Backend> backends = new ArrayList<>(List.of(Backend.NIO));
    if (Walkers.nativeUnavailableReason().isEmpty()) {
      backends.add(0, Backend.NATIVE);
    }
    Path csv = dir.resolve("runs.csv");
    StringWriter text = new StringWriter();
    ScenarioRunner runner = new ScenarioRunner(dir, 600, 5, backends, 2, csv, "test", 0);

    List<ScenarioRunner.Run> runs = runner.run(new PrintWriter(text, true));

    assertEquals(4 * 2 * backends.size(), runs.size(), text.toString());
    for (ScenarioRunner.Run run : runs) {
      if (run.scenario() == ScenarioRunner.Scenario.DELTA || run.scenario() == ScenarioRunner.Scenario.REORGANISE) {
        assertEquals(Boolean.TRUE, run.matchesManifest(), run + "\n" + text);
      }
      if (run.scenario() == ScenarioRunner.Scenario.REORGANISE) {
        assertTrue(run.report().count(ChangeKind.MOVED) > 500, run.toString());
      }
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(runs.size() + 1, lines.size());
    assertTrue(lines.get(0).endsWith(",missing,restored,ambiguous_moves,allocated_mb"), lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      assertTrue(Double.parseDouble(line.substring(line.lastIndexOf(',') + 1)) > 0, "bytes allocated: " + line);
    }
    assertTrue(text.toString().contains("| reorganise |"), text.toString());
    // Two reorganises went there and back: the library is laid out as generated, manifests in place.
    Path library = dir.resolve("library-600-5");
    assertTrue(Files.isRegularFile(library.resolve(".trackscan-synth.tsv")));
    assertTrue(!Files.exists(library.resolve(ScenarioRunner.BY_LETTER)));
  }
}
