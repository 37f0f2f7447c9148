package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.synth.Changes;
import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.synth.SynthReport;
import io.github.trackscan.synth.SynthTrack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Scans of libraries made by the synthetic generator, checked against its report and manifests. */
final class SynthScanTest {
  @TempDir Path dir;

  private Path music() {
    return dir.resolve("music");
  }

  private Scanner scanner() {
    return Scanner.builder().roots(music()).database(dir.resolve("library.db")).build();
  }

  private Set<String> absolute(java.util.Collection<String> relative) {
    return relative.stream().map(p -> music().resolve(p).toString()).collect(Collectors.toCollection(TreeSet::new));
  }

  @ParameterizedTest(name = "tiny={0}")
  @ValueSource(booleans = {false, true})
  void scan_importsExactlyTheCatalogueWithItsTagsAndFailsExactlyTheJunk(boolean tiny) throws Exception {
    SynthReport synth = SynthLibrary.generate(music(), SynthOptions.builder().tracks(400).seed(7).tiny(tiny).build());
    ScannerTest.Recorder recorder = new ScannerTest.Recorder();

    ScanReport report = scanner().scan(recorder, new CancellationToken());

    assertEquals(absolute(synth.expectedCatalogue()), new TreeSet<>(recorder.paths(ChangeKind.ADDED)));
    assertEquals(synth.expectedCatalogue().size(), report.count(ChangeKind.ADDED));
    assertEquals(absolute(synth.expectedParseFailures()),
        report.fileErrors().stream().map(FileError::path).collect(Collectors.toCollection(TreeSet::new)));
    Map<String, String> rows = TestLibrary.column(dir.resolve("library.db"),
        "title || '|' || artist || '|' || album || '|' || album_artist || '|' || track_number || '|' || track_total"
            + " || '|' || disc_number || '|' || disc_total || '|' || year || '|' || genre");
    for (SynthTrack track : synth.tracks()) {
      var t = track.tags();
      String expected = t.title() + '|' + t.artist() + '|' + t.album() + '|' + t.albumArtist() + '|' + t.track() + '|'
          + t.trackTotal() + '|' + t.disc() + '|' + t.discTotal() + '|' + t.year() + '|' + t.genre();
      assertEquals(expected, rows.get(music().resolve(track.path()).toString()), track.path() + " (" + track.format() + ")");
    }
    assertEquals(synth.tracks().size(), TestLibrary.count(dir.resolve("library.db"),
        "parse_status = 'OK' AND duration_ms > 0 AND sample_rate_hz > 0 AND channels > 0 AND codec IS NOT NULL"));
    // The embedded covers (about one track in ten): found, with their size and type, never read.
    Map<String, String> covers = TestLibrary.column(dir.resolve("library.db"),
        "has_cover || '|' || coalesce(cover_bytes, '') || '|' || coalesce(cover_mime, '') || '|'"
            + " || coalesce(cover_offset > 0 AND cover_offset + cover_bytes <= file_size, '')");
    int withCover = 0;
    for (SynthTrack track : synth.tracks()) {
      withCover += track.hasCover() ? 1 : 0;
      assertEquals(track.hasCover() ? "1|" + track.coverBytes() + "|image/jpeg|1" : "0|||",
          covers.get(music().resolve(track.path()).toString()), track.path() + " (" + track.format() + ")");
    }
    assertTrue(withCover > 0, "the library has covers");
  }

