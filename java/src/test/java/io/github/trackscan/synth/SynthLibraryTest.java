package io.github.trackscan.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walkers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.mp3.MP3File;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.id3.ID3v1Tag;
import org.jaudiotagger.tag.id3.ID3v23Tag;
import org.jaudiotagger.tag.id3.ID3v24Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SynthLibraryTest {
  private static final int TRACKS = 300;
  private static final long SEED = 42;

  @TempDir
  static Path shared;
  private static Path library;
  private static SynthReport report;

  @BeforeAll
  static void generateShared() throws IOException {
    Quiet.jaudiotagger();
    library = shared.resolve("library");
    report = SynthLibrary.generate(library, SynthOptions.builder().tracks(TRACKS).seed(SEED).build());
  }

  @Test
  void generate_smallLibraryHasEveryKind() {
    assertEquals(TRACKS, report.tracks().size());
    report.trackCounts().forEach((format, count) -> assertTrue(count > 0, "no " + format));
    Set<String> covered = report.tracks().stream().filter(SynthTrack::hasCover)
        .map(t -> t.format().extension() + t.format().id3v2Version()).collect(Collectors.toSet());
    assertEquals(Set.of("mp33", "mp34", "flac0", "m4a0"), covered);
    assertEquals(EnumSet.allOf(JunkKind.class),
        report.junk().stream().map(JunkFile::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(JunkKind.class))));
    assertEquals(EnumSet.allOf(HiddenKind.class),
        report.hidden().stream().map(HiddenFile::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(HiddenKind.class))));
    assertEquals(EnumSet.allOf(SideKind.class),
        report.sideFiles().stream().map(SideFile::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(SideKind.class))));
    assertFalse(report.trashedTracks().isEmpty());
    assertTrue(report.tracks().stream().anyMatch(t -> t.tags().discTotal() == 2), "no two-disc album");
    assertTrue(report.tracks().stream().anyMatch(t -> !t.tags().artist().equals(t.tags().albumArtist())),
        "no compilation");
    assertTrue(report.folders().stream().anyMatch(f -> f.endsWith("/.AppleDouble")));
    assertTrue(report.folders().contains(".Trash-1000/files"));
  }

  @Test
  void generate_namesCoverTheHardCases() {
    List<String> paths = new ArrayList<>(report.expectedCatalogue());
    paths.addAll(report.folders());
    Set<String> names = new TreeSet<>();
    paths.forEach(p -> names.addAll(List.of(p.split("/"))));
    assertTrue(names.stream().anyMatch(n -> !Normalizer.isNormalized(n, Normalizer.Form.NFC)), "no NFD name");
    assertTrue(names.stream().anyMatch(n -> !n.equals(Normalizer.normalize(n, Normalizer.Form.NFD))
        && Normalizer.isNormalized(n, Normalizer.Form.NFC)), "no NFC name with accents");
    assertTrue(names.stream().anyMatch(n -> n.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)), "no CJK");
    assertTrue(names.stream().anyMatch(n -> n.codePoints().anyMatch(c -> c >= 0x1F300)), "no emoji");
    assertTrue(names.stream().anyMatch(n -> n.contains("\"")) && names.stream().anyMatch(n -> n.contains("'")), "no quotes");
    assertTrue(names.stream().anyMatch(n -> n.getBytes(StandardCharsets.UTF_8).length > 190), "no long name");
    names.forEach(n -> assertTrue(n.getBytes(StandardCharsets.UTF_8).length <= 255, "name too long: " + n));
    report.tracks().forEach(t -> assertTrue(Normalizer.isNormalized(t.tags().title(), Normalizer.Form.NFC)));
  }

  @Test
  void generate_diskMatchesReport() throws IOException {
    Set<String> files = new TreeSet<>();
    Set<String> folders = new TreeSet<>();
    try (Stream<Path> all = Files.walk(library)) {
      all.filter(p -> !p.equals(library)).forEach(p -> {
        String rel = library.relativize(p).toString().replace(File.separatorChar, '/');
        (Files.isDirectory(p) ? folders : files).add(rel);
      });
    }
    Set<String> expected = new TreeSet<>(report.allFiles());
    expected.add(SynthReport.FILE_NAME);
    assertEquals(expected, files);
    assertEquals(report.fileCount(), report.allFiles().size());
    assertEquals(new TreeSet<>(report.folders()), folders);
    assertEquals(report, SynthReport.read(library));
    for (HiddenFile h : report.hidden()) {
      assertTrue(List.of(h.path().split("/")).stream().anyMatch(c -> c.startsWith(".")), h.path());
    }
    assertTrue(report.appleDoubleTwins().stream().allMatch(HiddenFile::hasAudioExtension));
  }

  @Test
  void generate_catalogueIsWhatTheWalkerFinds() throws Exception {
    Set<String> found = new TreeSet<>();
    Walkers.create(Backend.NIO).walk(library, WalkOptions.defaults(), new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        found.add(entry.path());
      }

      @Override
      public void error(WalkError error) {
        throw new AssertionError(error.toString());
      }
    });
    assertEquals(report.expectedCatalogue(), found);
  }

  @Test
  void generate_everyTrackReadsBackWithJaudiotagger() throws Exception {
    List<SynthTrack> all = new ArrayList<>(report.tracks());
    all.addAll(report.trashedTracks());
    for (SynthTrack t : all) {
      AudioFile file = AudioFileIO.read(library.resolve(t.path()).toFile());
      Tag tag = file.getTag();
      TrackTags g = t.tags();
      String where = t.path();
      assertEquals(g.title(), tag.getFirst(FieldKey.TITLE), where);
      assertEquals(g.artist(), tag.getFirst(FieldKey.ARTIST), where);
      assertEquals(g.album(), tag.getFirst(FieldKey.ALBUM), where);
      assertEquals(g.albumArtist(), tag.getFirst(FieldKey.ALBUM_ARTIST), where);
      assertEquals(Integer.toString(g.track()), tag.getFirst(FieldKey.TRACK), where);
      assertEquals(Integer.toString(g.trackTotal()), tag.getFirst(FieldKey.TRACK_TOTAL), where);
      assertEquals(Integer.toString(g.disc()), tag.getFirst(FieldKey.DISC_NO), where);
      assertEquals(Integer.toString(g.discTotal()), tag.getFirst(FieldKey.DISC_TOTAL), where);
      assertEquals(Integer.toString(g.year()), tag.getFirst(FieldKey.YEAR), where);
      assertEquals(g.genre(), tag.getFirst(FieldKey.GENRE), where);
      if (t.hasCover()) {
        assertEquals(t.coverBytes(), tag.getFirstArtwork().getBinaryData().length, where);
      } else {
        assertTrue(tag.getArtworkList().isEmpty(), where);
      }
      assertTrue(file.getAudioHeader().getTrackLength() >= 0, where);
      if (t.format().isMp3()) {
        MP3File mp3 = (MP3File) file;
        assertTrue(t.format().id3v2Version() == 3 ? mp3.getID3v2Tag() instanceof ID3v23Tag
            && !(mp3.getID3v2Tag() instanceof ID3v24Tag) : mp3.getID3v2Tag() instanceof ID3v24Tag, where);
        assertEquals(t.format().hasId3v1(), mp3.hasID3v1Tag(), where);
        if (t.format().hasId3v1()) {
          ID3v1Tag v1 = mp3.getID3v1Tag();
          assertEquals(Mp3Encoder.id3v1Text(g.title(), 30).strip(), v1.getFirst(FieldKey.TITLE).strip(), where);
          assertEquals(Integer.toString(g.year()), v1.getFirst(FieldKey.YEAR), where);
        }
      }
    }
  }

  @Test
  void generate_everyTrackPassesStructuralChecks() throws IOException {
    List<SynthTrack> all = new ArrayList<>(report.tracks());
    all.addAll(report.trashedTracks());
    for (SynthTrack t : all) {
      Path file = library.resolve(t.path());
      FormatChecks.check(file);
      byte[] bytes = Files.readAllBytes(file);
      switch (t.format()) {
        case FLAC -> {
          FormatChecks.FlacInfo info = FormatChecks.flac(bytes);
          assertEquals(t.hasCover(), info.blockTypes().contains(6), t.path());
        }
        case M4A -> assertEquals(t.hasCover(), FormatChecks.mp4(bytes).atoms().contains("moov/udta/meta/ilst/covr"), t.path());
        case OGG_VORBIS -> {
          String comments = new String(FormatChecks.ogg(bytes).packets().get(1), StandardCharsets.UTF_8);
          assertTrue(comments.contains("TITLE=" + t.tags().title()), t.path());
        }
        default -> {
          FormatChecks.Mp3Info info = FormatChecks.mp3(bytes);
          assertEquals(t.format().id3v2Version(), info.id3v2Version(), t.path());
          assertEquals(t.format().hasId3v1(), info.id3v1(), t.path());
          assertEquals(t.hasCover(), info.frameIds().contains("APIC"), t.path());
          assertTrue(info.frameIds().containsAll(Set.of("TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TCON",
              t.format().id3v2Version() == 3 ? "TYER" : "TDRC")), t.path());
        }
      }
    }
  }

  @Test
  void generate_junkFailsStructuralChecks() throws IOException {
    for (JunkFile j : report.junk()) {
      assertTrue(FormatChecks.fails(library.resolve(j.path())), j.path());
      if (j.kind() == JunkKind.ZERO_BYTE_MP3) {
        assertEquals(0, Files.size(library.resolve(j.path())));
      }
    }
  }

  @Test
  void generate_coversAreJpegs() throws IOException {
    for (SideFile s : report.sideFiles()) {
      if (s.kind() == SideKind.COVER_JPG || s.kind() == SideKind.FOLDER_JPG) {
        byte[] b = Files.readAllBytes(library.resolve(s.path()));
        assertTrue(b.length >= 30_000 && b.length <= 150_000, s.path());
        assertTrue(javax.imageio.ImageIO.read(library.resolve(s.path()).toFile()) != null, s.path());
      }
    }
  }

  @Test
  void generate_sameSeedIsIdentical(@TempDir Path dir) throws IOException {
    SynthOptions options = SynthOptions.builder().tracks(120).seed(9).build();
    SynthReport a = SynthLibrary.generate(dir.resolve("a"), options);
    SynthReport b = SynthLibrary.generate(dir.resolve("b"), SynthOptions.builder().tracks(120).seed(9).threads(1).build());
    assertEquals(a, b);
    assertEquals(snapshot(dir.resolve("a"), true), snapshot(dir.resolve("b"), true));
  }

  @Test
  void generate_tinyHasTheSameShapeWithSmallerFiles(@TempDir Path dir) throws IOException {
    SynthOptions.Builder options = SynthOptions.builder().tracks(200).seed(9);
    SynthReport full = SynthLibrary.generate(dir.resolve("full"), options.build());
    SynthReport tiny = SynthLibrary.generate(dir.resolve("tiny"), options.tiny(true).build());
    SynthReport again = SynthLibrary.generate(dir.resolve("again"), options.tiny(true).threads(1).build());

    assertTrue(tiny.tiny());
    assertEquals(tiny, SynthReport.read(dir.resolve("tiny")));
    assertEquals(tiny, again);
    assertEquals(snapshot(dir.resolve("tiny"), true), snapshot(dir.resolve("again"), true));
    assertEquals(full.folders(), tiny.folders());
    assertEquals(full.junk(), tiny.junk());
    assertEquals(full.hidden(), tiny.hidden());
    assertEquals(full.sideFiles(), tiny.sideFiles());
    assertEquals(full.tracks().size(), tiny.tracks().size());
    long covers = 0;
    for (int i = 0; i < full.tracks().size(); i++) {
      SynthTrack f = full.tracks().get(i);
      SynthTrack t = tiny.tracks().get(i);
      assertEquals(f.path(), t.path());
      assertEquals(f.format(), t.format());
      assertEquals(f.tags(), t.tags());
      assertEquals(f.coverBytes() > 0, t.coverBytes() > 0, t.path());
      covers += t.coverBytes() > 0 ? 1 : 0;
      assertTrue(t.coverBytes() <= 1024, t.path() + " cover " + t.coverBytes());
      Path file = dir.resolve("tiny").resolve(t.path());
      assertTrue(Files.size(file) <= Files.size(dir.resolve("full").resolve(f.path())), t.path());
      assertTrue(Files.size(file) <= 8192, t.path() + " is " + Files.size(file) + " bytes");
      FormatChecks.check(file);
    }
    assertTrue(covers > 0, "no embedded covers");
    for (SideFile side : tiny.sideFiles()) {
      if (side.kind() == SideKind.COVER_JPG || side.kind() == SideKind.FOLDER_JPG) {
        assertTrue(Files.size(dir.resolve("tiny").resolve(side.path())) <= 1024, side.path());
      }
    }
  }

  @Test
  void generate_differentSeedsDiffer(@TempDir Path dir) throws IOException {
    SynthLibrary.generate(dir.resolve("a"), SynthOptions.builder().tracks(120).seed(9).build());
    SynthLibrary.generate(dir.resolve("b"), SynthOptions.builder().tracks(120).seed(10).build());
    assertNotEquals(snapshot(dir.resolve("a"), false).keySet(), snapshot(dir.resolve("b"), false).keySet());
  }

  @Test
  void generate_refusesANonEmptyDirectory(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("x.txt"), "x");
    assertThrows(DirectoryNotEmptyException.class,
        () -> SynthLibrary.generate(dir, SynthOptions.builder().tracks(10).build()));
  }

  @Test
  void generate_tinyLibraryStillWorks(@TempDir Path dir) throws IOException {
    SynthReport tiny = SynthLibrary.generate(dir.resolve("t"), SynthOptions.builder().tracks(1).seed(3).build());
    assertEquals(1, tiny.tracks().size());
    assertEquals(JunkKind.values().length, tiny.junk().size());
  }

  /** Every file and folder: relative path mapped to its mtime and (for files) content. */
  static Map<String, String> snapshot(Path root, boolean withRoot) throws IOException {
    Map<String, String> map = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(root) && !withRoot) {
          continue;
        }
        String rel = root.relativize(p).toString();
        String mtime = Files.getLastModifiedTime(p).toString();
        map.put(rel, Files.isDirectory(p) ? "dir " + mtime
            : mtime + " " + java.util.HexFormat.of().formatHex(sha256(Files.readAllBytes(p))));
      }
    }
    return map;
  }

  static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void report_roundTripsThroughItsFile() throws IOException {
    assertEquals(report, SynthReport.read(library));
    assertArrayEquals(report.expectedCatalogue().toArray(), SynthReport.read(library).expectedCatalogue().toArray());
  }
}
