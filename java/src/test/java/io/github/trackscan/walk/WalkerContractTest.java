package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, every walker: each test runs against the NIO walker and the native walker, with one
 * and two threads, on the same tricky tree, and asserts the exact records and errors (computed
 * from what the test created, not from another walker).
 */
final class WalkerContractTest {
  static Path shared;
  static Path tree;
  static boolean unreadableWorks;

  static final String NFC = Normalizer.normalize("Café Noël.mp3", Normalizer.Form.NFC);
  static final String NFD = Normalizer.normalize("Café Noël.mp3", Normalizer.Form.NFD);
  static final String LONG_NAME = "x".repeat(100) + "長い名前の曲".repeat(6) + ".flac"; // 100 + 108 + 5 bytes
  static final int CROWD = 10_000;

  static Stream<Arguments> walkers() {
    List<Arguments> arguments = new ArrayList<>();
    for (Backend backend : List.of(Backend.NIO, Backend.NATIVE)) {
      for (int threads : new int[] {1, 2}) {
        arguments.add(Arguments.of(backend, threads));
      }
    }
    return arguments.stream();
  }

  @BeforeAll
  static void makeTree() throws IOException, InterruptedException {
    shared = Files.createTempDirectory("walker-contract");
    tree = shared.resolve("tree");
    Files.createDirectories(tree);
    file("Artist/Album (1999)/01 - One.mp3", 11);
    file("Artist/Album (1999)/02 - Two.FLAC", 12);
    file("Artist/Album (1999)/cover.jpg", 13);
    file("Artist/Album (1999)/notes.nfo", 1);
    file("Artist/Album (1999)/LOUD.MP3", 14);
    file("Artist/Album (1999)/mixed.FlAc", 15);
    file("Artist/Album (1999)/noext", 1);
    file("Artist/Album (1999)/trailingdot.", 1);
    file("Artist/Album (1999)/.hidden.mp3", 1);
    file("Artist/Album (1999)/._01 - One.mp3", 1);
    file("Artist/Album (1999)/.AppleDouble/01 - One.mp3", 1);
    file(".Trash-1000/files/gone.mp3", 1);
    file("unicode/" + NFC, 21);
    file("unicode/" + NFD, 22);
    file("unicode/" + LONG_NAME, 23);
    file("unicode/🎵 emoji \"quoted\" 'single'.ogg", 24);
    file("unicode/日本語/トラック.m4a", 25);
    Files.createDirectories(tree.resolve("empty/also empty"));
    for (int i = 0; i < CROWD; i++) {
      file(String.format("crowd/%05d.mp3", i), i % 7);
    }
    file("deep/a/b/c/d/e/f/g/deepest.opus", 31);
    file("links/real.wav", 41);
    Files.createSymbolicLink(tree.resolve("links/link.wav"), Path.of("real.wav"));
    Files.createSymbolicLink(tree.resolve("links/dangling.mp3"), Path.of("nowhere.mp3"));
    Files.createSymbolicLink(tree.resolve("links/loop"), Path.of("."));
    Files.createSymbolicLink(tree.resolve("links/deep"), tree.resolve("deep"));
    file("locked/secret.mp3", 51);
    file("locked/inner/more.mp3", 52);
    Path locked = tree.resolve("locked");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    unreadableWorks = !Files.isReadable(locked);
    // Names that are not UTF-8 cannot be made from Java strings; the shell writes the raw bytes.
    shell("mkdir -p bytes && printf x > \"bytes/bad$(printf '\\377')name.mp3\" && "
        + "mkdir \"bytes/dir$(printf '\\376')\" && printf x > \"bytes/dir$(printf '\\376')/inside.mp3\" && "
        + "printf x > bytes/fine.mp3");
  }

