package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.walk.ffi.TrackscanAbi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native ABI at its edges: bad handles, small buffers, bad roots, walks abandoned half-way.
 * Each must come back as a status or an exception; none may bring the JVM down.
 */
final class NativeWalkerBoundaryTest {
  // 3,000 records of ~100 bytes: more than one 256 KiB batch.
  private static final int FILES_PER_FOLDER = 100;
  private static final int FOLDERS = 30;

  @TempDir Path dir;
  /** The big tree, made once for the class on first use (creating files is the slow part). */
  @TempDir static Path shared;
  private static Path bigRoot;
  private NativeWalker walker;

  @BeforeEach
  void loadNative() {
    walker = NativeTestSupport.nativeWalker();
  }

  private static WalkOptions options(int threads) {
    return WalkOptions.builder().threads(threads).build();
  }

  /** FOLDERS x FILES_PER_FOLDER empty .mp3 files: several batches of records. */
  private static synchronized Path bigTree() throws IOException {
    if (bigRoot != null) {
      return bigRoot;
    }
    Path root = Files.createDirectory(shared.resolve("big"));
    for (int f = 0; f < FOLDERS; f++) {
      Path folder = Files.createDirectory(root.resolve("Album " + f));
      for (int i = 0; i < FILES_PER_FOLDER; i++) {
        Files.createFile(folder.resolve(String.format("%02d - a rather long track title number %d.mp3", i, i)));
      }
    }
    bigRoot = root;
    return root;
  }

  private static final WalkVisitor IGNORE = new WalkVisitor() {
    @Override
    public void entry(WalkEntry entry) {}

    @Override
    public void error(WalkError error) {}
  };

