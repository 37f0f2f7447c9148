package io.github.trackscan.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.synth.Manifest;
import io.github.trackscan.walk.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ScaleRunnerTest {
  @TempDir Path dir;

  @Test
  void copyChanged_copiesTheAddedAndRewrittenFilesWithTheirMtimesAndNothingElse() throws IOException {
    Path library = dir.resolve("lib");
    FileTime old = FileTime.fromMillis(1_500_000_000_000L);
    for (String path : List.of("A/x.mp3", "A/y.mp3", "B/z.flac", "C/gone.mp3")) {
      Files.createDirectories(library.resolve(path).getParent());
      Files.writeString(library.resolve(path), path);
      Files.setLastModifiedTime(library.resolve(path), old);
    }
    Path to = dir.resolve("changed");
    Files.createDirectories(to.resolve("stale"));
    Manifest manifest = new Manifest(List.of("B/z.flac"), List.of("A/y.mp3"), List.of("C/gone.mp3"), Map.of());

    ScaleRunner.copyChanged(library, manifest, to);

    try (Stream<Path> files = Files.walk(to)) {
      assertEquals(List.of("A/y.mp3", "B/z.flac"), files.filter(Files::isRegularFile)
          .map(p -> to.relativize(p).toString()).sorted().toList(), "what was left from before is gone too");
    }
    assertEquals("B/z.flac", Files.readString(to.resolve("B/z.flac")));
    assertEquals(old, Files.getLastModifiedTime(to.resolve("A/y.mp3")), "mtimes kept (rsync -a's old mtimes too)");
  }

  @Test
  void printDeltaBar_comparesTheDeltaLessTheNoOpWithTheChangedFilesAloneEachRoundThenTheirMedians() {
    List<ScaleRunner.Step> steps = List.of(
        step(Backend.NATIVE, "noop", 2000, 1900, 0),
        step(Backend.NATIVE, "delta", 2700, 1950, 10_000),
        step(Backend.NATIVE, ScaleRunner.CHANGED_ALONE, 750, 60, 10_000),
        step(Backend.NIO, "noop", 3000, 2900, 0),
        step(Backend.NIO, "delta", 3800, 3000, 10_000),
        step(Backend.NIO, ScaleRunner.CHANGED_ALONE, 780, 70, 10_000),
        // Round 2: native over (the walk slower by 500 ms), NIO within.
        step(Backend.NATIVE, "noop 2", 2000, 1900, 0),
        step(Backend.NATIVE, "delta 2", 3200, 2400, 10_000),
        step(Backend.NATIVE, "changed alone 2", 760, 60, 10_000),
        step(Backend.NIO, "noop 2", 3000, 2900, 0),
        step(Backend.NIO, "delta 2", 3500, 2950, 10_000),
        step(Backend.NIO, "changed alone 2", 790, 70, 10_000),
        // Round 3: both within.
        step(Backend.NATIVE, "noop 3", 2100, 2000, 0),
        step(Backend.NATIVE, "delta 3", 2700, 2000, 10_000),
        step(Backend.NATIVE, "changed alone 3", 740, 60, 10_000),
        step(Backend.NIO, "noop 3", 3000, 2900, 0),
        step(Backend.NIO, "delta 3", 3600, 2950, 10_000),
        step(Backend.NIO, "changed alone 3", 800, 70, 10_000));
    StringWriter text = new StringWriter();
    ScaleRunner.printDeltaBar(new PrintWriter(text), steps);
    String[] lines = text.toString().split("\n");
    assertEquals(8, lines.length, text.toString());
    assertTrue(lines[0].startsWith("1,000 native round 1: delta - no-op 700 ms (walk +50,"), lines[0]);
    assertTrue(lines[0].endsWith("imported alone 750 ms (parse 400): within"), lines[0]);
    assertTrue(lines[1].startsWith("1,000 nio round 1: delta - no-op 800 ms"), lines[1]);
    assertTrue(lines[1].endsWith(": over"), lines[1]);
    assertTrue(lines[2].startsWith("1,000 native round 2: delta - no-op 1200 ms (walk +500,"), lines[2]);
    assertTrue(lines[2].endsWith(": over"), lines[2]);
    assertEquals("1,000 native, median of 3 rounds: delta - no-op 700 ms, changed files alone 750 ms: within", lines[6]);
    assertEquals("1,000 nio, median of 3 rounds: delta - no-op 600 ms, changed files alone 790 ms: within", lines[7]);
    assertFalse(text.toString().contains("NaN"));
  }

  @Test
  void printDeltaBar_isOverWhenTheMedianIs() {
    List<ScaleRunner.Step> steps = List.of(
        step(Backend.NATIVE, "noop", 2000, 1900, 0),
        step(Backend.NATIVE, "delta", 2900, 1950, 10_000),
        step(Backend.NATIVE, ScaleRunner.CHANGED_ALONE, 750, 60, 10_000));
    StringWriter text = new StringWriter();
    ScaleRunner.printDeltaBar(new PrintWriter(text), steps);
    assertTrue(text.toString().endsWith("1,000 native, median of 1 round: delta - no-op 900 ms, changed files alone 750 ms:"
        + " OVER\n"), text.toString());
  }

  @Test
  void numbered_namesTheFirstRoundPlainly() {
    assertEquals("delta", ScaleRunner.numbered("delta", 1));
    assertEquals("changed alone 3", ScaleRunner.numbered(ScaleRunner.CHANGED_ALONE, 3));
  }

  private static ScaleRunner.Step step(Backend backend, String scenario, double scanMs, double walkMs, long added) {
    // The call: the scan and the close (50 ms here); the bar is judged on it.
    Map<String, String> values = Map.of("scan_ms", Double.toString(scanMs - 50), "call_ms", Double.toString(scanMs),
        "walk_ms", Double.toString(walkMs), "diff_ms", "100", "parse_ms", "400", "added", Long.toString(added));
    return new ScaleRunner.Step(1000, backend, scenario, scanMs + 300, values, null);
  }
}