  @AfterAll
  static void removeTree() throws IOException, InterruptedException {
    // @TempDir cannot delete paths past PATH_MAX or inside a locked folder; rm can.
    Files.setPosixFilePermissions(tree.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
    Process process = new ProcessBuilder("rm", "-rf", shared.toString()).inheritIO().start();
    assertEquals(0, process.waitFor());
  }

  static void file(String relative, int bytes) throws IOException {
    Path path = tree.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.write(path, new byte[bytes]);
    // A fixed mtime with nanoseconds, to check both walkers keep full precision.
    Files.setLastModifiedTime(path, FileTime.from(1_600_000_000_123_456_789L + bytes, TimeUnit.NANOSECONDS));
  }

  static void shell(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", "-c", script).directory(tree.toFile()).inheritIO().start();
    assertEquals(0, process.waitFor(), script);
  }

  static Walker walker(Backend backend) {
    if (backend == Backend.NATIVE) {
      NativeTestSupport.nativeWalker();
    }
    return Walkers.create(backend);
  }

  static Result walk(Backend backend, int threads, Path root, WalkOptions.Builder options) throws WalkException {
    Result result = new Result();
    walker(backend).walk(root, options.threads(threads).build(), result);
    return result;
  }

  /** Sorted, comparable lines: "path|size|mtime|kind" and "path|STATUS". */
  static final class Result implements WalkVisitor {
    final Set<String> entries = new TreeSet<>();
    final Set<String> errors = new TreeSet<>();
    final List<WalkEntry> raw = new ArrayList<>();
    final java.util.Map<String, WalkFolder> folders = new java.util.TreeMap<>();

    @Override
    public void entry(WalkEntry entry) {
      raw.add(entry);
      assertTrue(entries.add(entry.path() + "|" + entry.sizeBytes() + "|" + entry.mtimeNs() + "|" + entry.kind()),
          "reported twice: " + entry);
    }

    @Override
    public void error(WalkError error) {
      errors.add(error.path() + "|" + error.status());
    }

    @Override
    public void folder(WalkFolder folder) {
      assertTrue(folders.put(folder.path(), folder) == null, "folder reported twice: " + folder);
    }

    Set<String> paths() {
      Set<String> paths = new TreeSet<>();
      for (String entry : entries) {
        paths.add(entry.substring(0, entry.indexOf('|')));
      }
      return paths;
    }
  }

  static Set<String> defaultPaths() {
    Set<String> expected = new TreeSet<>(List.of(
        "Artist/Album (1999)/01 - One.mp3",
        "Artist/Album (1999)/02 - Two.FLAC",
        "Artist/Album (1999)/LOUD.MP3",
        "Artist/Album (1999)/mixed.FlAc",
        "unicode/" + NFC,
        "unicode/" + NFD,
        "unicode/" + LONG_NAME,
        "unicode/🎵 emoji \"quoted\" 'single'.ogg",
        "unicode/日本語/トラック.m4a",
        "deep/a/b/c/d/e/f/g/deepest.opus",
        "links/real.wav",
        "bytes/fine.mp3",
        "bytes/bad\uFFFDFFname.mp3", // Not UTF-8: walked, escaped (PathNames)
        "bytes/dir\uFFFDFE/inside.mp3"));
    for (int i = 0; i < CROWD; i++) {
      expected.add(String.format("crowd/%05d.mp3", i));
    }
    if (!unreadableWorks) {
      expected.add("locked/secret.mp3");
      expected.add("locked/inner/more.mp3");
    }
    return expected;
  }

  static Set<String> defaultErrors() {
    Set<String> expected = new TreeSet<>();
    if (unreadableWorks) {
      expected.add("locked|ACCESS_DENIED");
    }
    return expected;
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_trickyTreeWithDefaults(Backend backend, int threads) throws IOException {
    Result result = walk(backend, threads, tree, WalkOptions.builder());
    assertEquals(defaultPaths(), result.paths());
    assertEquals(defaultErrors(), result.errors);
    WalkEntry one = result.raw.stream().filter(e -> e.path().endsWith("01 - One.mp3")).findFirst().orElseThrow();
    var attributes = Files.readAttributes(tree.resolve(one.path()), "unix:dev,ino");
    assertEquals(11, one.sizeBytes());
    assertEquals(1_600_000_000_123_456_789L + 11, one.mtimeNs());
    assertEquals(attributes.get("dev"), one.device());
    assertEquals(attributes.get("ino"), one.inode());
    assertEquals(EntryKind.FILE, one.kind());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_sameRecordsAsNio(Backend backend, int threads) throws IOException {
    Result expected = walk(Backend.NIO, 1, tree, WalkOptions.builder().includeHidden(true).followSymlinks(true));
    Result actual = walk(backend, threads, tree, WalkOptions.builder().includeHidden(true).followSymlinks(true));
    assertEquals(expected.entries, actual.entries);
    assertEquals(expected.errors, actual.errors);
    Set<String> fingerprints = new TreeSet<>();
    Set<String> expectedFingerprints = new TreeSet<>();
    actual.raw.forEach(e -> fingerprints.add(e.path() + "|" + e.device() + "|" + e.inode()));
    expected.raw.forEach(e -> expectedFingerprints.add(e.path() + "|" + e.device() + "|" + e.inode()));
    assertEquals(expectedFingerprints, fingerprints);
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_reportsEveryFolderListed(Backend backend, int threads) throws IOException {
    assertEquals(java.util.Map.of(), walk(backend, threads, tree, WalkOptions.builder()).folders,
        "folders are reported only when asked for");
    Result result = walk(backend, threads, tree, WalkOptions.builder().reportFolders(true));
    assertEquals(defaultPaths(), result.paths(), "the files are the same with folders reported");
    assertEquals(defaultErrors(), result.errors);
    Set<String> expected = new TreeSet<>(List.of("", "Artist", "Artist/Album (1999)", "unicode", "unicode/日本語",
        "empty", "empty/also empty", "crowd", "links", "bytes", "bytes/dir\uFFFDFE", "deep")); // Not UTF-8: escaped
    String deep = "deep";
    for (String part : List.of("a", "b", "c", "d", "e", "f", "g")) {
      deep += "/" + part;
      expected.add(deep);
    }
    if (!unreadableWorks) {
      expected.add("locked");
      expected.add("locked/inner");
    }
    // Hidden folders are not listed, nor the locked one (its error stands instead); one whose name is
    // not UTF-8 is, under its escaped text.
    assertEquals(expected, result.folders.keySet());
    for (WalkFolder folder : result.folders.values()) {
      Path path = folder.path().isEmpty() ? tree : PathNames.path(tree + "/" + folder.path());
      var attributes = Files.readAttributes(path, "unix:dev,ino,lastModifiedTime");
      long entries;
      try (Stream<Path> listing = Files.list(path)) {
        entries = listing.count();
      }
      assertEquals(entries, folder.entries(), folder.path());
      assertEquals(((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), folder.mtimeNs(),
          folder.path());
      assertEquals(attributes.get("dev"), folder.device(), folder.path());
      assertEquals(attributes.get("ino"), folder.inode(), folder.path());
    }
    // Hidden names count: they are in the folder's listing, whether walked or not.
    assertEquals(11, result.folders.get("Artist/Album (1999)").entries());
    assertEquals(0, result.folders.get("empty/also empty").entries());
    assertEquals(CROWD, result.folders.get("crowd").entries());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_includeHidden(Backend backend, int threads) throws IOException {
    Result result = walk(backend, threads, tree, WalkOptions.builder().includeHidden(true));
    Set<String> expected = defaultPaths();
    expected.addAll(List.of(
        "Artist/Album (1999)/.hidden.mp3",
        "Artist/Album (1999)/._01 - One.mp3",
        "Artist/Album (1999)/.AppleDouble/01 - One.mp3",
        ".Trash-1000/files/gone.mp3"));
    assertEquals(expected, result.paths());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_followSymlinks(Backend backend, int threads) throws IOException {
    Result result = walk(backend, threads, tree.resolve("links"), WalkOptions.builder().followSymlinks(true));
    assertEquals(Set.of(
        "real.wav|41|" + (1_600_000_000_123_456_789L + 41) + "|FILE",
        "link.wav|41|" + (1_600_000_000_123_456_789L + 41) + "|SYMLINK_FILE",
        "deep/a/b/c/d/e/f/g/deepest.opus|31|" + (1_600_000_000_123_456_789L + 31) + "|FILE"),
        result.entries);
    assertEquals(Set.of("dangling.mp3|NOT_FOUND", "loop|SYMLINK_LOOP"), result.errors);
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_symlinksNotFollowedByDefault(Backend backend, int threads) throws IOException {
    Result result = walk(backend, threads, tree.resolve("links"), WalkOptions.builder());
    assertEquals(Set.of("real.wav"), result.paths());
    assertEquals(Set.of(), result.errors);
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_depthLimit(Backend backend, int threads) throws IOException {
    Path deep = tree.resolve("deep");
    assertEquals(Set.of(), walk(backend, threads, deep, WalkOptions.builder().depthMax(0)).paths());
    assertEquals(Set.of(), walk(backend, threads, deep, WalkOptions.builder().depthMax(7)).paths());
    assertEquals(Set.of("a/b/c/d/e/f/g/deepest.opus"),
        walk(backend, threads, deep, WalkOptions.builder().depthMax(8)).paths());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_everyRegularFileWithEmptyExtensions(Backend backend, int threads) throws IOException {
    Result result = walk(backend, threads, tree.resolve("Artist"), WalkOptions.builder().extensions(Set.of()));
    assertEquals(Set.of(
        "Album (1999)/01 - One.mp3", "Album (1999)/02 - Two.FLAC", "Album (1999)/cover.jpg",
        "Album (1999)/notes.nfo", "Album (1999)/LOUD.MP3", "Album (1999)/mixed.FlAc",
        "Album (1999)/noext", "Album (1999)/trailingdot."), result.paths());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_customExtensionsCaseInsensitive(Backend backend, int threads) throws IOException {
    Result result = walk(backend, threads, tree.resolve("Artist"), WalkOptions.builder().extensions(Set.of(".JPG", "nfo")));
    assertEquals(Set.of("Album (1999)/cover.jpg", "Album (1999)/notes.nfo"), result.paths());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_missingRoot(Backend backend, int threads) {
    walker(backend);
    WalkException e = assertThrows(WalkException.class,
        () -> walk(backend, threads, tree.resolve("no such folder"), WalkOptions.builder()));
    assertEquals(WalkStatus.NOT_FOUND, e.status());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_rootIsAFile(Backend backend, int threads) {
    walker(backend);
    WalkException e = assertThrows(WalkException.class,
        () -> walk(backend, threads, tree.resolve("links/real.wav"), WalkOptions.builder()));
    assertEquals(WalkStatus.NOT_DIRECTORY, e.status());
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_pathTooLong(Backend backend, int threads) throws IOException, InterruptedException {
    Path root = shared.resolve("long-" + backend + threads);
    Files.createDirectories(root);
    String name = "d".repeat(250);
    // 17 levels of 251 bytes: past 4096 bytes, made one relative step at a time.
    Process process = new ProcessBuilder("bash", "-c",
        "for i in $(seq 17); do mkdir " + name + " && cd " + name + " || exit 1; done; printf x > f.mp3")
        .directory(root.toFile()).inheritIO().start();
    assertEquals(0, process.waitFor());
    Result result = walk(backend, threads, root, WalkOptions.builder());
    assertEquals(Set.of(), result.paths());
    assertEquals(1, result.errors.size(), result.errors.toString());
    String error = result.errors.iterator().next();
    assertTrue(error.endsWith("|NAME_TOO_LONG"), error);
    String folder = error.substring(0, error.indexOf('|'));
    int rootBytes = root.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
    int folderBytes = folder.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(rootBytes + 1 + folderBytes < WalkOptions.PATH_BYTES_MAX, "the folder itself fits");
    assertTrue(rootBytes + 1 + folderBytes + 1 + 251 >= WalkOptions.PATH_BYTES_MAX, "its child does not");
  }

  @ParameterizedTest(name = "{0} threads={1}")
  @MethodSource("walkers")
  void walk_filesDeletedDuringTheWalk(Backend backend, int threads) throws IOException {
    Path root = shared.resolve("vanishing-" + backend + threads);
    Set<String> all = new TreeSet<>();
    for (int d = 0; d < 200; d++) {
      for (int f = 0; f < 20; f++) {
        String relative = String.format("d%03d/f%02d.mp3", d, f);
        Path path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[1]);
        all.add(relative);
      }
    }
    Set<String> deleted = new TreeSet<>();
    List<String> errors = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    walker(backend).walk(root, WalkOptions.builder().threads(threads).build(), new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        seen.add(entry.path());
        if (deleted.isEmpty()) {
          // Delete every other file of every folder while the walk is under way.
          for (String relative : all) {
            if (relative.hashCode() % 2 == 0) {
              try {
                Files.deleteIfExists(root.resolve(relative));
                deleted.add(relative);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            }
          }
        }
      }

      @Override
      public void error(WalkError error) {
        errors.add(error.path() + "|" + error.status());
      }
    });
    for (String relative : all) {
      if (!deleted.contains(relative)) {
        assertTrue(seen.contains(relative), "a file that stayed is reported: " + relative);
      }
    }
    assertTrue(all.containsAll(seen));
    for (String error : errors) {
      String path = error.substring(0, error.indexOf('|'));
      assertTrue(error.endsWith("|NOT_FOUND") && deleted.contains(path), "only deleted files vanish: " + error);
    }
  }

  @Test
  void options_rejectBadValues() {
    assertThrows(IllegalArgumentException.class, () -> WalkOptions.builder().threads(-1));
    assertThrows(IllegalArgumentException.class, () -> WalkOptions.builder().threads(65));
    assertThrows(IllegalArgumentException.class, () -> WalkOptions.builder().depthMax(-1));
    assertThrows(IllegalArgumentException.class, () -> WalkOptions.builder().extensions(Set.of("")));
    assertThrows(IllegalArgumentException.class, () -> WalkOptions.builder().extensions(Set.of("mp3/x")));
  }
}
