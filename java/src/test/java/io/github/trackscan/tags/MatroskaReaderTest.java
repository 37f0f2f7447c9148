package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Matroska and WebM audio. mutagen reads no Matroska, so ffprobe is the oracle: files made by
 * Debian's ffmpeg with each audio codec a library holds in .mka or .webm are read here and by
 * ffprobe, and must agree on duration (0.5% or 20 ms), rate, channels and tags. A hand-made file
 * holds tags with Targets as mkvmerge writes them, at the end behind the SeekHead.
 */
final class MatroskaReaderTest {
  @TempDir Path dir;

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + String.join(" ", command));
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + text);
    return text;
  }

  /** ffprobe's view: duration, sample_rate, channels and the format tags, lower-cased names. */
  private static Map<String, String> probe(Path dir, Path file) throws Exception {
    Map<String, String> values = new HashMap<>();
    for (String line : run(dir, "ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
        "format=duration:format_tags:stream=sample_rate,channels", "-of", "default=nw=1", file.toString()).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).replace("TAG:", "").toLowerCase(java.util.Locale.ROOT), line.substring(eq + 1));
      }
    }
    return values;
  }

  @ParameterizedTest
  @CsvSource({
    "a.mka, libvorbis, 44100, 2",
    "b.mka, libopus, 48000, 2",
    "c.mka, flac, 44100, 1",
    "d.mka, aac, 44100, 2",
    "e.mka, libmp3lame, 32000, 2",
    "f.mka, ac3, 48000, 2",
    "g.webm, libopus, 48000, 1",
    "h.webm, libvorbis, 22050, 2",
  })
  void agreesWithFfprobe(String name, String codec, int rate, int channels) throws Exception {
    MutagenDifferentialTest.require(MutagenDifferentialTest.onPath("ffmpeg") && MutagenDifferentialTest.onPath("ffprobe"),
        "no ffmpeg/ffprobe (Debian: ffmpeg)");
    Path file = dir.resolve(name);
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
        "sine=frequency=330:duration=4.25", "-ac", String.valueOf(channels), "-ar", String.valueOf(rate), "-c:a", codec));
    if (!name.endsWith(".webm")) {
      command.addAll(List.of("-metadata", "album_artist=The Band", "-metadata", "track=3/12", "-metadata", "disc=2",
          "-metadata", "genre=Ambient", "-metadata", "composer=C\u00f6mposer", "-metadata", "comment=A comment",
          "-metadata", "MUSICBRAINZ_TRACKID=0d0a0b0c-1111-4222-8333-444455556666", "-metadata",
          "REPLAYGAIN_TRACK_GAIN=-6.48 dB", "-metadata", "BPM=128", "-metadata", "ISRC=GBAYE0000001"));
    }
    command.addAll(List.of("-metadata", "title=Song of " + codec, "-metadata", "artist=Ärtist", "-metadata",
        "album=Album Ω", "-metadata", "date=1999-04-01", file.toString()));
    run(dir, command.toArray(String[]::new));
    Map<String, String> probe = probe(dir, file);
    TrackTags t = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(t, "read in memory");
    String report = name + ": " + t + " vs ffprobe " + probe;
    double seconds = Double.parseDouble(probe.get("duration"));
    assertTrue(Math.abs(t.durationMs() / 1000.0 - seconds) <= Math.max(0.02, seconds * 0.005), report);
    assertEquals(Integer.parseInt(probe.get("sample_rate")), t.sampleRateHz(), report);
    assertEquals(Integer.parseInt(probe.get("channels")), t.channels(), report);
    assertEquals(probe.get("title"), t.title(), report);
    assertEquals(probe.get("artist"), t.artist(), report);
    assertEquals(probe.get("album"), t.album(), report);
    assertEquals(1999, t.year(), report);
    if (!name.endsWith(".webm")) {
      assertEquals(probe.get("album_artist"), t.albumArtist(), report);
      assertEquals(3, t.trackNumber(), report);
      assertEquals(12, t.trackTotal(), report);
      assertEquals(2, t.discNumber(), report);
      assertEquals(probe.get("genre"), t.genre(), report);
      PlayerFields p = t.player();
      assertNotNull(probe.get("composer"), "ffprobe reads the player fields ffmpeg wrote: " + report);
      assertEquals(probe.get("composer"), p.composer(), report);
      assertEquals(probe.get("comment"), p.comment(), report);
      assertEquals(probe.get("musicbrainz_trackid"), p.musicBrainzRecordingId(), report);
      assertEquals(-6.48, p.replayGainTrackGainDb(), report);
      assertEquals(Integer.valueOf(probe.get("bpm")), p.bpm(), report);
      assertEquals(probe.get("isrc"), p.isrc(), report);
      assertEquals(List.of("\u00c4rtist"), p.artists(), report);
    }
  }

  // A hand-made file: EBML header, a Segment with SeekHead, Info, Tracks, a Cluster, then Tags
  // with Targets (album level 50, track level 30), as mkvmerge lays them out.

  private static byte[] element(int id, byte[]... children) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : children) {
      body.writeBytes(c);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int idBytes = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
    for (int i = idBytes - 1; i >= 0; i--) {
      out.write(id >>> (8 * i));
    }
    long size = body.size();
    out.write(0x01); // An 8-byte size (marker 0x01 and 7 bytes), as muxers that patch sizes later write them.
    for (int i = 6; i >= 0; i--) {
      out.write((int) (size >>> (8 * i)));
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] uint(int id, long v) {
    return element(id, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private static byte[] string(int id, String s) {
    return element(id, s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] float64(int id, double v) {
    return element(id, java.nio.ByteBuffer.allocate(8).putDouble(v).array());
  }

  private static byte[] simpleTag(String name, String value) {
    return element(0x67C8, string(0x45A3, name), string(0x4487, value));
  }

  static byte[] handMade() {
    byte[] ebml = element(0x1A45DFA3, string(0x4282, "matroska"));
    byte[] info = element(0x1549A966, uint(0x2AD7B1, 1_000_000), float64(0x4489, 183_500));
    byte[] tracks = element(0x1654AE6B, element(0xAE, uint(0x83, 2), string(0x86, "A_FLAC"),
        element(0xE1, float64(0xB5, 96000), uint(0x9F, 2))));
    byte[] cluster = element(0x1F43B675, new byte[40_000]); // Pushes the Tags out of the head.
    byte[] tags = element(0x1254C367,
        element(0x7373, element(0x63C0, uint(0x68CA, 50)), simpleTag("TITLE", "The Album"),
            simpleTag("ARTIST", "Album Artist"), simpleTag("TOTAL_PARTS", "9"), simpleTag("DATE_RELEASED", "2011")),
        element(0x7373, element(0x63C0, uint(0x68CA, 30)), simpleTag("TITLE", "The Track"),
            simpleTag("ARTIST", "Track Artist"), simpleTag("PART_NUMBER", "4")));
    // The SeekHead's positions are relative to the Segment's data; its own size is fixed, so
    // lay it out with placeholder positions first.
    byte[] seekHead = seekHead(0, 0, 0);
    long infoAt = seekHead.length;
    long tracksAt = infoAt + info.length;
    long tagsAt = tracksAt + tracks.length + cluster.length;
    seekHead = seekHead(infoAt, tracksAt, tagsAt);
    return concat(ebml, element(0x18538067, seekHead, info, tracks, cluster, tags));
  }

  private static byte[] seekHead(long info, long tracks, long tags) {
    return element(0x114D9B74,
        element(0x4DBB, uint(0x53AB, 0x1549A966), uint(0x53AC, info)),
        element(0x4DBB, uint(0x53AB, 0x1654AE6B), uint(0x53AC, tracks)),
        element(0x4DBB, uint(0x53AB, 0x1254C367), uint(0x53AC, tags)));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void tagsWithTargets_behindTheAudio_areFoundThroughTheSeekHead() throws Exception {
    Path file = Files.write(dir.resolve("targets.mka"), handMade());
    TrackTags t = MemoryTagReader.INSTANCE.readInMemory(file);
    assertEquals("The Track", t.title());
    assertEquals("Track Artist", t.artist());
    assertEquals("The Album", t.album());
    assertEquals("Album Artist", t.albumArtist());
    assertEquals(4, t.trackNumber());
    assertEquals(9, t.trackTotal());
    assertEquals(2011, t.year());
    assertEquals(183_500L, t.durationMs());
    assertEquals(96000, t.sampleRateHz());
    assertEquals(2, t.channels());
    assertEquals("FLAC", t.codec());
  }

  @Test
  void hostileVersions_failNamingMatroska_neverCrash() throws Exception {
    byte[] good = handMade();
    SplittableRandom random = new SplittableRandom(15);
    List<byte[]> hostile = new ArrayList<>();
    hostile.add(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3});
    for (int cut : new int[] {5, 40, 100, 300, good.length / 2}) {
      hostile.add(java.util.Arrays.copyOf(good, cut));
    }
    for (int i = 0; i < 40; i++) {
      byte[] b = good.clone();
      for (int j = 0; j < 8; j++) {
        b[4 + random.nextInt(Math.min(400, b.length - 4))] = (byte) random.nextInt(256);
      }
      hostile.add(b);
    }
    byte[] huge = good.clone();
    huge[35] = 0x01; // The Segment's size (its 7 bytes after the marker at 34) made far larger than the file.
    hostile.add(huge);
    for (byte[] bytes : hostile) {
      Path file = Files.write(dir.resolve("hostile.mka"), bytes);
      FileRead read = TagReaders.standard().readWithKey(file, bytes.length);
      assertTrue(read.failure() == null || read.failure().getMessage().contains("Matroska"),
          "a failure names the format: " + read.failure());
    }
    Path zero = Files.write(dir.resolve("zero.mka"), new byte[0]);
    assertTrue(TagReaders.standard().readWithKey(zero, 0).failure() != null);
    Path text = Files.write(dir.resolve("text.mka"), new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0});
    assertThrows(TagReadException.class, () -> MemoryTagReader.INSTANCE.readInMemory(text));
  }
}