  @ParameterizedTest(name = "tiny={0}")
  @ValueSource(booleans = {false, true})
  void scan_afterMutateReportsExactlyTheManifest(boolean tiny) throws Exception {
    SynthLibrary.generate(music(), SynthOptions.builder().tracks(600).seed(3).tiny(tiny).build());
    scanner().scan();
    Instant now = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Manifest manifest = tiny ? SynthLibrary.mutate(music(), 11, now, Changes.percent(10, 600))
        : SynthLibrary.mutate(music(), 11, now);
    ScannerTest.Recorder recorder = new ScannerTest.Recorder();

    ScanReport report = scanner().scan(recorder, new CancellationToken());

    assertEquals(absolute(manifest.added()), new TreeSet<>(recorder.paths(ChangeKind.ADDED)));
    assertEquals(absolute(manifest.modified()), new TreeSet<>(recorder.paths(ChangeKind.MODIFIED)));
    assertEquals(absolute(manifest.deleted()), new TreeSet<>(recorder.paths(ChangeKind.MISSING)));
    assertEquals(0, report.count(ChangeKind.MOVED));
    assertEquals(0, report.failed());
    assertEquals(manifest.added().size() + manifest.modified().size(), report.filesParsed());

    // The files the mutation wrote with mtime `now` are as recent as the scan that read them: the
    // next scan reads them again (a same-size rewrite in that second would not change their
    // fingerprint), finds them as recorded and reports no change.
    long fresh = 0;
    for (String path : manifest.added()) {
      fresh += Files.getLastModifiedTime(music().resolve(path)).toInstant().equals(now) ? 1 : 0;
    }
    fresh += manifest.modified().size();
    assertTrue(fresh > manifest.modified().size(), "some added files have fresh mtimes, some old");
    ScanReport again = scanner().scan();
    assertFalse(again.changedAnything());
    assertEquals(fresh, again.filesParsed());
    assertEquals(report.count(ChangeKind.ADDED) + report.count(ChangeKind.MODIFIED) + report.count(ChangeKind.UNCHANGED),
        again.count(ChangeKind.UNCHANGED));
  }

  /**
   * A library written by schema 4 (no player columns) with a host's column: the first scan after
   * the upgrade reads every file once more, by id, fills the new columns (the covers here) and
   * keeps the host's values; the scan after it reads nothing.
   */
  @org.junit.jupiter.api.Test
  void scan_afterMigratingFromSchema4_readsEveryFileOnceMoreAndFillsThePlayerColumns() throws Exception {
    SynthReport synth = SynthLibrary.generate(music(), SynthOptions.builder().tracks(120).seed(5).tiny(true).build());
    scanner().scan();
    Path db = dir.resolve("library.db");
    String[] player = {"composer", "comment", "compilation", "title_sort", "artist_sort", "album_sort",
        "album_artist_sort", "musicbrainz_recording_id", "musicbrainz_track_id", "musicbrainz_release_id",
        "musicbrainz_release_group_id", "musicbrainz_artist_id", "musicbrainz_album_artist_id",
        "replaygain_track_gain_db", "replaygain_track_peak", "replaygain_album_gain_db", "replaygain_album_peak", "bpm",
        "isrc", "label", "disc_subtitle", "artists_json", "genres_json", "has_cover", "cover_mime", "cover_bytes",
        "cover_offset"};
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
      for (String column : player) {
        s.execute("ALTER TABLE library DROP COLUMN " + column);
      }
      s.execute("ALTER TABLE library ADD COLUMN play_count INTEGER");
      s.execute("UPDATE library SET play_count = id + 7");
      s.execute("PRAGMA user_version = 4");
    }
    long read = TestLibrary.count(db, "parse_status = 'OK'");
    Map<String, String> ids = TestLibrary.column(db, "id");

    ScanReport upgraded = scanner().scan();

    assertEquals(read, upgraded.filesParsed(), "every file read before is read once more");
    assertEquals(read, upgraded.count(ChangeKind.MODIFIED), "each row gained values");
    assertEquals(ids, TestLibrary.column(db, "id"), "ids kept");
    assertEquals(0, TestLibrary.count(db, "play_count IS NOT id + 7"), "the host column kept");
    long covers = synth.tracks().stream().filter(SynthTrack::hasCover).count();
    assertTrue(covers > 0, "the library has covers");
    assertEquals(covers, TestLibrary.count(db, "has_cover = 1 AND cover_bytes > 0"));
    assertEquals(read, TestLibrary.count(db, "parse_status = 'OK' AND has_cover IS NOT NULL AND artists_json LIKE '[%'"));
    assertFalse(scanner().scan().changedAnything());
    assertEquals(0, scanner().scan().filesParsed(), "then nothing is read again");
  }
}
