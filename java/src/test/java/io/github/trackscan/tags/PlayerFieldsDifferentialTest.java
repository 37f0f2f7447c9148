package io.github.trackscan.tags;

import static io.github.trackscan.tags.MutagenDifferentialTest.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * trackscan's {@link PlayerFields} against mutagen, field by field: each file is made by a Debian
 * encoder, then mutagen writes every player field into it in the file's own tag format (two
 * artists and two genres, MusicBrainz ids, ReplayGain, a PNG front cover...; {@code mutagen_dump.py
 * --write-fields}) and reads them back; trackscan must read the same values (text equal after
 * trimming, numbers equal), join several artists and genres with "; ", and give the cover's MIME
 * type and size, and an offset where the file's bytes are the very picture mutagen reads (null for
 * an Ogg picture, which is base64 text). Mutagen must have read every field, so a case cannot pass
 * by finding nothing. Each file is then fed to {@link HostileFormatsTest}'s damage. Skipped, with the reason, where an encoder or python3-mutagen is missing
 * (failed where TRACKSCAN_REQUIRE_ENCODERS is set, as in CI).
 */
final class PlayerFieldsDifferentialTest {
  @TempDir Path dir;

  /** One file: the encoder that makes it, then the option --write-fields gets (or null). */
  record Case(String name, String tool, String file, List<String> command, String option) {}

  /** The single-valued fields mutagen_dump.py reports, by name, with trackscan's accessor. */
  static final Map<String, java.util.function.Function<PlayerFields, Object>> TEXT = Map.ofEntries(
      Map.entry("composer", PlayerFields::composer),
      Map.entry("comment", PlayerFields::comment),
      Map.entry("title_sort", PlayerFields::titleSort),
      Map.entry("artist_sort", PlayerFields::artistSort),
      Map.entry("album_sort", PlayerFields::albumSort),
      Map.entry("album_artist_sort", PlayerFields::albumArtistSort),
      Map.entry("musicbrainz_recording_id", PlayerFields::musicBrainzRecordingId),
      Map.entry("musicbrainz_track_id", PlayerFields::musicBrainzTrackId),
      Map.entry("musicbrainz_release_id", PlayerFields::musicBrainzReleaseId),
      Map.entry("musicbrainz_release_group_id", PlayerFields::musicBrainzReleaseGroupId),
      Map.entry("musicbrainz_artist_id", PlayerFields::musicBrainzArtistId),
      Map.entry("musicbrainz_album_artist_id", PlayerFields::musicBrainzAlbumArtistId),
      Map.entry("isrc", PlayerFields::isrc),
      Map.entry("label", PlayerFields::label),
      Map.entry("disc_subtitle", PlayerFields::discSubtitle),
      Map.entry("replaygain_track_gain", PlayerFields::replayGainTrackGainDb),
      Map.entry("replaygain_track_peak", PlayerFields::replayGainTrackPeak),
      Map.entry("replaygain_album_gain", PlayerFields::replayGainAlbumGainDb),
      Map.entry("replaygain_album_peak", PlayerFields::replayGainAlbumPeak));

  /** The text fields jaudiotagger has keys for (not ReplayGain). */
  private static final List<String> FALLBACK_FIELDS = List.of("composer", "comment", "title_sort", "artist_sort",
      "album_sort", "album_artist_sort", "musicbrainz_recording_id", "musicbrainz_track_id", "musicbrainz_release_id",
      "musicbrainz_release_group_id", "musicbrainz_artist_id", "musicbrainz_album_artist_id", "isrc", "label",
      "disc_subtitle");

