package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.tags.AudioFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Python host, run as it is written: it starts {@code trackscan watch --json} and
 * prints each event it reads from the pipe. A file written while it runs must come out of it.
 */
final class WatchStreamIT {
  private static final String BEGIN = "<!-- watch-example:begin -->";
  private static final String END = "<!-- watch-example:end -->";

  @TempDir Path dir;

  /** The Python lines between the README's markers, fences dropped. */
  static List<String> readmeExample() throws Exception {
    String readme = Files.readString(Processes.top().resolve("README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "README.md holds the watch example between its markers");
    List<String> code = new ArrayList<>();
    for (String line : readme.substring(begin + BEGIN.length(), end).strip().split("\n")) {
      if (!line.startsWith("```")) {
        code.add(line);
      }
    }
    return code;
  }

  @Test
  void theReadmesPythonHost_followsTheStream() throws Exception {
    List<String> code = readmeExample();
    assertEquals(3, code.size(), "three lines: " + code);
    Path script = Files.write(dir.resolve("follow.py"), code);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("trackscan"), Processes.launcher());
    Path music = dir.resolve("music");
    AudioFixtures.write(music.resolve("Artist/Album/1.mp3"),
        AudioFixtures.mp3(AudioFixtures.Meta.of("Artist", "Album", 1), 20));

    ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), "--db", dir.resolve("library.db").toString(),
        music.toString());
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    Process python = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        lines.add("read failed: " + e);
      }
    });
    try {
      List<String> seen = new ArrayList<>();
      awaitLine(lines, seen, "ready");
      assertTrue(seen.stream().anyMatch(l -> l.startsWith("change ADDED " + music.resolve("Artist/Album/1.mp3"))),
          seen.toString());
      Path added = music.resolve("Artist/Album/2.mp3");
      AudioFixtures.write(added, AudioFixtures.mp3(AudioFixtures.Meta.of("Artist", "Album", 2), 20));
      awaitLine(lines, seen, "change ADDED " + added);
      awaitLine(lines, seen, "batch");
    } finally {
      python.descendants().forEach(ProcessHandle::destroy); // The watch: SIGTERM, as Ctrl-C would.
      python.destroy();
      python.waitFor(60, TimeUnit.SECONDS);
      reader.join(60_000);
    }
  }

  private void awaitLine(BlockingQueue<String> lines, List<String> seen, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.add(line);
        if (line.startsWith(prefix)) {
          return;
        }
      }
    }
    throw new AssertionError("no line starting '" + prefix + "' in 120 s; saw " + seen + "; stderr "
        + Files.readString(dir.resolve("stderr.txt")));
  }
}
