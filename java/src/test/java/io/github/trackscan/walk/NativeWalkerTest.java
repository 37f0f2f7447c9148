package io.github.trackscan.walk;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native walker's Java side: record decoding and option encoding (no library needed), loading,
 * and a walk that must equal the NIO walker's on a small tree. The full contract suite runs both
 * walkers elsewhere; this stays on what only the native side can get wrong.
 */
final class NativeWalkerTest {
  @TempDir Path dir;

  /** Collects everything a walk reports. */
  private static final class Collector implements WalkVisitor {
    final List<WalkEntry> entries = new ArrayList<>();
    final List<WalkError> errors = new ArrayList<>();

    @Override
    public void entry(WalkEntry entry) {
      entries.add(entry);
    }

    @Override
    public void error(WalkError error) {
      errors.add(error);
    }

    Collector sorted() {
      entries.sort(Comparator.comparing(WalkEntry::path));
      errors.sort(Comparator.comparing(WalkError::path).thenComparing(WalkError::status));
      return this;
    }
  }

  /** Writes one record as the library would, returning the offset after it. */
  private static long putRecord(MemorySegment buffer, long offset, int kind, int status, String path, long mtimeNs,
      long sizeBytes, long device, long inode) {
    byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
    int recordBytes = (NativeWalker.RECORD_HEADER_BYTES + utf8.length + 7) / 8 * 8;
    buffer.set(JAVA_INT, offset + NativeWalker.RECORD_BYTES_OFFSET, recordBytes);
    buffer.set(JAVA_SHORT, offset + NativeWalker.PATH_BYTES_OFFSET, (short) utf8.length);
    buffer.set(JAVA_BYTE, offset + NativeWalker.KIND_OFFSET, (byte) kind);
    buffer.set(JAVA_BYTE, offset + NativeWalker.STATUS_OFFSET, (byte) status);
    buffer.set(JAVA_LONG, offset + NativeWalker.MTIME_NS_OFFSET, mtimeNs);
    buffer.set(JAVA_LONG, offset + NativeWalker.SIZE_BYTES_OFFSET, sizeBytes);
    buffer.set(JAVA_LONG, offset + NativeWalker.DEVICE_OFFSET, device);
    buffer.set(JAVA_LONG, offset + NativeWalker.INODE_OFFSET, inode);
    MemorySegment.copy(utf8, 0, buffer, JAVA_BYTE, offset + NativeWalker.RECORD_HEADER_BYTES, utf8.length);
    return offset + recordBytes;
  }

