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
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * trackscan's ID3v2 reader against mutagen on the tags mutagen reads but no encoder here writes,
 * written byte by byte by {@link Id3Writer}: ID3v2.2 (three-letter ids, PIC), tag-level
 * unsynchronisation (ID3v2.2/2.3: the whole tag; ID3v2.4: every frame), frame-level
 * unsynchronisation, extended headers, compressed frames (with and without a data-length
 * indicator), encrypted frames, UTF-16 without a byte-order mark, UTF-16BE, numeric genres, dates
 * split over TYER, TDAT and TIME, and iTunes' plain ID3v2.4 sizes. Each file carries every player
 * field (two artists, two genres, ReplayGain in TXXX, MusicBrainz ids, a front cover); mutagen
 * reads it ({@code mutagen_dump.py --fields}) and trackscan must give the same core fields,
 * player fields, artists and genres arrays, the cover's MIME type and size, and an offset only
 * where the bytes there are the picture mutagen reads; then 600 damaged versions of them must
 * still agree ({@link Id3HostileTest} holds the damage to the hostile rules). Skipped, with the
 * reason, where python3-mutagen is missing (failed where TRACKSCAN_REQUIRE_ENCODERS is set).
 */
final class Id3DifferentialTest {
  @TempDir Path dir;

  /** A PNG signature and bytes with FF followed by small values only: unsynchronisation leaves it as it is. */
  static final byte[] PNG = HandMade.concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, pattern(3000));
  /** A JPEG start (FF D8 FF E0) and FF 00 pairs: unsynchronisation changes it. */
  static final byte[] JPEG = HandMade.concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16},
      jpegLike(2000));

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ((i * 7 + 3) % 256);
    }
    return b;
  }

  private static byte[] jpegLike(int n) {
    byte[] b = pattern(n);
    for (int i = 0; i + 1 < n; i += 97) {
      b[i] = (byte) 0xFF;
      b[i + 1] = (byte) (i % 2 == 0 ? 0x00 : 0xE5);
    }
    return b;
  }

  /** One tag to compare: how it is made, and whether its cover's bytes are in the file as they are. */
  record Case(String name, byte[] tag, Boolean coverInFile) {}

  /** The ID3v2.2 id of an ID3v2.3/2.4 frame. */
  private static String id(int version, String id) {
    if (version != 2) {
      return id;
    }
    return switch (id) {
      case "TIT2" -> "TT2";
      case "TPE1" -> "TP1";
      case "TALB" -> "TAL";
      case "TPE2" -> "TP2";
      case "TRCK" -> "TRK";
      case "TPOS" -> "TPA";
      case "TCON" -> "TCO";
      case "TYER" -> "TYE";
      case "TDAT" -> "TDA";
      case "TIME" -> "TIM";
      case "TCOM" -> "TCM";
      case "TCMP" -> "TCP";
      case "TSOT" -> "TST";
      case "TSOP" -> "TSP";
      case "TSOA" -> "TSA";
      case "TSO2" -> "TS2";
      case "TBPM" -> "TBP";
      case "TSRC" -> "TRC";
      case "TPUB" -> "TPB";
      case "COMM" -> "COM";
      case "TXXX" -> "TXX";
      case "UFID" -> "UFI";
      case "APIC" -> "PIC";
      default -> throw new IllegalArgumentException(id);
    };
  }

  /**
   * A tag of {@code version} with every field, frame i in encoding {@code encodings.applyAsInt(i)}
   * with options {@code options.applyAsInt(i)}, the cover {@code cover}.
   */
  static Id3Writer full(Id3Writer w, int version, IntUnaryOperator encodings, IntUnaryOperator options, byte[] cover) {
    int[] i = {0};
    java.util.function.BiConsumer<String, java.util.function.IntFunction<byte[]>> add = (frameId, body) -> {
      int n = i[0]++;
      w.frame(id(version, frameId), body.apply(encodings.applyAsInt(n)), options.applyAsInt(n));
    };
    add.accept("TIT2", e -> Id3Writer.text(e, MutagenDifferentialTest.TITLE));
    add.accept("TPE1", e -> Id3Writer.text(e, "Ärtist", "Second Artist"));
    add.accept("TALB", e -> Id3Writer.text(e, "The Album"));
    add.accept("TPE2", e -> Id3Writer.text(e, "Album Ärtist"));
    add.accept("TRCK", e -> Id3Writer.text(e, "3/12"));
    add.accept("TPOS", e -> Id3Writer.text(e, "1/2"));
    add.accept("TCON", e -> Id3Writer.text(e, "(17)", "Pop"));
    if (version == 4) {
      w.frame("TDRC", Id3Writer.text(0, "2003-05-01T12:30"));
    } else {
      add.accept("TYER", e -> Id3Writer.text(e, "2003"));
      add.accept("TDAT", e -> Id3Writer.text(e, "0105"));
      add.accept("TIME", e -> Id3Writer.text(e, "1230"));
    }
    add.accept("TCOM", e -> Id3Writer.text(e, "Cömposer"));
    add.accept("TCMP", e -> Id3Writer.text(e, "1"));
    add.accept("TSOT", e -> Id3Writer.text(e, "Title, The"));
    add.accept("TSOP", e -> Id3Writer.text(e, "Artist, The"));
    add.accept("TSOA", e -> Id3Writer.text(e, "Album, The"));
    add.accept("TSO2", e -> Id3Writer.text(e, "Album Artist, The"));
    add.accept("TBPM", e -> Id3Writer.text(e, "128"));
    add.accept("TSRC", e -> Id3Writer.text(e, "GBAYE0000001"));
    add.accept("TPUB", e -> Id3Writer.text(e, "Labél"));
    add.accept("COMM", e -> Id3Writer.comm(e, "eng", "iTunNORM", " 00000A2B 00000A2B"));
    add.accept("COMM", e -> Id3Writer.comm(e, "XXX", "", "A comment, 日本"));
    add.accept("UFID", e -> Id3Writer.ufid("http://musicbrainz.org", "0d0a0b0c-1111-4222-8333-444455556666"));
    String[][] described = {{"MusicBrainz Release Track Id", "1d0a0b0c-1111-4222-8333-444455556666"},
        {"MusicBrainz Album Id", "2d0a0b0c-1111-4222-8333-444455556666"},
        {"MusicBrainz Release Group Id", "3d0a0b0c-1111-4222-8333-444455556666"},
        {"MusicBrainz Artist Id", "4d0a0b0c-1111-4222-8333-444455556666"},
        {"MusicBrainz Album Artist Id", "5d0a0b0c-1111-4222-8333-444455556666"},
        {"REPLAYGAIN_TRACK_GAIN", "-6.48 dB"}, {"replaygain_track_peak", "0.987654"},
        {"REPLAYGAIN_ALBUM_GAIN", "-7.10 dB"}, {"REPLAYGAIN_ALBUM_PEAK", "1.000000"},
        {"DISCSUBTITLE", "Disc Sübtitle"}};
    for (String[] d : described) {
      add.accept("TXXX", e -> Id3Writer.txxx(e, d[0], d[1]));
    }
    String mime = version == 2 ? (cover == JPEG ? "JPG" : "PNG") : (cover == JPEG ? "image/jpeg" : "image/png");
    add.accept("APIC", e -> Id3Writer.picture(version, e, mime, 3, "Front", cover));
    return w;
  }

  private static final IntUnaryOperator ALL_UTF16 = n -> 1;
  private static final IntUnaryOperator NONE = n -> 0;

  static List<Case> cases() {
    return cases(null);
  }

  /** The cases, each frame written through {@code damaged} (null: as they are). */
  static List<Case> cases(java.util.function.Consumer<Id3Writer> damaged) {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("ID3v2.2, UTF-16", full(w(damaged, 2), 2, ALL_UTF16, NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.2, Latin-1, unsynchronised tag, JPEG", full(w(damaged, 2).unsynchronised(), 2,
        n -> n % 2 == 0 ? 0 : 1, NONE, JPEG).build(), false));
    cases.add(new Case("ID3v2.2, unsynchronised tag, PNG untouched", full(w(damaged, 2).unsynchronised(), 2,
        ALL_UTF16, NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.3, unsynchronised tag (UTF-16 marks changed before the cover)",
        full(w(damaged, 3).unsynchronised(), 3, ALL_UTF16, NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.3, unsynchronised tag, JPEG", full(w(damaged, 3).unsynchronised(), 3, ALL_UTF16, NONE,
        JPEG).build(), false));
    cases.add(new Case("ID3v2.3, extended header, every other frame compressed (the cover too)",
        full(w(damaged, 3).extendedHeader(), 3, ALL_UTF16, n -> n % 2 == 0 ? Id3Writer.COMPRESS : 0, JPEG)
            .build(), false));
    cases.add(new Case("ID3v2.3, an encrypted frame before the readable one", full(w(damaged, 3)
        .frame("TCOM", Id3Writer.text(0, "Encrypted"), Id3Writer.ENCRYPT)
        .frame("TIT2", Id3Writer.text(0, "Encrypted title"), Id3Writer.ENCRYPT), 3, ALL_UTF16, NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.3, UTF-16 without byte-order marks", full(w(damaged, 3), 3, n -> -1, NONE, PNG).build(),
        true));
    cases.add(new Case("ID3v2.4, extended header, frames unsynchronised, with data lengths, compressed",
        full(w(damaged, 4).extendedHeader(), 4, n -> n % 4, n -> switch (n % 4) {
          case 0 -> Id3Writer.UNSYNC;
          case 1 -> Id3Writer.DATA_LENGTH;
          case 2 -> Id3Writer.COMPRESS | Id3Writer.UNSYNC;
          default -> Id3Writer.COMPRESS;
        }, JPEG).build(), null));
    cases.add(new Case("ID3v2.4, unsynchronised tag, JPEG", full(w(damaged, 4).unsynchronised(), 4, ALL_UTF16, NONE,
        JPEG).build(), false));
    cases.add(new Case("ID3v2.4, unsynchronised tag, PNG untouched", full(w(damaged, 4).unsynchronised(), 4,
        n -> 3, NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.4, UTF-16 big-endian marks, UTF-16BE, UTF-8 and Latin-1",
        full(w(damaged, 4), 4, n -> new int[] {-2, 2, 3, 0, -1}[n % 5], NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.4, iTunes' plain sizes (frames over 127 bytes)", full(w(damaged, 4).plainSizes()
        .frame("TXXX", Id3Writer.txxx(0, "Long", "x".repeat(300))), 4, n -> 3, NONE, PNG).build(), true));
    cases.add(new Case("ID3v2.3 with ID3v2.2 ids (TT2 NUL) and a TDRC besides TYER", w(damaged, 3)
        .frame("TT2\0", Id3Writer.text(0, "Old Id Title")).frame("TYER", Id3Writer.text(0, "1999"))
        .frame("TDRC", Id3Writer.text(0, "2001-02")).frame("TP1\0", Id3Writer.text(1, "Old Id Artist")).build(), null));
    cases.add(new Case("ID3v2.3 dates: TYER and TDAT without TIME", w(damaged, 3)
        .frame("TIT2", Id3Writer.text(1, "Dated")).frame("TYER", Id3Writer.text(1, "1999"))
        .frame("TDAT", Id3Writer.text(1, "3112")).build(), null));
    cases.add(new Case("ID3v2.3 dates: TIME without TDAT, a year with text", w(damaged, 3)
        .frame("TIT2", Id3Writer.text(0, "Dated")).frame("TYER", Id3Writer.text(0, "c. 1999"))
        .frame("TIME", Id3Writer.text(0, "1230")).build(), null));
    cases.add(new Case("ID3v2.4 time stamps: a slash date and seconds", w(damaged, 4)
        .frame("TIT2", Id3Writer.text(3, "Stamped")).frame("TDRC", Id3Writer.text(3, "2003/5/1 7:08:09")).build(), null));
    cases.add(new Case("ID3v2.3 numeric genres", w(damaged, 3).frame("TIT2", Id3Writer.text(0, "Genres"))
        .frame("TCON", Id3Writer.text(0, "(17)(RX)Rock")).frame("TCON", Id3Writer.text(0, "(CR)(999)(31)Trance"))
        .frame("TCON", Id3Writer.text(0, "((Paren)")).frame("TCON", Id3Writer.text(0, "8"))
        .frame("TCON", Id3Writer.text(0, "300")).frame("TCON", Id3Writer.text(0, "CR")).build(), null));
    cases.add(new Case("ID3v2.4 numeric genres, NUL-separated", w(damaged, 4).frame("TIT2", Id3Writer.text(3, "Genres"))
        .frame("TCON", Id3Writer.text(3, "17", "(200)", "RX", "(12)Other", "Rock\nSecond line", "(abc)Word")).build(),
        null));
    String[] numbers = new String[256];
    for (int n = 0; n < numbers.length; n++) {
      numbers[n] = Integer.toString(n);
    }
    cases.add(new Case("ID3v2.4 every ID3v1 genre number (mutagen's table)", w(damaged, 4)
        .frame("TIT2", Id3Writer.text(0, "Table")).frame("TCON", Id3Writer.text(0, numbers)).build(), null));
    cases.add(new Case("ID3v2.2 genre number in parentheses, UTF-16 without marks", w(damaged, 2)
        .frame("TT2", Id3Writer.text(-1, "No marks")).frame("TCO", Id3Writer.text(-1, "(8)"))
        .frame("TP1", Id3Writer.text(-1, "First", "Second")).build(), null));
    return cases;
  }

  private static Id3Writer w(java.util.function.Consumer<Id3Writer> damaged, int version) {
    Id3Writer w = new Id3Writer(version);
    if (damaged != null) {
      damaged.accept(w);
    }
    return w;
  }

  @TestFactory
  Stream<DynamicTest> id3_agreesWithMutagen() throws Exception {
    String python = MutagenDifferentialTest.pythonWithMutagen();
    require(python != null, "python3 with mutagen is not installed (apt-get install python3-mutagen; .ci/run does)");
    Path script = MutagenDifferentialTest.dumpScript(dir);
    List<Case> cases = cases();
    List<String> command = new ArrayList<>(List.of(python, script.toString(), "--fields"));
    for (int i = 0; i < cases.size(); i++) {
      Path file = dir.resolve("case" + i + ".mp3");
      Files.write(file, HandMade.concat(cases.get(i).tag(), Id3Writer.frames(60)));
      command.add(file.toString());
    }
    MutagenDifferentialTest.Result dumped = MutagenDifferentialTest.run(dir, command);
    assertEquals(0, dumped.exit(), dumped.output());
    List<String> lines = dumped.output().lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(cases.size(), lines.size(), dumped.output());
    return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(cases.get(i).name(),
        () -> check(cases.get(i), dir.resolve("case" + i + ".mp3"), lines.get(i), false)));
  }

  private static final long SEED = 20261202L;
  private static final int DAMAGED_VARIANTS = 300;

  /**
   * The cases again with frames damaged before they are written, so each header stays well formed
   * and the damage lands in what the frames hold: a quarter of the bodies (half the variants:
   * of the stored bytes, after compression and unsynchronisation) get bytes flipped, set to 00 or
   * FF, cut short or lengthened. Every field must still agree with mutagen's: junk dropped as
   * mutagen drops it, text decoded through the same fix-ups, a broken zlib stream or
   * unsynchronisation handled alike. (The headers are left alone: mutagen reads a grouped frame's
   * identity byte as text, and past the tag's end by the extended header's size, where trackscan
   * follows the specification.)
   */
  @TestFactory
  Stream<DynamicTest> id3_damagedFrames_agreeWithMutagen() throws Exception {
    String python = MutagenDifferentialTest.pythonWithMutagen();
    require(python != null, "python3 with mutagen is not installed (apt-get install python3-mutagen; .ci/run does)");
    Path script = MutagenDifferentialTest.dumpScript(dir);
    java.util.SplittableRandom random = new java.util.SplittableRandom(SEED);
    int count = cases().size();
    List<Case> variants = new ArrayList<>();
    List<String> command = new ArrayList<>(List.of(python, script.toString(), "--fields"));
    for (int v = 0; v < DAMAGED_VARIANTS; v++) {
      java.util.SplittableRandom r = random.split();
      boolean stored = v % 2 == 1;
      java.util.function.UnaryOperator<byte[]> damage = b -> r.nextInt(4) == 0 ? damage(b, r) : b;
      Case c = cases(w -> {
        if (stored) {
          w.damageStored(damage);
        } else {
          w.damage(damage);
        }
      }).get(v % count);
      variants.add(new Case("#" + v + " " + (stored ? "stored bytes" : "bodies") + " damaged: " + c.name(), c.tag(), null));
      Path file = dir.resolve("damaged" + v + ".mp3");
      Files.write(file, HandMade.concat(c.tag(), Id3Writer.frames(30)));
      command.add(file.toString());
    }
    MutagenDifferentialTest.Result dumped = MutagenDifferentialTest.run(dir, command);
    assertEquals(0, dumped.exit(), dumped.output());
    List<String> lines = dumped.output().lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(variants.size(), lines.size(), dumped.output());
    return java.util.stream.IntStream.range(0, variants.size()).mapToObj(i -> DynamicTest.dynamicTest(
        variants.get(i).name(), () -> check(variants.get(i), dir.resolve("damaged" + i + ".mp3"), lines.get(i), true)));
  }

  /**
   * The cases again with one to three bytes anywhere after the tag header flipped or replaced:
   * frame ids, sizes and flags too. Every field must agree with mutagen's, but where the two read
   * differently by design: a grouped frame (its identity byte, which mutagen reads as text) or an
   * extended header (which mutagen reads past the tag's end).
   */
  @TestFactory
  Stream<DynamicTest> id3_damagedHeaders_agreeWithMutagen() throws Exception {
    String python = MutagenDifferentialTest.pythonWithMutagen();
    require(python != null, "python3 with mutagen is not installed (apt-get install python3-mutagen; .ci/run does)");
    Path script = MutagenDifferentialTest.dumpScript(dir);
    java.util.SplittableRandom random = new java.util.SplittableRandom(SEED + 1);
    List<Case> cases = cases().stream().filter(c -> (c.tag()[5] & 0x40) == 0).toList();
    List<Case> variants = new ArrayList<>();
    List<String> command = new ArrayList<>(List.of(python, script.toString(), "--fields"));
    for (int v = 0; v < DAMAGED_VARIANTS; v++) {
      Case c = cases.get(v % cases.size());
      byte[] tag = c.tag().clone();
      for (int k = random.nextInt(1, 4); k > 0; k--) {
        int at = random.nextInt(10, tag.length);
        tag[at] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : tag[at] ^ (1 << random.nextInt(8)));
      }
      variants.add(new Case("#" + v + " headers damaged: " + c.name(), tag, null));
      Path file = dir.resolve("headers" + v + ".mp3");
      Files.write(file, HandMade.concat(tag, Id3Writer.frames(30)));
      command.add(file.toString());
    }
    MutagenDifferentialTest.Result dumped = MutagenDifferentialTest.run(dir, command);
    assertEquals(0, dumped.exit(), dumped.output());
    List<String> lines = dumped.output().lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(variants.size(), lines.size(), dumped.output());
    return java.util.stream.IntStream.range(0, variants.size()).mapToObj(i -> DynamicTest.dynamicTest(
        variants.get(i).name(), () -> {
          Path file = dir.resolve("headers" + i + ".mp3");
          org.junit.jupiter.api.Assumptions.assumeFalse(readDifferentlyByDesign(file),
              "a grouped frame or an extended header: read differently by design");
          check(variants.get(i), file, lines.get(i), true);
        }));
  }

  /** Whether the tag at the start of {@code file} has an extended header or a grouped frame trackscan reads. */
  private static boolean readDifferentlyByDesign(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    if ((bytes[5] & 0x40) != 0) {
      return true;
    }
    try (FileChannel channel = FileChannel.open(file)) {
      Source in = new Source(file, "mp3", channel, ByteBuffer.wrap(bytes), bytes.length);
      try (Id3Frames frames = Id3Frames.of(in, bytes[3], (bytes[5] & 0x80) != 0, 10,
          Id3Text.syncsafe(ByteBuffer.wrap(bytes), 6))) {
        for (int i = 0; i < frames.count(); i++) {
          if (frames.grouped(i)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** {@code b} with bytes flipped, set to 00 or FF, cut short or lengthened. */
  private static byte[] damage(byte[] b, java.util.SplittableRandom r) {
    byte[] out = b.clone();
    switch (r.nextInt(5)) {
      case 0 -> {
        for (int k = r.nextInt(1, 4); k > 0 && out.length > 0; k--) {
          out[r.nextInt(out.length)] ^= (byte) r.nextInt(1, 256);
        }
      }
      case 1 -> {
        if (out.length > 0) {
          out[r.nextInt(out.length)] = (byte) (r.nextBoolean() ? 0 : 0xFF);
        }
      }
      case 2 -> out = java.util.Arrays.copyOf(out, out.length == 0 ? 0 : r.nextInt(out.length));
      case 3 -> {
        out = java.util.Arrays.copyOf(out, out.length + r.nextInt(1, 4));
        for (int i = b.length; i < out.length; i++) {
          out[i] = (byte) r.nextInt(256);
        }
      }
      default -> {
        if (out.length > 1) {
          out[r.nextInt(out.length - 1)] = 0; // a NUL inside: a value ended early, or split in two
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private void check(Case c, Path file, String line, boolean damaged) throws Exception {
    Map<String, Object> mutagen = (Map<String, Object>) MiniJson.parse(line);
    if (damaged) {
      // A damaged tag mutagen cannot load (a genre of superscript digits, which Python calls
      // digits but int() refuses) has nothing to compare; trackscan must still read the file.
      if (mutagen.get("error") != null) {
        assertNotNull(MemoryTagReader.INSTANCE.readInMemory(file), "read in memory, not by jaudiotagger");
        org.junit.jupiter.api.Assumptions.abort("mutagen fails: " + mutagen.get("error"));
      }
    }
    assertNull(mutagen.get("error"), "mutagen failed: " + line);
    Map<String, Object> tags = (Map<String, Object>) mutagen.get("tags");
    Map<String, Object> m = (Map<String, Object>) mutagen.get("fields");
    assertNotNull(MemoryTagReader.INSTANCE.readInMemory(file), "read in memory, not by jaudiotagger");
    TrackTags t = TagReaders.standard().read(file, Files.size(file));
    PlayerFields p = t.player();
    String report = c.name() + ":\n  mutagen " + line + "\n  trackscan " + t;
    if (!damaged) {
      System.out.printf("[mutagen] %-70s date %s, genres %s, cover %s%n", c.name(), t.date(), p.genres(), p.cover());
    }
    if (!damaged) {
      assertNotNull(tags.get("title"), "mutagen read a title: " + report);
    }
    assertEquals(tags.get("title"), t.title(), "title: " + report);
    assertEquals(tags.get("album"), t.album(), "album: " + report);
    assertEquals(tags.get("albumartist"), t.albumArtist(), "album artist: " + report);
    assertEquals(tags.get("date"), t.date(), "date: " + report);
    assertEquals(Numbers.leadingInt((String) tags.get("track")), t.trackNumber(), "track: " + report);
    assertEquals(Id3Text.total((String) tags.get("track")), t.trackTotal(), "track total: " + report);
    assertEquals(Numbers.leadingInt((String) tags.get("disc")), t.discNumber(), "disc: " + report);
    assertEquals(Id3Text.total((String) tags.get("disc")), t.discTotal(), "disc total: " + report);
    assertEquals(m.get("artist"), t.artist(), "artist: " + report);
    assertEquals(m.get("genre"), t.genre(), "genre: " + report);
    assertEquals(m.get("artists"), p.artists(), "artists: " + report);
    assertEquals(m.get("genres"), p.genres(), "genres: " + report);
    for (Map.Entry<String, java.util.function.Function<PlayerFields, Object>> field
        : PlayerFieldsDifferentialTest.TEXT.entrySet()) {
      assertEquals(m.get(field.getKey()), field.getValue().apply(p), field.getKey() + ": " + report);
    }
    Object compilation = m.get("compilation");
    // The flag as trackscan makes it of mutagen's text: "1" true, "0" false, other text null.
    assertEquals(FieldSink.flag((String) compilation), p.compilation(), "compilation: " + report);
    assertEquals(m.get("bpm") == null ? null : ((Double) m.get("bpm")).intValue(), p.bpm(), "bpm: " + report);

    Map<String, Object> cover = (Map<String, Object>) m.get("cover");
    if (c.coverInFile() != null || cover != null) {
      assertNotNull(cover, "mutagen read the cover: " + report);
      assertNotNull(p.cover(), "cover: " + report);
      assertEquals(cover.get("mime"), p.cover().mimeType(), "cover MIME type: " + report);
      assertEquals(((Double) cover.get("size")).longValue(), p.cover().sizeBytes(), "cover size: " + report);
      if (Boolean.TRUE.equals(c.coverInFile())) {
        assertNotNull(p.cover().offset(), "the picture's bytes are in the file as they are: " + report);
      } else if (Boolean.FALSE.equals(c.coverInFile())) {
        assertNull(p.cover().offset(), "the picture's bytes in the file are not the picture: " + report);
      }
      if (p.cover().offset() != null) {
        assertEquals(cover.get("sha1"), sha1(file, p.cover().offset(), p.cover().sizeBytes()),
            "the bytes at the cover's offset are the picture mutagen reads: " + report);
      }
    } else {
      assertNull(p.cover(), "no cover: " + report);
    }
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
