package io.github.trackscan.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
  /** When the rows below were written (2027): long after their mtimes, so none is to be rechecked. */
  private static final long NOW_MS = 1_800_000_000_000L;

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
    assertEquals(Integer.toString(Library.schemaVersion()), one("PRAGMA user_version"));
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
      writer.update(5, "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 1000);
      writer.commit();
    }
    assertEquals(Integer.toString(Library.schemaVersion()), one("PRAGMA user_version"));
    assertEquals("5|T|42|1700000000.5|1", one("SELECT id || '|' || title || '|' || play_count || '|' || mtime || '|' || file_mtime_ns FROM library"));
  }

  @Test
  void open_refusesANewerSchemaWritingNothing() throws Exception {
    int newer = Library.schemaVersion() + 1;
    sql("CREATE TABLE library (id INTEGER PRIMARY KEY, path TEXT)", "PRAGMA user_version = " + newer);
    byte[] before = Files.readAllBytes(db());

    SchemaTooNewException e = assertThrows(SchemaTooNewException.class, () -> Library.open(db()));

    assertEquals(newer, e.found());
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
        w.insert(path, "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
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
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
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
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 100, 3, 4), TAGS, null, null, NOW_MS);
      w.insert("/m/b.mp3", "mp3", new Fingerprint(1, 200, 3, 5), TAGS, null, null, NOW_MS);
      w.insert("/m/c.flac", "flac", new Fingerprint(1, 300, 3, 6), null, "bad header", null, NOW_MS);
      w.commit();
      w.recordScan(new ScanRecord(1, 2, "/m", "COMPLETED", 3, 3, 0, 0, 0, 0, 0, 0, 1, 0, 99));

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
      long first = w.insert("/m/b.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      long second = w.insert("/m/c.mp3", "mp3", new Fingerprint(1, 2, 3, 5), TAGS, null, null, NOW_MS);
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
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      assertThrows(StoreException.class, w::commit);
      assertTrue(!w.inTransaction());
      assertEquals(0, library.stats().tracks());
    }
  }

  /** Rows under two roots and elsewhere, with non-ASCII names and a row without a fingerprint. */
  private void insertMixedRows(Library library) throws Exception {
    LibraryWriter w = library.writer();
    w.begin();
    w.insert("/m/a.mp3", "mp3", new Fingerprint(-5, 0, 0x803, 1), TAGS, null, null, NOW_MS);
    w.insert("/m/Bj\u00f6rk/J\u00f3ga.flac", "flac", new Fingerprint(1_700_000_000_123_456_789L, 9_000_000_000L, 0x803, 99), TAGS, null, null, NOW_MS);
    w.insert("/m/\u6771\u4eac/\ud83c\udfb5.mp3", "mp3", new Fingerprint(3, 4, 0xfd01, Long.MAX_VALUE), TAGS, null, null, NOW_MS);
    w.insert("/n/x/e.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
    w.insert("/m0/c.mp3", "mp3", new Fingerprint(1, 2, 3, 5), TAGS, null, null, NOW_MS);
    w.commit();
    sql("INSERT INTO library (id, path) VALUES (77, '/m/old/no fingerprint.mp3')");
  }

  private String snapshotRows() throws Exception {
    return one("SELECT count(*) || ' chunks, ' || coalesce(sum(length(data)), 0) || ' bytes' FROM fingerprint_snapshot");
  }

  @Test
  void fingerprintsBelow_snapshotGivesWhatSqlGives() throws Exception {
    List<Path> roots = List.of(Path.of("/m"), Path.of("/n/x"));
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
      List<Map<String, StoredFile>> bySql = library.fingerprintsBelow(roots);
      library.writer().refreshSnapshot();
      assertTrue(snapshotRows().startsWith("1 chunks"), snapshotRows());

      List<Map<String, StoredFile>> bySnapshot = library.fingerprintsBelow(roots);

      assertEquals(bySql, bySnapshot);
      assertEquals(java.util.Set.of("a.mp3", "Bj\u00f6rk/J\u00f3ga.flac", "\u6771\u4eac/\ud83c\udfb5.mp3",
          "old/no fingerprint.mp3"), bySnapshot.get(0).keySet());
      assertEquals(new StoredFile(77, "old/no fingerprint.mp3", StoredFile.UNKNOWN, StoredFile.UNKNOWN,
          StoredFile.UNKNOWN, StoredFile.UNKNOWN), bySnapshot.get(0).get("old/no fingerprint.mp3"));
      assertEquals(Long.MAX_VALUE, bySnapshot.get(0).get("\u6771\u4eac/\ud83c\udfb5.mp3").inode());
      assertEquals(-5, bySnapshot.get(0).get("a.mp3").mtimeNs());
      assertEquals(java.util.Set.of("e.mp3"), bySnapshot.get(1).keySet());
      assertEquals(6, library.fingerprints(List.of(Path.of("/"))).size());
    }
  }

  @Test
  void refreshSnapshot_manyRowsSpanChunksAndReadBackWhole() throws Exception {
    int rows = FingerprintSnapshot.ROWS_PER_CHUNK * 2 + 17;
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      for (int i = 0; i < rows; i++) {
        w.insert(String.format("/m/%05d/t.mp3", i), "mp3", new Fingerprint(i * 1_000_003L, i, 1, rows - i), TAGS, null, null, NOW_MS);
      }
      w.commit();
      w.refreshSnapshot();
      assertTrue(snapshotRows().startsWith("3 chunks"), snapshotRows());

      Map<String, StoredFile> read = library.fingerprintsBelow(List.of(Path.of("/m"))).get(0);

      assertEquals(rows, read.size());
      assertEquals(new StoredFile(read.get("04097/t.mp3").id(), "04097/t.mp3", 4097 * 1_000_003L, 4097, 1, rows - 4097),
          read.get("04097/t.mp3"));
    }
  }

  @Test
  void refreshSnapshot_emptyLibraryStoresAnEmptySnapshot() throws Exception {
    try (Library library = Library.open(db())) {
      library.writer().refreshSnapshot();
      assertTrue(snapshotRows().startsWith("1 chunks"), snapshotRows());
      assertEquals(List.of(Map.of()), library.fingerprintsBelow(List.of(Path.of("/m"))));
    }
  }

  @Test
  void snapshot_everyChangeToIdPathOrFingerprintIsSeenByTheNextRead() throws Exception {
    String[] changes = {
      "UPDATE library SET file_mtime_ns = file_mtime_ns + 1 WHERE path = '/m/a.mp3'",
      "UPDATE library SET file_size = 7 WHERE path = '/m/a.mp3'",
      "UPDATE library SET device = 7 WHERE path = '/m/a.mp3'",
      "UPDATE library SET inode = 7 WHERE path = '/m/a.mp3'",
      "UPDATE library SET path = '/m/moved.mp3' WHERE path = '/m/a.mp3'",
      "UPDATE library SET id = 1000 WHERE path = '/m0/c.mp3'",
      "DELETE FROM library WHERE path = '/n/x/e.mp3'",
      "INSERT INTO library (path) VALUES ('/m/new.mp3')",
      // REPLACE deletes the row it collides with without firing the delete trigger.
      "INSERT OR REPLACE INTO library (id, path) VALUES (77, '/m/replaced by id.mp3')",
      "INSERT OR REPLACE INTO library (path, file_size) VALUES ('/m/new.mp3', 5)",
      "UPDATE OR REPLACE library SET path = '/m/moved.mp3' WHERE path = '/m/replaced by id.mp3'",
    };
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
      library.writer().refreshSnapshot();
      String written = snapshotRows();
      for (String change : changes) {
        sql(change);
        assertEquals(sqlRowsBelowSlash(), library.fingerprintsBelow(List.of(Path.of("/"))), change);
        library.writer().refreshSnapshot();
        assertEquals(written, snapshotRows(), "a few changes are read from the journal, not rewritten: " + change);
        assertEquals(sqlRowsBelowSlash(), library.fingerprintsBelow(List.of(Path.of("/"))), change);
      }
      assertTrue(Long.parseLong(one("SELECT count(*) FROM fingerprint_dirty")) > 0);
      sql("DELETE FROM fingerprint_dirty");
      sql("UPDATE library SET title = 'a host may edit tags', format = 'x'", "ALTER TABLE library ADD COLUMN rating REAL",
          "UPDATE library SET rating = 4.5");
      assertEquals("0", one("SELECT count(*) FROM fingerprint_dirty"), "other columns are not noted");
    }
  }

  @Test
  void refreshSnapshot_rewritesOnlyPastTheDirtyLimit() throws Exception {
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      for (int i = 0; i <= FingerprintSnapshot.DIRTY_ROWS_MAX; i++) {
        w.insert("/m/" + i + ".mp3", "mp3", new Fingerprint(i, i, 1, i), TAGS, null, null, NOW_MS);
      }
      w.commit();
      w.refreshSnapshot();
      assertEquals("0", one("SELECT count(*) FROM fingerprint_dirty"), "an import is more than the limit");
      sql("UPDATE library SET file_size = 1 WHERE id <= " + FingerprintSnapshot.DIRTY_ROWS_MAX);

      w.refreshSnapshot();
      assertEquals(Integer.toString(FingerprintSnapshot.DIRTY_ROWS_MAX), one("SELECT count(*) FROM fingerprint_dirty"));
      sql("UPDATE library SET file_size = 2");
      w.refreshSnapshot();
      assertEquals("0", one("SELECT count(*) FROM fingerprint_dirty"));
      assertEquals(FingerprintSnapshot.DIRTY_ROWS_MAX + 1L, library.fingerprintsBelow(List.of(Path.of("/m"))).get(0)
          .values().stream().filter(row -> row.sizeBytes() == 2).count());
    }
  }

  private List<Map<String, StoredFile>> sqlRowsBelowSlash() throws Exception {
    Map<String, StoredFile> rows = new java.util.HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, path, file_mtime_ns, file_size, device, inode FROM library")) {
      while (rs.next()) {
        String path = rs.getString(2).substring(1);
        long unknown = StoredFile.UNKNOWN;
        rows.put(path, new StoredFile(rs.getLong(1), path, rs.getObject(3) == null ? unknown : rs.getLong(3),
            rs.getObject(4) == null ? unknown : rs.getLong(4), rs.getObject(5) == null ? unknown : rs.getLong(5),
            rs.getObject(6) == null ? unknown : rs.getLong(6)));
      }
    }
    return List.of(rows);
  }

  @Test
  void fingerprintsBelow_unusableSnapshotFallsBackToSqlAndIsRebuilt() throws Exception {
    String[] damages = {
      "UPDATE fingerprint_snapshot SET data = x'05'",
      "UPDATE fingerprint_snapshot SET data = substr(data, 1, length(data) / 2)",
      "UPDATE fingerprint_snapshot SET data = data || x'00'",
      "UPDATE fingerprint_snapshot SET format = 99",
      "UPDATE fingerprint_snapshot SET chunks = 2",
      "UPDATE fingerprint_snapshot SET chunk = 1",
    };
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
      List<Map<String, StoredFile>> expected = sqlRowsBelowSlash();
      for (String damage : damages) {
        library.writer().refreshSnapshot();
        String good = snapshotRows();
        sql(damage);

        assertEquals(expected, library.fingerprintsBelow(List.of(Path.of("/"))), damage);

        library.writer().refreshSnapshot();
        assertEquals(good, snapshotRows(), damage);
        assertEquals(expected, library.fingerprintsBelow(List.of(Path.of("/"))), damage);
      }
    }
  }

  @Test
  void open_migratesVersion1AddingTheSnapshotAndItsTriggers() throws Exception {
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
    }
    sql("DROP TRIGGER fingerprint_dirty_on_insert", "DROP TRIGGER fingerprint_dirty_on_delete",
        "DROP TRIGGER fingerprint_dirty_on_update", "DROP TABLE fingerprint_snapshot", "DROP TABLE fingerprint_dirty",
        "PRAGMA user_version = 1");

    try (Library library = Library.open(db())) {
      assertEquals(6, library.stats().tracks());
      library.writer().refreshSnapshot();
      assertEquals("3", one("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"));
      assertEquals("0", one("SELECT count(*) FROM fingerprint_dirty"));
      assertTrue(snapshotRows().startsWith("1 chunks"), snapshotRows());
    }
    assertEquals(Integer.toString(Library.schemaVersion()), one("PRAGMA user_version"));
  }

  @Test
  void open_migratesVersion2AddingCheckedAtAndTheRecheckIndex() throws Exception {
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
    }
    sql("DROP INDEX library_recheck", "ALTER TABLE library DROP COLUMN checked_at", "PRAGMA user_version = 2");

    try (Library library = Library.open(db())) {
      Map<String, StoredFile> rows = library.fingerprintsBelow(List.of(Path.of("/m"))).get(0);
      assertEquals(4, rows.size());
      // Not for a racy mtime (version 2 kept no checked_at: its rows are trusted) but once, to fill
      // the player fields of version 5, every row that was read is read again.
      assertEquals(Long.parseLong(one("SELECT count(*) FROM library WHERE parse_status = 'OK' AND path LIKE '/m/%'")),
          rows.values().stream().filter(StoredFile::recheck).count(), "rows read before are read once more");
    }
    assertEquals(Integer.toString(Library.schemaVersion()), one("PRAGMA user_version"));
    assertEquals("1", one("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'library_recheck'"));
    assertEquals(one("SELECT count(*) FROM library WHERE parse_status IS NOT 'OK' OR file_mtime_ns IS NULL"),
        one("SELECT count(*) FROM library WHERE checked_at IS NULL"), "failed rows are not read again");
  }

  @Test
  void open_migratesVersion3AddingTheMissingStateKeepingHostColumns() throws Exception {
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
      library.writer().begin();
      library.writer().recordRoot("/m", 7, NOW_MS);
      library.writer().commit();
    }
    sql("ALTER TABLE library ADD COLUMN play_count INTEGER", "UPDATE library SET play_count = id * 3",
        "DROP INDEX library_missing", "ALTER TABLE library DROP COLUMN missing_since",
        "ALTER TABLE library DROP COLUMN content_key", "DROP TABLE library_root", "ALTER TABLE scan DROP COLUMN missing",
        "ALTER TABLE scan DROP COLUMN restored", "PRAGMA user_version = 3");

    try (Library library = Library.open(db())) {
      assertEquals(0, library.stats().missing(), "rows from version 3 are present");
      assertTrue(library.rootDevices().isEmpty(), "no device recorded yet: the next scan records it");
      assertTrue(library.missingCandidates().isEmpty());
      LibraryWriter w = library.writer();
      w.begin();
      w.markMissing(1, NOW_MS);
      w.commit();
      assertEquals(1, library.stats().missing());
      assertNull(library.candidates(List.of(new StoredFile(1, "/m/a", 1, 2, 3, 4))).get(0).contentKey(),
          "a version 3 row has no content key");
    }
    assertEquals(Integer.toString(Library.schemaVersion()), one("PRAGMA user_version"));
    assertEquals("1", one("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'library_missing'"));
    assertEquals("0", one("SELECT count(*) FROM library WHERE play_count IS NOT id * 3"), "host column kept");
    assertEquals("6", one("SELECT count(*) FROM library"));
  }

  @Test
  void open_migratesVersion5DroppingTheFingerprintIndexKeepingRowsAndHostColumns() throws Exception {
    try (Library library = Library.open(db())) {
      insertMixedRows(library);
    }
    sql("ALTER TABLE library ADD COLUMN play_count INTEGER", "UPDATE library SET play_count = id * 3",
        "CREATE INDEX library_fingerprint ON library (path, file_mtime_ns, file_size, device, inode)",
        "PRAGMA user_version = 5");
    String before = one("SELECT group_concat(id || ':' || path || ':' || ifnull(file_mtime_ns, '-'), ',') FROM (SELECT * FROM library ORDER BY id)");

    try (Library library = Library.open(db())) {
      assertEquals(4, library.fingerprintsBelow(List.of(Path.of("/m"))).get(0).size(), "the rows below /m, read by path");
    }
    assertEquals(Integer.toString(Library.schemaVersion()), one("PRAGMA user_version"));
    assertEquals("0", one("SELECT count(*) FROM sqlite_master WHERE name = 'library_fingerprint'"), "dropped");
    assertEquals("1", one("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'library_path'"));
    assertEquals(before, one("SELECT group_concat(id || ':' || path || ':' || ifnull(file_mtime_ns, '-'), ',') FROM (SELECT * FROM library ORDER BY id)"),
        "ids, paths and fingerprints as they were: no row is read again for this");
    assertEquals("0", one("SELECT count(*) FROM library WHERE play_count IS NOT id * 3"), "host column kept");
  }

  @Test
  void missingAndPurge_onlyBelowTheRootsGiven() throws Exception {
    try (Library library = Library.open(db())) {
      LibraryWriter w = library.writer();
      w.begin();
      long a = w.insert("/a/x.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      long ab = w.insert("/ab/y.mp3", "mp3", new Fingerprint(1, 2, 3, 5), TAGS, null, null, NOW_MS);
      w.commit();
      w.begin();
      w.markMissing(a, NOW_MS);
      w.markMissing(ab, NOW_MS);
      w.commit();

      assertEquals(List.of("/a/x.mp3"), library.missing(List.of(Path.of("/a")), 10).stream().map(MissingFile::path)
          .toList(), "'/ab' is not below '/a'");
      assertEquals(2, library.missing(List.of(), 10).size());
      PurgeResult purged = library.purgeMissing(java.time.Duration.ZERO, List.of(Path.of("/a")));
      assertEquals(List.of(a), purged.deleted().stream().map(MissingFile::id).toList());
      assertEquals(1, library.stats().tracks());
      assertThrows(IllegalArgumentException.class, () -> library.purgeMissing(java.time.Duration.ofDays(-1), List.of()));
    }
  }

  /** Fingerprints with mtimes 3 s before, 1 s before, 1 h after and 2 days after a scan began at NOW_MS. */
  private static final Fingerprint SETTLED = new Fingerprint((NOW_MS - 3_000) * 1_000_000, 1, 3, 1);
  private static final Fingerprint SAME_TICK = new Fingerprint((NOW_MS - 1_000) * 1_000_000, 2, 3, 2);
  private static final Fingerprint DURING = new Fingerprint((NOW_MS + 3_600_000) * 1_000_000, 3, 3, 3);
  private static final Fingerprint FUTURE = new Fingerprint((NOW_MS + 2 * 86_400_000L) * 1_000_000, 4, 3, 4);

  /** One row for each of the fingerprints above, written by a scan that began at NOW_MS. */
  private void insertRowsAroundAScan(Library library) {
    LibraryWriter w = library.writer();
    w.scanStartedAt(NOW_MS);
    w.begin();
    w.insert("/m/settled.mp3", "mp3", SETTLED, TAGS, null, null, NOW_MS + 60_000);
    w.insert("/m/same tick.mp3", "mp3", SAME_TICK, TAGS, null, null, NOW_MS + 60_000);
    w.insert("/m/during.mp3", "mp3", DURING, TAGS, null, null, NOW_MS + 60_000);
    w.insert("/m/future.mp3", "mp3", FUTURE, null, "bad", null, NOW_MS + 60_000);
    w.commit();
  }

  private static Map<String, Boolean> rechecks(Library library) {
    Map<String, Boolean> rechecks = new java.util.TreeMap<>();
    library.fingerprintsBelow(List.of(Path.of("/m"))).get(0).forEach((path, row) -> rechecks.put(path, row.recheck()));
    return rechecks;
  }

  @Test
  void fingerprintsBelow_marksRowsWhoseMtimeIsAsRecentAsTheScanThatReadThem() throws Exception {
    Map<String, Boolean> expected = Map.of("settled.mp3", false, "same tick.mp3", true, "during.mp3", true,
        "future.mp3", false);
    try (Library library = Library.open(db())) {
      insertRowsAroundAScan(library);

      assertEquals(expected, rechecks(library)); // by SQL
      library.writer().refreshSnapshot();
      assertTrue(snapshotRows().startsWith("1 chunks"), snapshotRows());
      assertEquals(expected, rechecks(library)); // from the snapshot
    }
    // A scan reads only the partial index's rows, never the whole table.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN SELECT id, path FROM library WHERE " + Schema.RECHECK_WHERE)) {
      assertTrue(rs.next());
      assertTrue(rs.getString(4).contains("USING INDEX library_recheck"), rs.getString(4));
    }
  }

  @Test
  void recheck_updatesOnlyARowThatDiffersAndAlwaysMovesCheckedAtOn() throws Exception {
    try (Library library = Library.open(db())) {
      insertRowsAroundAScan(library);
      long id = Long.parseLong(one("SELECT id FROM library WHERE path = '/m/same tick.mp3'"));
      long failedId = Long.parseLong(one("SELECT id FROM library WHERE path = '/m/future.mp3'"));
      LibraryWriter w = library.writer();
      w.scanStartedAt(NOW_MS + 10_000);
      w.begin();

      assertFalse(w.recheck(id, "mp3", SAME_TICK, TAGS, null, null, NOW_MS + 20_000), "the same tags");
      assertFalse(w.recheck(failedId, "mp3", FUTURE, null, "bad", null, NOW_MS + 20_000), "the same failure");
      w.commit();
      assertEquals((NOW_MS + 60_000) + "|" + (NOW_MS + 10_000),
          one("SELECT updated_at || '|' || checked_at FROM library WHERE id = " + id));
      assertEquals(Map.of("settled.mp3", false, "same tick.mp3", false, "during.mp3", true, "future.mp3", false),
          rechecks(library));

      w.begin();
      TrackTags retitled = new TrackTags("T2", "A", "Al", null, 1, 2, null, null, 2001, "2001", "Pop",
          180_000L, 320, 44100, 2, "MPEG-1 Layer 3");
      assertTrue(w.recheck(id, "mp3", SAME_TICK, retitled, null, null, NOW_MS + 30_000), "another title");
      assertTrue(w.recheck(failedId, "mp3", FUTURE, null, "worse", null, NOW_MS + 30_000), "another error");
      long during = Long.parseLong(one("SELECT id FROM library WHERE path = '/m/during.mp3'"));
      assertTrue(w.recheck(during, "mp3", DURING, null, "unreadable now", null, NOW_MS + 30_000), "a failure where tags were");
      w.commit();
    }
    assertEquals("T2|OK|" + (NOW_MS + 30_000), one("SELECT title || '|' || parse_status || '|' || updated_at FROM library"
        + " WHERE path = '/m/same tick.mp3'"));
    assertEquals("worse", one("SELECT parse_error FROM library WHERE path = '/m/future.mp3'"));
    assertEquals("T|FAILED|unreadable now", one("SELECT title || '|' || parse_status || '|' || parse_error FROM library"
        + " WHERE path = '/m/during.mp3'"));
  }
}
