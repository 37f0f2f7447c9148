package io.github.trackscan.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a main class from the test class path, so a test can kill it with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux) or bound its heap. Its stdout lines are collected
 * (stderr goes to a file-like buffer too); {@link #awaitLine} waits for a marker line.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> out = Collections.synchronizedList(new ArrayList<>());
  private final List<String> err = Collections.synchronizedList(new ArrayList<>());
  private final Thread outReader;
  private final Thread errReader;

  private ChildJvm(Process process) {
    this.process = process;
    this.outReader = Thread.ofPlatform().daemon().start(() -> drain(process.getInputStream(), out));
    this.errReader = Thread.ofPlatform().daemon().start(() -> drain(process.getErrorStream(), err));
  }

  /** Starts {@code java [jvmArgs] -cp <this class path> mainClass args}. */
  static ChildJvm start(List<String> jvmArgs, Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-XX:TieredStopAtLevel=1"); // short-lived: start fast
    command.add("-Xshare:auto");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LC_ALL", "C.UTF-8"); // file names are UTF-8
    return new ChildJvm(builder.start());
  }

  private static void drain(java.io.InputStream stream, List<String> lines) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // The process was killed: its pipe broke.
    }
  }

  /** Waits until a stdout line starts with {@code prefix}; false if the process ended or time ran out. */
  boolean awaitLine(String prefix, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (out) {
      while (true) {
        for (String line : out) {
          if (line.startsWith(prefix)) {
            return true;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || (!process.isAlive() && !outReader.isAlive())) {
          return false;
        }
        out.wait(Math.min(left, 50));
      }
    }
  }

  /** SIGKILL; returns whether the process was still running when killed. */
  boolean kill() throws InterruptedException {
    boolean alive = process.isAlive();
    process.destroyForcibly();
    process.waitFor();
    return alive;
  }

  /** Waits for the exit code, killing the process if it takes longer than {@code timeoutMs}. */
  int waitFor(long timeoutMs) throws InterruptedException {
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      throw new AssertionError("child JVM still running after " + timeoutMs + " ms; killed it\n" + output());
    }
    outReader.join(5000);
    errReader.join(5000);
    return process.exitValue();
  }

  List<String> stdout() {
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  String stderr() {
    synchronized (err) {
      return String.join("\n", err);
    }
  }

  String output() {
    return "--- stdout\n" + String.join("\n", stdout()) + "\n--- stderr\n" + stderr();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
