package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.walk.ffi.TrackscanAbi;
import io.github.trackscan.walk.ffi.ts_walk_options;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native ABI's argument checks that {@link NativeWalkerBoundaryTest} leaves out: null pointers,
 * options out of range, an unaligned buffer, a root with a NUL or of zero bytes, and roots exactly
 * at and one byte past the path limit. Each must come back as a status; none may bring the JVM
 * down. Also that the library under test was built in ReleaseSafe (safety checks on) where CI runs.
 */
final class NativeWalkerArgumentsTest {
  @TempDir Path dir;

  @BeforeEach
  void loadNative() {
    NativeTestSupport.nativeWalker();
  }

  @Test
  void library_isReleaseSafeWhereNativeIsRequired() throws IOException {
    String mode;
    try (InputStream in = NativeWalker.class.getResourceAsStream(
        "/native/" + NativeWalker.platform(System.getProperty("os.name"), System.getProperty("os.arch"))
            + "/libtrackscan.optimize")) {
      mode = in == null ? "(no libtrackscan.optimize)" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    }
    String required = System.getenv(NativeTestSupport.REQUIRE_NATIVE);
    if (required == null || required.isEmpty()) {
      Assumptions.assumeTrue("ReleaseSafe".equals(mode), "the native library was built in " + mode
          + "; ReleaseSafe is required only where " + NativeTestSupport.REQUIRE_NATIVE + " is set (./dev test, CI)");
    }
    assertEquals("ReleaseSafe", mode, "native tests run with Zig's safety checks (./dev test passes -Dzig.optimize=ReleaseSafe)");
  }

  private static int open(Arena arena, MemorySegment root, int rootBytes, MemorySegment options, MemorySegment out) {
    return TrackscanAbi.ts_walk_open(root, rootBytes, options, out);
  }

  private static MemorySegment options(Arena arena, int threads, int flags, int extensionsBytes, MemorySegment extensions) {
    MemorySegment options = ts_walk_options.allocate(arena);
    ts_walk_options.threads(options, threads);
    ts_walk_options.depth_max(options, Integer.MAX_VALUE);
    ts_walk_options.flags(options, flags);
    ts_walk_options.extensions_bytes(options, extensionsBytes);
    ts_walk_options.extensions(options, extensions);
    return options;
  }

  @Test
  void open_badArgumentsAreInvalidArgument() {
    int invalid = TrackscanAbi.TS_INVALID_ARGUMENT();
    try (Arena arena = Arena.ofConfined()) {
      byte[] rootBytes = dir.toString().getBytes(StandardCharsets.UTF_8);
      MemorySegment root = arena.allocateFrom(ValueLayout.JAVA_BYTE, rootBytes);
      MemorySegment good = options(arena, 1, 0, 0, MemorySegment.NULL);
      MemorySegment handle = arena.allocate(ValueLayout.JAVA_LONG);
      MemorySegment mp3 = arena.allocateFrom(ValueLayout.JAVA_BYTE, "mp3".getBytes(StandardCharsets.US_ASCII));
      MemorySegment big = arena.allocate(TrackscanAbi.TS_EXTENSIONS_BYTES_MAX() + 8);
      List<String> cases = new ArrayList<>();
      record Case(String name, int status) {}
      for (Case c : List.of(
          new Case("null root", open(arena, MemorySegment.NULL, rootBytes.length, good, handle)),
          new Case("zero-byte root", open(arena, root, 0, good, handle)),
          new Case("null options", open(arena, root, rootBytes.length, MemorySegment.NULL, handle)),
          new Case("null handle out", open(arena, root, rootBytes.length, good, MemorySegment.NULL)),
          new Case("root with a NUL", open(arena, arena.allocateFrom(ValueLayout.JAVA_BYTE, (dir + "\0x").getBytes(StandardCharsets.UTF_8)),
              dir.toString().length() + 2, good, handle)),
          new Case("threads over max", open(arena, root, rootBytes.length, options(arena, TrackscanAbi.TS_THREADS_MAX() + 1, 0, 0, MemorySegment.NULL), handle)),
          new Case("threads -1", open(arena, root, rootBytes.length, options(arena, -1, 0, 0, MemorySegment.NULL), handle)),
          new Case("unknown flag", open(arena, root, rootBytes.length, options(arena, 1, 1 << 7, 0, MemorySegment.NULL), handle)),
          new Case("extensions over max", open(arena, root, rootBytes.length, options(arena, 1, 0, TrackscanAbi.TS_EXTENSIONS_BYTES_MAX() + 1, big), handle)),
          new Case("extensions null", open(arena, root, rootBytes.length, options(arena, 1, 0, 4, MemorySegment.NULL), handle)),
          new Case("extension without NUL", open(arena, root, rootBytes.length, options(arena, 1, 0, 3, mp3), handle)))) {
        cases.add(c.name() + "=" + c.status());
        assertEquals(invalid, c.status(), c.name());
      }
      // Still alive and still working after all of that.
      assertEquals(TrackscanAbi.TS_OK(), open(arena, root, rootBytes.length, good, handle), String.join(", ", cases));
      assertEquals(TrackscanAbi.TS_OK(), NativeWalker.closeRaw(handle.get(ValueLayout.JAVA_LONG, 0)));
    }
  }

