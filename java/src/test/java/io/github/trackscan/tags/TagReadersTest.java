package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TagReadersTest {
  @TempDir Path dir;

  private static final AudioFixtures.Meta META =
      new AudioFixtures.Meta("Señor «Tïtle» 日本", "Ärtist", "Album", "Album Artist", 3, 12, 1, 2, "2003-05-01", "Rock");

  static List<TagReader> readers() {
    return List.of(TagReaders.standard(), TagReaders.jaudiotagger());
  }

  @Test
  void read_mp3TagsAndStream() throws Exception {
    Path file = AudioFixtures.write(dir.resolve("a.mp3"), AudioFixtures.mp3(META, 200));
    for (TagReader reader : readers()) {
      TrackTags t = reader.read(file, Files.size(file));
      assertMeta(t);
      assertEquals(44100, t.sampleRateHz());
      assertEquals(128, t.bitrateKbps());
      assertEquals(2, t.channels());
      // 200 frames of 1152 samples at 44.1 kHz.
      assertTrue(Math.abs(t.durationMs() - 5224) <= 30, "duration " + t.durationMs());
    }
  }

  @Test
  void read_flacTagsAndStream() throws Exception {
    Path file = AudioFixtures.write(dir.resolve("a.flac"), AudioFixtures.flac(META, 5));
    for (TagReader reader : readers()) {
      TrackTags t = reader.read(file, Files.size(file));
      assertMeta(t);
      assertEquals(44100, t.sampleRateHz());
      assertEquals(2, t.channels());
      assertEquals(5000, t.durationMs());
    }
  }

  private static void assertMeta(TrackTags t) {
    assertEquals(META.title(), t.title());
    assertEquals("Ärtist", t.artist());
    assertEquals("Album", t.album());
    assertEquals("Album Artist", t.albumArtist());
    assertEquals(3, t.trackNumber());
    assertEquals(12, t.trackTotal());
    assertEquals(1, t.discNumber());
    assertEquals(2, t.discTotal());
    assertEquals(2003, t.year());
    assertEquals("Rock", t.genre());
  }

  @Test
  void read_junkThrowsWithReason() {
    Path empty = AudioFixtures.write(dir.resolve("empty.mp3"), new byte[0]);
    Path text = AudioFixtures.write(dir.resolve("text.mp3"), AudioFixtures.junkText());
    Path flac = AudioFixtures.write(dir.resolve("text.flac"), AudioFixtures.junkText());
    for (TagReader reader : readers()) {
      for (Path junk : List.of(empty, text, flac)) {
        TagReadException e = assertThrows(TagReadException.class, () -> reader.read(junk, 0));
        assertTrue(!e.reason().isBlank(), e.getMessage());
      }
    }
  }
}