  @Test
  void decode_fileSymlinkAndErrorRecords() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(4096, 8);
      String longName = "Ä".repeat(40) + "/日本語 🎵.flac";
      long end = putRecord(buffer, 0, 1, 0, "Artist/Album (1999)/01 - Song.mp3", -5L, 1234L, 66306L, 1L << 40);
      end = putRecord(buffer, end, 2, 0, longName, 1_700_000_000_123_456_789L, 0L, 0L, -1L);
      end = putRecord(buffer, end, 3, WalkStatus.ACCESS_DENIED.code(), "locked", 0, 0, 0, 0);
      end = putRecord(buffer, end, 3, WalkStatus.INVALID_NAME.code(), "bad\uFFFD.mp3", 0, 0, 0, 0);
      Collector seen = new Collector();
      NativeWalker.decode(buffer, (int) end, 4, seen);
      assertEquals(List.of(
          new WalkEntry("Artist/Album (1999)/01 - Song.mp3", -5L, 1234L, 66306L, 1L << 40, EntryKind.FILE),
          new WalkEntry(longName, 1_700_000_000_123_456_789L, 0L, 0L, -1L, EntryKind.SYMLINK_FILE)),
          seen.entries);
      assertEquals(List.of(new WalkError("locked", WalkStatus.ACCESS_DENIED),
          new WalkError("bad\uFFFDEF\uFFFDBF\uFFFDBD.mp3", WalkStatus.INVALID_NAME)), seen.errors,
          "a real U+FFFD is escaped byte by byte, so U+FFFD always starts an escape (PathNames)");
    }
  }

  @Test
  void decode_pathOfMaximumLength() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(NativeWalker.BUFFER_BYTES, 8);
      String path = "x".repeat(WalkOptions.PATH_BYTES_MAX);
      long end = putRecord(buffer, 0, 1, 0, path, 1, 2, 3, 4);
      assertEquals(io.github.trackscan.walk.ffi.TrackscanAbi.TS_RECORD_BYTES_MAX(), end);
      Collector seen = new Collector();
      NativeWalker.decode(buffer, (int) end, 1, seen);
      assertEquals(path, seen.entries.getFirst().path());
    }
  }

  @Test
  void decode_malformedBatch() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(4096, 8);
      long end = putRecord(buffer, 0, 1, 0, "a.mp3", 0, 0, 0, 0);
      Collector seen = new Collector();
      // More records claimed than bytes hold, bytes left over, bytes beyond the buffer.
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, (int) end, 2, seen));
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, (int) end + 48, 1, seen));
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, 8192, 1, seen));
      // record_bytes not a multiple of 8, or too small for its path.
      buffer.set(JAVA_INT, 0, 44);
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, 48, 1, seen));
      buffer.set(JAVA_INT, 0, 40);
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, 40, 1, seen));
      // An unknown kind, an unknown status.
      putRecord(buffer, 0, 9, 0, "a.mp3", 0, 0, 0, 0);
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, (int) end, 1, seen));
      putRecord(buffer, 0, 3, 200, "a.mp3", 0, 0, 0, 0);
      assertThrows(IllegalStateException.class, () -> NativeWalker.decode(buffer, (int) end, 1, seen));
    }
  }

  @Test
  void extensionList_sortedAndNulEnded() {
    WalkOptions options = WalkOptions.builder().extensions(Set.of("MP3", ".flac", "m4a")).build();
    assertEquals("flac\0m4a\0mp3\0", new String(NativeWalker.extensionList(options), StandardCharsets.US_ASCII));
  }

  @Test
  void extensionList_emptyMeansEveryFile() {
    WalkOptions options = WalkOptions.builder().extensions(Set.of()).build();
    assertEquals(0, NativeWalker.extensionList(options).length);
  }

  @Test
  void extensionList_overAbiLimit() {
    Set<String> many = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      many.add("ext" + "x".repeat(20) + i);
    }
    WalkOptions options = WalkOptions.builder().extensions(many).build();
    assertThrows(IllegalArgumentException.class, () -> NativeWalker.extensionList(options));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("supportedPlatforms")
  void platform_linuxByArchitecture(String osName, String osArch, String expected) {
    assertEquals(expected, NativeWalker.platform(osName, osArch));
  }

  static Stream<Arguments> supportedPlatforms() {
    return Stream.of(
        Arguments.of("Linux", "amd64", "linux-x86_64"),
        Arguments.of("Linux", "x86_64", "linux-x86_64"),
        Arguments.of("Linux", "aarch64", "linux-aarch64"),
        Arguments.of("Linux", "arm64", "linux-aarch64"),
        Arguments.of("LINUX", "AARCH64", "linux-aarch64"));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("unsupportedPlatforms")
  void platform_otherwiseAReason(String osName, String osArch) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NativeWalker.platform(osName, osArch));
    assertTrue(e.getMessage().contains(osName + " on " + osArch), e.getMessage());
    assertTrue(e.getMessage().contains("linux-x86_64 and linux-aarch64"), e.getMessage());
  }

  static Stream<Arguments> unsupportedPlatforms() {
    return Stream.of(
        Arguments.of("Mac OS X", "aarch64"),
        Arguments.of("Windows 11", "amd64"),
        Arguments.of("Linux", "arm"),
        Arguments.of("Linux", "riscv64"),
        Arguments.of("Linux", "x86"));
  }

  @Test
  void platform_everyOneHasAnArchitecture() {
    // A platform added to PLATFORMS (and zig-build.zig) must be reachable from some os.arch.
    for (String platform : NativeWalker.PLATFORMS) {
      String arch = platform.substring("linux-".length());
      assertEquals(platform, NativeWalker.platform("Linux", arch));
    }
  }

  @Test
  void load_unsupportedPlatformFallsBackToNio() throws Exception {
    // os.arch as a riscv64 JVM reports it; the child has native access, so only the platform is missing.
    String output = probe("--enable-native-access=ALL-UNNAMED", "-Dos.arch=riscv64");
    assertTrue(output.contains("no native walker for Linux on riscv64; it is built for linux-x86_64 and"
        + " linux-aarch64 only"), output);
    assertTrue(output.contains("AUTO walks with NIO"), output);
  }

  @Test
  void load_nativeIsUsedByAuto() {
    NativeWalker walker = NativeTestSupport.nativeWalker();
    assertSame(walker, Walkers.create(Backend.AUTO));
    assertEquals(Backend.NATIVE, walker.backend());
  }

  @Test
  void load_leavesNoCopyInTheTempFolder() throws IOException {
    NativeWalker walker = NativeTestSupport.nativeWalker();
    Path extracted = NativeWalker.extracted;
    assertTrue(extracted != null && extracted.getFileName().toString().startsWith("trackscan-"), "" + extracted);
    assertFalse(Files.exists(extracted), extracted + " is still there");
    Collector seen = new Collector(); // Still usable without its file: the mapping outlives the name.
    Files.writeString(dir.resolve("a.mp3"), "x");
    walker.walk(dir, WalkOptions.defaults(), seen);
    assertEquals(1, seen.entries.size(), "" + seen.entries);
  }

  @Test
  void load_withoutNativeAccessGivesAReason() throws Exception {
    NativeTestSupport.nativeWalker();
    String output = probe();
    assertTrue(output.contains("--enable-native-access=ALL-UNNAMED"), output);
    assertTrue(output.contains("AUTO walks with NIO"), output);
    assertFalse(output.contains("WARNING"), "refused before any restricted call: " + output);
  }

  /** Runs {@link NativeAccessProbe} in a child JVM with {@code jvmOptions}; returns its output. */
  private static String probe(String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeAccessProbe.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  /** A small library: audio in several cases, other files, hidden names, Unicode, nesting. */
  private Path smallTree() throws IOException {
    Path root = Files.createDirectory(dir.resolve("library"));
    String[] files = {
      "Artist/Album (2001)/01 - One.mp3",
      "Artist/Album (2001)/02 - Two.FLAC",
      "Artist/Album (2001)/cover.jpg",
      "Artist/Album (2001)/album.cue",
      "Artist/Album (2001)/._01 - One.mp3",
      "Artist/.hidden/03 - Hidden.mp3",
      "Björk/Début (1993)/01 - Human Behaviour.m4a",
      "Bjo\u0308rk/Post/01 - Army of Me.ogg",
      "坂本龍一/戦場のメリークリスマス/01 - 🎹 Merry Christmas.opus",
      "Quotes/\"It's\" (live)/01 - 'a' & b.wav",
      "Deep/a/b/c/d/e/f/g/h/track.aiff",
      "loose.mp3",
      "no-extension",
      "trailing-dot.",
      ".DS_Store",
      "empty/.keep",
    };
    long mtime = 1_600_000_000L;
    for (String file : files) {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, file);
      Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(mtime++, 123_456_789)));
    }
    Files.createDirectories(root.resolve("Empty Folder/Inside"));
    return root;
  }

  static Stream<Arguments> optionSets() {
    return Stream.of(
        Arguments.of("defaults", WalkOptions.defaults()),
        Arguments.of("one thread", WalkOptions.builder().threads(1).build()),
        Arguments.of("every file, hidden too", WalkOptions.builder().extensions(Set.of()).includeHidden(true).threads(3).build()),
        Arguments.of("depth 1", WalkOptions.builder().depthMax(1).build()),
        Arguments.of("depth 3", WalkOptions.builder().depthMax(3).extensions(Set.of("mp3", "flac")).build()),
        Arguments.of("depth 0", WalkOptions.builder().depthMax(0).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionSets")
  void walk_equalsNioWalker(String name, WalkOptions options) throws Exception {
    NativeWalker walker = NativeTestSupport.nativeWalker();
    Path root = smallTree();
    Collector nio = new Collector();
    Walkers.create(Backend.NIO).walk(root, options, nio);
    Collector ffm = new Collector();
    walker.walk(root, options, ffm);
    assertEquals(nio.sorted().entries, ffm.sorted().entries);
    assertEquals(nio.errors, ffm.errors);
    if (options.depthMax() > 3) {
      assertTrue(ffm.entries.size() >= 8, "the tree has audio files: " + ffm.entries);
    }
  }

  @Test
  void walk_relativeRootIsMadeAbsolute() throws Exception {
    NativeWalker walker = NativeTestSupport.nativeWalker();
    Path root = smallTree();
    Path relative = Path.of("").toAbsolutePath().relativize(root);
    Collector fromRelative = new Collector();
    walker.walk(relative, WalkOptions.defaults(), fromRelative);
    Collector fromAbsolute = new Collector();
    walker.walk(root, WalkOptions.defaults(), fromAbsolute);
    assertEquals(fromAbsolute.sorted().entries, fromRelative.sorted().entries);
  }
}
