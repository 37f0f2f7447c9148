package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.ScannerTest.CountingReader;
import io.github.trackscan.scan.ScannerTest.Recorder;
import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.Engine;
import io.github.trackscan.store.LibraryStats;
import io.github.trackscan.store.PurgeResult;
import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TagReaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Files and roots that go missing, come back, or move: no row is lost, no id changes. */
@ParameterizedClass(name = "{0}")
@EnumSource(Engine.class)
final class MissingAndMovesTest {
  @TempDir Path dir;
  @Parameter Engine engine;
  /** The catalogue of this case: an SQLite file, or a fresh schema on the PostgreSQL test server. */
  private Engine.Fresh catalogue;

  @BeforeEach
  void freshCatalogue() {
    catalogue = engine.fresh(dir);
  }

  private Path music() {
    return dir.resolve("music");
  }

  /** Column {@code column} of every row, by path. */
  private Map<String, String> column(String column) {
    return catalogue.rows(column);
  }

  private Scanner scanner(TagReader reader, Path... roots) {
    return Scanner.builder().roots(roots.length == 0 ? new Path[] {music()} : roots).database(catalogue.source()).tagReader(reader)
        .build();
  }

  private ScanReport scan(Recorder recorder, Path... roots) {
    return scanner(TagReaders.standard(), roots).scan(recorder, new CancellationToken());
  }

  private void addPlayCounts() {
    catalogue.execute("ALTER TABLE library ADD COLUMN play_count INTEGER DEFAULT 0",
        "UPDATE library SET play_count = id * 7");
  }

  /** Every row's play count is still id * 7: host data survived. */
  private void assertPlayCountsIntact() {
    long wrong = catalogue.count("NOT (play_count IS NOT NULL AND play_count = id * 7)");
    assertEquals(0, wrong, "rows whose host column changed");
  }

  private long idOf(Path file) {
    return Long.parseLong(column("id").get(file.toString()));
  }

