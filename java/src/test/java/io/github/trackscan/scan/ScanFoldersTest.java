package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.ScannerTest.Recorder;
import io.github.trackscan.store.Engine;
import io.github.trackscan.tags.AudioFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Scans of some folders (what a watch runs): they see and touch only those folders, in both engines. */
@ParameterizedClass(name = "{0}")
@EnumSource(Engine.class)
final class ScanFoldersTest {
  @TempDir Path dir;
  @Parameter Engine engine;
  private Engine.Fresh catalogue;
  private Path music;
  private Scanner scanner;
  private Path album0;
  private Path album1;

  @BeforeEach
  void scanned() {
    catalogue = engine.fresh(dir);
    music = dir.resolve("music");
    TestLibrary.albums(music, 3, 4);
    scanner = Scanner.builder().roots(music).database(catalogue.source()).build();
    scanner.scan();
    album0 = music.resolve("Artist 0/Album 0 (2003)");
    album1 = music.resolve("Artist 1/Album 1 (2003)");
  }

  private ScanReport scanFolders(Recorder recorder, FolderScope... scopes) {
    return scanner.scanFolders(List.of(scopes), recorder, new CancellationToken());
  }

  private static void mp3(Path file, String title) {
    AudioFixtures.write(file, AudioFixtures.mp3(AudioFixtures.Meta.of("New", title, 1), 20));
  }

  @Test
  void aFolderAlone_seesItsChanges_andLeavesEveryOtherFolderAsItWas() throws Exception {
    mp3(album0.resolve("new.mp3"), "New");
    Files.delete(album1.resolve("01 - Track 1.flac")); // Not in the scope: not judged.
    Recorder recorder = new Recorder();
    ScanReport report = scanFolders(recorder, FolderScope.of(album0));
    assertEquals(Set.of(album0.resolve("new.mp3").toString()), recorder.paths(ChangeKind.ADDED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(4, report.count(ChangeKind.UNCHANGED));
    assertEquals(5, report.filesWalked());
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(13, catalogue.count("TRUE"));
  }

  @Test
  void aFolderAlone_leavesTheRowsOfItsSubfolders() throws Exception {
    Path artist = music.resolve("Artist 0");
    Recorder recorder = new Recorder();
    ScanReport report = scanFolders(recorder, FolderScope.of(artist));
    assertEquals(0, report.filesWalked());
    assertTrue(recorder.changes.isEmpty(), recorder.changes.toString());
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
  }

  @Test
  void aMoveBetweenTwoScannedFolders_keepsTheId() throws Exception {
    Path from = album0.resolve("01 - Track 1.mp3");
    Path to = album1.resolve("moved.mp3");
    long id = Long.parseLong(catalogue.rows("id").get(from.toString()));
    Files.move(from, to);
    Recorder recorder = new Recorder();
    ScanReport report = scanFolders(recorder, FolderScope.of(album0), FolderScope.of(album1));
    assertEquals(1, report.count(ChangeKind.MOVED));
    assertEquals(0, report.count(ChangeKind.ADDED) + report.count(ChangeKind.MISSING));
    assertEquals(String.valueOf(id), catalogue.rows("id").get(to.toString()));
  }

  @Test
  void aDeletedFolder_scannedWithWhatIsBelow_marksItsRowsMissing() throws Exception {
    Path artist = music.resolve("Artist 0");
    try (var files = Files.walk(artist)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Recorder recorder = new Recorder();
    ScanReport report = scanFolders(recorder, FolderScope.below(artist));
    assertEquals(4, report.count(ChangeKind.MISSING));
    assertEquals(4, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(12, catalogue.count("TRUE"));
  }

  @Test
  void aFolderAndOneBelowIt_eachRowJudgedOnce() throws Exception {
    mp3(album0.resolve("new.mp3"), "New");
    Recorder recorder = new Recorder();
    ScanReport report = scanFolders(recorder, FolderScope.of(music.resolve("Artist 0")), FolderScope.below(album0),
        FolderScope.of(album0));
    assertEquals(1, report.count(ChangeKind.ADDED));
    assertEquals(4, report.count(ChangeKind.UNCHANGED));
    assertEquals(13, catalogue.count("TRUE"));
  }

  @Test
  void aRootGone_isOffline_andNoRowIsTouched() throws Exception {
    Map<String, String> before = snapshot();
    Path away = dir.resolve("away");
    Files.move(music, away);
    Recorder recorder = new Recorder();
    ScanReport report = scanFolders(recorder, FolderScope.of(album0.resolve("..").normalize()));
    assertEquals(1, report.offlineRoots().size());
    assertEquals(before, snapshot());

    Files.move(away, music);
    Files.move(music, dir.resolve("away"));
    Files.createDirectories(music); // An empty mount point where the share was.
    recorder = new Recorder();
    report = scanFolders(recorder, FolderScope.below(album0));
    assertEquals(1, report.offlineRoots().size());
    assertEquals(before, snapshot());
  }

  @Test
  void aFolderOutsideTheRoots_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> scanFolders(new Recorder(), FolderScope.of(dir)));
  }

  @Test
  void aWholeRoot_isAFullScan_recorded() {
    ScanReport report = scanFolders(new Recorder(), FolderScope.below(music));
    assertEquals(12, report.count(ChangeKind.UNCHANGED));
    assertEquals(2L, scansRecorded());
  }

  @Test
  void aFolderScan_isNotRecorded() {
    scanFolders(new Recorder(), FolderScope.of(album0));
    assertEquals(1L, scansRecorded());
  }

  private long scansRecorded() {
    return catalogue.longValue("SELECT count(*) FROM scan");
  }

  /** Every row's trackscan columns as text, by path: to compare before and after. */
  private Map<String, String> snapshot() {
    Map<String, String> rows = new java.util.TreeMap<>();
    for (String column : List.of("id", "file_mtime_ns", "file_size", "missing_since", "updated_at")) {
      catalogue.rows(column).forEach((path, value) -> rows.merge(path, column + "=" + value, (a, b) -> a + "|" + b));
    }
    return rows;
  }
}
