package io.github.trackscan.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.cli.ExitCode;
import io.github.trackscan.cli.Main;
import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database cannot take what the scan wants to write: a read-only file, a read-only folder, a
 * full file system, a schema from a newer trackscan. Each must end in a clear error (the CLI's exit
 * code 4) with nothing written, or, for a full disk, exactly the batches committed before it filled,
 * a database that passes integrity_check, and a next scan (with space) that completes.
 */
final class DatabaseFaultTest {
  @TempDir Path dir;

  private Path music() {
    return dir.resolve("music");
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run scan(Path db) {
    return cli("scan", "--db", db.toString(), music().toString());
  }

  /** A library, imported into {@code db}, then changed (so the next scan has to write). */
  private void importedThenChanged(Path db, int tracks) throws IOException {
    SynthLibrary.generate(music(), SynthOptions.builder().tracks(tracks).seed(31).build());
    Run first = scan(db);
    assertEquals(ExitCode.OK, first.exitCode(), first.toString());
    SynthLibrary.mutate(music(), 3, Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS));
  }

  private static byte[] digest(Path file) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
  }

  private static Set<String> siblings(Path db) throws IOException {
    Set<String> names = new HashSet<>();
    try (var list = Files.list(db.getParent())) {
      list.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  private static final String CAPS = "this process can write a mode-444 file or a mode-555 folder (root with"
      + " CAP_DAC_OVERRIDE); CI drops it with setpriv, see .ci/run";

  @Test
  void scan_readOnlyDatabaseFile_clearErrorNothingWritten() throws Exception {
    Path db = dir.resolve("library.db");
    importedThenChanged(db, 100);
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("r--r--r--"));
    try {
      Assumptions.assumeFalse(Files.isWritable(db), CAPS);
      assertRefusedReadOnly(db, "read-only file");
    } finally {
      Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  @Test
  void scan_databaseInReadOnlyFolder_clearErrorNothingWritten() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("ro"));
    Path db = folder.resolve("library.db");
    importedThenChanged(db, 100);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(folder), CAPS);
      assertRefusedReadOnly(db, "read-only folder");
    } finally {
      Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** A scan of {@code db} fails with exit 4 naming it as read-only, and changes no byte or file. */
  private void assertRefusedReadOnly(Path db, String what) throws Exception {
    byte[] before = digest(db);
    Set<String> files = siblings(db);
    Run run = scan(db);
    System.out.println("[db] " + what + ": exit " + run.exitCode() + ": " + run.err().strip());
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains(db.toString()) && run.err().contains("read-only"), run.err());
    assertArrayEquals(before, digest(db), "the database is byte for byte the same");
    assertEquals(files, siblings(db), "no file appeared or vanished beside it");
  }

  @Test
  void scan_newerSchema_clearErrorNothingWritten() throws Exception {
    Path db = dir.resolve("library.db");
    importedThenChanged(db, 50);
    Catalogue.execute(db, "PRAGMA user_version = 99");
    byte[] before = digest(db);
    Run run = scan(db);
    assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("99"), run.err());
    assertArrayEquals(before, digest(db), "the database is byte for byte the same");
  }

  /** Mounts a 2 MiB tmpfs at {@code at}, or skips when this process may not mount. */
  private static void mountTmpfs(Path at) throws Exception {
    Files.createDirectories(at);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", at.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a small tmpfs here (" + output.strip()
        + "); the full-disk test needs root with CAP_SYS_ADMIN, as CI has");
  }

  private static void unmount(Path at) throws Exception {
    new ProcessBuilder("umount", at.toString()).inheritIO().start().waitFor();
  }

  /** Fills the file system holding {@code folder} until {@code leftBytes} remain. */
  private static Path fill(Path folder, long leftBytes) throws IOException {
    Path filler = folder.resolve("filler");
    long usable = Files.getFileStore(folder).getUsableSpace();
    Files.write(filler, new byte[(int) Math.max(0, usable - leftBytes)]);
    return filler;
  }

  @Test
  void scan_fullDisk_exactlyTheCommittedBatchesThenTheNextScanCompletes() throws Exception {
    Path mountPoint = dir.resolve("small");
    mountTmpfs(mountPoint);
    try {
      Path db = mountPoint.resolve("library.db");
      SynthLibrary.generate(music(), SynthOptions.builder().tracks(150).seed(32).build());
      Scanner scanner = Scanner.builder().roots(music()).database(db).batchRows(10).build();
      scanner.scan();
      SortedMap<String, String> before = Catalogue.rows(db);
      SynthLibrary.mutate(music(), 4, Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS));
      Path filler = fill(mountPoint, 160 * 1024);

      List<Change> committed = new ArrayList<>();
      StoreException full = assertThrows(StoreException.class, () -> scanner.scan(new ScanListener() {
        @Override
        public void change(Change change) {
          committed.add(change);
        }
      }, new CancellationToken()), "the delta does not fit in 160 KiB");
      System.out.printf("[db] full disk: %s; %d changes committed before it, %d rows%n", full.getMessage(),
          committed.size(), Catalogue.rows(db).size());
      assertTrue(full.getMessage().contains(db.toString()), full.getMessage());
      assertEquals("ok", Catalogue.integrity(db));
      assertEquals(0, Catalogue.duplicatePaths(db));
      // Exactly the committed batches: the rows before, with each committed change applied, and nothing else.
      SortedMap<String, String> after = Catalogue.rows(db);
      Set<String> expectedPaths = new HashSet<>(before.keySet());
      Set<String> changedPaths = new HashSet<>();
      for (Change change : committed) {
        changedPaths.add(change.path());
        if (change.kind() == ChangeKind.MISSING) {
          expectedPaths.remove(change.path()); // Kept, marked missing: no longer a present row.
        } else if (change.kind() == ChangeKind.ADDED) {
          expectedPaths.add(change.path());
        }
      }
      assertEquals(new TreeMap<>(before).keySet().stream().filter(expectedPaths::contains).count()
          + committed.stream().filter(c -> c.kind() == ChangeKind.ADDED).count(), after.size());
      assertEquals(expectedPaths, after.keySet(), "the paths of exactly the committed changes");
      for (String path : after.keySet()) {
        if (!changedPaths.contains(path)) {
          assertEquals(before.get(path), after.get(path), "unchanged row " + path);
        }
      }

      Files.delete(filler);
      Run again = scan(db);
      assertEquals(ExitCode.OK, again.exitCode(), again.toString());
      assertEquals("ok", Catalogue.integrity(db));
      Path clean = dir.resolve("clean.db");
      Scanner.builder().roots(music()).database(clean).build().scan();
      Catalogue.assertSameRows(Catalogue.rows(clean), Catalogue.rows(db), "with space again, the scan completes");
    } finally {
      unmount(mountPoint);
    }
  }

  @Test
  void scan_fullDisk_cliExitsWith4AndTheNextScanCompletes() throws Exception {
    Path mountPoint = dir.resolve("small");
    mountTmpfs(mountPoint);
    try {
      Path db = mountPoint.resolve("library.db");
      importedThenChanged(db, 150);
      SortedMap<String, String> before = Catalogue.rows(db);
      Path filler = fill(mountPoint, 64 * 1024);
      Run run = scan(db);
      System.out.println("[db] full disk, CLI: exit " + run.exitCode() + ": " + run.err().strip());
      assertEquals(ExitCode.DATABASE, run.exitCode(), run.toString());
      assertTrue(run.err().contains("full") && run.err().contains(db.toString()), run.err());
      assertFalse(run.err().contains("internal error"), run.err());
      assertTrue(Files.exists(db), "an existing database is never removed");
      assertEquals("ok", Catalogue.integrity(db));
      assertEquals(0, Catalogue.duplicatePaths(db));

      Files.delete(filler);
      Run again = scan(db);
      assertEquals(ExitCode.OK, again.exitCode(), again.toString());
      assertEquals("ok", Catalogue.integrity(db));
      Path clean = dir.resolve("clean.db");
      Scanner.builder().roots(music()).database(clean).build().scan();
      SortedMap<String, String> expected = Catalogue.rows(clean);
      Catalogue.assertSameRows(expected, Catalogue.rows(db), "with space again, the scan completes");
      assertTrue(before.size() > 0);
    } finally {
      unmount(mountPoint);
    }
  }
}