  @Test
  void next_closedHandle() throws Exception {
    long handle;
    try (NativeWalker.Walk walk = NativeWalker.Walk.open(dir, options(1))) {
      handle = walk.handle();
      assertTrue(handle != 0);
    }
    int bufferBytes = TrackscanAbi.TS_RECORD_BYTES_MAX();
    assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.nextRaw(handle, bufferBytes));
    assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.closeRaw(handle));
  }

  @Test
  void next_closedWalkObject() throws Exception {
    NativeWalker.Walk walk = NativeWalker.Walk.open(dir, options(1));
    walk.close();
    walk.close(); // idempotent: the handle is closed once
    assertThrows(IllegalStateException.class, () -> walk.next(IGNORE));
  }

  @Test
  void nextAndClose_zeroOrRandomHandle() {
    int bufferBytes = TrackscanAbi.TS_RECORD_BYTES_MAX();
    assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.nextRaw(0, bufferBytes));
    assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.closeRaw(0));
    SplittableRandom random = new SplittableRandom(20250101);
    for (int i = 0; i < 1000; i++) {
      long handle = random.nextLong();
      assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.nextRaw(handle, bufferBytes), "next " + handle);
      assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.closeRaw(handle), "close " + handle);
    }
    for (long handle : new long[] {1, 2, 63, 64, 65, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL}) {
      assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.nextRaw(handle, bufferBytes), "next " + handle);
      assertEquals(TrackscanAbi.TS_INVALID_HANDLE(), NativeWalker.closeRaw(handle), "close " + handle);
    }
  }

  @Test
  void next_bufferSmallerThanRecordMax() throws Exception {
    Files.createFile(dir.resolve("a.mp3"));
    try (NativeWalker.Walk walk = NativeWalker.Walk.open(dir, options(1))) {
      int recordMax = TrackscanAbi.TS_RECORD_BYTES_MAX();
      for (int bufferBytes : new int[] {0, 8, NativeWalker.RECORD_HEADER_BYTES, recordMax - 8, recordMax - 1}) {
        assertEquals(TrackscanAbi.TS_BUFFER_TOO_SMALL(), NativeWalker.nextRaw(walk.handle(), bufferBytes),
            "buffer of " + bufferBytes + " bytes");
      }
      // A refused call loses nothing: the walk still delivers its one record.
      List<WalkEntry> entries = new ArrayList<>();
      while (walk.next(collect(entries)) >= 0) {}
      assertEquals(List.of("a.mp3"), entries.stream().map(WalkEntry::path).toList());
    }
  }

  @Test
  void walk_rootIsFile() throws Exception {
    Path file = Files.createFile(dir.resolve("song.mp3"));
    WalkException e = assertThrows(WalkException.class, () -> walker.walk(file, WalkOptions.defaults(), IGNORE));
    assertEquals(WalkStatus.NOT_DIRECTORY, e.status());
    assertEquals(file.toAbsolutePath(), e.path());
  }

  @Test
  void walk_rootMissing() {
    Path missing = dir.resolve("nowhere");
    WalkException e = assertThrows(WalkException.class, () -> walker.walk(missing, WalkOptions.defaults(), IGNORE));
    assertEquals(WalkStatus.NOT_FOUND, e.status());
    assertEquals(missing, e.path());
  }

  @Test
  void walk_rootPathOf4096BytesOrMore() {
    StringBuilder name = new StringBuilder(dir.toString());
    while (name.length() < 4200) {
      name.append("/abcdefgh");
    }
    Path longRoot = Path.of(name.toString());
    WalkException e = assertThrows(WalkException.class, () -> walker.walk(longRoot, WalkOptions.defaults(), IGNORE));
    assertEquals(WalkStatus.NAME_TOO_LONG, e.status());
  }

  @Test
  void close_inTheMiddleOfABigWalk() throws Exception {
    Path root = bigTree();
    for (int threads : new int[] {1, 2, 8}) {
      try (NativeWalker.Walk walk = NativeWalker.Walk.open(root, options(threads))) {
        assertTrue(walk.next(IGNORE) > 0, "a first batch");
      }
    }
    // Closing straight after opening, while workers are starting.
    for (int i = 0; i < 20; i++) {
      NativeWalker.Walk.open(root, options(4)).close();
    }
    assertEquals(FOLDERS * FILES_PER_FOLDER, count(root, options(2)), "a full walk after the abandoned ones");
  }

  @Test
  void walk_visitorThrowsMidWalk() throws Exception {
    Path root = bigTree();
    RuntimeException stop = new RuntimeException("stop");
    // More walks than TS_WALKS_MAX: each abandoned walk must give its handle back.
    for (int i = 0; i < TrackscanAbi.TS_WALKS_MAX() + 6; i++) {
      AtomicInteger seen = new AtomicInteger();
      RuntimeException thrown = assertThrows(RuntimeException.class, () -> walker.walk(root, options(2), new WalkVisitor() {
        @Override
        public void entry(WalkEntry entry) {
          if (seen.incrementAndGet() == 10) {
            throw stop;
          }
        }

        @Override
        public void error(WalkError error) {}
      }));
      assertSame(stop, thrown);
      assertEquals(0, thrown.getSuppressed().length, "ts_walk_close succeeded");
    }
    assertEquals(FOLDERS * FILES_PER_FOLDER, count(root, options(2)));
  }

  @Test
  void open_moreThanWalksMax() throws Exception {
    List<NativeWalker.Walk> open = new ArrayList<>();
    try {
      for (int i = 0; i < TrackscanAbi.TS_WALKS_MAX(); i++) {
        open.add(NativeWalker.Walk.open(dir, options(1)));
      }
      WalkException e = assertThrows(WalkException.class, () -> NativeWalker.Walk.open(dir, options(1)));
      assertEquals(WalkStatus.TOO_MANY_WALKS, e.status());
    } finally {
      for (NativeWalker.Walk walk : open) {
        walk.close();
      }
    }
    try (NativeWalker.Walk walk = NativeWalker.Walk.open(dir, options(1))) {
      assertEquals(-1, walk.next(IGNORE), "an empty folder is done at once");
    }
  }

  private int count(Path root, WalkOptions options) throws WalkException {
    List<WalkEntry> entries = new ArrayList<>();
    walker.walk(root, options, collect(entries));
    return entries.size();
  }

  private static WalkVisitor collect(List<WalkEntry> entries) {
    return new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        entries.add(entry);
      }

      @Override
      public void error(WalkError error) {
        throw new AssertionError("unexpected " + error.message());
      }
    };
  }
}