  /** Every change heard is a move that kept the id its old path had. */
  private static void assertMovesKeptIds(Recorder recorder, Map<String, String> idsBefore) {
    for (Change change : recorder.changes) {
      assertEquals(ChangeKind.MOVED, change.kind(), change.toString());
      assertEquals(idsBefore.get(change.oldPath()), Long.toString(change.id()), change.toString());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES); // A new inode, as from a backup.
        }
      }
    }
  }

  private static Set<String> strings(java.util.Collection<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.toSet());
  }

  @Test
  void scan_deletedFileIsMarkedMissingOnceThenRestoredWithItsId() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 2, 5);
    scan(new Recorder());
    addPlayCounts();
    Path gone = files.keySet().iterator().next();
    byte[] bytes = Files.readAllBytes(gone);
    var mtime = Files.getLastModifiedTime(gone);
    Map<String, String> idsBefore = column("id");
    Files.delete(gone);
    Recorder recorder = new Recorder();

    ScanReport report = scan(recorder);

    assertEquals(1, report.count(ChangeKind.MISSING));
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(Set.of(gone.toString()), recorder.paths(ChangeKind.MISSING));
    assertEquals(10, catalogue.count("true"), "the row is kept");
    assertEquals(1, catalogue.count("missing_since IS NOT NULL"));
    try (Catalog library = catalogue.source().open()) {
      LibraryStats stats = library.stats();
      assertEquals(9, stats.present());
      assertEquals(1, stats.missing());
      assertEquals(List.of(gone.toString()), library.missing(List.of(), 10).stream().map(m -> m.path()).toList());
    }

    ScanReport again = scan(new Recorder());
    assertEquals(0, again.count(ChangeKind.MISSING), "reported once, by the scan that found it gone");
    assertTrue(!again.changedAnything());

    AudioFixtures.write(gone, bytes);
    Files.setLastModifiedTime(gone, mtime);
    CountingReader reader = new CountingReader();
    Recorder back = new Recorder();
    ScanReport restored = scanner(reader).scan(back, new CancellationToken());

    assertEquals(1, restored.count(ChangeKind.RESTORED));
    assertEquals(Set.of(gone.toString()), back.paths(ChangeKind.RESTORED));
    assertEquals(0, reader.calls.get(), "restored as it was: not read again");
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(idsBefore, column("id"));
    assertPlayCountsIntact();
  }

  @Test
  void scan_missingFileBackChangedIsRestoredAndReadAgain() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 1, 3);
    scan(new Recorder());
    Path file = files.keySet().iterator().next();
    long id = idOf(file);
    Files.delete(file);
    scan(new Recorder());
    // Another file at the same path: the same path means the same row, restored and updated.
    AudioFixtures.write(file, AudioFixtures.mp3(
        new AudioFixtures.Meta("Someone Else", "Other", "Elsewhere", "Someone Else", 9, 9, 1, 1, "2011", "Jazz"), 30));
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = scanner(reader).scan(recorder, new CancellationToken());

    assertEquals(1, report.count(ChangeKind.RESTORED));
    assertEquals(0, report.count(ChangeKind.MODIFIED));
    assertEquals(1, reader.calls.get());
    assertEquals(Long.toString(id), column("id").get(file.toString()));
    assertEquals("Someone Else", column("title").get(file.toString()));
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
  }

  /**
   * A delta in a library of similar files: one file gone, forty new ones of its size (so each
   * needs its content key to be told from a copy of it) and the copy. The new files are parsed in
   * the read of their key, and that parse is the one written: no file is read twice.
   */
  @Test
  void scan_newFilesOfAGoneFilesSizeAreReadOnce() throws IOException {
    Path gone = music().resolve("a/gone.mp3");
    byte[] goneBytes = AudioFixtures.mp3(new AudioFixtures.Meta("Song 00", "A", "B", "A", 1, 9, 1, 1, "2001", "Rock"), 20);
    AudioFixtures.write(gone, goneBytes);
    Path other = music().resolve("a/other.mp3");
    AudioFixtures.write(other, AudioFixtures.mp3(AudioFixtures.Meta.of("A", "B", 2), 40));
    Files.setLastModifiedTime(other, AudioFixtures.SETTLED); // Not read again as a file as new as its scan
    scan(new Recorder());
    long id = idOf(gone);
    Files.delete(gone);
    for (int i = 10; i < 50; i++) {
      AudioFixtures.write(music().resolve("new/" + i + ".mp3"),
          AudioFixtures.mp3(new AudioFixtures.Meta("Song " + i, "A", "B", "A", 1, 9, 1, 1, "2001", "Rock"), 20));
    }
    Path copy = music().resolve("moved/gone.mp3");
    AudioFixtures.write(copy, goneBytes);
    CountingReader reader = new CountingReader();

    ScanReport report = scanner(reader).scan(new Recorder(), new CancellationToken());

    assertEquals(1, report.count(ChangeKind.MOVED));
    assertEquals(40, report.count(ChangeKind.ADDED));
    assertEquals(id, idOf(copy), "the copy keeps the gone file's row");
    assertEquals(41, reader.calls.get(), "each new file read once: its key, tags and row from one parse");
    Map<String, String> titles = column("title");
    Map<String, String> formats = column("format");
    for (int i = 10; i < 50; i++) {
      String path = music().resolve("new/" + i + ".mp3").toString();
      assertEquals("Song " + i, titles.get(path));
      assertEquals("mp3", formats.get(path));
    }
    assertEquals(0, catalogue.count("content_key IS NULL"));
  }

  @Test
  void scan_emptiedRootIsOfflineAndTouchesNothing() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 2, 5);
    scan(new Recorder());
    addPlayCounts();
    Path backup = dir.resolve("backup");
    copyTree(music(), backup);
    Map<String, String> idsBefore = column("id");
    // What an unmounted share shows: its mount point, an empty folder.
    try (Stream<Path> children = Files.list(music())) {
      for (Path child : children.toList()) {
        deleteTree(child);
      }
    }
    Recorder recorder = new Recorder();

    ScanReport report = scan(recorder);

    assertEquals(1, report.offlineRoots().size());
    assertEquals(music(), report.offlineRoots().get(0).root());
    assertTrue(report.offlineRoots().get(0).reason().contains("empty folder"), report.offlineRoots().get(0).reason());
    assertEquals(report.offlineRoots(), recorder.offline);
    assertTrue(recorder.changes.isEmpty(), "no change at all: " + recorder.changes);
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(idsBefore, column("id"));

    // The share is back (files restored from the copy): same rows, same ids.
    deleteTree(music());
    copyTree(backup, music());
    ScanReport back = scan(new Recorder());
    assertTrue(back.offlineRoots().isEmpty());
    assertEquals(0, back.count(ChangeKind.ADDED));
    assertEquals(idsBefore, column("id"));
    assertEquals(files.size(), back.count(ChangeKind.UNCHANGED));
    assertPlayCountsIntact();
  }

  @Test
  void scan_rootGoneMidWalkIsOfflineAndTouchesNothing() throws Exception {
    TestLibrary.albums(music(), 3, 5);
    // A folder past the 4,096-byte path limit is a walk error (NAME_TOO_LONG); its report is the
    // moment the share goes away. Made and removed from inside (no absolute path can name it).
    Path deep = Files.createDirectories(music().resolve("deep"));
    Process p = new ProcessBuilder("python3", "-c", "import os\nfor _ in range(20):\n    os.mkdir('d' * 250)\n"
        + "    os.chdir('d' * 250)").directory(deep.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    try {
      rootGoneMidWalk();
    } finally {
      assertEquals(0, new ProcessBuilder("rm", "-rf", "deep").directory(music().toFile()).inheritIO().start().waitFor());
    }
  }

  private void rootGoneMidWalk() throws IOException {
    scan(new Recorder());
    Map<String, String> idsBefore = column("id");
    Path away = dir.resolve("unmounted");
    Recorder recorder = new Recorder() {
      @Override
      public void walkError(FileError error) {
        super.walkError(error);
        try {
          if (Files.exists(music())) {
            Files.move(music(), away);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };

    ScanReport report = scan(recorder);

    assertEquals(1, report.offlineRoots().size(), report.walkErrors().toString());
    assertTrue(report.offlineRoots().get(0).reason().contains("went away"), report.offlineRoots().get(0).reason());
    assertTrue(recorder.changes.isEmpty(), "nothing written: " + recorder.changes.size());
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));

    Files.move(away, music());
    ScanReport back = scan(new Recorder());
    assertTrue(back.offlineRoots().isEmpty(), "a walk error alone, the root there: not offline");
    assertEquals(15, back.count(ChangeKind.UNCHANGED));
    assertEquals(idsBefore, column("id"));
  }

  @Test
  void scan_rootOnAnotherDeviceWithNoneOfItsFilesIsOffline() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 1, 4);
    scan(new Recorder());
    // The mount point's own filesystem shows through: another device, none of the library's files.
    catalogue.execute("UPDATE library_root SET device = device + 1");
    for (Path file : files.keySet()) {
      Files.delete(file);
    }
    AudioFixtures.write(music().resolve("lost+found/stray.mp3"), AudioFixtures.mp3(AudioFixtures.Meta.of("S", "T", 1), 5));

    ScanReport report = scan(new Recorder());

    assertEquals(1, report.offlineRoots().size());
    assertTrue(report.offlineRoots().get(0).reason().contains("device"), report.offlineRoots().get(0).reason());
    assertEquals(0, report.count(ChangeKind.ADDED), "nothing is added below an offline root");
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(4, catalogue.count("true"));
  }

  @Test
  void scan_rootOnAnotherDeviceWithItsFilesIsScannedAsUsual() {
    TestLibrary.albums(music(), 1, 4);
    scan(new Recorder());
    // A disk replaced and restored from a backup: another device, the same files.
    catalogue.execute("UPDATE library_root SET device = device + 1");

    ScanReport report = scan(new Recorder());

    assertTrue(report.offlineRoots().isEmpty());
    assertEquals(4, report.count(ChangeKind.UNCHANGED));
    long recorded = catalogue.longValue("SELECT device FROM library_root");
    assertEquals(deviceOf(music()), recorded, "the new device is recorded");
  }

  private static long deviceOf(Path path) {
    try {
      return ((Number) Files.getAttribute(path, "unix:dev")).longValue();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void scan_rootLinkedToAnEmptyMountPointIsOffline() throws IOException {
    Path real = dir.resolve("share");
    TestLibrary.albums(real, 1, 3);
    Path link = Files.createSymbolicLink(dir.resolve("linked"), real);
    scan(new Recorder(), link);
    deleteTree(real);
    Files.createDirectories(real);

    ScanReport report = scan(new Recorder(), link);

    assertEquals(1, report.offlineRoots().size());
    assertEquals(3, catalogue.count("missing_since IS NULL"));
  }

  @Test
  void scan_newEmptyRootIsNotOffline() throws IOException {
    Files.createDirectories(music());

    ScanReport report = scan(new Recorder());

    assertTrue(report.offlineRoots().isEmpty());
    assertTrue(report.rootErrors().isEmpty());
  }

  @Test
  void scan_missingRootIsOfflineAndOtherRootsAreScanned() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    TestLibrary.albums(a, 1, 3);
    TestLibrary.albums(b, 1, 3);
    scan(new Recorder(), a, b);
    deleteTree(a);
    AudioFixtures.write(b.resolve("new.mp3"), AudioFixtures.mp3(AudioFixtures.Meta.of("N", "New", 1), 5));

    ScanReport report = scan(new Recorder(), a, b);

    assertEquals(List.of(a), report.offlineRoots().stream().map(OfflineRoot::root).toList());
    assertEquals(1, report.count(ChangeKind.ADDED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(7, catalogue.count("missing_since IS NULL"));
  }

  @Test
  void scan_halfTheLibraryGoneIsMarkedMissingAndComesBackWithItsIds() throws IOException {
    TestLibrary.albums(music(), 4, 5);
    scan(new Recorder());
    Map<String, String> idsBefore = column("id");
    // One disk of a union mount is gone: two of the four albums.
    Path held = dir.resolve("held");
    Path artist = music().resolve("Artist 1");
    copyTree(artist, held);
    deleteTree(artist);

    ScanReport report = scan(new Recorder());

    assertTrue(report.offlineRoots().isEmpty());
    long gone = report.count(ChangeKind.MISSING);
    assertTrue(gone > 0, "some missing");
    assertEquals(gone, catalogue.count("missing_since IS NOT NULL"));
    assertEquals(20, catalogue.count("true"), "nothing deleted");

    copyTree(held, artist);
    ScanReport back = scan(new Recorder());
    assertEquals(gone, back.count(ChangeKind.RESTORED));
    assertEquals(0, back.count(ChangeKind.ADDED));
    assertEquals(idsBefore, column("id"));
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
  }

  @Test
  void scan_reorganisedLibraryWithNewInodesKeepsEveryIdWithoutParsing() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 6, 8);
    scan(new Recorder());
    addPlayCounts();
    Map<String, String> idsBefore = column("id");
    // Copy every artist folder into a new structure (new inodes), then delete the originals.
    Path sorted = music().resolve("Sorted");
    try (Stream<Path> artists = Files.list(music())) {
      for (Path artist : artists.filter(p -> !p.equals(sorted)).toList()) {
        copyTree(artist, sorted.resolve(artist.getFileName().toString().substring(0, 1)).resolve(artist.getFileName()));
        deleteTree(artist);
      }
    }
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = scanner(reader).scan(recorder, new CancellationToken());

    assertEquals(files.size(), report.count(ChangeKind.MOVED));
    assertEquals(0, report.count(ChangeKind.ADDED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(0, reader.calls.get(), "matched by content key: no tag was read");
    Map<String, String> idsAfter = column("id");
    for (Change change : recorder.changes) {
      assertEquals(idsBefore.get(change.oldPath()), Long.toString(change.id()));
      assertEquals(Long.toString(change.id()), idsAfter.get(change.path()));
      assertTrue(change.path().startsWith(sorted.toString()), change.path());
    }
    assertEquals(files.size(), idsAfter.size());
    assertPlayCountsIntact();
  }

  @Test
  void scan_cancelledWhileMatchingMovesWritesNothing() throws IOException {
    TestLibrary.albums(music(), 2, 5);
    scan(new Recorder());
    Map<String, String> idsBefore = column("id");
    Path moved = music().resolve("Moved");
    copyTree(music().resolve("Artist 0"), moved);
    deleteTree(music().resolve("Artist 0"));
    CancellationToken cancel = new CancellationToken();
    Recorder recorder = new Recorder() {
      @Override
      public void phase(ScanPhase phase) {
        super.phase(phase);
        if (phase == ScanPhase.DIFF) {
          cancel.cancel(); // As the walk ends and the moves are about to be matched.
        }
      }
    };

    ScanReport report = scanner(TagReaders.standard()).scan(recorder, cancel);

    assertEquals(ScanReport.Outcome.CANCELLED, report.outcome());
    assertTrue(recorder.changes.isEmpty(), "nothing written: " + recorder.changes);
    assertEquals(idsBefore, column("id"));
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));

    ScanReport again = scan(new Recorder());
    assertEquals(5, again.count(ChangeKind.MOVED), "the next scan moves the album");
    assertEquals(0, again.count(ChangeKind.ADDED));
  }

  @Test
  void scan_folderMovedBetweenRootsKeepsIds() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    TestLibrary.albums(a, 2, 4);
    TestLibrary.albums(b, 1, 4);
    scan(new Recorder(), a, b);
    addPlayCounts();
    Map<String, String> idsBefore = column("id");
    Path album = a.resolve("Artist 1");
    // One album renamed across roots (same inodes), one copied across and deleted (new inodes).
    Files.move(album, b.resolve("Artist 1"));
    Path copied = a.resolve("Artist 0").resolve("Album 0 (2003)");
    copyTree(copied, b.resolve("From A"));
    deleteTree(copied);
    Recorder recorder = new Recorder();

    ScanReport report = scan(recorder, a, b);

    assertEquals(8, report.count(ChangeKind.MOVED));
    assertEquals(0, report.count(ChangeKind.ADDED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertMovesKeptIds(recorder, idsBefore);
    assertPlayCountsIntact();
  }

  @Test
  void scan_fileMissingEarlierThenFoundElsewhereIsMoved() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 1, 3);
    scan(new Recorder());
    Path file = files.keySet().iterator().next();
    long id = idOf(file);
    Path held = dir.resolve("held.mp3");
    Files.copy(file, held, StandardCopyOption.COPY_ATTRIBUTES);
    Files.delete(file);
    assertEquals(1, scan(new Recorder()).count(ChangeKind.MISSING));
    Files.copy(held, music().resolve("Found Again.mp3"), StandardCopyOption.COPY_ATTRIBUTES);
    Recorder recorder = new Recorder();

    ScanReport report = scan(recorder);

    assertEquals(1, report.count(ChangeKind.MOVED));
    assertEquals(id, recorder.changes.get(0).id());
    assertEquals(file.toString(), recorder.changes.get(0).oldPath());
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
  }

  @Test
  void scan_identicalCopiesAreNeverGuessed() throws IOException {
    byte[] same = AudioFixtures.mp3(AudioFixtures.Meta.of("Twin", "Twins", 1), 20);
    Path one = AudioFixtures.write(music().resolve("a/x.mp3"), same);
    Path two = AudioFixtures.write(music().resolve("b/x.mp3"), same);
    AudioFixtures.settle(music());
    scan(new Recorder());
    Path copy = music().resolve("c/x.mp3");
    Files.createDirectories(copy.getParent());
    Files.copy(one, copy, StandardCopyOption.COPY_ATTRIBUTES);
    Files.delete(one);
    Files.delete(two);

    ScanReport report = scan(new Recorder());

    assertEquals(0, report.count(ChangeKind.MOVED));
    assertEquals(1, report.ambiguousMoves());
    assertEquals(1, report.count(ChangeKind.ADDED));
    assertEquals(2, report.count(ChangeKind.MISSING));
  }

  @Test
  void scan_identicalCopiesToldApartByName() throws IOException {
    byte[] same = AudioFixtures.mp3(AudioFixtures.Meta.of("Twin", "Twins", 1), 20);
    Path one = AudioFixtures.write(music().resolve("a/one.mp3"), same);
    Path two = AudioFixtures.write(music().resolve("a/two.mp3"), same);
    AudioFixtures.settle(music());
    scan(new Recorder());
    Map<String, String> ids = column("id");
    for (Path p : List.of(one, two)) {
      Path to = music().resolve("b").resolve(p.getFileName());
      Files.createDirectories(to.getParent());
      Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
      Files.delete(p);
    }

    ScanReport report = scan(new Recorder());

    assertEquals(2, report.count(ChangeKind.MOVED));
    assertEquals(0, report.ambiguousMoves());
    Map<String, String> after = column("id");
    assertEquals(ids.get(one.toString()), after.get(music().resolve("b/one.mp3").toString()));
    assertEquals(ids.get(two.toString()), after.get(music().resolve("b/two.mp3").toString()));
  }

  @Test
  void scan_rowsWithoutContentKeyAreMatchedByTags() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 1, 4);
    scan(new Recorder());
    catalogue.execute("UPDATE library SET content_key = NULL"); // As migrated from schema 3.
    Map<String, String> idsBefore = column("id");
    Path moved = music().resolve("Moved");
    copyTree(music().resolve("Artist 0"), moved);
    deleteTree(music().resolve("Artist 0"));
    Recorder recorder = new Recorder();

    ScanReport report = scan(recorder);

    assertEquals(files.size(), report.count(ChangeKind.MOVED));
    assertMovesKeptIds(recorder, idsBefore);
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
  }

  @Test
  void scan_excludedFilesAreStillDeletedAtOnce() {
    TestLibrary.albums(music(), 2, 3);
    scan(new Recorder());
    Recorder recorder = new Recorder();

    ScanReport report = Scanner.builder().roots(music()).database(catalogue.source()).excludes(List.of("Artist 1/**")).build()
        .scan(recorder, new CancellationToken());

    assertEquals(3, report.count(ChangeKind.DELETED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(3, catalogue.count("true"));
  }

  @Test
  void purgeMissing_deletesOnlyRowsMissingLongEnough() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 1, 4);
    Scanner scanner = scanner(TagReaders.standard());
    scanner.scan();
    Path gone = files.keySet().iterator().next();
    Files.delete(gone);
    scanner.scan();

    PurgeResult young = scanner.purgeMissing(Duration.ofDays(30));
    assertTrue(young.deleted().isEmpty());
    assertEquals(4, catalogue.count("true"));

    PurgeResult all = scanner.purgeMissing(Duration.ZERO);
    assertEquals(List.of(gone.toString()), all.deleted().stream().map(m -> m.path()).toList());
    assertTrue(all.errors().isEmpty());
    assertEquals(3, catalogue.count("true"));
    assertEquals(0, catalogue.count("missing_since IS NOT NULL"));
  }

  @Test
  void purgeMissing_hostForeignKeyRestrictDeletesNothingOfTheBatch() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 1, 4);
    Scanner scanner = scanner(TagReaders.standard());
    scanner.scan();
    catalogue.execute("CREATE TABLE playlist_entry (track_id INTEGER NOT NULL REFERENCES library(id)"
        + " ON DELETE RESTRICT)", "INSERT INTO playlist_entry SELECT id FROM library ORDER BY id LIMIT 1");
    for (Path file : files.keySet()) {
      Files.delete(file);
    }
    Files.createDirectories(music().resolve("still here")); // Not an empty root: the files are just gone.
    AudioFixtures.write(music().resolve("still here/other.mp3"), AudioFixtures.mp3(AudioFixtures.Meta.of("O", "P", 1), 9));
    assertEquals(4, scanner.scan().count(ChangeKind.MISSING));

    PurgeResult result = scanner.purgeMissing(Duration.ZERO);

    assertEquals(1, result.errors().size(), result.toString());
    assertTrue(result.errors().get(0).toLowerCase(java.util.Locale.ROOT).contains("foreign key"), result.errors().get(0));
    assertTrue(result.deleted().isEmpty());
    assertEquals(4, catalogue.count("missing_since IS NOT NULL"), "nothing of the batch was deleted");
  }
}
