package io.github.trackscan.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MutateTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final long MUTATION = 77;

  @BeforeAll
  static void quiet() {
    Quiet.jaudiotagger();
  }

  @Test
  void mutate_manifestMatchesDisk(@TempDir Path dir) throws Exception {
    Path library = dir.resolve("lib");
    SynthReport before = SynthLibrary.generate(library, SynthOptions.builder().tracks(300).seed(5).build());
    Map<String, String> filesBefore = files(library);

    Manifest manifest = SynthLibrary.mutate(library, MUTATION, NOW);
    Map<String, String> filesAfter = files(library);
    SynthReport after = SynthReport.read(library);

    assertEquals(SynthLibrary.ADDED_TRACKS, manifest.added().size());
    assertEquals(150, manifest.modified().size()); // at most half of 300
    assertEquals(SynthLibrary.DELETED_TRACKS, manifest.deleted().size());
    assertEquals(manifest, Manifest.read(library.resolve(Manifest.fileName(MUTATION))));

    Set<String> oldTracks = new HashSet<>();
    before.tracks().forEach(t -> oldTracks.add(t.path()));
    assertTrue(oldTracks.containsAll(manifest.modified()), "modified a non-track");
    assertTrue(oldTracks.containsAll(manifest.deleted()), "deleted a non-track");
    Set<String> touched = new HashSet<>(manifest.modified());
    touched.retainAll(manifest.deleted());
    assertTrue(touched.isEmpty());

    for (String path : manifest.deleted()) {
      assertFalse(Files.exists(library.resolve(path)), path);
    }
    FileTime now = FileTime.from(NOW);
    long oldMtimes = 0;
    Set<String> oldFolders = new HashSet<>(before.folders());
    for (String path : manifest.added()) {
      Path file = library.resolve(path);
      assertEquals(manifest.mtimes().get(path), Files.getLastModifiedTime(file), path);
      oldMtimes += Files.getLastModifiedTime(file).compareTo(now) < 0 ? 1 : 0;
      assertFalse(oldFolders.contains(path.substring(0, path.lastIndexOf('/'))), "added into an old album: " + path);
      FormatChecks.check(file);
      assertTags(after.track(path), file);
    }
    assertEquals(SynthLibrary.ADDED_TRACKS / 2, oldMtimes);
    int sameSize = 0;
    for (String path : manifest.modified()) {
      Path file = library.resolve(path);
      assertEquals(now, Files.getLastModifiedTime(file), path);
      assertNotEquals(filesBefore.get(path), filesAfter.get(path), path);
      FormatChecks.check(file);
      SynthTrack changed = after.track(path);
      assertNotEquals(before.track(path).tags(), changed.tags(), path);
      assertTags(changed, file);
      sameSize += size(filesBefore.get(path)) == Files.size(file) ? 1 : 0;
    }
    assertTrue(sameSize > 0 && sameSize < manifest.modified().size(), "sizes: " + sameSize + " unchanged");

    Map<String, String> expected = new TreeMap<>(filesBefore);
    manifest.deleted().forEach(expected::remove);
    Map<String, String> actual = new TreeMap<>(filesAfter);
    manifest.modified().forEach(p -> {
      expected.remove(p);
      actual.remove(p);
    });
    manifest.added().forEach(actual::remove);
    actual.remove(Manifest.fileName(MUTATION));
    assertEquals(expected, actual, "something else changed");

    Set<String> catalogue = new TreeSet<>(before.expectedCatalogue());
    catalogue.removeAll(manifest.deleted());
    catalogue.addAll(manifest.added());
    assertEquals(catalogue, after.expectedCatalogue());
    assertEquals(before.junk(), after.junk());
    assertEquals(before.hidden(), after.hidden());
  }

  @Test
  void mutate_isDeterministic(@TempDir Path dir) throws IOException {
    SynthOptions options = SynthOptions.builder().tracks(250).seed(8).build();
    SynthLibrary.generate(dir.resolve("a"), options);
    SynthLibrary.generate(dir.resolve("b"), options);
    Manifest a = SynthLibrary.mutate(dir.resolve("a"), 3, NOW);
    Manifest b = SynthLibrary.mutate(dir.resolve("b"), 3, NOW);
    assertEquals(a, b);
    assertEquals(a.mtimes(), b.mtimes());
    assertEquals(files(dir.resolve("a")), files(dir.resolve("b")));
    assertEquals(SynthReport.read(dir.resolve("a")), SynthReport.read(dir.resolve("b")));
  }

  @Test
  void mutate_twiceWithAnotherSeedStillWorks(@TempDir Path dir) throws IOException {
    Path library = dir.resolve("lib");
    SynthLibrary.generate(library, SynthOptions.builder().tracks(250).seed(8).build());
    Manifest first = SynthLibrary.mutate(library, 1, NOW);
    Manifest second = SynthLibrary.mutate(library, 2, NOW.plusSeconds(60));
    assertNotEquals(first, second);
    second.added().forEach(p -> assertTrue(Files.exists(library.resolve(p)), p));
    assertEquals(250 + 400 - 20, SynthReport.read(library).tracks().size());
  }

  @Test
  void mutate_changesScaleWithTheLibraryAndStayTiny(@TempDir Path dir) throws Exception {
    Path library = dir.resolve("lib");
    SynthLibrary.generate(library, SynthOptions.builder().tracks(2000).seed(8).tiny(true).build());
    Changes changes = Changes.percent(5, 2000);
    assertEquals(new Changes(50, 50, 3), changes);

    Manifest manifest = SynthLibrary.mutate(library, 4, NOW, changes);

    assertEquals(50, manifest.added().size());
    assertEquals(50, manifest.modified().size());
    assertEquals(3, manifest.deleted().size());
    SynthReport after = SynthReport.read(library);
    assertTrue(after.tiny());
    assertEquals(2000 + 50 - 3, after.tracks().size());
    for (String path : manifest.added()) {
      Path file = library.resolve(path);
      assertTrue(Files.size(file) <= 8192, path + " is " + Files.size(file) + " bytes");
      FormatChecks.check(file);
      assertTags(after.track(path), file);
    }
    for (String path : manifest.modified()) {
      FormatChecks.check(library.resolve(path));
      assertTags(after.track(path), library.resolve(path));
    }
  }

  @Test
  void changes_percentKeepsTheDefaultProportionsAndRejectsNonsense() {
    assertEquals(new Changes(205, 205, 10), Changes.percent(1, 41_000));
    assertEquals(new Changes(5_000, 5_000, 250), Changes.percent(1, 1_000_000));
    assertThrows(IllegalArgumentException.class, () -> Changes.percent(0, 100));
    assertThrows(IllegalArgumentException.class, () -> Changes.percent(101, 100));
    assertThrows(IllegalArgumentException.class, () -> Changes.percent(Double.NaN, 100));
    assertThrows(IllegalArgumentException.class, () -> new Changes(-1, 0, 0));
  }

  @Test
  void mutate_refusesADirectoryWithoutReport(@TempDir Path dir) {
    assertThrows(IOException.class, () -> SynthLibrary.mutate(dir, 1, NOW));
  }

  @Test
  void manifest_readRejectsMalformedLines(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.tsv");
    Files.writeString(file, "ADDED\ta/b.mp3\nMODIFIED\tc.flac\nDELETED\td.ogg\n");
    Manifest m = Manifest.read(file);
    assertEquals(List.of("a/b.mp3"), m.added());
    assertEquals(List.of("c.flac"), m.modified());
    assertEquals(List.of("d.ogg"), m.deleted());
    Files.writeString(file, "RENAMED\tx\n");
    assertThrows(IOException.class, () -> Manifest.read(file));
    Files.writeString(file, "ADDED\n");
    assertThrows(IOException.class, () -> Manifest.read(file));
  }

  private static void assertTags(SynthTrack t, Path file) throws Exception {
    Tag tag = AudioFileIO.read(file.toFile()).getTag();
    assertEquals(t.tags().title(), tag.getFirst(FieldKey.TITLE), t.path());
    assertEquals(Integer.toString(t.tags().year()), tag.getFirst(FieldKey.YEAR), t.path());
    assertEquals(t.tags().album(), tag.getFirst(FieldKey.ALBUM), t.path());
  }

  private static long size(String snapshotValue) {
    return Long.parseLong(snapshotValue.split(" ")[1]);
  }

  /** Every regular file except the report: path to "mtime size sha256". */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> map = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().equals(SynthReport.FILE_NAME)) {
          byte[] b = Files.readAllBytes(p);
          map.put(root.relativize(p).toString(), Files.getLastModifiedTime(p) + " " + b.length + " "
              + java.util.HexFormat.of().formatHex(SynthLibraryTest.sha256(b)));
        }
      }
    }
    return map;
  }
}
