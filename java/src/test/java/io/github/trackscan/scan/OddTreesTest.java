package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkStatus;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Trees that stress the limits rather than the formats: a folder of 200,000 files, a tree 200
 * folders deep, paths at the 4,096-byte limit, names that are not UTF-8. Each with both walkers: a
 * scan catalogues what it can, reports the rest, and the next scan reports no change.
 */
final class OddTreesTest {
  static final int CROWD = 200_000;

  @TempDir Path dir;

  private Path music() {
    return dir.resolve("music");
  }

  private Scanner scanner(Backend backend) {
    return Scanner.builder().roots(music()).database(dir.resolve("library.db")).backend(backend).build();
  }

  private static void assumeAvailable(Backend backend) {
    if (backend == Backend.NATIVE && System.getenv("TRACKSCAN_REQUIRE_NATIVE") == null) {
      assumeTrue(Walkers.nativeUnavailableReason().isEmpty(),
          () -> "native walker unavailable: " + Walkers.nativeUnavailableReason().orElse(""));
    }
  }

  private static byte[] mp3(String title) {
    return AudioFixtures.mp3(AudioFixtures.Meta.of("Artist", title, 1), 5);
  }

  /** Whether a scan changed nothing and read nothing: the files are as the last scan left them. */
  private static void assertNoOp(ScanReport again, long files) {
    assertFalse(again.changedAnything(), () -> "changed: " + again);
    assertEquals(0, again.filesParsed());
    assertEquals(files, again.count(ChangeKind.UNCHANGED));
  }

