package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each format reader on its hand-made fixture ({@link HandMade}), with the values the format's
 * description gives (no encoder or mutagen needed; {@link MutagenDifferentialTest} compares with
 * mutagen), the Sniffer choosing by content over the name, and the MPEG details mutagen and
 * jaudiotagger disagree on.
 */
final class FormatReadersTest {
  @TempDir Path dir;

  private TrackTags read(String name, byte[] bytes) throws Exception {
    Path file = AudioFixtures.write(dir.resolve(name), bytes);
    assertNotNull(MemoryTagReader.INSTANCE.readInMemory(file), name + " is read in memory");
    return TagReaders.standard().read(file, bytes.length);
  }

  private static void assertTags(TrackTags t) {
    assertEquals(HandMade.META.title(), t.title());
    assertEquals(HandMade.META.artist(), t.artist());
    assertEquals(HandMade.META.album(), t.album());
    assertEquals(HandMade.META.albumArtist(), t.albumArtist());
    assertEquals(3, t.trackNumber());
    assertEquals(12, t.trackTotal());
    assertEquals(1, t.discNumber());
    assertEquals(2, t.discTotal());
    assertEquals(2003, t.year());
    assertEquals("Rock", t.genre());
  }

  private static void assertStream(TrackTags t, long ms, int rate, int channels, String codec) {
    assertEquals(ms, t.durationMs(), "duration");
    assertEquals(rate, t.sampleRateHz(), "rate");
    assertEquals(channels, t.channels(), "channels");
    assertEquals(codec, t.codec());
  }

  @Test
  void read_handMadeFiles() throws Exception {
    Map<String, byte[]> files = MutagenDifferentialTest.handMade();
    record Expected(long ms, int rate, int channels, String codec, boolean tags) {}
    Map<String, Expected> expected = Map.ofEntries(
        Map.entry("hand.ape", new Expected(1500, 44100, 2, "Monkey's Audio 3.99", true)),
        Map.entry("hand-3970.ape", new Expected(1500, 44100, 2, "Monkey's Audio 3.97", true)),
        Map.entry("hand.dsf", new Expected(500, 2822400, 2, "DSD 1 bit", true)),
        Map.entry("hand.dff", new Expected(500, 2822400, 2, "DSD 1 bit", true)),
        Map.entry("hand.wv", new Expected(1500, 44100, 2, "WavPack 16 bits", true)),
        Map.entry("hand-sv8.mpc", new Expected(1500, 44100, 2, "Musepack SV8", true)),
        Map.entry("hand-sv7.mpc", new Expected(1502, 44100, 2, "Musepack SV7", true)), // 58 x 1152 - 576
        Map.entry("hand-ape.tta", new Expected(1500, 44100, 2, "TTA 16 bits", true)),
        Map.entry("hand-id3.tta", new Expected(1500, 44100, 2, "TTA 16 bits", true)),
        Map.entry("hand.wav", new Expected(1500, 44100, 2, "PCM 16 bits", true)),
        Map.entry("hand.aiff", new Expected(1500, 44100, 2, "PCM 16 bits", true)),
        Map.entry("hand.aac", new Expected(1509, 44100, 2, "AAC (ADTS)", false)), // 65 x 1024
        Map.entry("hand.opus", new Expected(1500, 48000, 2, "Opus", true)),
        Map.entry("hand.spx", new Expected(1500, 16000, 1, "Speex", true)),
        Map.entry("hand.oga", new Expected(1500, 44100, 2, "Ogg FLAC 16 bits", true)),
        Map.entry("hand.wma", new Expected(1500, 44100, 2, "WMA v2", true))); // 4.5 s played, 3 s of it preroll
    assertEquals(expected.keySet(), files.keySet());
    for (var f : files.entrySet()) {
      TrackTags t = read(f.getKey(), f.getValue());
      Expected e = expected.get(f.getKey());
      assertStream(t, e.ms(), e.rate(), e.channels(), e.codec());
      if (e.tags()) {
        assertTags(t);
      } else {
        assertNull(t.title());
      }
    }
  }

  @Test
  void read_benchmarkShapedFiles_whatTheWriterDeclares() throws Exception {
    Map<String, byte[]> files = MutagenDifferentialTest.benchmarkShaped();
    record Expected(int rate, String codec, long minBytes, long maxBytes) {}
    Map<String, Expected> expected = Map.of(
        "bench.ape", new Expected(44100, "Monkey's Audio 3.99", 450_000, 550_000), // about 0.5 MB
        "bench.dsf", new Expected(2822400, "DSD 1 bit", 7_056_000, 7_070_000), // 705,600 bytes a second
        "bench.dff", new Expected(2822400, "DSD 1 bit", 7_056_000, 7_070_000));
    assertEquals(expected.keySet(), files.keySet());
    for (var f : files.entrySet()) {
      Expected e = expected.get(f.getKey());
      long size = f.getValue().length;
      assertTrue(size >= e.minBytes() && size <= e.maxBytes(), f.getKey() + ": " + size + " bytes");
      TrackTags t = read(f.getKey(), f.getValue());
      assertStream(t, 10_000, e.rate(), 2, e.codec());
      assertTags(t);
    }
  }