  @Test
  void next_nullOrUnalignedBufferIsInvalidArgument() throws Exception {
    try (NativeWalker.Walk walk = NativeWalker.Walk.open(dir, WalkOptions.defaults());
        Arena arena = Arena.ofConfined()) {
      int bytes = TrackscanAbi.TS_RECORD_BYTES_MAX();
      MemorySegment buffer = arena.allocate(bytes + 16, 8);
      MemorySegment counts = arena.allocate(ValueLayout.JAVA_INT, 2);
      MemorySegment records = counts.asSlice(Integer.BYTES);
      assertEquals(TrackscanAbi.TS_INVALID_ARGUMENT(), TrackscanAbi.ts_walk_next(walk.handle(), MemorySegment.NULL, bytes, counts, records));
      assertEquals(TrackscanAbi.TS_INVALID_ARGUMENT(), TrackscanAbi.ts_walk_next(walk.handle(), buffer.asSlice(1), bytes, counts, records));
      assertEquals(TrackscanAbi.TS_INVALID_ARGUMENT(), TrackscanAbi.ts_walk_next(walk.handle(), buffer, bytes, MemorySegment.NULL, records));
      assertEquals(TrackscanAbi.TS_INVALID_ARGUMENT(), TrackscanAbi.ts_walk_next(walk.handle(), buffer, bytes, counts, MemorySegment.NULL));
      assertEquals(TrackscanAbi.TS_DONE(), TrackscanAbi.ts_walk_next(walk.handle(), buffer, bytes, counts, records), "an empty folder, still walkable");
    }
  }

  /** Makes a folder whose absolute path is exactly {@code bytes} bytes, one relative step at a time, with a.mp3 in it. */
  private Path folderOfLength(int bytes) throws Exception {
    Path base = dir.toAbsolutePath();
    List<String> names = new ArrayList<>();
    int length = base.toString().length();
    while (length < bytes) {
      int left = bytes - length - 1; // '/' + name
      int name = left > 250 ? Math.min(200, left - 2) : left;
      names.add("n".repeat(name));
      length += 1 + name;
    }
    StringBuilder script = new StringBuilder("set -e; ");
    for (String name : names) {
      script.append("mkdir -p ").append(name).append("; cd ").append(name).append("; ");
    }
    script.append("printf x > a.mp3 || true");
    Process process = new ProcessBuilder("bash", "-c", script.toString()).directory(base.toFile()).inheritIO().start();
    assertEquals(0, process.waitFor());
    return Path.of(base + "/" + String.join("/", names));
  }

  @Test
  void walk_rootAtThePathLimit() throws Exception {
    Assumptions.assumeTrue(dir.toAbsolutePath().toString().length() < 200, "a short temporary folder");
    try {
      rootAtThePathLimit();
    } finally {
      // @TempDir cannot delete paths this long; rm works down them relative to each folder.
      new ProcessBuilder("rm", "-rf", "--", dir.resolve("n".repeat(200)).toString()).inheritIO().start().waitFor();
    }
  }

  private void rootAtThePathLimit() throws Exception {
    NativeWalker walker = NativeTestSupport.nativeWalker();
    int max = WalkOptions.PATH_BYTES_MAX;
    for (int bytes : new int[] {max - 8, max - 1}) {
      Path root = folderOfLength(bytes);
      assertEquals(bytes, root.toString().getBytes(StandardCharsets.UTF_8).length);
      List<String> seen = new ArrayList<>();
      try {
        walker.walk(root, WalkOptions.defaults(), new WalkVisitor() {
          @Override
          public void entry(WalkEntry entry) {
            seen.add("entry " + entry.path());
          }

          @Override
          public void error(WalkError error) {
            seen.add(error.status() + " " + error.path());
          }
        });
      } catch (WalkException e) {
        seen.add("root " + e.status());
      }
      assertEquals(1, seen.size(), bytes + " bytes: " + seen);
      if (bytes + "/a.mp3".length() < max) {
        assertEquals("entry a.mp3", seen.getFirst(), bytes + " bytes: the file's path still fits");
      } else {
        // root + "/a.mp3" is past the limit: reported, never walked, never a crash.
        assertTrue(seen.getFirst().startsWith("NAME_TOO_LONG"), bytes + " bytes: " + seen);
      }
    }
    Path over = Path.of(folderOfLength(max - 1) + "/x");
    WalkException e = assertThrows(WalkException.class, () -> walker.walk(over, WalkOptions.defaults(), new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {}

      @Override
      public void error(WalkError error) {}
    }));
    assertEquals(WalkStatus.NAME_TOO_LONG, e.status(), "a root of exactly " + max + " bytes");
    Files.exists(over);
  }
}
