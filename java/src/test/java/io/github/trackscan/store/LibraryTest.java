package io.github.trackscan.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.tags.TrackTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LibraryTest {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("library.db");
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  private String one(String query) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static final TrackTags TAGS = new TrackTags("T", "A", "Al", null, 1, 2, null, null, 2001, "2001", "Pop",
      180_000L, 320, 44100, 2, "MPEG-1 Layer 3");

  @Test
  void open_createsTheCurrentSchemaInWalMode() throws Exception {
    try (Library library = Library.open(db())) {
      assertEquals(0, library.stats().tracks());
    }
    assertEquals("1", one("PRAGMA user_version"));
    assertEquals("wal", one("PRAGMA journal_mode"));
    assertEquals("library_path", one("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'library'"));
  }

  @Test
  void open_migratesVersion0KeepingRowsAndHostColumns() throws Exception {
    sql("CREATE TABLE library (id INTEGER PRIMARY KEY, path TEXT, title TEXT, artist TEXT, album TEXT, mtime REAL)",
        "ALTER TABLE library ADD COLUMN play_count INTEGER",
        "INSERT INTO library VALUES (5, '/m/a.mp3', 'A', 'B', 'C', 1700000000.5, 42)");

    try (Library library = Library.open(db())) {
      Map<String, StoredFile> rows = library.fingerprints(List.of(Path.of("/m")));
      assertEquals(StoredFile.UNKNOWN, rows.get("/m/a.mp3").mtimeNs());
      LibraryWriter writer = library.writer();
      writer.begin();
      writer.update(5, "mp3", new Fingerprint(1, 2, 3, 4), TAGS, 1000);
      writer.commit();
    }
    assertEquals("1", one("PRAGMA user_version"));
    assertEquals("5|T|42|1700000000.5|1", one("SELECT id || '|' || title || '|' || play_count || '|' || mtime || '|' || file_mtime_ns FROM library"));
  }

  @Test
  void open_refusesANewerSchemaWritingNothing() throws Exception {
    sql("CREATE TABLE library (id INTEGER PRIMARY KEY, path TEXT)", "PRAGMA user_version = 2");
    byte[] before = Files.readAllBytes(db());

    SchemaTooNewException e = assertThrows(SchemaTooNewException.class, () -> Library.open(db()));

    assertEquals(2, e.found());
    assertArrayEquals(before, Files.readAllBytes(db()));
  }

  @Test
  void open_refusesATableItCannotMigrate() throws Exception {
    sql("CREATE TABLE library (name TEXT)");

    StoreException e = assertThrows(StoreException.class, () -> Library.open(db()));

    assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
    assertEquals("0", one("PRAGMA user_version"));
  }

  @Test
  void open_refusesAFileThatIsNotADatabase() throws Exception {
    Files.writeString(db(), "hello, this is not SQLite at all, and it is long enough to have a header".repeat(10));

    assertThrows(StoreException.class, () -> Library.open(db()));
  }

  @Test
  void fingerprints_readsOnlyRowsBelowTheRoots() {
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      for (String path : List.of("/m/a.mp3", "/m/x/b.mp3", "/m0/c.mp3", "/ma/d.mp3", "/n/e.mp3")) {
        w.insert(path, "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 1);
      }
      w.commit();
      assertEquals(java.util.Set.of("/m/a.mp3", "/m/x/b.mp3"), library.fingerprints(List.of(Path.of("/m"))).keySet());
      assertEquals(5, library.fingerprints(List.of(Path.of("/"))).size());
    }
  }

  @Test
  void writer_uncommittedBatchIsInvisibleToReaders() {
    try (Library library = Library.open(db()); Library reader = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 1);
      assertEquals(0, reader.stats().tracks());
      assertEquals(0, library.stats().tracks());
      w.commit();
      assertEquals(1, reader.stats().tracks());
    }
  }

  @Test
  void stats_summarizesFormatsDurationsSizesAndErrors() {
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 100, 3, 4), TAGS, null, 1);
      w.insert("/m/b.mp3", "mp3", new Fingerprint(1, 200, 3, 5), TAGS, null, 1);
      w.insert("/m/c.flac", "flac", new Fingerprint(1, 300, 3, 6), null, "bad header", 1);
      w.commit();
      w.recordScan(new ScanRecord(1, 2, "/m", "COMPLETED", 3, 3, 0, 0, 0, 0, 1, 0, 99));

      LibraryStats stats = library.stats();

      assertEquals(3, stats.tracks());
      assertEquals(1, stats.failed());
      assertEquals(Map.of("mp3", 2L, "flac", 1L), stats.tracksByFormat());
      assertEquals(360_000, stats.totalDurationMs());
      assertEquals(600, stats.totalSizeBytes());
      assertEquals(99, stats.lastScan().orElseThrow().totalNs());
      assertEquals(List.of(new RecordedError(3, "/m/c.flac", "bad header")), library.errors(10));
    }
  }

  @Test
  void writer_insertsGetFreshIdsAfterTheLargestEverUsed() throws Exception {
    sql("CREATE TABLE library (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT, title TEXT, mtime REAL)",
        "INSERT INTO library (id, path) VALUES (40, '/m/a.mp3')", "DELETE FROM library");
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      long first = w.insert("/m/b.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 1);
      long second = w.insert("/m/c.mp3", "mp3", new Fingerprint(1, 2, 3, 5), TAGS, null, 1);
      w.commit();
      assertEquals(41, first, "an AUTOINCREMENT table never reuses an id");
      assertEquals(42, second);
      assertEquals("41", one("SELECT id FROM library WHERE path = '/m/b.mp3'"));
    }
  }

  @Test
  void writer_insertingAPathTwiceFailsTheTransaction() {
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 1);
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 1);
      assertThrows(StoreException.class, w::commit);
      assertTrue(!w.inTransaction());
      assertEquals(0, library.stats().tracks());
    }
  }
}