  @Test
  void read_wavPrefersTheId3ChunkToRiffInfo() throws Exception {
    TrackTags t = read("a.wav", HandMade.wav(true));
    assertEquals(HandMade.META.albumArtist(), t.albumArtist(), "INFO has no album artist; the id3 chunk has");
  }

  @Test
  void read_riffInfo_everyMappedId() throws Exception {
    byte[] pcm = MutagenDifferentialTest.wav(44100, 2, 0.02);
    TrackTags t = read("info.wav", HandMade.withInfo(pcm, "INAM", "Info Title", "IART", "Info Ärtist",
        "IPRD", "Info Album", "IAAR", "Info Album Artist", "IGNR", "Jazz", "ICRD", "1999-04-01", "ITRK", "4/9",
        "ICMT", "  An INFO comment ", "IMUS", "Info Composer", "ISRC", "Supplied by a studio",
        "ICOP", "(c) 1999", "IWRI", "A Lyricist"));
    assertEquals("Info Title", t.title());
    assertEquals("Info Ärtist", t.artist());
    assertEquals("Info Album", t.album());
    assertEquals("Info Album Artist", t.albumArtist());
    assertEquals("Jazz", t.genre());
    assertEquals("1999-04-01", t.date());
    assertEquals(1999, t.year());
    assertEquals(4, t.trackNumber());
    assertEquals(9, t.trackTotal());
    PlayerFields p = t.player();
    assertEquals("An INFO comment", p.comment(), "ICMT, stripped");
    assertEquals("Info Composer", p.composer(), "IMUS (music by)");
    assertNull(p.isrc(), "INFO's ISRC is the source, not a recording code");
    assertEquals(java.util.List.of("Info Ärtist"), p.artists());
    assertEquals(java.util.List.of("Jazz"), p.genres());
    assertNull(p.label());
    assertNull(p.cover());
  }

  @Test
  void read_riffInfo_iprtAsTrackAndNoPlayerIdsGiveNone() throws Exception {
    byte[] pcm = MutagenDifferentialTest.wav(44100, 2, 0.02);
    TrackTags t = read("iprt.wav", HandMade.withInfo(pcm, "INAM", "Only a title", "IPRT", "7"));
    assertEquals(7, t.trackNumber());
    assertNull(t.trackTotal());
    assertEquals(PlayerFields.NONE, t.player(), "no INFO id of a player field: nothing");
  }

  @Test
  void read_riffInfo_theId3ChunkWinsAsAWhole() throws Exception {
    byte[] pcm = MutagenDifferentialTest.wav(44100, 2, 0.02);
    byte[] wav = MutagenDifferentialTest.id3Chunk(HandMade.withInfo(pcm, "INAM", "Info Title", "ICMT", "An INFO comment",
        "IMUS", "Info Composer"));
    TrackTags t = read("both.wav", wav);
    assertEquals(HandMade.META.title(), t.title(), "the id3 chunk's title");
    assertNull(t.player().comment(), "the id3 chunk has no comment; INFO's is not mixed in");
    assertNull(t.player().composer(), "the id3 chunk has no composer; INFO's is not mixed in");
  }

  @Test
  void sniff_contentBeforeName() throws Exception {
    AudioFixtures.Meta meta = AudioFixtures.Meta.of("Artist", "Album", 7);
    assertEquals("MPEG-1 Layer 3", read("mp3.m4a", AudioFixtures.mp3(meta, 100)).codec());
    assertEquals("FLAC 16 bits", read("flac.ogg", AudioFixtures.flac(meta, 2)).codec());
    assertEquals("Opus", read("opus.mp3", HandMade.opus()).codec());
    assertEquals("WavPack 16 bits", read("wavpack.ape", HandMade.wavPack()).codec());
    assertEquals("TTA 16 bits", read("tta.mp3", MutagenDifferentialTest.id3InFront(HandMade.tta())).codec());
  }

  @Test
  void read_flacBehindAnId3v2Tag() throws Exception {
    AudioFixtures.Meta meta = AudioFixtures.Meta.of("Artist", "Album", 7);
    TrackTags t = read("id3.flac", MutagenDifferentialTest.id3InFront(AudioFixtures.flac(meta, 2)));
    assertStream(t, 2000, 44100, 2, "FLAC 16 bits");
    assertEquals("Track 7", t.title(), "the Vorbis comment's title");
  }

