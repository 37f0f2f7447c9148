package io.github.trackscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A share that fails while it is scanned, over the network rig (bench/network-rig.sh: sftp-server
 * behind a delaying relay, mounted with sshfs), with the launcher as a separate process. Needs
 * FUSE and the rig's Debian packages (the rig installs them as root); skipped without FUSE unless
 * TRACKSCAN_REQUIRE_NETWORK_RIG is set (.ci/run sets it).
 */
final class NetworkFaultIT {
  @TempDir Path dir;
  private Path export;
  private Path mount;
  private Path db;
  private long tracks;

  @BeforeEach
  void library() throws IOException {
    boolean fuse = Files.exists(Path.of("/dev/fuse"));
    if (System.getenv("TRACKSCAN_REQUIRE_NETWORK_RIG") != null) {
      assertTrue(fuse, "TRACKSCAN_REQUIRE_NETWORK_RIG is set, but there is no /dev/fuse");
    }
    assumeTrue(fuse, "no FUSE here: the network rig cannot mount");
    export = dir.resolve("export");
    mount = dir.resolve("mnt");
    db = dir.resolve("library.db");
    SynthLibrary.generate(export, SynthOptions.builder().tracks(300).seed(5).build());
  }

  @AfterEach
  void down() throws Exception {
    rig("down", mount.toString());
  }

  private static int rig(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = Processes.top().resolve("bench/network-rig.sh").toString();
    System.arraycopy(args, 0, command, 2, args.length);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }

  private void up(int rttMs, String cache) throws Exception {
    rig("down", mount.toString());
    assertEquals(0, rig("up", export.toString(), mount.toString(), String.valueOf(rttMs), cache), "the rig came up");
  }

  /** Stops the server and the relay, as a NAS that goes away: the mount is left to find out. */
  private void killServer() throws IOException, InterruptedException {
    Path state = mount.resolveSibling(mount.getFileName() + ".rig");
    for (String name : new String[] {"socat", "relay"}) {
      Path pid = state.resolve(name + ".pid");
      if (Files.exists(pid)) {
        new ProcessBuilder("kill", Files.readString(pid).strip()).start().waitFor();
      }
    }
  }

  private long query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The launcher, as a terminal would start it: a build started in the background (nohup, a CI
   * runner) ignores SIGINT, and an ignored signal stays ignored across exec, so the JVM would never
   * see the Ctrl-C this test sends. python3 puts SIGINT back to its default, then execs.
   */
  private static final List<String> WITH_SIGINT = List.of("python3", "-c",
      "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");

