package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.Engine;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.LibraryStats;
import io.github.trackscan.store.SchemaTooNewException;
import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.tags.TagReadException;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TagReaders;
import io.github.trackscan.tags.TrackTags;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

@ParameterizedClass(name = "{0}")
@EnumSource(Engine.class)
final class ScannerTest {
  @TempDir Path dir;
  @Parameter Engine engine;
  /** The catalogue of this case: an SQLite file (db()), or a fresh schema on the PostgreSQL test server. */
  private Engine.Fresh catalogue;

  @BeforeEach
  void freshCatalogue() {
    catalogue = engine.fresh(dir);
  }

  /** Counts parse calls; optionally runs a hook first. */
  static final class CountingReader implements TagReader {
    final AtomicInteger calls = new AtomicInteger();
    final TagReader delegate = TagReaders.standard();

    @Override
    public TrackTags read(Path file, long sizeBytes) throws TagReadException {
      calls.incrementAndGet();
      return delegate.read(file, sizeBytes);
    }
  }

  /** Records everything a listener hears. */
  static class Recorder implements ScanListener {
    final List<Change> changes = new ArrayList<>();
    final List<ScanPhase> phases = new ArrayList<>();
    final List<FileError> failures = new ArrayList<>();
    final List<FileError> walkErrors = new ArrayList<>();
    final List<OfflineRoot> offline = new ArrayList<>();
    ScanProgress last;

    @Override
    public void phase(ScanPhase phase) {
      phases.add(phase);
    }

    @Override
    public void progress(ScanProgress progress) {
      last = progress;
    }

    @Override
    public void change(Change change) {
      changes.add(change);
    }

    @Override
    public void fileFailed(FileError error) {
      failures.add(error);
    }

    @Override
    public void walkError(FileError error) {
      walkErrors.add(error);
    }

    @Override
    public void rootOffline(OfflineRoot root) {
      offline.add(root);
    }

    Set<String> paths(ChangeKind kind) {
      return changes.stream().filter(c -> c.kind() == kind).map(Change::path).collect(Collectors.toSet());
    }
  }

  private Path music() {
    return dir.resolve("music");
  }

  private Path db() {
    return dir.resolve("library.db");
  }

  private Scanner.Builder builder(TagReader reader, Path... roots) {
    return Scanner.builder().roots(roots.length == 0 ? new Path[] {music()} : roots).database(catalogue.source()).tagReader(reader);
  }

