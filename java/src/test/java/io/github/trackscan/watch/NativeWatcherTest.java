package io.github.trackscan.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.trackscan.walk.Walkers;
import io.github.trackscan.walk.ffi.TrackscanAbi;
import io.github.trackscan.walk.ffi.ts_watch_event;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inotify records as the kernel writes them, decoded; and the native watch itself. */
final class NativeWatcherTest {
  @TempDir Path dir;
  private final List<String> heard = new ArrayList<>();
  private final FolderEvents events = new FolderEvents() {
    @Override
    public void file(Path folder, String name, boolean writing, boolean closed) {
      heard.add("file " + folder.resolve(name) + (writing ? " writing" : "") + (closed ? " closed" : ""));
    }

    @Override
    public void folderAppeared(Path folder) {
      heard.add("appeared " + folder);
    }

    @Override
    public void folderGone(Path folder) {
      heard.add("gone " + folder);
    }

    @Override
    public void overflow() {
      heard.add("overflow");
    }

    @Override
    public void rootGone(Path root) {
      heard.add("root gone " + root);
    }

    @Override
    public void unwatched(Path folder, String reason) {
      heard.add("unwatched " + folder);
    }
  };

  @BeforeEach
  void nativeLibrary() {
    assumeTrue(Walkers.nativeUnavailableReason().isEmpty(), "no native library in this build");
  }

  /** One struct inotify_event: 16 bytes of header, then the name NUL-padded to a multiple of 16. */
  private static void event(ByteArrayOutputStream out, int wd, int mask, int cookie, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    int padded = name.isEmpty() ? 0 : (bytes.length / 16 + 1) * 16;
    ByteBuffer b = ByteBuffer.allocate(16 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(wd).putInt(mask).putInt(cookie).putInt(padded).put(bytes);
    out.writeBytes(b.array());
  }

  @Test
  void theHeaderIsTheKernels() {
    assertEquals(16, ts_watch_event.layout().byteSize());
    assertEquals(12, ts_watch_event.name_bytes$offset());
    assertTrue(NativeWatcher.BUFFER_BYTES >= TrackscanAbi.TS_WATCH_BUFFER_BYTES_MIN());
  }

  @Test
  void records_decodeToFoldersAndFiles() throws Exception {
    Path root = Files.createDirectories(dir.resolve("music"));
    Path album = Files.createDirectories(root.resolve("album"));
    try (NativeWatcher watcher = NativeWatcher.open(Set.of(root))) {
      watcher.add(root);
      watcher.add(album);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // wd 1 is the root, wd 2 the album (the first two watches of a new instance).
      event(out, 2, TrackscanAbi.TS_IN_CREATE(), 0, "1.mp3");
      event(out, 2, TrackscanAbi.TS_IN_CLOSE_WRITE(), 0, "1.mp3");
      event(out, 1, TrackscanAbi.TS_IN_CREATE() | TrackscanAbi.TS_IN_ISDIR(), 0, "new album");
      event(out, 2, TrackscanAbi.TS_IN_DELETE(), 0, "a name of exactly sixteen");
      event(out, -1, TrackscanAbi.TS_IN_Q_OVERFLOW(), 0, "");
      event(out, 9, TrackscanAbi.TS_IN_CREATE(), 0, "from a removed watch");
      event(out, 1, TrackscanAbi.TS_IN_MOVE_SELF(), 0, "");
      byte[] bytes = out.toByteArray();
      watcher.decode(bytes, bytes.length, events);
      assertEquals(List.of("file " + album.resolve("1.mp3") + " writing", "file " + album.resolve("1.mp3") + " closed",
          "appeared " + root.resolve("new album"), "file " + album.resolve("a name of exactly sixteen"), "overflow",
          "root gone " + root), heard);
    }
  }

  @Test
  void aFolderMovedOut_losesItsWatches_oneRenamedInside_keepsThem() throws Exception {
    Path root = Files.createDirectories(dir.resolve("music"));
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    try (NativeWatcher watcher = NativeWatcher.open(Set.of(root))) {
      watcher.add(root);
      watcher.add(a);
      watcher.add(b);
      Files.move(b, root.resolve("b2"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      event(out, 1, TrackscanAbi.TS_IN_MOVED_FROM() | TrackscanAbi.TS_IN_ISDIR(), 7, "a");
      event(out, 1, TrackscanAbi.TS_IN_MOVED_FROM() | TrackscanAbi.TS_IN_ISDIR(), 8, "b");
      event(out, 1, TrackscanAbi.TS_IN_MOVED_TO() | TrackscanAbi.TS_IN_ISDIR(), 8, "b2");
      byte[] bytes = out.toByteArray();
      FolderEvents rewatching = new FolderEvents() {
        @Override
        public void file(Path folder, String name, boolean writing, boolean closed) {}

        @Override
        public void folderAppeared(Path folder) {
          try {
            watcher.add(folder); // As the watch does: the moved folder's watch gets its new path.
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }

        @Override
        public void folderGone(Path folder) {}

        @Override
        public void overflow() {}

        @Override
        public void rootGone(Path root) {}

        @Override
        public void unwatched(Path folder, String reason) {}
      };
      watcher.decode(bytes, bytes.length, rewatching);
      assertTrue(!watcher.watches(a), "moved out: no longer watched");
      assertTrue(!watcher.watches(b) && watcher.watches(root.resolve("b2")), "renamed: watched at its new path");
      assertEquals(2, watcher.size());
    }
  }

  @Test
  void aTruncatedRecord_isABug_notAnEvent() throws Exception {
    Path root = Files.createDirectories(dir.resolve("music"));
    try (NativeWatcher watcher = NativeWatcher.open(Set.of(root))) {
      watcher.add(root);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      event(out, 1, TrackscanAbi.TS_IN_CREATE(), 0, "1.mp3");
      byte[] bytes = out.toByteArray();
      assertThrows(IllegalStateException.class, () -> watcher.decode(bytes, bytes.length - 4, events));
    }
  }

  @Test
  void aRealEvent_comesThroughTheNativeRead() throws Exception {
    Path root = Files.createDirectories(dir.resolve("music"));
    try (NativeWatcher watcher = NativeWatcher.open(Set.of(root))) {
      watcher.add(root);
      Files.writeString(root.resolve("1.mp3"), "x");
      for (int i = 0; i < 100 && heard.stream().noneMatch(h -> h.endsWith("closed")); i++) {
        watcher.read(100, events);
      }
      assertTrue(heard.contains("file " + root.resolve("1.mp3") + " closed"), heard.toString());
    }
  }
}
