package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line in a real terminal: tmux runs {@code trackscan scan} on a pseudo-terminal and
 * the test reads the screen as it changes. Every distinct frame it saw is printed in the test's
 * output.
 */
final class TerminalProgressIT {
  @TempDir Path dir;

  @Test
  void scan_progressLineRendersAndUpdatesInATerminal() throws Exception {
    if (Processes.run(10, "bash", "-c", "command -v tmux").exitCode() != 0) {
      if (System.getenv("CI") != null) {
        fail("tmux is missing; .ci/run installs it");
      }
      Assumptions.abort("tmux is not installed (apt-get install tmux)");
    }
    String launcher = Processes.launcher().toString();
    Path library = dir.resolve("library");
    Path db = dir.resolve("library.db");
    CliRun synth = Processes.run(300, launcher, "synth", "--tracks", "3000", library.toString());
    assertEquals(ExitCode.OK, synth.exitCode(), synth.toString());

    String session = "trackscan-it-" + ProcessHandle.current().pid();
    String command = "LC_ALL=C.UTF-8 " + launcher + " scan --workers 1 --db " + db + " " + library
        + "; echo EXIT=$?; sleep 60";
    CliRun start = Processes.run(30, "tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "12", command);
    assertEquals(0, start.exitCode(), start.toString());
    Set<String> frames = new LinkedHashSet<>();
    String screen = "";
    try {
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (System.nanoTime() < deadline) {
        screen = Processes.run(10, "tmux", "capture-pane", "-p", "-t", session).out();
        for (String line : screen.split("\n")) {
          if (line.contains(" walked")) {
            frames.add(line.strip());
          }
        }
        if (screen.contains("EXIT=")) {
          break;
        }
        Thread.sleep(20);
      }
    } finally {
      Processes.run(10, "tmux", "kill-session", "-t", session);
    }
    System.out.println("progress frames seen in the terminal (" + frames.size() + "):");
    frames.forEach(frame -> System.out.println("  | " + frame));
    System.out.println("final screen:\n" + screen.stripTrailing());

    assertTrue(screen.contains("EXIT=0"), screen);
    assertTrue(frames.size() >= 2, "the line updates: " + frames);
    List<String> parsing = new ArrayList<>();
    for (String frame : frames) {
      if (frame.matches("parse: [0-9,]+ walked, [0-9,]+/[0-9,]+ parsed, [0-9,]+ files/s(, ETA \\d+:\\d\\d)?")) {
        parsing.add(frame);
      }
    }
    assertTrue(!parsing.isEmpty(), "a parse frame with counts and rate: " + frames);
    String summary = screen.lines().filter(line -> line.contains("scanned ")).findFirst().orElse("");
    assertTrue(summary.startsWith("scanned "), "the progress line is cleared before the summary: " + screen);
    assertTrue(Files.isRegularFile(db));
  }
}