  @TestFactory
  Stream<DynamicTest> playerFields_agreeWithMutagen() throws Exception {
    String python = MutagenDifferentialTest.pythonWithMutagen();
    require(python != null, "python3 with mutagen is not installed (apt-get install python3-mutagen; .ci/run does)");
    Path script = MutagenDifferentialTest.dumpScript(dir);
    Files.write(dir.resolve("stereo44.wav"), MutagenDifferentialTest.wav(44100, 2, 1.5));
    List<Case> cases = List.of(
        new Case("mp3 ID3v2.4 (UTF-8, NUL-separated artists)", "lame", "v24.mp3",
            List.of("lame", "--quiet", "-b", "128", "stereo44.wav", "v24.mp3"), null),
        new Case("mp3 ID3v2.3 (UTF-16, artists joined by mutagen with '/')", "lame", "v23.mp3",
            List.of("lame", "--quiet", "-b", "128", "stereo44.wav", "v23.mp3"), "--id3v2.3"),
        new Case("mp3 ID3v2.4, ReplayGain in RVA2 frames only (no TXXX)", "lame", "rva2.mp3",
            List.of("lame", "--quiet", "-b", "128", "stereo44.wav", "rva2.mp3"), "--rva2"),
        new Case("FLAC (PICTURE block)", "flac", "a.flac", List.of("flac", "--silent", "-f", "-o", "a.flac", "stereo44.wav"),
            null),
        new Case("Ogg FLAC (base64 picture)", "flac", "a.oga",
            List.of("flac", "--silent", "-f", "--ogg", "-o", "a.oga", "stereo44.wav"), null),
        new Case("Ogg Vorbis (base64 picture)", "oggenc", "a.ogg", List.of("oggenc", "-Q", "-o", "a.ogg", "stereo44.wav"),
            null),
        new Case("Ogg Opus", "opusenc", "a.opus", List.of("opusenc", "--quiet", "stereo44.wav", "a.opus"), null),
        new Case("MP4 AAC", "ffmpeg", "a.m4a",
            List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", "stereo44.wav", "-c:a", "aac", "a.m4a"), null),
        new Case("WMA (ASF attributes, WM/Picture)", "ffmpeg", "a.wma",
            List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", "stereo44.wav", "-c:a", "wmav2", "a.wma"), null),
        new Case("WavPack (APEv2)", "wavpack", "a.wv", List.of("wavpack", "-q", "-y", "stereo44.wav", "-o", "a.wv"), null),
        new Case("Musepack (APEv2)", "mpcenc", "a.mpc",
            List.of("mpcenc", "--silent", "--overwrite", "stereo44.wav", "a.mpc"), null));
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, python, script)));
  }

  @SuppressWarnings("unchecked")
  private void check(Case c, String python, Path script) throws Exception {
    require(MutagenDifferentialTest.onPath(c.tool()), c.tool() + " is not installed (.ci/run installs it)");
    MutagenDifferentialTest.Result made = MutagenDifferentialTest.run(dir, c.command());
    assertEquals(0, made.exit(), String.join(" ", c.command()) + ": " + made.output());
    List<String> write = new ArrayList<>(List.of(python, script.toString(), "--write-fields"));
    if (c.option() != null) {
      write.add(c.option());
    }
    write.add(c.file());
    MutagenDifferentialTest.Result dumped = MutagenDifferentialTest.run(dir, write);
    assertEquals(0, dumped.exit(), dumped.output());
    String line = dumped.output().lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseThrow(() -> new AssertionError(dumped.output()));
    Map<String, Object> mutagen = (Map<String, Object>) MiniJson.parse(line);
    assertNull(mutagen.get("error"), "mutagen failed: " + line);
    Map<String, Object> m = (Map<String, Object>) mutagen.get("fields");

    Path file = dir.resolve(c.file());
    assertNotNull(MemoryTagReader.INSTANCE.readInMemory(file), "read in memory, not by jaudiotagger");
    TrackTags t = TagReaders.standard().read(file, Files.size(file));
    PlayerFields p = t.player();
    String report = c.name() + ":\n  mutagen " + m + "\n  trackscan " + p;

    assertEquals(m.get("artist"), t.artist(), "artist: " + report);
    assertEquals(m.get("genre"), t.genre(), "genre: " + report);
    assertEquals(m.get("artists"), p.artists(), "artists: " + report);
    assertEquals(m.get("genres"), p.genres(), "genres: " + report);
    for (Map.Entry<String, java.util.function.Function<PlayerFields, Object>> field : TEXT.entrySet()) {
      assertNotNull(m.get(field.getKey()), "mutagen read " + field.getKey() + ": " + report);
      assertEquals(m.get(field.getKey()), field.getValue().apply(p), field.getKey() + ": " + report);
    }
    assertNotNull(m.get("compilation"), "mutagen read the compilation flag: " + report);
    assertEquals(!m.get("compilation").equals("0"), p.compilation(), "compilation: " + report);
    assertEquals(((Double) m.get("bpm")).intValue(), p.bpm(), "bpm: " + report);

    Map<String, Object> cover = (Map<String, Object>) m.get("cover");
    assertNotNull(cover, "mutagen read the cover: " + report);
    assertNotNull(p.cover(), "cover: " + report);
    assertEquals(cover.get("mime"), p.cover().mimeType(), "cover MIME type: " + report);
    assertEquals(((Double) cover.get("size")).longValue(), p.cover().sizeBytes(), "cover size: " + report);
    if (Boolean.FALSE.equals(m.get("cover_in_file"))) {
      assertNull(p.cover().offset(), "a base64 picture has no offset: " + report);
    } else {
      assertNotNull(p.cover().offset(), "cover offset: " + report);
      assertEquals(cover.get("sha1"), sha1(file, p.cover().offset(), p.cover().sizeBytes()),
          "the bytes at the cover's offset are the picture mutagen reads: " + report);
    }

    String extension = JaudiotaggerReader.extensionOf(file);
    if (List.of("mp3", "flac", "m4a").contains(extension)) {
      // What jaudiotagger, the fallback for unusual files of these formats, gives of the same fields.
      PlayerFields j = JaudiotaggerReader.INSTANCE.read(file, extension).player();
      String fallback = c.name() + " read by jaudiotagger:\n  mutagen " + m + "\n  jaudiotagger " + j;
      for (String field : FALLBACK_FIELDS) {
        assertEquals(m.get(field), TEXT.get(field).apply(j), field + ": " + fallback);
      }
      assertEquals(!m.get("compilation").equals("0"), j.compilation(), "compilation: " + fallback);
      assertEquals(((Double) m.get("bpm")).intValue(), j.bpm(), "bpm: " + fallback);
      assertEquals(cover.get("mime"), j.cover().mimeType(), "cover MIME type: " + fallback);
      assertEquals(((Double) cover.get("size")).longValue(), j.cover().sizeBytes(), "cover size: " + fallback);
      assertNull(j.cover().offset(), "jaudiotagger gives no offset: " + fallback);
    }

    // The same file damaged (truncated, bytes flipped, sizes past the end...): the new parsing of
    // pictures, TXXX, COMM, UFID, freeform atoms and APEv2 items must not crash, hang or over-allocate.
    HostileFormatsTest.hostile(dir, "damaged-" + c.file(), Files.readAllBytes(file));
  }

  private static String sha1(Path file, long offset, long size) throws Exception {
    ByteBuffer b = ByteBuffer.allocate((int) size);
    try (FileChannel channel = FileChannel.open(file)) {
      Source.readFully(channel, b, offset);
    }
    assertTrue(!b.hasRemaining(), "the cover lies within the file");
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b.array()));
  }
}