  private Process scan(String... more) throws IOException {
    List<String> command = new ArrayList<>(WITH_SIGINT);
    command.add(Processes.launcher().toString());
    command.add("scan");
    command.addAll(List.of(more));
    command.add("--db=" + db);
    command.add(mount.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    return builder.start();
  }

  private String out() throws IOException {
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }

  private String err() throws IOException {
    return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
  }

  private int finish(Process p) throws InterruptedException {
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the scan ended");
    return p.exitValue();
  }

  @Test
  void aServerKilledDuringTheScan_touchesNoRow_saysWhich_andTheNextScanConverges() throws Exception {
    up(1, "default");
    assertEquals(ExitCode.OK, finish(scan()), "the import over the share");
    tracks = query("SELECT count(*) FROM library");
    assertTrue(tracks >= 300, "imported " + tracks);

    // The server goes at a different point of each scan: before the walk, during it, during the
    // diff. Wherever it is, no row may be marked missing, and a scan that did not see the whole
    // share must say so (exit 3, naming the root), never exit 0 as if it had.
    for (long delayMs : new long[] {0, 700, 1400, 2100, 2800}) {
      up(60, "nocache");
      Process scan = scan();
      Thread.sleep(delayMs);
      killServer();
      int exit = finish(scan);
      String report = "after " + delayMs + " ms: exit " + exit + "\n" + out() + err();
      assertEquals(0, query("SELECT count(*) FROM library WHERE missing_since IS NOT NULL"), report);
      assertEquals(tracks, query("SELECT count(*) FROM library"), report);
      if (exit == ExitCode.OK) {
        assertTrue(out().contains("unchanged " + tracks), "exit 0 only for a scan that saw every file: " + report);
      } else {
        assertEquals(ExitCode.ROOT, exit, report);
        assertTrue(err().contains(mount + ": offline"), report);
      }
    }

    up(1, "default"); // The server is back.
    assertEquals(ExitCode.OK, finish(scan()), out() + err());
    assertTrue(out().contains("missing 0") && out().contains("unchanged " + tracks), out());
  }

  @Test
  void aServerKilledDuringAQuickScan_touchesNoRowNorTheFolderCache() throws Exception {
    up(1, "default");
    assertEquals(ExitCode.OK, finish(scan("--quick")), "the import over the share, recording the folder cache");
    tracks = query("SELECT count(*) FROM library");
    long folders = query("SELECT count(*) FROM folder");
    assertTrue(folders > 10, "folders cached: " + folders);

    // The server goes before the check, during it, during the walk of what changed, or later.
    // Folders the check could not stat, or found gone because the mount went with the server,
    // must not become missing rows: the root is judged offline and nothing is written.
    for (long delayMs : new long[] {0, 300, 700, 1400, 2100}) {
      up(60, "nocache");
      Process scan = scan("--quick", "--full-every", "0");
      Thread.sleep(delayMs);
      killServer();
      int exit = finish(scan);
      String report = "after " + delayMs + " ms: exit " + exit + "\n" + out() + err();
      assertEquals(0, query("SELECT count(*) FROM library WHERE missing_since IS NOT NULL"), report);
      assertEquals(tracks, query("SELECT count(*) FROM library"), report);
      assertEquals(folders, query("SELECT count(*) FROM folder"), report);
      if (exit == ExitCode.OK) {
        assertTrue(out().contains("unchanged " + tracks), "exit 0 only for a scan that saw every folder: " + report);
      } else {
        assertEquals(ExitCode.ROOT, exit, report);
        assertTrue(err().contains(mount + ": offline"), report);
      }
    }

    up(1, "default"); // The server is back.
    assertEquals(ExitCode.OK, finish(scan("--quick", "--full-every", "0")), out() + err());
    assertTrue(out().contains(": quick (") && out().contains("missing 0") && out().contains("unchanged " + tracks),
        out());
  }

  @Test
  void aSlowServer_stillStopsOnCtrlC_keepingWhatWasCommitted() throws Exception {
    up(100, "default");
    Process scan = scan("--workers", "4", "--io-depth", "4");
    // The launcher execs java once it is built and has trained its AOT cache (the first launch
    // after a build does, for a while): a Ctrl-C before that would reach the launcher, not the scan.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!scan.info().command().orElse("").endsWith("/java") && scan.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // Then long enough to be walking or parsing: at 100 ms a round trip, this import takes minutes.
    Thread.sleep(4000);
    long signalled = System.nanoTime();
    new ProcessBuilder("kill", "-INT", String.valueOf(scan.pid())).start().waitFor();
    int exit = finish(scan);
    long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
    String report = "exit " + exit + " " + stopMs + " ms after Ctrl-C\n" + out() + err();
    assertEquals(ExitCode.INTERRUPTED, exit, report);
    assertTrue(out().startsWith("cancelled after"), report);
    long rows = query("SELECT count(*) FROM library");
    var added = java.util.regex.Pattern.compile("added ([0-9,]+) ").matcher(out());
    assertTrue(added.find(), report);
    assertEquals(Long.parseLong(added.group(1).replace(",", "")), rows, "the report counts what was committed: " + report);
    assertEquals(0, query("SELECT count(*) FROM library WHERE missing_since IS NOT NULL"), report);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertEquals("ok", rs.getString(1), report);
    }
  }
}
