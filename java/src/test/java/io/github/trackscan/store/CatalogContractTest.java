package io.github.trackscan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.tags.PlayerFields;
import io.github.trackscan.tags.TrackTags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link Catalog} contract, one suite run against every engine (SQLite's {@link Library} and the
 * PostgreSQL catalogue): what a scan reads and writes through the boundary. SQLite's own machinery
 * (snapshot, migrations from its old schemas) is tested in {@link LibraryTest}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Engine.class)
final class CatalogContractTest {
  /** When the rows below were written (2027): long after their mtimes, so none is to be rechecked. */
  private static final long NOW_MS = 1_800_000_000_000L;
  private static final TrackTags TAGS = new TrackTags("T", "A", "Al", null, 1, 2, null, null, 2001, "2001", "Pop",
      180_000L, 320, 44100, 2, "MPEG-1 Layer 3");

  @TempDir Path dir;
  @Parameter Engine engine;
  private Engine.Fresh catalogue;

  @BeforeEach
  void freshCatalogue() {
    catalogue = engine.fresh(dir);
  }

  private Catalog open() {
    return catalogue.source().open();
  }


  private String text(String sql) {
    try (var c = catalogue.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Test
  void fingerprintsBelow_readsOnlyRowsBelowEachRoot_withExactValuesAndRelativePaths() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      long a = w.insert("/m/a.mp3", "mp3", new Fingerprint(-5, 0, 0x803, 1), TAGS, null, null, NOW_MS);
      long bjork = w.insert("/m/Bj\u00f6rk/J\u00f3ga.flac", "flac",
          new Fingerprint(1_700_000_000_123_456_789L, 9_000_000_000L, 0x803, 99), TAGS, null, null, NOW_MS);
      long tokyo = w.insert("/m/\u6771\u4eac/\ud83c\udfb5.mp3", "mp3", new Fingerprint(3, 4, 0xfd01, Long.MAX_VALUE),
          TAGS, null, null, NOW_MS);
      w.insert("/m0/c.mp3", "mp3", new Fingerprint(1, 2, 3, 5), TAGS, null, null, NOW_MS);
      w.insert("/ma/d.mp3", "mp3", new Fingerprint(1, 2, 3, 6), TAGS, null, null, NOW_MS);
      long other = w.insert("/n/x/e.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      w.commit();
      catalogue.execute("INSERT INTO library (id, path) VALUES (770000, '/m/old/no fingerprint.mp3')");

      List<Map<String, StoredFile>> below = library.fingerprintsBelow(List.of(Path.of("/m"), Path.of("/n")));

      assertEquals(Map.of(
          "a.mp3", new StoredFile(a, "a.mp3", -5, 0, 0x803, 1),
          "Bj\u00f6rk/J\u00f3ga.flac", new StoredFile(bjork, "Bj\u00f6rk/J\u00f3ga.flac", 1_700_000_000_123_456_789L,
              9_000_000_000L, 0x803, 99),
          "\u6771\u4eac/\ud83c\udfb5.mp3", new StoredFile(tokyo, "\u6771\u4eac/\ud83c\udfb5.mp3", 3, 4, 0xfd01,
              Long.MAX_VALUE),
          "old/no fingerprint.mp3", new StoredFile(770000, "old/no fingerprint.mp3", StoredFile.UNKNOWN,
              StoredFile.UNKNOWN, StoredFile.UNKNOWN, StoredFile.UNKNOWN)), below.get(0));
      assertEquals(Map.of("x/e.mp3", new StoredFile(other, "x/e.mp3", 1, 2, 3, 4)), below.get(1));
    }
  }

  /**
   * A folder read for its own files only (a quick scan's folder whose subfolders are not walked)
   * holds the files directly in it, whatever characters its path has before them (SQL counts
   * characters: an emoji is one there, two Java chars); a folder inside it, read whole, still gets
   * its rows though the shallower folder comes first.
   */
  @Test
  void fingerprintsIn_aFolderForItsOwnFilesOnlyHoldsNoneOfItsSubfolders() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      long loose = w.insert("/m/\ud83c\udfb5 \u00e9/loose.mp3", "mp3", new Fingerprint(1, 2, 3, 1), TAGS, null, null, NOW_MS);
      w.insert("/m/\ud83c\udfb5 \u00e9/album/deep.mp3", "mp3", new Fingerprint(1, 2, 3, 2), TAGS, null, null, NOW_MS);
      long top = w.insert("/m/top.mp3", "mp3", new Fingerprint(1, 2, 3, 3), TAGS, null, null, NOW_MS);
      w.insert("/m/a/b/c.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      w.commit();
      java.util.BitSet filesOnly = new java.util.BitSet();
      filesOnly.set(0);
      filesOnly.set(1);

      List<Map<String, StoredFile>> rows = library.fingerprintsIn(
          List.of(Path.of("/m/\ud83c\udfb5 \u00e9"), Path.of("/m"), Path.of("/m/a")), filesOnly);

      assertEquals(java.util.Set.of("b/c.mp3"), rows.get(2).keySet(), "a folder read whole");
      assertEquals(Map.of("loose.mp3", new StoredFile(loose, "loose.mp3", 1, 2, 3, 1)), rows.get(0));
      assertEquals(Map.of("top.mp3", new StoredFile(top, "top.mp3", 1, 2, 3, 3)), rows.get(1));
    }
  }