  private static Set<String> strings(Set<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.toSet());
  }

  @Test
  void scan_initialImportEqualsTheLibrary() {
    Map<Path, String> files = TestLibrary.albums(music(), 6, 10);
    AudioFixtures.write(music().resolve("notes.txt"), new byte[] {1});
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(ScanReport.Outcome.COMPLETED, report.outcome());
    assertEquals(60, report.filesWalked());
    assertEquals(60, report.count(ChangeKind.ADDED));
    assertEquals(0, report.failed());
    assertEquals(60, reader.calls.get());
    assertEquals(60, report.filesParsed());
    assertEquals(List.of(ScanPhase.WALK, ScanPhase.DIFF, ScanPhase.PARSE, ScanPhase.DONE), recorder.phases);
    assertEquals(new ScanProgress(ScanPhase.PARSE, 60, 60, 60, recorder.last.elapsedNs()), recorder.last);
    assertEquals(strings(files.keySet()), recorder.paths(ChangeKind.ADDED));
    Map<String, String> titles = catalogue.rows("title");
    files.forEach((path, title) -> assertEquals(title, titles.get(path.toString()), path.toString()));
    assertEquals(files.size(), titles.size());
    assertEquals(60, catalogue.count("parse_status = 'OK' AND file_mtime_ns > 0 AND file_size > 0 AND inode > 0"
        + " AND added_at > 0 AND updated_at = added_at AND sample_rate_hz = 44100 AND duration_ms > 0 AND album IS NOT NULL"));
    // Ids the listener heard are the rows' ids.
    Map<String, String> ids = catalogue.rows("id");
    for (Change change : recorder.changes) {
      assertEquals(Long.toString(change.id()), ids.get(change.path()));
    }
    try (Catalog library = catalogue.source().open()) {
      LibraryStats stats = library.stats();
      assertEquals(60, stats.tracks());
      assertEquals(Map.of("mp3", 30L, "flac", 30L), stats.tracksByFormat());
      assertEquals(60, stats.lastScan().orElseThrow().added());
    }
  }

  @Test
  void scan_noOpChangesNothingAndParsesNothing() {
    TestLibrary.albums(music(), 4, 10);
    builder(TagReaders.standard()).build().scan();
    Map<String, String> before = catalogue.rows("*");
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(40, report.count(ChangeKind.UNCHANGED));
    assertFalse(report.changedAnything());
    assertEquals(0, reader.calls.get());
    assertEquals(0, report.filesParsed());
    assertTrue(recorder.changes.isEmpty());
    assertEquals(before, catalogue.rows("*"));
  }

  @Test
  void scan_hostChangeToARowIsSeenThoughASnapshotWasWritten() {
    Map<Path, String> files = TestLibrary.albums(music(), 2, 5);
    builder(TagReaders.standard()).build().scan();
    assertEquals(10, catalogue.count("true"));
    String edited = files.keySet().iterator().next().toString();
    String removed = files.keySet().stream().skip(1).findFirst().orElseThrow().toString();
    // A host (or the sqlite3 shell) edits rows behind trackscan's back: the snapshot must not hide it.
    catalogue.execute("UPDATE library SET file_size = 1 WHERE path = '" + edited + "'",
        "DELETE FROM library WHERE path = '" + removed + "'",
        "UPDATE library SET title = 'kept' WHERE path <> '" + edited + "'");
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(Set.of(edited), recorder.paths(ChangeKind.MODIFIED));
    assertEquals(Set.of(removed), recorder.paths(ChangeKind.ADDED));
    assertEquals(8, report.count(ChangeKind.UNCHANGED));
    assertEquals(2, reader.calls.get());
    ScanReport again = builder(reader).build().scan();
    assertEquals(10, again.count(ChangeKind.UNCHANGED));
    assertFalse(again.changedAnything());
  }

  @Test
  void scan_fileNamedForAnotherFormatIsCataloguedByItsContentWithANote() {
    AudioFixtures.Meta meta = AudioFixtures.Meta.of("Artist", "Album", 1);
    Path disguised = AudioFixtures.write(music().resolve("a/01 - disguised.m4a"), AudioFixtures.mp3(meta, 20));
    Path plain = AudioFixtures.write(music().resolve("a/02 - plain.mp3"), AudioFixtures.mp3(meta, 20));
    AudioFixtures.settle(music());
    List<FileError> notes = new ArrayList<>();

    ScanReport report = builder(TagReaders.standard()).build().scan(new ScanListener() {
      @Override
      public void fileNote(FileError note) {
        notes.add(note);
      }
    }, new CancellationToken());

    assertEquals(2, report.count(ChangeKind.ADDED));
    assertEquals(0, report.failed());
    assertEquals("mp3", catalogue.rows("format").get(disguised.toString()), "an MP3 named .m4a is an mp3");
    assertEquals("mp3", catalogue.rows("format").get(plain.toString()));
    assertEquals(List.of(disguised.toString()), notes.stream().map(FileError::path).toList());
    assertTrue(notes.get(0).message().contains("read as mp3") && notes.get(0).message().contains(".m4a"),
        notes.get(0).message());
  }

  @Test
  void scan_plansEachRootByItsFileSystem() {
    engine.onlySqlite("engine-independent: runs once");
    TestLibrary.albums(music(), 1, 40);
    List<RootPlan> heard = new ArrayList<>();

    ScanReport report = builder(TagReaders.standard()).build().scan(new ScanListener() {
      @Override
      public void rootPlanned(RootPlan plan) {
        heard.add(plan);
      }
    }, new CancellationToken());

    assertEquals(report.plans(), heard);
    assertEquals(1, report.plans().size());
    RootPlan plan = report.plans().get(0);
    assertEquals(music(), plan.fileSystem().root());
    assertEquals(io.github.trackscan.walk.RootFileSystem.kindOf(plan.fileSystem().type()), plan.fileSystem().kind());
    if (!plan.fileSystem().latencyBound()) {
      assertEquals(0, plan.walkThreads(), "a local root keeps today's plan");
    }
    assertTrue(report.toJson().contains("\"fileSystems\":[{\"root\":"), report.toJson());
  }

  @Test
  void scan_ioDepthSetsWalkerThreadsAndWorkersUnlessChosen() {
    engine.onlySqlite("engine-independent: runs once");
    TestLibrary.albums(music(), 1, 40);

    ScanReport deep = builder(TagReaders.standard()).ioDepth(12).build().scan();
    ScanReport chosen = builder(TagReaders.standard()).ioDepth(12).workers(2)
        .walkOptions(io.github.trackscan.walk.WalkOptions.builder().threads(3).build()).build().scan();

    assertEquals(12, deep.plans().get(0).walkThreads());
    assertEquals(12, deep.parseWorkers());
    assertEquals(3, chosen.plans().get(0).walkThreads(), "walker threads the host set stay");
    assertEquals(2, chosen.parseWorkers(), "workers the host set stay");
    assertThrows(IllegalArgumentException.class, () -> Scanner.builder().ioDepth(-1));
    assertThrows(IllegalArgumentException.class, () -> Scanner.builder().ioDepth(Scanner.IO_DEPTH_MAX + 1));
  }

  @Test
  void scan_twoRootsDiffEachAgainstItsOwnRows() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Map<Path, String> inA = TestLibrary.albums(a, 1, 3);
    TestLibrary.albums(b, 1, 3);
    builder(TagReaders.standard(), a, b).build().scan();
    // The same relative path stays under 'b': it must not claim the row of the file gone from 'a'.
    Path goneFromA = inA.keySet().iterator().next();
    Files.delete(goneFromA);
    Recorder recorder = new Recorder();

    ScanReport report = builder(TagReaders.standard(), a, b).build().scan(recorder, new CancellationToken());

    assertEquals(Set.of(goneFromA.toString()), recorder.paths(ChangeKind.MISSING));
    assertEquals(0, report.count(ChangeKind.ADDED));
    assertEquals(5, report.count(ChangeKind.UNCHANGED));
    assertEquals(5, catalogue.count("missing_since IS NULL"));
    assertEquals(6, catalogue.count("true"), "the gone file's row is kept");
  }

  @Test
  void scan_deltaReportsExactlyWhatChanged() throws IOException {
    Map<Path, String> files = TestLibrary.albums(music(), 4, 10);
    builder(TagReaders.standard()).build().scan();
    List<Path> all = new ArrayList<>(files.keySet());
    // Added: a new album, one file keeping an old mtime as rsync -a would.
    Map<Path, String> added = TestLibrary.albums(music().resolve("New"), 1, 5);
    Path keepsOldTime = added.keySet().iterator().next();
    Files.setLastModifiedTime(keepsOldTime, Files.getLastModifiedTime(all.get(0)));
    // Modified: tags rewritten.
    Set<Path> modified = Set.of(all.get(3), all.get(15));
    for (Path file : modified) {
      AudioFixtures.Meta meta = new AudioFixtures.Meta("Retitled", "A", "B", "A", 1, 2, 1, 1, "1999", "Jazz");
      AudioFixtures.write(file, file.toString().endsWith(".flac") ? AudioFixtures.flac(meta, 3) : AudioFixtures.mp3(meta, 20));
    }
    // Deleted.
    Set<Path> deleted = Set.of(all.get(7), all.get(30));
    for (Path file : deleted) {
      Files.delete(file);
    }
    Map<String, String> idsBefore = catalogue.rows("id");
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(5, report.count(ChangeKind.ADDED));
    assertEquals(2, report.count(ChangeKind.MODIFIED));
    assertEquals(2, report.count(ChangeKind.MISSING));
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(0, report.count(ChangeKind.MOVED));
    assertEquals(36, report.count(ChangeKind.UNCHANGED));
    assertEquals(7, reader.calls.get());
    assertEquals(strings(added.keySet()), recorder.paths(ChangeKind.ADDED));
    assertEquals(strings(modified), recorder.paths(ChangeKind.MODIFIED));
    assertEquals(strings(deleted), recorder.paths(ChangeKind.MISSING));
    Map<String, String> titles = catalogue.rows("title");
    for (Path file : modified) {
      assertEquals("Retitled", titles.get(file.toString()));
    }
    Map<String, String> idsAfter = catalogue.rows("id");
    for (Path file : modified) {
      assertEquals(idsBefore.get(file.toString()), idsAfter.get(file.toString()), "a modified row keeps its id");
    }
    assertEquals(45, idsAfter.size(), "the deleted files' rows are kept, marked missing");
  }

  @Test
  void scan_movedAlbumKeepsIdsAndHostColumnsWithoutParsing() throws IOException {
    TestLibrary.albums(music(), 3, 10);
    builder(TagReaders.standard()).build().scan();
    catalogue.execute("ALTER TABLE library ADD COLUMN play_count INTEGER DEFAULT 0",
        "UPDATE library SET play_count = id * 7");
    Map<String, String> idsBefore = catalogue.rows("id");
    Path from = music().resolve("Artist 0").resolve("Album 0 (2003)");
    Path to = music().resolve("Artist 0").resolve("Album 0 (Remastered)");
    Files.move(from, to);
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(10, report.count(ChangeKind.MOVED));
    assertEquals(0, report.count(ChangeKind.ADDED));
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(0, reader.calls.get());
    Map<String, String> idsAfter = catalogue.rows("id");
    Map<String, String> plays = catalogue.rows("play_count");
    for (Change change : recorder.changes) {
      assertEquals(ChangeKind.MOVED, change.kind());
      assertTrue(change.oldPath().startsWith(from + "/"));
      assertEquals(change.path(), to + change.oldPath().substring(from.toString().length()));
      assertEquals(idsBefore.get(change.oldPath()), idsAfter.get(change.path()));
      assertEquals(Long.toString(change.id() * 7), plays.get(change.path()));
    }
    assertEquals(10, recorder.changes.size());
    assertEquals(30, catalogue.count("play_count = id * 7"));
  }

  @Test
  void scan_junkIsRecordedOnceAndNotParsedAgain() {
    TestLibrary.albums(music(), 1, 5);
    Path empty = AudioFixtures.write(music().resolve("junk").resolve("empty.mp3"), new byte[0]);
    Path text = AudioFixtures.write(music().resolve("junk").resolve("text.mp3"), AudioFixtures.junkText());
    Path flac = AudioFixtures.write(music().resolve("junk").resolve("text.flac"), AudioFixtures.junkText());
    AudioFixtures.settle(music());
    Recorder recorder = new Recorder();

    ScanReport first = builder(TagReaders.standard()).build().scan(recorder, new CancellationToken());

    assertEquals(3, first.failed());
    assertEquals(8, first.count(ChangeKind.ADDED));
    assertEquals(Set.of(empty.toString(), text.toString(), flac.toString()),
        first.fileErrors().stream().map(FileError::path).collect(Collectors.toSet()));
    assertEquals(first.fileErrors(), recorder.failures);
    assertEquals(3, catalogue.count("parse_status = 'FAILED' AND parse_error IS NOT NULL AND file_mtime_ns > 0"));

    CountingReader reader = new CountingReader();
    ScanReport second = builder(reader).build().scan();

    assertEquals(0, reader.calls.get());
    assertEquals(0, second.failed());
    assertEquals(8, second.count(ChangeKind.UNCHANGED));
    try (Catalog library = catalogue.source().open()) {
      assertEquals(3, library.errors(10).size());
      assertEquals(3, library.stats().failed());
    }
  }

  @Test
  void scan_sameSizeRewriteInTheTickOfTheLastScanIsSeen() throws IOException {
    // A file written just before a scan, rewritten after it at the same size within the same
    // clock tick: its (mtime, size) is as recorded. The tick is simulated by restoring the mtime.
    Path file = AudioFixtures.write(music().resolve("A/B/01.mp3"), AudioFixtures.mp3(AudioFixtures.Meta.of("A", "B", 1), 20));
    Path settled = AudioFixtures.write(music().resolve("A/B/02.mp3"), AudioFixtures.mp3(AudioFixtures.Meta.of("A", "B", 2), 20));
    Files.setLastModifiedTime(settled, AudioFixtures.SETTLED);
    assertEquals(2, builder(TagReaders.standard()).build().scan().count(ChangeKind.ADDED));
    var tick = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    AudioFixtures.write(file, AudioFixtures.mp3(AudioFixtures.Meta.of("A", "B", 9), 20));
    Files.setLastModifiedTime(file, tick);
    assertEquals(size, Files.size(file), "the fixture keeps the size");
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(Set.of(file.toString()), recorder.paths(ChangeKind.MODIFIED));
    assertEquals(1, report.count(ChangeKind.MODIFIED));
    assertEquals(1, report.count(ChangeKind.UNCHANGED));
    assertEquals(1, reader.calls.get(), "only the fresh file is read again");
    assertEquals("Track 9", catalogue.rows("title").get(file.toString()));
  }

  @Test
  void scan_freshFileReadAgainAndFoundAsItWasIsNotReported() {
    Path file = AudioFixtures.write(music().resolve("A/B/01.mp3"), AudioFixtures.mp3(AudioFixtures.Meta.of("A", "B", 1), 20));
    builder(TagReaders.standard()).build().scan();
    String before = catalogue.rows("title || updated_at").get(file.toString());
    CountingReader reader = new CountingReader();
    Recorder recorder = new Recorder();

    ScanReport report = builder(reader).build().scan(recorder, new CancellationToken());

    assertEquals(1, reader.calls.get());
    assertEquals(1, report.count(ChangeKind.UNCHANGED));
    assertFalse(report.changedAnything());
    assertTrue(recorder.changes.isEmpty());
    assertEquals(before, catalogue.rows("title || updated_at").get(file.toString()), "the row is as it was");
  }

  @Test
  void scan_changedJunkIsParsedAgain() {
    Path file = AudioFixtures.write(music().resolve("x.mp3"), AudioFixtures.junkText());
    assertEquals(1, builder(TagReaders.standard()).build().scan().failed());
    AudioFixtures.write(file, AudioFixtures.mp3(AudioFixtures.Meta.of("A", "B", 1), 30));

    ScanReport report = builder(TagReaders.standard()).build().scan();

    assertEquals(1, report.count(ChangeKind.MODIFIED));
    assertEquals(0, report.failed());
    assertEquals(1, catalogue.count("parse_status = 'OK' AND parse_error IS NULL AND title = 'Track 1'"));
  }

  @Test
  void scan_newerSchemaIsRefusedAndNothingWritten() throws IOException {
    engine.onlySqlite("SQLite files and PRAGMAs");
    TestLibrary.albums(music(), 1, 3);
    TestLibrary.execute(db(), "CREATE TABLE library (id INTEGER PRIMARY KEY, path TEXT, hologram BLOB)",
        "INSERT INTO library (path) VALUES ('/somewhere/a.mp3')", "PRAGMA user_version = 7");
    byte[] before = Files.readAllBytes(db());

    SchemaTooNewException e = assertThrows(SchemaTooNewException.class, () -> builder(TagReaders.standard()).build().scan());

    assertEquals(7, e.found());
    assertEquals(io.github.trackscan.store.Library.schemaVersion(), e.supported());
    assertTrue(e.getMessage().contains("newer"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(db()));
    assertFalse(Files.exists(dir.resolve("library.db-wal")) && sizeOf(dir.resolve("library.db-wal")) > 0);
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  void scan_migratesAVersion0DatabaseKeepingRowsAndHostColumns() throws IOException {
    engine.onlySqlite("SQLite files and PRAGMAs");
    Map<Path, String> files = TestLibrary.albums(music(), 2, 5);
    TestLibrary.execute(db(),
        "CREATE TABLE library (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT, title TEXT, artist TEXT, album TEXT,"
            + " genre TEXT, year INTEGER, track INTEGER, duration REAL, bitrate INTEGER, mtime REAL)",
        "ALTER TABLE library ADD COLUMN play_count INTEGER",
        "ALTER TABLE library ADD COLUMN rating REAL");
    int n = 0;
    for (Path file : files.keySet()) {
      n++;
      double mtime = Files.getLastModifiedTime(file).toMillis() / 1000.0;
      TestLibrary.execute(db(), "INSERT INTO library (id, path, title, artist, mtime, play_count, rating) VALUES ("
          + (100 + n) + ", '" + file + "', 'Old title', 'Old artist', " + mtime + ", " + n + ", 4.5)");
    }
    TestLibrary.execute(db(), "INSERT INTO library (id, path, title, mtime, play_count) VALUES (999, '"
        + music().resolve("gone.mp3") + "', 'Gone', 1.5, 3)");
    Map<String, String> idsBefore = TestLibrary.column(db(), "id");

    ScanReport report = builder(TagReaders.standard()).build().scan();

    assertEquals(10, report.count(ChangeKind.MODIFIED), "rows without a nanosecond fingerprint are read again");
    assertEquals(1, report.count(ChangeKind.MISSING));
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(0, report.count(ChangeKind.ADDED));
    Map<String, String> idsAfter = TestLibrary.column(db(), "id");
    assertEquals(idsBefore, idsAfter, "the gone file's row is kept, marked missing");
    assertEquals(10, TestLibrary.count(db(), "play_count = id - 100 AND rating = 4.5 AND mtime > 0"
        + " AND title LIKE 'Track %' AND file_mtime_ns > 0 AND parse_status = 'OK'"));
    assertEquals(io.github.trackscan.store.Library.schemaVersion(), (int) TestLibrary.<Integer>query(db(), "PRAGMA user_version", rs -> {
      try {
        return rs.getInt(1);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }));
    // And the next scan is a no-op.
    CountingReader reader = new CountingReader();
    assertEquals(10, builder(reader).build().scan().count(ChangeKind.UNCHANGED));
    assertEquals(0, reader.calls.get());
  }

  @Test
  void scan_missingRootDeletesNothing() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    TestLibrary.albums(a, 1, 4);
    TestLibrary.albums(b, 1, 4);
    builder(TagReaders.standard(), a, b).build().scan();
    Files.move(b, dir.resolve("b-unmounted"));
    Recorder recorder = new Recorder();

    ScanReport report = builder(TagReaders.standard(), a, b).build().scan(recorder, new CancellationToken());

    assertEquals(0, report.count(ChangeKind.DELETED));

    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(4, report.count(ChangeKind.UNCHANGED));
    assertEquals(1, report.rootErrors().size());
    assertEquals(b.toString(), report.rootErrors().get(0).path());
    assertTrue(report.rootErrors().get(0).message().contains("no such file"), report.rootErrors().get(0).message());
    assertEquals(report.rootErrors(), recorder.walkErrors);
    assertEquals(8, catalogue.count("true"));
  }

  @Test
  void scan_onlyJudgesDeletionsBelowTheScannedRoots() {
    Path a = dir.resolve("a");
    Path ab = dir.resolve("ab");
    TestLibrary.albums(a, 1, 4);
    TestLibrary.albums(ab, 1, 4);
    builder(TagReaders.standard(), a, ab).build().scan();

    ScanReport report = builder(TagReaders.standard(), a).build().scan();

    assertEquals(0, report.count(ChangeKind.DELETED), "'ab' is not below 'a'");

    assertEquals(0, report.count(ChangeKind.MISSING), "'ab' is not below 'a'");
    assertEquals(4, report.count(ChangeKind.UNCHANGED));
    assertEquals(8, catalogue.count("true"));
  }

  @Test
  void scan_unreadableFolderDeletesNothingBelowIt() throws IOException {
    TestLibrary.albums(music(), 3, 4);
    builder(TagReaders.standard()).build().scan();
    Path locked = music().resolve("Artist 1");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(readable(locked), "running with CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH: a chmod 000 folder"
          + " stays readable, so this cannot be tested here (run under setpriv --inh-caps=-dac_override,-dac_read_search"
          + " --bounding-set=-dac_override,-dac_read_search, as CI does)");
      Recorder recorder = new Recorder();

      ScanReport report = builder(TagReaders.standard()).build().scan(recorder, new CancellationToken());

      assertEquals(0, report.count(ChangeKind.DELETED));

      assertEquals(0, report.count(ChangeKind.MISSING));
      assertEquals(8, report.count(ChangeKind.UNCHANGED));
      assertEquals(List.of(locked.toString()), report.walkErrors().stream().map(FileError::path).toList());
      assertEquals(12, catalogue.count("true"));
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static boolean readable(Path folder) {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      stream.iterator().hasNext();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void scan_cancelledMidImportKeepsWhatItCommittedAndTheNextScanCompletes() {
    TestLibrary.albums(music(), 10, 10);
    CancellationToken token = new CancellationToken();
    AtomicInteger calls = new AtomicInteger();
    // Files after the 40th wait until the scan stops them: two workers could otherwise parse all
    // 100 before the cancel is seen (it was, on a busy machine), and there would be nothing left.
    TagReader cancelling = (file, size) -> {
      int call = calls.incrementAndGet();
      if (call == 40) {
        token.cancel();
      } else if (call > 40) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TagReadException(file, "stopped by the cancelled scan", e);
        }
      }
      return TagReaders.standard().read(file, size);
    };
    Recorder recorder = new Recorder();

    ScanReport cancelled = builder(cancelling).batchRows(10).workers(2).build().scan(recorder, token);

    assertEquals(ScanReport.Outcome.CANCELLED, cancelled.outcome());
    long committed = catalogue.count("true");
    assertTrue(committed >= 30 && committed < 100, "committed " + committed);
    assertEquals(committed, recorder.changes.size(), "every committed row was reported, and only those");
    assertEquals(committed, catalogue.count("parse_status = 'OK' AND title IS NOT NULL"));
    if (engine == Engine.SQLITE) {
      assertEquals("ok", TestLibrary.query(db(), "PRAGMA integrity_check", rs -> {
        try {
          return rs.getString(1);
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      }));
    }

    ScanReport next = builder(TagReaders.standard()).build().scan();

    assertEquals(ScanReport.Outcome.COMPLETED, next.outcome());
    assertEquals(committed, next.count(ChangeKind.UNCHANGED));
    assertEquals(100 - committed, next.count(ChangeKind.ADDED));
    assertEquals(100, catalogue.count("parse_status = 'OK'"));
  }

  @Test
  void scan_cancelledDuringTheWalkDeletesNothing() {
    TestLibrary.albums(music(), 10, 10);
    builder(TagReaders.standard()).build().scan();
    CancellationToken token = new CancellationToken();
    token.cancel();

    ScanReport report = builder(TagReaders.standard()).build().scan(ScanListener.NONE, token);

    assertEquals(ScanReport.Outcome.CANCELLED, report.outcome());
    assertEquals(0, report.count(ChangeKind.DELETED));
    assertEquals(0, report.count(ChangeKind.MISSING));
    assertEquals(100, catalogue.count("true"));
  }

  @Test
  void scan_aFileThatParsesTooLongIsRecordedAndTheScanGoesOn() {
    TestLibrary.albums(music(), 1, 6);
    AtomicBoolean release = new AtomicBoolean();
    TagReader stuck = (file, size) -> {
      if (file.getFileName().toString().startsWith("03")) {
        while (!release.get()) {
          Thread.onSpinWait(); // Ignores interruption, like a parser stuck in a loop.
        }
      }
      return TagReaders.standard().read(file, size);
    };
    try {
      ScanReport report = builder(stuck).parseTimeLimit(Duration.ofMillis(200)).build().scan();

      assertEquals(6, report.count(ChangeKind.ADDED));
      assertEquals(1, report.failed());
      assertTrue(report.fileErrors().get(0).path().endsWith("03 - Track 3.mp3"));
      assertTrue(report.fileErrors().get(0).message().contains("longer than 200 ms"), report.fileErrors().get(0).message());
      assertEquals(5, catalogue.count("parse_status = 'OK'"));
      assertEquals(1, catalogue.count("parse_status = 'FAILED' AND path LIKE '%03 - Track 3.mp3'"));
    } finally {
      release.set(true);
    }
  }

  @Test
  void scan_parallelAndSerialGiveTheSameLibrary() {
    TestLibrary.albums(music(), 5, 10);
    builder(TagReaders.standard()).workers(1).build().scan();
    Map<String, String> serial = catalogue.rows("title || '|' || coalesce(CAST(track_number AS TEXT), '') || '|' || duration_ms");
    catalogue.execute("DELETE FROM library");
    builder(TagReaders.standard()).workers(4).build().scan();
    assertEquals(serial, catalogue.rows("title || '|' || coalesce(CAST(track_number AS TEXT), '') || '|' || duration_ms"));
  }

  @Test
  void report_toJsonHasEveryCount() {
    engine.onlySqlite("engine-independent: runs once");
    TestLibrary.albums(music(), 1, 3);
    String json = builder(TagReaders.standard()).build().scan().toJson();
    for (String key : List.of("\"ADDED\":3", "\"UNCHANGED\":0", "\"outcome\":\"COMPLETED\"", "\"filesWalked\":3", "\"totalNs\":")) {
      assertTrue(json.contains(key), json);
    }
  }

  @Test
  void builder_validates() {
    engine.onlySqlite("engine-independent: runs once");
    assertThrows(IllegalStateException.class, () -> Scanner.builder().build());
    assertThrows(IllegalStateException.class, () -> Scanner.builder().roots(music(), music().resolve("x")).build());
    assertThrows(IllegalStateException.class, () -> Scanner.builder().roots(music(), music()).build());
    assertThrows(IllegalArgumentException.class, () -> Scanner.builder().workers(0));
    assertThrows(IllegalArgumentException.class, () -> Scanner.builder().batchRows(0));
    assertThrows(IllegalArgumentException.class, () -> Scanner.builder().parseTimeLimit(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> Scanner.builder().database((Path) null));
    Scanner scanner = Scanner.builder().roots(Path.of("relative")).build();
    assertTrue(scanner.roots().get(0).isAbsolute());
    assertTrue(scanner.database().isAbsolute());
  }

  @Test
  void scan_concurrentCallsOnOneScannerRunOneAtATime() throws Exception {
    TestLibrary.albums(music(), 4, 10);
    Scanner scanner = builder(TagReaders.standard()).build();
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    ScanListener listener = new ScanListener() {
      @Override
      public void phase(ScanPhase phase) {
        events.add(Thread.currentThread().getName() + ":" + phase);
      }
    };
    Thread a = new Thread(() -> scanner.scan(listener, new CancellationToken()), "a");
    Thread b = new Thread(() -> scanner.scan(listener, new CancellationToken()), "b");
    a.start();
    b.start();
    a.join();
    b.join();

    assertEquals(8, events.size());
    for (int i = 0; i < 8; i += 4) {
      String thread = events.get(i).substring(0, 1);
      assertEquals(List.of(thread + ":WALK", thread + ":DIFF", thread + ":PARSE", thread + ":DONE"), events.subList(i, i + 4));
    }
    assertEquals(40, catalogue.count("true"));
  }

  @Test
  void builder_refusesANativeBackendThatCannotLoad() {
    engine.onlySqlite("engine-independent: runs once");
    Assumptions.assumeTrue(io.github.trackscan.walk.Walkers.nativeUnavailableReason().isPresent(),
        "the native walker loads here");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Scanner.builder().roots(music()).backend(io.github.trackscan.walk.Backend.NATIVE).build());
    assertTrue(e.getMessage().contains("native"), e.getMessage());
  }

  static Set<String> set(String... s) {
    return new HashSet<>(List.of(s));
  }
}
