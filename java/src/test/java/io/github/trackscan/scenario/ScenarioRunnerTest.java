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

    // Two timed runs of each scenario and backend, then the run that measures the heap it retains.
    assertEquals(4 * 3 * backends.size(), runs.size(), text.toString());
    for (ScenarioRunner.Run run : runs) {
      if (run.scenario() == ScenarioRunner.Scenario.DELTA || run.scenario() == ScenarioRunner.Scenario.REORGANISE) {
        assertEquals(Boolean.TRUE, run.matchesManifest(), run + "\n" + text);
      }
      if (run.scenario() == ScenarioRunner.Scenario.REORGANISE) {
        assertTrue(run.report().count(ChangeKind.MOVED) > 500, run.toString());
      }
      // A memory run retains at least the rows' fingerprints; a timed run measures no retained heap.
      assertEquals(run.repeat() == ScenarioRunner.MEMORY, run.retainedBytes() > 100_000, run.toString());
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(runs.size() + 1, lines.size());
    assertTrue(lines.get(0).endsWith(",missing,restored,ambiguous_moves,allocated_mb,retained_mb"), lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      assertTrue(Double.parseDouble(cells[cells.length - 2]) > 0, "bytes allocated: " + line);
      boolean memory = cells[5].equals("0");
      assertEquals(memory, !cells[cells.length - 1].isEmpty(), "retained only for a memory run: " + line);
    }
    assertTrue(text.toString().contains("| reorganise |"), text.toString());
    for (Backend backend : backends) {
      assertTrue(text.toString().contains(backend.name().toLowerCase() + ": the reorganise retained "), text.toString());
    }
    // Three reorganises (two timed, one for memory): the library is laid out by letter; the next
    // run puts it back before it mutates it.
    Path library = dir.resolve("library-600-5");
    assertTrue(Files.isDirectory(library.resolve(ScenarioRunner.BY_LETTER)));
    StringWriter again = new StringWriter();
    new ScenarioRunner(dir, 600, 5, backends, 1, null, "test", 0).run(new PrintWriter(again, true));
    assertTrue(again.toString().contains("put back "), again.toString());
    assertTrue(Files.isRegularFile(library.resolve(".trackscan-synth.tsv")));
    assertTrue(!Files.exists(library.resolve(ScenarioRunner.BY_LETTER)), "two reorganises went there and back");
  }
}
