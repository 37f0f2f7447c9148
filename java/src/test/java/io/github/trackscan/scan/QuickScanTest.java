package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.trackscan.scan.ScannerTest.Recorder;
import io.github.trackscan.store.Engine;
import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quick scans from the folder cache (issue #12): what they see, what they cannot see (a file
 * rewritten in place: the blind spot), the full scan every N, and that nothing is lost or touched
 * when folders or the root go away. Every engine, every walker.
 */
@ParameterizedClass(name = "{0} {1}")
@MethodSource("engines")
final class QuickScanTest {
  /** Folders' mtimes an hour old: a folder the test does not touch is then trusted, not racy. */
  private static final FileTime OLD = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);

  @TempDir Path dir;
  @Parameter(0) Engine engine;
  @Parameter(1) Backend backend;
  private Engine.Fresh catalogue;
  private Path music;
  private Path album0;
  private Path album1;

  static Stream<Arguments> engines() {
    List<Arguments> arguments = new ArrayList<>();
    for (Engine engine : Engine.values()) {
      for (Backend backend : List.of(Backend.NIO, Backend.NATIVE)) {
        arguments.add(Arguments.of(engine, backend));
      }
    }
    return arguments.stream();
  }

  @BeforeEach
  void library() throws IOException {
    if (backend == Backend.NATIVE && System.getenv("TRACKSCAN_REQUIRE_NATIVE") == null) {
      assumeTrue(Walkers.nativeUnavailableReason().isEmpty(),
          () -> "native walker unavailable: " + Walkers.nativeUnavailableReason().orElse(""));
    }
    catalogue = engine.fresh(dir);
    music = dir.resolve("music");
    TestLibrary.albums(music, 3, 4);
    album0 = music.resolve("Artist 0/Album 0 (2003)");
    album1 = music.resolve("Artist 1/Album 1 (2003)");
    ageFolders();
  }

  private Scanner scanner(int fullEvery) {
    return Scanner.builder().roots(music).database(catalogue.source()).backend(backend)
        .quick(QuickMode.ALWAYS).fullEvery(fullEvery).build();
  }

  private static ScanReport scan(Scanner scanner, Recorder recorder) {
    return scanner.scan(recorder, new CancellationToken());
  }

  private static RootScan.Mode mode(ScanReport report) {
    return report.rootScans().get(0).mode();
  }

  private void ageFolders() throws IOException {
    try (Stream<Path> paths = Files.walk(music)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isDirectory(path)) {
          Files.setLastModifiedTime(path, OLD);
        }
      }
    }
  }

  private static void mp3(Path file, String title) {
    AudioFixtures.write(file, AudioFixtures.mp3(AudioFixtures.Meta.of("New", title, 1), 20));
  }

  @Test
  void firstScan_isFull_andRecordsEveryFolder() {
    ScanReport report = scan(scanner(10), new Recorder());
    assertEquals(RootScan.Mode.FULL, mode(report));
    assertTrue(report.rootScans().get(0).reason().contains("no folder cache"), report.rootScans().toString());
    assertEquals(12, report.count(ChangeKind.ADDED));
    // The root, three artists, three albums.
    assertEquals(7, catalogue.longValue("SELECT count(*) FROM folder"));
    assertEquals(4, catalogue.longValue("SELECT entries FROM folder WHERE path = 'Artist 0/Album 0 (2003)'"));
  }

  @Test
  void noOp_listsNoFolder_andCountsEveryRowUnchanged() {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    Recorder recorder = new Recorder();
    ScanReport report = scan(scanner, recorder);
    assertEquals(RootScan.Mode.QUICK, mode(report));
    assertEquals(7, report.rootScans().get(0).foldersChecked());
    assertEquals(0, report.rootScans().get(0).foldersListed());
    assertEquals(0, report.filesWalked());
    assertEquals(12, report.count(ChangeKind.UNCHANGED));
    assertTrue(recorder.changes.isEmpty(), recorder.changes.toString());
    assertTrue(report.toJson().contains("\"mode\":\"QUICK\""), report.toJson());
  }

  @Test
  void aFileAddedToAFolder_isFound_byListingThatFolderAlone() {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    mp3(album0.resolve("new.mp3"), "New"); // The album folder's mtime moves on.
    Recorder recorder = new Recorder();
    ScanReport report = scan(scanner, recorder);
    assertEquals(RootScan.Mode.QUICK, mode(report));
    assertEquals(Set.of(album0.resolve("new.mp3").toString()), recorder.paths(ChangeKind.ADDED));
    assertEquals(1, report.rootScans().get(0).foldersListed());
    assertEquals(5, report.filesWalked());
    assertEquals(12, report.count(ChangeKind.UNCHANGED));
    assertEquals(13, catalogue.count("TRUE"));
  }

  @Test
  void aFolderChangedJustBeforeTheScanThatRecordedIt_isListedAgain() throws IOException {
    // Within the margin of the recording scan: on a file system that keeps whole seconds, a change
    // later in the same second would leave the mtime as recorded.
    Files.setLastModifiedTime(album0, FileTime.fromMillis(System.currentTimeMillis() - 500));
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    ScanReport report = scan(scanner, new Recorder());
    assertEquals(RootScan.Mode.QUICK, mode(report));
    assertEquals(1, report.rootScans().get(0).foldersListed());
    assertEquals(4, report.filesWalked());
  }

  @Test
  void aNewAlbumFolder_isScannedWithEverythingInIt() {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    Path fresh = music.resolve("Artist 0/Fresh Album/CD1");
    mp3(fresh.resolve("a.mp3"), "A");
    mp3(fresh.resolve("b.mp3"), "B");
    Recorder recorder = new Recorder();
    ScanReport report = scan(scanner, recorder);
    assertEquals(RootScan.Mode.QUICK, mode(report));
    assertEquals(Set.of(fresh.resolve("a.mp3").toString(), fresh.resolve("b.mp3").toString()),
        recorder.paths(ChangeKind.ADDED));
    // The new folders are in the cache now: the next quick scan lists nothing.
    assertEquals(1, catalogue.longValue("SELECT count(*) FROM folder WHERE path = 'Artist 0/Fresh Album/CD1'"));
  }

  @Test
  void aFileRewrittenInPlace_withItsFolderMtimeKept_isMissedByQuick_andSeenByTheForcedFullScan() throws IOException {
    Scanner scanner = scanner(2); // Scans: full (no cache), quick, full.
    scan(scanner, new Recorder());
    Path track = album1.resolve("01 - Track 1.flac");
    String before = catalogue.rows("album").get(track.toString());
    AudioFixtures.write(track, AudioFixtures.flac(AudioFixtures.Meta.of("Artist 1", "Retagged", 1), 3));
    Files.setLastModifiedTime(album1, OLD); // As a rewrite in place leaves it (some writers rename, which would not).

    ScanReport quick = scan(scanner, new Recorder());
    assertEquals(RootScan.Mode.QUICK, mode(quick));
    assertEquals(0, quick.count(ChangeKind.MODIFIED), "the blind spot: the folder looks unchanged");
    assertEquals(before, catalogue.rows("album").get(track.toString()));

    ScanReport full = scan(scanner, new Recorder());
    assertEquals(RootScan.Mode.FULL, mode(full));
    assertTrue(full.rootScans().get(0).reason().contains("--full-every"), full.rootScans().toString());
    assertEquals(1, full.count(ChangeKind.MODIFIED));
    assertNotEquals(before, catalogue.rows("album").get(track.toString()));
  }

  @Test
  void fullEvery_countsQuickScansPerRoot() {
    Scanner every3 = scanner(3);
    List<RootScan.Mode> modes = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      modes.add(mode(scan(every3, new Recorder())));
    }
    var full = RootScan.Mode.FULL;
    var quick = RootScan.Mode.QUICK;
    assertEquals(List.of(full, quick, quick, full, quick, quick, full), modes);

    Scanner never = scanner(0);
    for (int i = 0; i < 4; i++) {
      assertEquals(quick, mode(scan(never, new Recorder())), "scan " + i);
    }
    assertEquals(4, catalogue.longValue("SELECT quick_scans FROM folder_root"), "counted since the last full scan");

    Scanner always = scanner(1);
    assertEquals(full, mode(scan(always, new Recorder())));
    assertEquals(full, mode(scan(always, new Recorder())));
    assertEquals(0, catalogue.longValue("SELECT quick_scans FROM folder_root"));
  }

  @Test
  void aDeletedFolder_hasItsRowsMarkedMissing_notDeleted() throws IOException {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    delete(album0);
    Recorder recorder = new Recorder();
    ScanReport report = scan(scanner, recorder);
    assertEquals(RootScan.Mode.QUICK, mode(report));
    assertEquals(4, report.count(ChangeKind.MISSING));
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(4, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(12, catalogue.count("TRUE"));
    assertEquals(0, catalogue.longValue("SELECT count(*) FROM folder WHERE path = 'Artist 0/Album 0 (2003)'"));
  }

  @Test
  void aFolderRenamed_keepsItsRows_asMoves() throws IOException {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    Map<String, String> ids = catalogue.rows("id");
    Path renamed = music.resolve("Artist 0/Album 0 (2003, remaster)");
    Files.move(album0, renamed);
    ScanReport report = scan(scanner, new Recorder());
    assertEquals(RootScan.Mode.QUICK, mode(report));
    assertEquals(4, report.count(ChangeKind.MOVED));
    assertEquals(0, report.count(ChangeKind.MISSING) + report.count(ChangeKind.ADDED));
    assertEquals(ids.get(album0.resolve("01 - Track 1.mp3").toString()),
        catalogue.rows("id").get(renamed.resolve("01 - Track 1.mp3").toString()));
  }

  @Test
  void anEmptyMountPoint_isOffline_andNothingIsTouched() throws IOException {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    Map<String, String> rows = snapshot();
    Map<String, String> folders = folderRows();
    Files.move(music, dir.resolve("away"));
    Files.createDirectories(music); // The share did not mount: an empty folder on the same device.
    Recorder recorder = new Recorder();
    ScanReport report = scan(scanner, recorder);
    assertEquals(1, report.offlineRoots().size());
    assertTrue(recorder.changes.isEmpty(), recorder.changes.toString());
    assertEquals(rows, snapshot());
    assertEquals(folders, folderRows());
  }

  @Test
  void aMissingRoot_isOffline_andNothingIsTouched() throws IOException {
    Scanner scanner = scanner(10);
    scan(scanner, new Recorder());
    Map<String, String> rows = snapshot();
    Map<String, String> folders = folderRows();
    Files.move(music, dir.resolve("away"));
    ScanReport report = scan(scanner, new Recorder());
    assertEquals(1, report.offlineRoots().size());
    assertEquals(rows, snapshot());
    assertEquals(folders, folderRows());
  }

  @Test
  void quickOff_keepsNoCache() {
    Scanner plain = Scanner.builder().roots(music).database(catalogue.source()).backend(backend).build();
    ScanReport report = scan(plain, new Recorder());
    assertEquals(RootScan.Mode.FULL, mode(report));
    scan(plain, new Recorder());
    assertEquals(0, folderTables());
  }

  private long folderTables() {
    return engine == Engine.SQLITE
        ? catalogue.longValue("SELECT count(*) FROM sqlite_master WHERE name = 'folder'")
        : catalogue.longValue("SELECT count(*) FROM information_schema.tables WHERE table_name = 'folder'"
            + " AND table_schema = current_schema()");
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Every row's trackscan columns as text, by path: to compare before and after. */
  private Map<String, String> snapshot() {
    Map<String, String> rows = new TreeMap<>();
    for (String column : List.of("id", "file_mtime_ns", "file_size", "missing_since", "updated_at", "checked_at")) {
      catalogue.rows(column).forEach((path, value) -> rows.merge(path, column + "=" + value, (a, b) -> a + "|" + b));
    }
    return rows;
  }

  /** The folder cache as text, by folder. */
  private Map<String, String> folderRows() {
    Map<String, String> rows = new TreeMap<>();
    try (var c = catalogue.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT path, mtime_ns, entries, device, checked_at FROM folder")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getLong(2) + "|" + rs.getLong(3) + "|" + rs.getLong(4) + "|" + rs.getLong(5));
      }
      try (var q = s.executeQuery("SELECT quick_scans, full_scan_at FROM folder_root")) {
        while (q.next()) {
          rows.put("(root)", q.getLong(1) + "|" + q.getLong(2));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }
}
