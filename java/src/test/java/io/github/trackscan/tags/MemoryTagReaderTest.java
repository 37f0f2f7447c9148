package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MemoryTagReaderTest {
  @TempDir Path dir;

  private static final AudioFixtures.Meta META = AudioFixtures.Meta.of("Artist", "Album", 7);

  /** The in-memory result agrees with jaudiotagger's, field by field (durations within a frame). */
  private static void assertAgrees(TrackTags fast, TrackTags reference) {
    assertEquals(reference.title(), fast.title());
    assertEquals(reference.artist(), fast.artist());
    assertEquals(reference.album(), fast.album());
    assertEquals(reference.albumArtist(), fast.albumArtist());
    assertEquals(reference.trackNumber(), fast.trackNumber());
    assertEquals(reference.trackTotal(), fast.trackTotal());
    assertEquals(reference.discNumber(), fast.discNumber());
    assertEquals(reference.discTotal(), fast.discTotal());
    assertEquals(reference.year(), fast.year());
    assertEquals(reference.date(), fast.date());
    assertEquals(reference.genre(), fast.genre());
    assertEquals(reference.sampleRateHz(), fast.sampleRateHz());
    assertEquals(reference.channels(), fast.channels());
    assertTrue(Math.abs(reference.durationMs() - fast.durationMs()) <= 30, reference.durationMs() + " vs " + fast.durationMs());
  }

  @Test
  void readInMemory_mp3AgreesWithJaudiotagger() throws Exception {
    Path file = AudioFixtures.write(dir.resolve("a.mp3"), AudioFixtures.mp3(META, 300));
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast, "the fast path took the file");
    assertAgrees(fast, TagReaders.jaudiotagger().read(file, Files.size(file)));
    assertEquals("MPEG-1 Layer 3", fast.codec());
    assertEquals(fast.codec(), TagReaders.jaudiotagger().read(file, Files.size(file)).codec());
    assertEquals(128, fast.bitrateKbps());
  }

  @Test
  void readInMemory_mp3WithATagLargerThanTheHead() throws Exception {
    AudioFixtures.Meta big = new AudioFixtures.Meta("x".repeat(100_000), "A", "B", "A", 1, 1, 1, 1, "2000", "G");
    Path file = AudioFixtures.write(dir.resolve("big.mp3"), AudioFixtures.mp3(big, 50));
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast);
    assertEquals(100_000, fast.title().length());
    assertAgrees(fast, TagReaders.jaudiotagger().read(file, Files.size(file)));
  }

  @Test
  void readInMemory_flacAgreesWithJaudiotagger() throws Exception {
    Path file = AudioFixtures.write(dir.resolve("a.flac"), AudioFixtures.flac(META, 4));
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast, "the fast path took the file");
    TrackTags reference = TagReaders.jaudiotagger().read(file, Files.size(file));
    assertAgrees(fast, reference);
    assertEquals(reference.codec(), fast.codec());
  }

  @Test
  void readInMemory_junkFallsBack() throws Exception {
    assertNull(MemoryTagReader.INSTANCE.readInMemory(AudioFixtures.write(dir.resolve("e.mp3"), new byte[0])));
    assertNull(MemoryTagReader.INSTANCE.readInMemory(AudioFixtures.write(dir.resolve("t.mp3"), AudioFixtures.junkText())));
    assertNull(MemoryTagReader.INSTANCE.readInMemory(AudioFixtures.write(dir.resolve("t.flac"), AudioFixtures.junkText())));
    byte[] truncated = AudioFixtures.flac(META, 4);
    assertNull(MemoryTagReader.INSTANCE.readInMemory(AudioFixtures.write(dir.resolve("cut.flac"),
        java.util.Arrays.copyOf(truncated, 60))));
  }

  private Path resource(String name) throws Exception {
    try (var in = MemoryTagReaderTest.class.getResourceAsStream(name)) {
      return AudioFixtures.write(dir.resolve(name), in.readAllBytes());
    }
  }

  @Test
  void readInMemory_oggAgreesWithJaudiotagger() throws Exception {
    // Made with: sox -n -r 44100 -c 2 -b 16 s.wav trim 0 1.5; oggenc -q 0 -t ... (see the tags below)
    Path file = resource("fixture.ogg");
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast, "the fast path took the file");
    TrackTags reference = TagReaders.jaudiotagger().read(file, Files.size(file));
    assertAgrees(fast, reference);
    assertEquals("Ogg Title", fast.title());
    assertEquals(12, fast.trackTotal());
    assertEquals(1500, fast.durationMs());
    assertEquals(reference.codec(), fast.codec());
    assertEquals(reference.bitrateKbps(), fast.bitrateKbps());
  }

  @Test
  void readInMemory_truncatedOggFallsBack() throws Exception {
    byte[] ogg = Files.readAllBytes(resource("fixture.ogg"));
    assertNull(MemoryTagReader.INSTANCE.readInMemory(AudioFixtures.write(dir.resolve("cut.ogg"), java.util.Arrays.copyOf(ogg, 40))));
  }

  @Test
  void readInMemory_m4aWithMoovAfterTheAudioAgreesWithJaudiotagger() throws Exception {
    // Made with: ffmpeg -i s.wav -c:a aac -b:a 96k -metadata title="M4A Title" ... (moov after mdat)
    Path file = resource("fixture.m4a");
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast, "the fast path took the file");
    TrackTags reference = TagReaders.jaudiotagger().read(file, Files.size(file));
    assertAgrees(fast, reference);
    assertEquals("M4A Title", fast.title());
    assertEquals(3, fast.trackNumber());
    assertEquals(12, fast.trackTotal());
    assertEquals(reference.codec(), fast.codec());
    assertEquals(reference.bitrateKbps(), fast.bitrateKbps());
  }

  /** An MP3 with a hand-made ID3v2.3 tag: UTF-16 text with a byte-order mark, the given frames. */
  private static byte[] mp3WithId3v23(String... idAndText) {
    java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < idAndText.length; i += 2) {
      byte[] text = idAndText[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
      int size = 1 + 2 + text.length + 2;
      frames.writeBytes(idAndText[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      frames.writeBytes(new byte[] {(byte) (size >> 24), (byte) (size >> 16), (byte) (size >> 8), (byte) size, 0, 0});
      frames.writeBytes(new byte[] {1, (byte) 0xFF, (byte) 0xFE});
      frames.writeBytes(text);
      frames.writeBytes(new byte[] {0, 0});
    }
    byte[] body = frames.toByteArray();
    int size = body.length + 32;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {'I', 'D', '3', 3, 0, 0, (byte) ((size >> 21) & 0x7F), (byte) ((size >> 14) & 0x7F),
        (byte) ((size >> 7) & 0x7F), (byte) (size & 0x7F)});
    out.writeBytes(body);
    out.writeBytes(new byte[32]);
    byte[] audio = AudioFixtures.mp3(META, 100);
    int tagBytes = 10 + ((audio[6] & 0x7F) << 21 | (audio[7] & 0x7F) << 14 | (audio[8] & 0x7F) << 7 | (audio[9] & 0x7F));
    out.write(audio, tagBytes, audio.length - tagBytes);
    return out.toByteArray();
  }

  @Test
  void readInMemory_id3v23Utf16AgreesWithJaudiotagger() throws Exception {
    Path file = AudioFixtures.write(dir.resolve("v23.mp3"), mp3WithId3v23("TIT2", "Ünïcödé 日本 title", "TPE1", "Ärtist",
        "TALB", "Album", "TRCK", "4/9", "TPOS", "2/2", "TYER", "1999", "TCON", "Jazz"));
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast);
    assertEquals("Ünïcödé 日本 title", fast.title());
    assertEquals(4, fast.trackNumber());
    assertEquals(9, fast.trackTotal());
    assertEquals(1999, fast.year());
    assertAgrees(fast, TagReaders.jaudiotagger().read(file, Files.size(file)));
  }

  @Test
  void readInMemory_numericGenreNamedFromTheId3v1Table() throws Exception {
    Path file = AudioFixtures.write(dir.resolve("genre.mp3"), mp3WithId3v23("TIT2", "T", "TCON", "(17)"));
    TrackTags fast = MemoryTagReader.INSTANCE.readInMemory(file);
    assertNotNull(fast);
    TrackTags reference = TagReaders.jaudiotagger().read(file, Files.size(file));
    assertEquals(reference.genre(), fast.genre());
    assertEquals("Rock", fast.genre());
  }
}