  @Test
  void read_apev2TagLargerThanTheMemoryLimit_streamStillRead() throws Exception {
    // A WavPack block, then an APEv2 tag whose binary item (a cover) is 17 MiB of a sparse hole.
    byte[] block = java.util.Arrays.copyOf(HandMade.wavPack(), 32 + 4);
    long cover = 17L << 20;
    long tagBytes = 8 + 6 + cover + 32; // item header, key, value, footer
    Path file = dir.resolve("big-cover.wv");
    try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      raf.write(block);
      java.nio.ByteBuffer item = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      raf.write(item.putInt((int) cover).putInt(2 << 1).array()); // binary
      raf.write(HandMade.ascii("Cover\0"));
      raf.seek(raf.getFilePointer() + cover);
      java.nio.ByteBuffer footer = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      raf.write(footer.put(HandMade.ascii("APETAGEX")).putInt(2000).putInt((int) tagBytes).putInt(1).putInt(0)
          .putLong(0).array());
    }
    TrackTags t = TagReaders.standard().read(file, Files.size(file));
    assertEquals(1500, t.durationMs());
    assertNull(t.title(), "the tag is not read");
  }

  @Test
  void read_unknownNameIsSniffed() throws Exception {
    assertEquals("Monkey's Audio 3.99", read("no-extension", HandMade.monkeysAudio()).codec());
  }

  /** {@code frames} MPEG frames of {@code frameBytes} with header {@code header}, the first holding {@code first}. */
  private static byte[] mpeg(int header, int frameBytes, int frames, byte[] first, int firstAt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int f = 0; f < frames; f++) {
      byte[] frame = new byte[frameBytes];
      frame[0] = (byte) (header >>> 24);
      frame[1] = (byte) (header >>> 16);
      frame[2] = (byte) (header >>> 8);
      frame[3] = (byte) header;
      if (f == 0 && first != null) {
        System.arraycopy(first, 0, frame, firstAt, first.length);
      }
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  @Test
  void mp3_mpeg2LayerIIIHas576SamplesAFrame() throws Exception {
    // MPEG-2 Layer III, 64 kb/s, 22.05 kHz, mono: 208 bytes a frame; a Xing header counting 100 frames.
    byte[] xing = {'X', 'i', 'n', 'g', 0, 0, 0, 1, 0, 0, 0, 100};
    TrackTags t = read("lsf.mp3", mpeg(0xFFF380C0, 208, 101, xing, 4 + 9));
    assertStream(t, Math.round(100 * 576 * 1000.0 / 22050), 22050, 1, "MPEG-2 Layer 3");
  }

  @Test
  void mp3_lameHeaderDelayAndPaddingAreSubtracted() throws Exception {
    // MPEG-1 Layer III 128 kb/s stereo (417 bytes); Info header (frames), LAME3.100, delay 576, padding 1000.
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(new byte[] {'I', 'n', 'f', 'o', 0, 0, 0, 1, 0, 0, 0, 100});
    info.writeBytes("LAME3.100".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] lame = new byte[27];
    lame[12] = (byte) (576 >> 4);
    lame[13] = (byte) ((576 & 0xF) << 4 | 1000 >> 8);
    lame[14] = (byte) (1000 & 0xFF);
    info.writeBytes(lame);
    TrackTags t = read("lame.mp3", mpeg(0xFFFB9000, 417, 101, info.toByteArray(), 4 + 32));
    assertStream(t, Math.round((100 * 1152 - 1576) * 1000.0 / 44100), 44100, 2, "MPEG-1 Layer 3");
  }

  @Test
  void mp3_layersIAndIIWithoutAHeaderFromTheirBitrate() throws Exception {
    // Layer I, 384 kb/s, 44.1 kHz: 416 bytes a frame (384 samples); Layer II 128 kb/s: 417 bytes (1152).
    TrackTags one = read("l1.mp1", mpeg(0xFFFFC000, 416, 200, null, 0));
    assertStream(one, Math.round(200 * 416 * 8 / 384.0), 44100, 2, "MPEG-1 Layer 1");
    assertTrue(Math.abs(one.durationMs() - 200 * 384 * 1000.0 / 44100) < 10, "about 200 x 384 samples");
    TrackTags two = read("l2.mp2", mpeg(0xFFFD8000, 417, 200, null, 0));
    assertStream(two, Math.round(200 * 417 * 8 / 128.0), 44100, 2, "MPEG-1 Layer 2");
  }
}
