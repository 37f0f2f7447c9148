package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * trackscan against mutagen, the yardstick: a corpus of tiny files (1.5 s) made in a temporary
 * folder by Debian's encoders (ffmpeg, lame, flac, oggenc, opusenc, speexenc, wavpack, mpcenc) and
 * by hand (Monkey's Audio, DSF and DSDIFF, which no Debian package encodes, and a file of every
 * format the in-memory readers own), read by mutagen
 * ({@code mutagen_dump.py}) and by {@link TagReaders#standard()}. They must agree on the duration
 * (within 0.5% or 20 ms, whichever is larger), the sample rate and channels where mutagen reports
 * them, and the text fields. Each case is skipped, with the reason, when its encoder or
 * python3-mutagen is not installed; {@code .ci/run} installs them and sets TRACKSCAN_REQUIRE_ENCODERS,
 * so in CI every case runs.
 */
final class MutagenDifferentialTest {
  @TempDir Path dir;

  static final String TITLE = "Différential Tïtle 日本";
  static final String ARTIST = "Ärtist";
  static final String ALBUM = "The Album";
  static final String ALBUM_ARTIST = "Album Ärtist";
  static final String GENRE = "Rock";
  static final String DATE = "2003";

  /** One file to make and compare. */
  record Case(String name, String tool, String file, boolean tags, List<String> command, Edit edit) {
    Case(String name, String tool, String file, boolean tags, List<String> command) {
      this(name, tool, file, tags, command, null);
    }

    /** The same file, its tags not compared (mutagen reads none of those the encoder wrote). */
    Case streamOnly() {
      return new Case(name, tool, file, false, command, edit);
    }

    /** The same file, changed after the encoder made it, its tags compared. */
    Case then(Edit next) {
      return new Case(name, tool, file, true, command, next);
    }
  }

  /** Changes a file's bytes (adds a tag the encoder cannot write). */
  @FunctionalInterface
  interface Edit {
    byte[] apply(byte[] bytes);
  }

  static final AudioFixtures.Meta META = new AudioFixtures.Meta(TITLE, ARTIST, ALBUM, ALBUM_ARTIST, 3, 12, 1, 2, DATE, GENRE);

  /** An ID3v2.4 tag in front (ffmpeg's mp2 and tta muxers write none, or APEv2 that mutagen does not read in TTA). */
  static byte[] id3InFront(byte[] bytes) {
    byte[] tag = AudioFixtures.id3v24(META, 32);
    byte[] out = java.util.Arrays.copyOf(tag, tag.length + bytes.length);
    System.arraycopy(bytes, 0, out, tag.length, bytes.length);
    return out;
  }

  /**
   * {@code mp3} with its ID3v2 tag replaced by {@code tag} holding {@link #META} (the genre as
   * "(17)", the date in TYER and TDAT before ID3v2.4), each frame in {@code encoding} with
   * {@code options}: shapes of tag no encoder here writes, in front of a real encoder's stream.
   */
  static byte[] retagged(byte[] mp3, Id3Writer tag, int encoding, int options) {
    int version = tag.version();
    boolean v22 = version == 2;
    tag.frame(v22 ? "TT2" : "TIT2", Id3Writer.text(encoding, TITLE), options)
        .frame(v22 ? "TP1" : "TPE1", Id3Writer.text(encoding, ARTIST), options)
        .frame(v22 ? "TAL" : "TALB", Id3Writer.text(encoding, ALBUM), options)
        .frame(v22 ? "TP2" : "TPE2", Id3Writer.text(encoding, ALBUM_ARTIST), options)
        .frame(v22 ? "TRK" : "TRCK", Id3Writer.text(encoding, "3/12"), options)
        .frame(v22 ? "TPA" : "TPOS", Id3Writer.text(encoding, "1/2"), options)
        .frame(v22 ? "TCO" : "TCON", Id3Writer.text(encoding, "(17)"), options);
    if (version == 4) {
      tag.frame("TDRC", Id3Writer.text(encoding, DATE), options);
    } else {
      tag.frame(v22 ? "TYE" : "TYER", Id3Writer.text(encoding, DATE), options)
          .frame(v22 ? "TDA" : "TDAT", Id3Writer.text(encoding, "0105"), options);
    }
    int old = mp3.length >= 10 && mp3[0] == 'I' && mp3[1] == 'D' && mp3[2] == '3'
        ? (int) Id3Text.tagBytes(java.nio.ByteBuffer.wrap(mp3), 0) : 0;
    return HandMade.concat(tag.build(), java.util.Arrays.copyOfRange(mp3, old, mp3.length));
  }

  /** An "id3 " chunk appended to a RIFF file (ffmpeg's wav muxer writes only LIST/INFO). */
  static byte[] id3Chunk(byte[] riff) {
    byte[] tag = AudioFixtures.id3v24(META, 32);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(riff.length + 8 + tag.length + (tag.length & 1))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(riff).put("id3 ".getBytes(StandardCharsets.US_ASCII)).putInt(tag.length).put(tag);
    b.putInt(4, b.capacity() - 8);
    return b.array();
  }

  private static final long PROCESS_TIMEOUT_S = 60;

  @TestFactory
  Stream<DynamicTest> read_agreesWithMutagen() throws Exception {
    String python = pythonWithMutagen();
    require(python != null, "python3 with mutagen is not installed (apt-get install python3-mutagen; .ci/run does)");
    Path script = MutagenDifferentialTest.dumpScript(dir);
    Files.write(dir.resolve("stereo44.wav"), wav(44100, 2, 1.5));
    Files.write(dir.resolve("mono22.wav"), wav(22050, 1, 1.5));
    Files.write(dir.resolve("mono11.wav"), wav(11025, 1, 1.5));
    Files.write(dir.resolve("stereo48.wav"), wav(48000, 2, 1.5));
    for (Map.Entry<String, byte[]> f : handMade().entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    for (Map.Entry<String, byte[]> f : benchmarkShaped().entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, python, script)));
  }

  /** Writes bits, most significant first, for hand-made AudioSpecificConfigs. */
  static final class BitWriter {
    private final StringBuilder bits = new StringBuilder();

    BitWriter put(int value, int count) {
      for (int i = count - 1; i >= 0; i--) {
        bits.append((value >>> i) & 1);
      }
      return this;
    }

    String hex() {
      StringBuilder padded = new StringBuilder(bits);
      while (padded.length() % 8 != 0) {
        padded.append('0');
      }
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < padded.length(); i += 8) {
        hex.append(String.format("%02x", Integer.parseInt(padded.substring(i, i + 8), 2)));
      }
      return hex.toString();
    }
  }

  /** MP4's AudioSpecificConfig (HE-AAC's output rate, parametric stereo) decoded as mutagen decodes it. */
  @org.junit.jupiter.api.Test
  void aacConfig_agreesWithMutagen() throws Exception {
    String python = pythonWithMutagen();
    require(python != null, "python3 with mutagen is not installed (apt-get install python3-mutagen; .ci/run does)");
    Path script = MutagenDifferentialTest.dumpScript(dir);
    List<String> configs = List.of(
        new BitWriter().put(2, 5).put(4, 4).put(2, 4).put(0, 3).hex(), // LC 44.1 kHz stereo
        new BitWriter().put(2, 5).put(7, 4).put(2, 4).put(0, 3).hex(), // LC 22.05 kHz: maybe an SBR core
        new BitWriter().put(2, 5).put(3, 4).put(1, 4).put(0, 3).hex(), // LC 48 kHz mono
        new BitWriter().put(5, 5).put(6, 4).put(2, 4).put(3, 4).put(2, 5).put(0, 3).hex(), // HE-AAC explicit
        new BitWriter().put(29, 5).put(6, 4).put(1, 4).put(3, 4).put(2, 5).put(0, 3).hex(), // HE-AAC v2 explicit
        new BitWriter().put(2, 5).put(7, 4).put(2, 4).put(0, 3).put(0x2B7, 11).put(5, 5).put(1, 1).put(4, 4).hex(),
        new BitWriter().put(2, 5).put(7, 4).put(1, 4).put(0, 3).put(0x2B7, 11).put(5, 5).put(1, 1).put(4, 4)
            .put(0x548, 11).put(1, 1).hex(), // backward-compatible SBR and PS
        new BitWriter().put(2, 5).put(7, 4).put(2, 4).put(0, 3).put(0x2B7, 11).put(5, 5).put(0, 1).hex(),
        new BitWriter().put(2, 5).put(15, 4).put(44100, 24).put(2, 4).put(0, 3).hex(), // escaped rate
        new BitWriter().put(2, 5).put(4, 4).put(7, 4).put(0, 3).hex(), // 7.1
        new BitWriter().put(31, 5).put(10, 6).put(3, 4).put(2, 4).hex(), // object type 42 (USAC)
        new BitWriter().put(2, 5).put(4, 4).hex()); // truncated
    List<String> command = new ArrayList<>(List.of(python, script.toString(), "--asc"));
    command.addAll(configs);
    Result dumped = run(command);
    assertEquals(0, dumped.exit(), dumped.output());
    List<String> lines = dumped.output().lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(configs.size(), lines.size(), dumped.output());
    for (String line : lines) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) MiniJson.parse(line);
      byte[] bytes = java.util.HexFormat.of().parseHex((String) m.get("asc"));
      AacConfig ours = AacConfig.parse(java.nio.ByteBuffer.wrap(bytes));
      System.out.printf("[mutagen] ASC %-14s trackscan %s | mutagen %s%n", m.get("asc"), ours, line);
      if (m.get("error") != null) {
        continue; // mutagen gives up; trackscan keeps the sample entry's values for whatever it could not read
      }
      assertNotNull(ours, line);
      assertEquals(((Double) m.get("sample_rate")).intValue(), ours.sampleRateHz(), "rate: " + line);
      assertEquals(((Double) m.get("channels")).intValue(), ours.channels(), "channels: " + line);
    }
  }

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    List<String> lameTags = List.of("--id3v2-only", "--id3v2-utf16", "--tt", TITLE, "--ta", ARTIST, "--tl", ALBUM,
        "--ty", DATE, "--tn", "3/12", "--tg", GENRE, "--tv", "TPE2=" + ALBUM_ARTIST, "--tv", "TPOS=1/2");
    cases.add(lame("mp3 CBR 128 (LAME header: delay and padding)", "cbr.mp3", "stereo44.wav", lameTags, "-b", "128"));
    cases.add(lame("mp3 VBR -V5 (Xing)", "vbr.mp3", "stereo44.wav", lameTags, "-V", "5"));
    cases.add(lame("mp3 CBR without a Xing header", "noxing.mp3", "stereo44.wav", lameTags, "-b", "96", "-t"));
    cases.add(lame("mp3 VBR without a Xing header (first frame's bitrate)", "vbrnoxing.mp3", "stereo44.wav", lameTags,
        "-V", "5", "-t"));
    cases.add(lame("mp3 MPEG-2 Layer III (576 samples a frame)", "mpeg2.mp3", "mono22.wav", lameTags, "-b", "32"));
    cases.add(lame("mp3 MPEG-2.5 Layer III", "mpeg25.mp3", "mono11.wav", lameTags, "-b", "16"));
    cases.add(lame("mp3 MPEG-2 Layer III without a Xing header", "mpeg2noxing.mp3", "mono22.wav", lameTags, "-b", "32", "-t"));
    cases.add(lame("mp3 with an ID3v2.2 tag (UTF-16, genre \"(17)\")", "v22.mp3", "stereo44.wav", lameTags, "-b", "128")
        .then(b -> retagged(b, new Id3Writer(2), 1, 0)));
    cases.add(lame("mp3 with an unsynchronised ID3v2.3 tag (TYER, TDAT)", "unsync23.mp3", "stereo44.wav", lameTags,
        "-V", "5").then(b -> retagged(b, new Id3Writer(3).unsynchronised(), 1, 0)));
    cases.add(lame("mp3 with an unsynchronised ID3v2.4 tag, compressed frames", "unsync24.mp3", "stereo44.wav",
        lameTags, "-b", "96").then(b -> retagged(b, new Id3Writer(4).unsynchronised().extendedHeader(), 3,
            Id3Writer.COMPRESS)));
    cases.add(ffmpeg("mp2 (MPEG-1 Layer II, ID3v2)", "layer2.mp2", "stereo44.wav", false, "-c:a", "mp2", "-b:a", "128k",
        "-f", "mp2").then(MutagenDifferentialTest::id3InFront));
    cases.add(ffmpeg("mp2 (MPEG-2 Layer II)", "layer2lsf.mp2", "mono22.wav", false, "-c:a", "mp2", "-b:a", "64k", "-f", "mp2"));
    cases.add(ffmpeg("WMA v2 (ASF)", "a.wma", "stereo44.wav", true, "-c:a", "wmav2", "-b:a", "128k"));
    cases.add(ffmpeg("WMA v1 mono 22 kHz (ASF)", "b.wma", "mono22.wav", true, "-c:a", "wmav1", "-b:a", "32k"));
    cases.add(ffmpeg("mp3 named .m4a", "mp3named.m4a", "stereo44.wav", true, "-c:a", "libmp3lame", "-b:a", "128k",
        "-write_xing", "0", "-f", "mp3"));
    cases.add(new Case("FLAC", "flac", "a.flac", true, flacCommand("a.flac", false)));
    cases.add(new Case("Ogg FLAC", "flac", "oggflac.oga", true, flacCommand("oggflac.oga", true)));
    cases.add(new Case("Ogg Vorbis", "oggenc", "a.ogg", true, List.of("oggenc", "-Q", "-q", "2", "-t", TITLE, "-a", ARTIST,
        "-l", ALBUM, "-N", "3", "-G", GENRE, "-d", DATE, "-c", "ALBUMARTIST=" + ALBUM_ARTIST, "-c", "TRACKTOTAL=12",
        "-c", "DISCNUMBER=1/2", "-o", "a.ogg", "stereo44.wav")));
    cases.add(new Case("Ogg Opus (pre-skip)", "opusenc", "a.opus", true, List.of("opusenc", "--quiet", "--title", TITLE,
        "--artist", ARTIST, "--album", ALBUM, "--tracknumber", "3/12", "--genre", GENRE, "--date", DATE,
        "--comment", "ALBUMARTIST=" + ALBUM_ARTIST, "--comment", "DISCNUMBER=1/2", "stereo44.wav", "a.opus")));
    cases.add(new Case("Ogg Speex", "speexenc", "a.spx", true, List.of("speexenc", "--quiet", "--comment", "TITLE=" + TITLE,
        "--comment", "ARTIST=" + ARTIST, "--comment", "ALBUM=" + ALBUM, "--comment", "ALBUMARTIST=" + ALBUM_ARTIST,
        "--comment", "TRACKNUMBER=3/12", "--comment", "DISCNUMBER=1/2", "--comment", "DATE=" + DATE,
        "--comment", "GENRE=" + GENRE, "mono22.wav", "a.spx")));
    cases.add(ffmpeg("WAV with an id3 chunk", "id3.wav", "stereo44.wav", false, "-c:a", "pcm_s16le")
        .then(MutagenDifferentialTest::id3Chunk));
    cases.add(ffmpeg("WAV with RIFF INFO (stream only: mutagen reads no INFO)", "info.wav", "mono22.wav", false, "-c:a", "pcm_s16le"));
    cases.add(ffmpeg("AIFF with an ID3 chunk", "a.aiff", "stereo44.wav", true, "-c:a", "pcm_s16be", "-write_id3v2", "1"));
    cases.add(ffmpeg("AIFF-C sowt with an ID3 chunk", "sowt.aifc", "mono22.wav", true, "-c:a", "pcm_s16le", "-f", "aiff",
        "-write_id3v2", "1"));
    cases.add(new Case("WavPack (APEv2)", "wavpack", "a.wv", true, List.of("wavpack", "-q", "-y", "-w", "Title=" + TITLE,
        "-w", "Artist=" + ARTIST, "-w", "Album=" + ALBUM, "-w", "Album Artist=" + ALBUM_ARTIST, "-w", "Track=3/12",
        "-w", "Disc=1/2", "-w", "Year=" + DATE, "-w", "Genre=" + GENRE, "stereo44.wav", "-o", "a.wv")));
    cases.add(ffmpeg("WavPack mono by ffmpeg", "ff.wv", "mono22.wav", true, "-c:a", "wavpack"));
    cases.add(new Case("Musepack SV8 (APEv2)", "mpcenc", "a.mpc", true, List.of("mpcenc", "--silent", "--overwrite",
        "--tag", "Title=" + TITLE, "--artist", ARTIST, "--album", ALBUM, "--tag", "Album Artist=" + ALBUM_ARTIST,
        "--tag", "Track=3/12", "--tag", "Disc=1/2", "--tag", "Year=" + DATE, "--tag", "Genre=" + GENRE,
        "stereo44.wav", "a.mpc")));
    cases.add(ffmpeg("TTA with APEv2 (stream only: mutagen reads ID3 in TTA)", "ape.tta", "stereo44.wav", true, "-c:a", "tta")
        .streamOnly());
    cases.add(ffmpeg("TTA with ID3v2", "id3.tta", "stereo44.wav", false, "-c:a", "tta").then(MutagenDifferentialTest::id3InFront));
    cases.add(ffmpeg("raw AAC (ADTS)", "a.aac", "stereo44.wav", false, "-c:a", "aac", "-b:a", "96k", "-f", "adts"));
    cases.add(ffmpeg("MP4 AAC", "aac.m4a", "stereo44.wav", true, "-c:a", "aac", "-b:a", "96k"));
    cases.add(ffmpeg("MP4 ALAC", "alac.m4a", "mono22.wav", true, "-c:a", "alac"));
    cases.add(ffmpeg("MP4 FLAC", "flac.mp4", "stereo44.wav", true, "-c:a", "flac", "-strict", "-2"));
    cases.add(ffmpeg("MP4 Opus", "opus.mp4", "stereo48.wav", true, "-c:a", "libopus", "-b:a", "64k"));
    cases.add(ffmpeg("MP4 AC-3", "ac3.m4a", "stereo48.wav", true, "-c:a", "ac3", "-b:a", "192k"));
    cases.add(ffmpeg("MP4 E-AC-3", "eac3.mp4", "stereo48.wav", true, "-c:a", "eac3", "-b:a", "192k"));
    for (String file : handMade().keySet()) {
      boolean tags = !file.equals("hand-ape.tta") && !file.equals("hand.aac");
      cases.add(new Case("hand-made " + file + (tags ? "" : " (stream only)"), null, file, tags, List.of()));
    }
    for (String file : benchmarkShaped().keySet()) {
      cases.add(new Case("mixed-format benchmark's " + file, null, file, true, List.of()));
    }
    return cases;
  }

  /**
   * The Monkey's Audio, DSF and DSDIFF files the mixed-format benchmark makes: 10 s, payloads of a
   * real file's size (Monkey's Audio in two frames), not in {@link #handMade()} because the
   * hostile corpus would damage 7 MB of DSD a few hundred times.
   */
  static Map<String, byte[]> benchmarkShaped() {
    io.github.trackscan.synth.TrackTags tags = HandMade.synthTags();
    return Map.of("bench.ape", io.github.trackscan.synth.HandMadeAudio.monkeysAudio(tags, 10_000),
        "bench.dsf", io.github.trackscan.synth.HandMadeAudio.dsf(tags, 10_000),
        "bench.dff", io.github.trackscan.synth.HandMadeAudio.dff(tags, 10_000));
  }

  /** The files {@link HandMade} writes, by name. */
  static Map<String, byte[]> handMade() {
    return handMade(false);
  }

  /** The same, with the PCM and DSD payloads cut to 20 ms when {@code short_}. */
  static Map<String, byte[]> handMade(boolean short_) {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    files.put("hand.ape", HandMade.monkeysAudio());
    files.put("hand-3970.ape", HandMade.monkeysAudio3970());
    files.put("hand.dsf", HandMade.dsf(short_));
    files.put("hand.dff", HandMade.dff(short_));
    files.put("hand.wv", HandMade.wavPack());
    files.put("hand-sv8.mpc", HandMade.musepackSv8());
    files.put("hand-sv7.mpc", HandMade.musepackSv7());
    files.put("hand-ape.tta", HandMade.tta());
    files.put("hand-id3.tta", id3InFront(HandMade.tta()));
    files.put("hand.wav", HandMade.wav(short_));
    files.put("hand.aiff", HandMade.aiff(short_));
    files.put("hand.aac", HandMade.adts());
    files.put("hand.opus", HandMade.opus());
    files.put("hand.spx", HandMade.speex());
    files.put("hand.oga", HandMade.oggFlac());
    files.put("hand.wma", HandMade.asf());
    return files;
  }

  private static Case lame(String name, String file, String source, List<String> tags, String... options) {
    List<String> command = new ArrayList<>(List.of("lame", "--quiet"));
    command.addAll(List.of(options));
    command.addAll(tags);
    command.addAll(List.of(source, file));
    return new Case(name, "lame", file, true, command);
  }

  private static Case ffmpeg(String name, String file, String source, boolean tags, String... options) {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", source));
    command.addAll(List.of(options));
    if (tags) {
      command.addAll(List.of("-metadata", "title=" + TITLE, "-metadata", "artist=" + ARTIST, "-metadata", "album=" + ALBUM,
          "-metadata", "album_artist=" + ALBUM_ARTIST, "-metadata", "track=3/12", "-metadata", "disc=1/2",
          "-metadata", "date=" + DATE, "-metadata", "genre=" + GENRE));
    }
    command.add(file);
    return new Case(name, "ffmpeg", file, tags, command);
  }

  private static List<String> flacCommand(String file, boolean ogg) {
    List<String> command = new ArrayList<>(List.of("flac", "--silent", "-f"));
    if (ogg) {
      command.add("--ogg");
    }
    command.addAll(List.of("-T", "TITLE=" + TITLE, "-T", "ARTIST=" + ARTIST, "-T", "ALBUM=" + ALBUM,
        "-T", "ALBUMARTIST=" + ALBUM_ARTIST, "-T", "TRACKNUMBER=3", "-T", "TRACKTOTAL=12", "-T", "DISCNUMBER=1",
        "-T", "DISCTOTAL=2", "-T", "DATE=" + DATE, "-T", "GENRE=" + GENRE, "-o", file, "stereo44.wav"));
    return command;
  }

  private void check(Case c, String python, Path script) throws Exception {
    if (c.tool() != null) {
      require(onPath(c.tool()), c.tool() + " is not installed (.ci/run installs it)");
      Result made = run(c.command());
      assertEquals(0, made.exit(), String.join(" ", c.command()) + ": " + made.output());
    }
    Path file = dir.resolve(c.file());
    if (c.edit() != null) {
      Files.write(file, c.edit().apply(Files.readAllBytes(file)));
    }
    Result dumped = run(List.of(python, script.toString(), file.toString()));
    assertEquals(0, dumped.exit(), dumped.output());
    String line = dumped.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(dumped.output()));
    @SuppressWarnings("unchecked")
    Map<String, Object> mutagen = (Map<String, Object>) MiniJson.parse(line);
    assertNull(mutagen.get("error"), "mutagen failed: " + line);

    assertNotNull(MemoryTagReader.INSTANCE.readInMemory(file), "read in memory, not by jaudiotagger");
    TrackTags t = TagReaders.standard().read(file, Files.size(file));
    String report = c.name() + ": mutagen " + line + "\n  trackscan " + t;

    double expectedMs = ((Double) mutagen.get("length")) * 1000;
    System.out.printf("[mutagen] %-55s trackscan %5d ms %6s Hz %s ch | mutagen %8.1f ms %6s Hz %s ch%n", c.name(),
        t.durationMs(), t.sampleRateHz(), t.channels(), expectedMs, mutagen.get("sample_rate"), mutagen.get("channels"));
    assertNotNull(t.durationMs(), report);
    double tolerance = Math.max(20, expectedMs * 0.005);
    assertTrue(Math.abs(t.durationMs() - expectedMs) <= tolerance, "duration " + t.durationMs() + " ms, mutagen "
        + expectedMs + " ms: " + report);
    if (mutagen.get("sample_rate") instanceof Double rate && rate > 0) {
      assertEquals(rate.intValue(), t.sampleRateHz(), "sample rate: " + report);
    }
    if (mutagen.get("channels") instanceof Double channels && channels > 0) {
      assertEquals(channels.intValue(), t.channels(), "channels: " + report);
    }
    if (!c.tags()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tags = (Map<String, Object>) mutagen.get("tags");
    assertEquals(TITLE, tags.get("title"), "mutagen read the tags the encoder wrote: " + report);
    assertEquals(tags.get("title"), t.title(), "title: " + report);
    assertEquals(tags.get("artist"), t.artist(), "artist: " + report);
    assertEquals(tags.get("album"), t.album(), "album: " + report);
    assertEquals(tags.get("albumartist"), t.albumArtist(), "album artist: " + report);
    assertEquals(tags.get("genre"), t.genre(), "genre: " + report);
    assertEquals(tags.get("date"), t.date(), "date: " + report);
    assertEquals(Numbers.leadingInt((String) tags.get("track")), t.trackNumber(), "track: " + report);
    if (tags.get("track") instanceof String track && track.contains("/")) {
      assertEquals(Id3Text.total(track), t.trackTotal(), "track total: " + report);
    }
    assertEquals(Numbers.leadingInt((String) tags.get("disc")), t.discNumber(), "disc: " + report);
  }

  /**
   * Skips the test, saying why, when {@code available} is false; fails it instead where
   * TRACKSCAN_REQUIRE_ENCODERS is set (.ci/run sets it in CI, which installs every encoder).
   */
  static void require(boolean available, String reason) {
    if (System.getenv("TRACKSCAN_REQUIRE_ENCODERS") != null) {
      assertTrue(available, reason + ", and TRACKSCAN_REQUIRE_ENCODERS is set");
    }
    assumeTrue(available, reason);
  }

  record Result(int exit, String output) {}

  private Result run(List<String> command) throws IOException, InterruptedException {
    return run(dir, command);
  }

  /** Runs {@code command} in {@code dir}, its output and errors together, for at most PROCESS_TIMEOUT_S. */
  static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread pump = Thread.ofVirtual().start(() -> {
      try {
        p.getInputStream().transferTo(out);
      } catch (IOException ignored) {
        // The process died; its exit code says so.
      }
    });
    if (!p.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command.get(0) + " took longer than " + PROCESS_TIMEOUT_S + " s");
    }
    pump.join();
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String folder : path.split(java.io.File.pathSeparator)) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, tool))) {
        return true;
      }
    }
    return false;
  }

  /** The oracle's script (mutagen_dump.py, a test resource) written into {@code dir}. */
  static Path dumpScript(Path dir) throws IOException {
    Path script = dir.resolve("mutagen_dump.py");
    try (InputStream in = MutagenDifferentialTest.class.getResourceAsStream("mutagen_dump.py")) {
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  /** Debian's python3 (where python3-mutagen installs), else the first python3 on PATH, that imports mutagen. */
  static String pythonWithMutagen() {
    for (String python : List.of("/usr/bin/python3", "python3")) {
      try {
        Process p = new ProcessBuilder(python, "-c", "import mutagen").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return python;
        }
      } catch (IOException | InterruptedException e) {
        // Not there: try the next.
      }
    }
    return null;
  }

  /** A 16-bit PCM WAV of a 440 Hz tone. */
  static byte[] wav(int rate, int channels, double seconds) {
    int frames = (int) Math.round(rate * seconds);
    int dataBytes = frames * channels * 2;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (int i = 0; i < frames; i++) {
      short sample = (short) (Math.sin(2 * Math.PI * 440 * i / rate) * 8000);
      for (int ch = 0; ch < channels; ch++) {
        b.putShort(sample);
      }
    }
    return b.array();
  }
}
