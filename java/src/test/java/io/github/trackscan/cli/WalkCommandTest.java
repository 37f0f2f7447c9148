package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WalkCommandTest {
  @TempDir Path root;

  @BeforeEach
  void makeFiles() throws IOException {
    Files.createDirectories(root.resolve("A/B"));
    Files.write(root.resolve("A/B/one.mp3"), new byte[3]);
    Files.write(root.resolve("A/B/two.flac"), new byte[5]);
    Files.write(root.resolve("A/B/cover.jpg"), new byte[7]);
  }

  @Test
  void walk_printsSortedRecords() {
    CliRun run = CliRun.of("walk", "--walker", "nio", "--sort", root.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    String[] lines = run.out().split("\n");
    assertEquals(2, lines.length, run.toString());
    assertTrue(lines[0].startsWith("A/B/one.mp3\t"), lines[0]);
    assertEquals("3", lines[0].split("\t")[2]);
    assertTrue(lines[1].startsWith("A/B/two.flac\t"), lines[1]);
    assertTrue(lines[1].endsWith("\tfile"), lines[1]);
  }

  @Test
  void walk_countWithCustomExtensions() {
    CliRun run = CliRun.of("walk", "--walker", "nio", "--count", "--ext", "jpg,flac", root.toString());
    assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    assertEquals("2 files, 0 problems (nio)\n", run.out());
  }

  @Test
  void walk_missingRoot() {
    CliRun run = CliRun.of("walk", root.resolve("nope").toString());
    assertEquals(ExitCode.ROOT, run.exitCode(), run.toString());
    assertTrue(run.err().contains("no such file or directory"), run.err());
  }

  @Test
  void walk_badOptions() {
    assertEquals(ExitCode.USAGE, CliRun.of("walk", "--threads", "99", root.toString()).exitCode());
    assertEquals(ExitCode.USAGE, CliRun.of("walk", "--walker", "fast", root.toString()).exitCode());
    assertEquals(ExitCode.USAGE, CliRun.of("walk", "--ext", "a/b", root.toString()).exitCode());
    CliRun unknown = CliRun.of("walk", "--frobnicate", root.toString());
    assertEquals(ExitCode.USAGE, unknown.exitCode());
    assertTrue(unknown.err().contains("Unknown option"), unknown.err());
  }

  @Test
  void walk_nativeBackendLoadsOrSaysWhy() {
    CliRun run = CliRun.of("walk", "--walker", "native", "--count", root.toString());
    if (Walkers.nativeUnavailableReason().isPresent()) {
      assertEquals(ExitCode.NATIVE_UNAVAILABLE, run.exitCode(), run.toString());
      assertTrue(run.err().contains("native walker unavailable"), run.err());
    } else {
      assertEquals(ExitCode.OK, run.exitCode(), run.toString());
      assertEquals("2 files, 0 problems (native)\n", run.out());
    }
  }

  @Test
  void version_andHelp() {
    CliRun version = CliRun.of("--version");
    assertEquals(ExitCode.OK, version.exitCode());
    assertTrue(version.out().startsWith("trackscan "), version.out());
    CliRun help = CliRun.of("walk", "--help");
    assertEquals(ExitCode.OK, help.exitCode());
    assertTrue(help.out().contains("--follow-symlinks"), help.out());
  }
}
