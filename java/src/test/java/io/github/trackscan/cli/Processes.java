package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the launcher and other programs as separate processes, for the *IT tests. */
final class Processes {
  private Processes() {}

  /** The repository's top folder: failsafe runs in java/, whose parent holds the launcher. */
  static Path top() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  }

  static Path launcher() {
    return top().resolve("trackscan");
  }

  /** Runs a command to completion (at most {@code seconds}), returning exit code and output. */
  static CliRun run(int seconds, String... command) throws IOException, InterruptedException {
    return run(seconds, Map.of(), command);
  }

  /** As {@link #run(int, String...)}, with {@code environment} added to this process's. */
  static CliRun run(int seconds, Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    List<String> list = new ArrayList<>(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(list);
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.environment().putAll(environment);
    Process process = builder.start();
    byte[][] streams = new byte[2][];
    Thread err = Thread.ofPlatform().start(() -> {
      try {
        streams[1] = process.getErrorStream().readAllBytes();
      } catch (IOException e) {
        streams[1] = e.toString().getBytes(StandardCharsets.UTF_8);
      }
    });
    streams[0] = process.getInputStream().readAllBytes();
    boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    err.join();
    assertTrue(finished, "finished within " + seconds + " s: " + list);
    return new CliRun(process.exitValue(), new String(streams[0], StandardCharsets.UTF_8),
        new String(streams[1], StandardCharsets.UTF_8));
  }
}