  @Test
  void writer_uncommittedBatchIsInvisibleToReaders() {
    try (Catalog library = open(); Catalog reader = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      assertEquals(0, reader.stats().tracks());
      w.commit();
      assertEquals(1, reader.stats().tracks());
    }
  }

  @Test
  void stats_summarizesFormatsDurationsSizesErrorsAndTheLastScan() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 100, 3, 4), TAGS, null, null, NOW_MS);
      w.insert("/m/b.mp3", "mp3", new Fingerprint(1, 200, 3, 5), TAGS, null, null, NOW_MS);
      long bad = w.insert("/m/c.flac", "flac", new Fingerprint(1, 300, 3, 6), null, "bad header", null, NOW_MS);
      w.commit();
      w.recordScan(new ScanRecord(1, 2, "/m", "COMPLETED", 3, 3, 0, 0, 4, 5, 0, 0, 1, 0, 99));

      LibraryStats stats = library.stats();

      assertEquals(3, stats.tracks());
      assertEquals(1, stats.failed());
      assertEquals(Map.of("mp3", 2L, "flac", 1L), stats.tracksByFormat());
      assertEquals(360_000, stats.totalDurationMs());
      assertEquals(600, stats.totalSizeBytes());
      ScanRecord last = stats.lastScan().orElseThrow();
      assertEquals(99, last.totalNs());
      assertEquals(4, last.missing());
      assertEquals(5, last.restored());
      assertEquals(List.of(new RecordedError(bad, "/m/c.flac", "bad header")), library.errors(10));
    }
  }

  @Test
  void writer_insertingAPathTwiceFailsTheTransaction() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      assertThrows(StoreException.class, w::commit);
      assertFalse(w.inTransaction());
      assertEquals(0, library.stats().tracks());
    }
  }

  @Test
  void missingRestoreAndPurge_onlyBelowTheRootsGiven() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      long a = w.insert("/a/x.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      long ab = w.insert("/ab/y.mp3", "mp3", new Fingerprint(1, 2, 3, 5), TAGS, null, null, NOW_MS);
      long back = w.insert("/a/z.mp3", "mp3", new Fingerprint(1, 2, 3, 6), TAGS, null, null, NOW_MS);
      w.commit();
      w.begin();
      w.markMissing(a, NOW_MS);
      w.markMissing(ab, NOW_MS);
      w.markMissing(back, NOW_MS);
      w.markMissing(back, NOW_MS + 5); // Keeps its first date.
      w.commit();
      w.begin();
      w.restore(back);
      w.commit();

      assertTrue(library.fingerprintsBelow(List.of(Path.of("/a"))).get(0).get("x.mp3").missing());
      assertEquals(List.of(a, ab), library.missingCandidates().stream().map(c -> c.row().id()).sorted().toList());
      assertEquals(List.of("/a/x.mp3"), library.missing(List.of(Path.of("/a")), 10).stream().map(MissingFile::path)
          .toList(), "'/ab' is not below '/a'");
      assertEquals(NOW_MS, library.missing(List.of(), 10).get(0).missingSinceMs());
      PurgeResult purged = library.purgeMissing(Duration.ZERO, List.of(Path.of("/a")));
      assertEquals(List.of(a), purged.deleted().stream().map(MissingFile::id).toList());
      assertEquals(2, library.stats().tracks());
      assertEquals(1, library.stats().missing());
      assertThrows(IllegalArgumentException.class, () -> library.purgeMissing(Duration.ofDays(-1), List.of()));
    }
  }

  @Test
  void move_keepsTheIdAndClearsMissing_rootDevicesAreRecorded() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      long id = w.insert("/m/a.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, 42L, NOW_MS);
      w.markMissing(id, NOW_MS);
      w.recordRoot("/m", 0x803, NOW_MS);
      w.commit();
      assertEquals(42L, library.candidates(List.of(new StoredFile(id, "/m/a.mp3", 1, 2, 3, 4))).get(0).contentKey());
      w.begin();
      w.move(id, "/m/b/a.mp3", new Fingerprint(5, 2, 3, 9), NOW_MS + 1);
      w.recordRoot("/m", 0x804, NOW_MS + 1);
      w.commit();

      StoredFile moved = library.fingerprintsBelow(List.of(Path.of("/m"))).get(0).get("b/a.mp3");
      assertEquals(new StoredFile(id, "b/a.mp3", 5, 2, 3, 9), moved);
      assertEquals(Map.of("/m", 0x804L), library.rootDevices());
      assertEquals("T", text("SELECT title FROM library WHERE id = " + id), "tags stay with the row");
    }
  }

  /** Fingerprints 3 s before, 1 s before, 1 h after and 2 days after a scan began at NOW_MS. */
  private static final Fingerprint SETTLED = new Fingerprint((NOW_MS - 3_000) * 1_000_000, 1, 3, 1);
  private static final Fingerprint SAME_TICK = new Fingerprint((NOW_MS - 1_000) * 1_000_000, 2, 3, 2);
  private static final Fingerprint DURING = new Fingerprint((NOW_MS + 3_600_000) * 1_000_000, 3, 3, 3);
  private static final Fingerprint FUTURE = new Fingerprint((NOW_MS + 2 * 86_400_000L) * 1_000_000, 4, 3, 4);

  private static Map<String, Boolean> rechecks(Catalog library) {
    Map<String, Boolean> rechecks = new TreeMap<>();
    library.fingerprintsBelow(List.of(Path.of("/m"))).get(0).forEach((path, row) -> rechecks.put(path, row.recheck()));
    return rechecks;
  }

  @Test
  void recheck_marksRecentRows_updatesOnlyARowThatDiffers_andMovesCheckedAtOn() {
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.scanStartedAt(NOW_MS);
      w.begin();
      w.insert("/m/settled.mp3", "mp3", SETTLED, TAGS, null, null, NOW_MS + 60_000);
      long id = w.insert("/m/same tick.mp3", "mp3", SAME_TICK, TAGS, null, null, NOW_MS + 60_000);
      long during = w.insert("/m/during.mp3", "mp3", DURING, TAGS, null, null, NOW_MS + 60_000);
      long failedId = w.insert("/m/future.mp3", "mp3", FUTURE, null, "bad", null, NOW_MS + 60_000);
      w.commit();
      assertEquals(Map.of("settled.mp3", false, "same tick.mp3", true, "during.mp3", true, "future.mp3", false),
          rechecks(library));

      w.scanStartedAt(NOW_MS + 10_000);
      w.begin();
      assertFalse(w.recheck(id, "mp3", SAME_TICK, TAGS, null, null, NOW_MS + 20_000), "the same tags");
      assertFalse(w.recheck(failedId, "mp3", FUTURE, null, "bad", null, NOW_MS + 20_000), "the same failure");
      w.commit();
      assertEquals((NOW_MS + 60_000) + "|" + (NOW_MS + 10_000),
          text("SELECT updated_at || '|' || checked_at FROM library WHERE id = " + id));
      assertEquals(Map.of("settled.mp3", false, "same tick.mp3", false, "during.mp3", true, "future.mp3", false),
          rechecks(library));

      w.begin();
      TrackTags retitled = new TrackTags("T2", "A", "Al", null, 1, 2, null, null, 2001, "2001", "Pop",
          180_000L, 320, 44100, 2, "MPEG-1 Layer 3");
      assertTrue(w.recheck(id, "mp3", SAME_TICK, retitled, null, null, NOW_MS + 30_000), "another title");
      assertTrue(w.recheck(failedId, "mp3", FUTURE, null, "worse", null, NOW_MS + 30_000), "another error");
      assertTrue(w.recheck(during, "mp3", DURING, null, "unreadable now", null, NOW_MS + 30_000),
          "a failure where tags were");
      w.commit();
    }
    assertEquals("T2|OK|" + (NOW_MS + 30_000), text("SELECT title || '|' || parse_status || '|' || updated_at FROM"
        + " library WHERE path = '/m/same tick.mp3'"));
    assertEquals("worse", text("SELECT parse_error FROM library WHERE path = '/m/future.mp3'"));
    assertEquals("T|FAILED|unreadable now", text("SELECT title || '|' || parse_status || '|' || parse_error FROM"
        + " library WHERE path = '/m/during.mp3'"));
  }

  /** Every player field set, two artists and genres (one with a quote), a cover with its place. */
  static final PlayerFields PLAYER = new PlayerFields("Comp", "A comment", true, "T sort", "A sort", "Al sort",
      "AA sort", "rec-id", "track-id", "release-id", "group-id", "artist-id", "album-artist-id", -6.5, 0.98765,
      -7.25, 1.0, 120, "USABC0000001", "Label", "Disc one", List.of("A", "B \"the\" C"), List.of("Pop", "Rock"),
      new PlayerFields.Cover("image/png", 12_345L, 678L));

  /** The new columns, less the JSON and cover ones, as text joined by '|' (SQL by hand, as a host reads them). */
  private static final String PLAYER_COLUMNS = "composer, comment, compilation, title_sort, artist_sort, album_sort,"
      + " album_artist_sort, musicbrainz_recording_id, musicbrainz_track_id, musicbrainz_release_id,"
      + " musicbrainz_release_group_id, musicbrainz_artist_id, musicbrainz_album_artist_id, replaygain_track_gain_db,"
      + " replaygain_track_peak, replaygain_album_gain_db, replaygain_album_peak, bpm, isrc, label, disc_subtitle,"
      + " artists_json, genres_json, has_cover, cover_mime, cover_bytes, cover_offset";

  private String row(String path) {
    StringBuilder b = new StringBuilder();
    try (var c = catalogue.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT " + PLAYER_COLUMNS + " FROM library WHERE path = '" + path + "'")) {
      rs.next();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        Object v = rs.getObject(i);
        b.append(i > 1 ? "|" : "").append(v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)
            ? Long.toString(n.longValue()) : String.valueOf(v));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(path, e);
    }
    return b.toString();
  }

  @Test
  void playerFields_migratedFromThePreviousVersionKeepingHostColumns_rowsReadAgain_thenWrittenAndRead() {
    long oldId;
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      oldId = w.insert("/m/old.mp3", "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS);
      w.insert("/m/unreadable.mp3", "mp3", new Fingerprint(1, 2, 3, 5), null, "bad", null, NOW_MS);
      w.commit();
    }
    // The previous version's library: none of the player columns, and a host's own column.
    StringBuilder drop = new StringBuilder("ALTER TABLE library ");
    String[] columns = PLAYER_COLUMNS.split(", *");
    for (int i = 0; i < columns.length; i++) {
      if (engine == Engine.SQLITE) {
        catalogue.execute("ALTER TABLE library DROP COLUMN " + columns[i].strip());
      } else {
        drop.append(i > 0 ? ", " : "").append("DROP COLUMN ").append(columns[i].strip());
      }
    }
    if (engine == Engine.SQLITE) {
      catalogue.execute("ALTER TABLE library ADD COLUMN play_count INTEGER", "UPDATE library SET play_count = 42",
          "PRAGMA user_version = 4");
    } else {
      catalogue.execute(drop.toString(), "ALTER TABLE library ADD COLUMN play_count integer",
          "UPDATE library SET play_count = 42", "UPDATE trackscan_schema SET version = 1");
    }

    TrackTags full = new TrackTags("T", "A; B \"the\" C", "Al", null, 1, 2, null, null, 2001, "2001", "Pop; Rock",
        180_000L, 320, 44100, 2, "FLAC 16 bits", PLAYER);
    try (Catalog library = open()) {
      assertEquals(Map.of("old.mp3", true, "unreadable.mp3", false), rechecks(library),
          "a row read by the previous version is read again, to fill the new columns; a failed one is not");
      CatalogWriter w = library.writer();
      w.begin();
      assertTrue(w.recheck(oldId, "mp3", new Fingerprint(1, 2, 3, 4), TAGS, null, null, NOW_MS),
          "the new columns get values (has_cover 0): the row changed");
      long id = w.insert("/m/new.flac", "flac", new Fingerprint(5, 6, 7, 8), full, null, null, NOW_MS);
      w.insert("/m/plain.mp3", "mp3", new Fingerprint(9, 10, 11, 12), TAGS, null, null, NOW_MS);
      w.insert("/m/quoted.mp3", "mp3", new Fingerprint(13, 14, 15, 16), new TrackTags("T", "Q\"uo\\te \u00c4", "Al",
          null, 1, 2, null, null, 2001, "2001", null, 180_000L, 320, 44100, 2, "MPEG-1 Layer 3"), null, null, NOW_MS);
      w.commit();
      assertTrue(id > 0);
    }
    assertEquals("42", text("SELECT play_count FROM library WHERE path = '/m/old.mp3'"), "the host column is kept");
    assertEquals(engine == Engine.SQLITE ? "6" : "2", text(engine == Engine.SQLITE ? "PRAGMA user_version"
        : "SELECT version FROM trackscan_schema"));
    assertEquals("Comp|A comment|1|T sort|A sort|Al sort|AA sort|rec-id|track-id|release-id|group-id|artist-id"
        + "|album-artist-id|-6.5|0.98765|-7.25|1.0|120|USABC0000001|Label|Disc one|[\"A\",\"B \\\"the\\\" C\"]"
        + "|[\"Pop\",\"Rock\"]|1|image/png|12345|678", row("/m/new.flac"));
    assertEquals("null|".repeat(21) + "[\"A\"]|[\"Pop\"]|0|null|null|null", row("/m/plain.mp3"),
        "read, no player fields, no cover; the one artist and genre as arrays");
    assertEquals("null|".repeat(21) + "[\"A\"]|[\"Pop\"]|0|null|null|null", row("/m/old.mp3"),
        "read again: no player fields");
    assertEquals("null|".repeat(26) + "null", row("/m/unreadable.mp3"), "a failed row: no values");
    assertEquals("null|".repeat(21) + "[\"Q\\\"uo\\\\te \u00c4\"]|null|0|null|null|null", row("/m/quoted.mp3"),
        "JSON escapes as Binding.json does (SQLite's short insert makes it with json_array)");
  }

  @Test
  void update_writesWhatAnInsertOfTheSameTagsWould_clearingPlayerFieldsARetagRemoved() {
    TrackTags full = new TrackTags("T", "A; B \"the\" C", "Al", null, 1, 2, null, null, 2001, "2001", "Pop; Rock",
        180_000L, 320, 44100, 2, "FLAC 16 bits", PLAYER);
    TrackTags quoted = new TrackTags("T", "Q\"uo\\te \u00c4", "Al", null, 1, 2, null, null, 2001, "2001", null,
        180_000L, 320, 44100, 2, "MPEG-1 Layer 3");
    Fingerprint before = new Fingerprint(1, 2, 3, 4);
    Fingerprint after = new Fingerprint(5, 6, 3, 4);
    try (Catalog library = open()) {
      CatalogWriter w = library.writer();
      w.begin();
      long cleared = w.insert("/m/cleared.flac", "flac", before, full, null, null, NOW_MS);
      long escaped = w.insert("/m/escaped.flac", "flac", before, full, null, null, NOW_MS);
      long filled = w.insert("/m/filled.mp3", "mp3", before, TAGS, null, null, NOW_MS);
      w.commit();
      w.begin();
      w.update(cleared, "flac", after, TAGS, null, NOW_MS); // A retag that removed every player field.
      w.update(escaped, "flac", after, quoted, null, NOW_MS);
      w.update(filled, "mp3", after, full, null, NOW_MS);
      w.commit();
    }
    assertEquals("null|".repeat(21) + "[\"A\"]|[\"Pop\"]|0|null|null|null", row("/m/cleared.flac"),
        "no player fields left; the one artist and genre as arrays");
    assertEquals("null|".repeat(21) + "[\"Q\\\"uo\\\\te \u00c4\"]|null|0|null|null|null", row("/m/escaped.flac"),
        "JSON escapes as Binding.json does (SQLite's short update makes it with json_array)");
    assertEquals("Comp|A comment|1|T sort|A sort|Al sort|AA sort|rec-id|track-id|release-id|group-id|artist-id"
        + "|album-artist-id|-6.5|0.98765|-7.25|1.0|120|USABC0000001|Label|Disc one|[\"A\",\"B \\\"the\\\" C\"]"
        + "|[\"Pop\",\"Rock\"]|1|image/png|12345|678", row("/m/filled.mp3"));
    assertEquals("T|Q\"uo\\te \u00c4|5", text("SELECT title || '|' || artist || '|' || file_mtime_ns FROM library"
        + " WHERE path = '/m/escaped.flac'"));
  }
}