  /** Made once (about 200,000 files take a while to create here): both walkers walk it, one scans. */
  @Test
  void scan_oneFolderOfTwoHundredThousandFiles() throws IOException {
    Backend backend = Walkers.nativeUnavailableReason().isEmpty() ? Backend.NATIVE : Backend.NIO;
    Path crowd = Files.createDirectories(music().resolve("crowd"));
    for (int i = 0; i < CROWD; i++) {
      // Empty .mp3 files: walked and catalogued like any other, each recorded once as unreadable.
      Path file = Files.createFile(crowd.resolve(String.format("%06d.mp3", i)));
      Files.setLastModifiedTime(file, AudioFixtures.SETTLED);
    }
    AudioFixtures.write(crowd.resolve("real.mp3"), mp3("Real"));
    Files.setLastModifiedTime(crowd.resolve("real.mp3"), AudioFixtures.SETTLED);
    for (Backend walker : List.of(Backend.NATIVE, Backend.NIO)) {
      if (walker == Backend.NATIVE && Walkers.nativeUnavailableReason().isPresent()) {
        assertTrue(System.getenv("TRACKSCAN_REQUIRE_NATIVE") == null, "the native walker must load here");
        continue;
      }
      AtomicLong walked = new AtomicLong();
      Walkers.create(walker).walk(music(), WalkOptions.defaults(), new WalkVisitor() {
        @Override
        public void entry(WalkEntry entry) {
          walked.incrementAndGet();
        }

        @Override
        public void error(WalkError error) {
          throw new AssertionError(error.toString());
        }
      });
      assertEquals(CROWD + 1, walked.get(), walker.name());
    }

    ScanReport first = scanner(backend).scan();

    assertEquals(CROWD + 1, first.count(ChangeKind.ADDED));
    assertEquals(CROWD, first.failed());
    assertEquals(CROWD + 1, TestLibrary.count(dir.resolve("library.db"), "1 = 1"));
    assertNoOp(scanner(backend).scan(), CROWD + 1);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void scan_treeTwoHundredFoldersDeep(Backend backend) {
    assumeAvailable(backend);
    Path folder = music();
    Path middle = null;
    for (int depth = 1; depth <= 200; depth++) {
      folder = folder.resolve(String.format("level-%03d", depth));
      if (depth == 100) {
        middle = folder;
      }
    }
    AudioFixtures.write(middle.resolve("middle.mp3"), mp3("Middle"));
    AudioFixtures.write(folder.resolve("bottom.mp3"), mp3("Bottom"));
    AudioFixtures.settle(music());
    ScannerTest.Recorder recorder = new ScannerTest.Recorder();

    ScanReport first = scanner(backend).scan(recorder, new CancellationToken());

    assertEquals(2, first.count(ChangeKind.ADDED));
    assertEquals(0, first.failed());
    assertEquals(List.of(), first.walkErrors());
    assertTrue(recorder.paths(ChangeKind.ADDED).contains(folder.resolve("bottom.mp3").toString()));
    assertEquals("Bottom", TestLibrary.column(dir.resolve("library.db"), "album").get(folder.resolve("bottom.mp3").toString()));
    assertNoOp(scanner(backend).scan(), 2);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void scan_pathsAtTheByteLimit(Backend backend) throws Exception {
    assumeAvailable(backend);
    Files.createDirectories(music());
    // The longest path a walker hands out is PATH_BYTES_MAX - 1 bytes (room for the NUL): folders
    // of 200-byte names, then a file name that brings the absolute path to exactly that.
    int rootBytes = music().toString().getBytes(StandardCharsets.UTF_8).length;
    Path folder = music();
    int used = rootBytes;
    while (WalkOptions.PATH_BYTES_MAX - 1 - used > 1 + 200 + 1 + 200) {
      folder = folder.resolve("f".repeat(200));
      used += 201;
    }
    int nameBytes = WalkOptions.PATH_BYTES_MAX - 1 - used - 1;
    assertTrue(nameBytes > 5 && nameBytes <= 255, "name of " + nameBytes + " bytes");
    Path longest = folder.resolve("n".repeat(nameBytes - 4) + ".mp3");
    Path tooLong = folder.resolve("n".repeat(nameBytes - 3) + ".mp3");
    assertEquals(WalkOptions.PATH_BYTES_MAX - 1, longest.toString().getBytes(StandardCharsets.UTF_8).length);
    AudioFixtures.write(longest, mp3("Longest"));
    // Not even Java can name it by its absolute path: made from inside its folder.
    Process p = new ProcessBuilder("cp", longest.getFileName().toString(), tooLong.getFileName().toString())
        .directory(folder.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    Files.setLastModifiedTime(longest, AudioFixtures.SETTLED);
    try {
      scanAtTheLimit(backend, longest);
    } finally {
      // @TempDir cannot delete it by its absolute path either.
      assertEquals(0, new ProcessBuilder("rm", tooLong.getFileName().toString()).directory(folder.toFile())
          .inheritIO().start().waitFor());
    }
  }

  private void scanAtTheLimit(Backend backend, Path longest) {
    ScannerTest.Recorder recorder = new ScannerTest.Recorder();

    ScanReport first = scanner(backend).scan(recorder, new CancellationToken());

    assertEquals(List.of(longest.toString()), recorder.paths(ChangeKind.ADDED).stream().toList());
    assertEquals("Longest", TestLibrary.column(dir.resolve("library.db"), "album").get(longest.toString()));
    assertEquals(1, first.walkErrors().size(), () -> first.walkErrors().toString());
    assertTrue(first.walkErrors().get(0).message().equals(WalkStatus.NAME_TOO_LONG.description()),
        () -> first.walkErrors().toString());
    ScanReport again = scanner(backend).scan();
    assertNoOp(again, 1);
    assertEquals(1, again.walkErrors().size(), "reported again, never catalogued");
  }

  /*
   * A name that is not UTF-8 (Latin-1 from an old copy): walked, read, catalogued under its escaped
   * text (PathNames: U+FFFD and the byte in hex), found again on the next scan as the same row, and
   * the text gives back the bytes that open it. A folder whose name is not UTF-8 is walked too.
   */
  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void scan_nameNotValidUtf8IsCataloguedLosslesslyAndFoundAgain(Backend backend) throws Exception {
    assumeAvailable(backend);
    Path album = Files.createDirectories(music().resolve("Album"));
    AudioFixtures.write(album.resolve("ok.mp3"), mp3("Ok"));
    AudioFixtures.write(album.resolve("gone.mp3"), mp3("Gone"));
    Process p = new ProcessBuilder("bash", "-c", "cp ok.mp3 \"caf$(printf '\\351').mp3\" && mkdir \"d$(printf '\\377')\""
        + " && cp ok.mp3 \"d$(printf '\\377')/inside.mp3\"").directory(album.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    AudioFixtures.settle(music());
    List<String> added = new java.util.ArrayList<>();
    ScanListener recorder = new ScanListener() {
      @Override
      public void change(Change change) {
        if (change.kind() == ChangeKind.ADDED) {
          added.add(change.path());
        }
      }
    };

    ScanReport first = scanner(backend).scan(recorder, new CancellationToken());

    assertEquals(4, first.count(ChangeKind.ADDED), () -> first.walkErrors() + " " + first.fileErrors());
    assertEquals(0, first.failed(), () -> first.fileErrors().toString());
    assertTrue(first.walkErrors().isEmpty(), () -> first.walkErrors().toString());
    String latin1 = album + "/caf\uFFFDE9.mp3";
    String inFolder = album + "/d\uFFFDFF/inside.mp3";
    assertTrue(added.contains(latin1) && added.contains(inFolder), added::toString);
    assertTrue(Files.isRegularFile(io.github.trackscan.walk.PathNames.path(latin1)), "the text names the file");
    assertEquals("caf\u00e9.mp3", new String(io.github.trackscan.walk.PathNames.bytes(latin1), StandardCharsets.ISO_8859_1)
        .substring(album.toString().length() + 1), "its exact bytes");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("library.db"));
        var select = c.prepareStatement("SELECT title, duration_ms FROM library WHERE path = ?")) {
      select.setString(1, album + "/ok.mp3");
      String title;
      long durationMs;
      try (var rs = select.executeQuery()) {
        assertTrue(rs.next());
        title = rs.getString(1);
        durationMs = rs.getLong(2);
      }
      select.setString(1, latin1);
      try (var rs = select.executeQuery()) {
        assertTrue(rs.next(), "catalogued under its escaped text");
        assertTrue(title != null && durationMs > 0, title + " " + durationMs);
        assertEquals(title, rs.getString(1), "read, tags and all: a copy of ok.mp3");
        assertEquals(durationMs, rs.getLong(2));
      }
    }
    ScanReport again = scanner(backend).scan();
    assertNoOp(again, 4);
    Files.delete(album.resolve("gone.mp3"));
    ScanReport third = scanner(backend).scan();
    assertEquals(1, third.count(ChangeKind.MISSING));
    assertEquals(0, third.count(ChangeKind.ADDED));
  }
}
