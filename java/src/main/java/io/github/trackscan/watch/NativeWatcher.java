package io.github.trackscan.watch;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.trackscan.walk.PathNames;
import io.github.trackscan.walk.Walkers;
import io.github.trackscan.walk.ffi.TrackscanAbi;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * inotify through the native library (native/src/watch.zig): one inotify instance, a watch per
 * folder, events read in batches into an off-heap buffer and decoded here, as the walker's records
 * are. This object owns the native watch handle and the buffer: {@link #close} frees both.
 *
 * <p>inotify names folders by watch descriptor and follows a watched folder when it is renamed;
 * this keeps the descriptor's path. A folder renamed inside the library is reported gone at its
 * old path and appeared at its new one: the caller watches the new path again, which gives the
 * same descriptors their new paths. Watches still under the old path when the read ends belong to
 * a folder moved out of the library, and are removed.
 */
final class NativeWatcher implements FolderWatcher {
  /** 64 KiB: some 2,000 events a read, and the kernel queues 16,384 by default before overflowing. */
  static final int BUFFER_BYTES = 64 * 1024;
  private static final int HEADER_BYTES = 16;
  private static final int FOLDER_MASK = TrackscanAbi.TS_IN_MODIFY() | TrackscanAbi.TS_IN_ATTRIB()
      | TrackscanAbi.TS_IN_CLOSE_WRITE() | TrackscanAbi.TS_IN_MOVED_FROM() | TrackscanAbi.TS_IN_MOVED_TO()
      | TrackscanAbi.TS_IN_CREATE() | TrackscanAbi.TS_IN_DELETE() | TrackscanAbi.TS_IN_DELETE_SELF()
      | TrackscanAbi.TS_IN_MOVE_SELF() | TrackscanAbi.TS_IN_ONLYDIR() | TrackscanAbi.TS_IN_DONT_FOLLOW()
      | TrackscanAbi.TS_IN_EXCL_UNLINK();

  private final Set<Path> roots;
  private final Arena arena = Arena.ofShared();
  private final long handle;
  private final MemorySegment buffer;
  private final MemorySegment bytesOut;
  private final MemorySegment wdOut;
  private final byte[] batch = new byte[BUFFER_BYTES];
  private final Watched<Integer> watched = new Watched<>();
  private boolean closed;

  private NativeWatcher(Set<Path> roots, long handle) {
    this.roots = roots;
    this.handle = handle;
    this.buffer = arena.allocate(BUFFER_BYTES, 8);
    this.bytesOut = arena.allocate(JAVA_INT);
    this.wdOut = arena.allocate(JAVA_INT);
  }

  /**
   * Opens an inotify instance.
   *
   * @throws FolderWatcher.LimitReached at fs.inotify.max_user_instances
   * @throws IllegalStateException when the native library cannot load here (with the reason)
   */
  static NativeWatcher open(Set<Path> roots) throws LimitReached {
    Walkers.nativeUnavailableReason().ifPresent(reason -> {
      throw new IllegalStateException("the native library cannot load: " + reason);
    });
    try (Arena local = Arena.ofConfined()) {
      MemorySegment handleOut = local.allocate(JAVA_LONG);
      int status = TrackscanAbi.ts_watch_open(handleOut);
      if (status == TrackscanAbi.TS_WATCH_INSTANCE_LIMIT()) {
        throw new LimitReached("no inotify instance left (fs.inotify.max_user_instances is "
            + Limits.read("max_user_instances") + "; raise it with sysctl fs.inotify.max_user_instances=N)");
      }
      if (status != TrackscanAbi.TS_OK()) {
        throw new IllegalStateException("ts_watch_open failed: status " + status);
      }
      return new NativeWatcher(roots, handleOut.get(JAVA_LONG, 0));
    }
  }

  @Override
  public synchronized void add(Path folder) throws LimitReached, IOException {
    if (closed) {
      throw new IOException("the watch is closed");
    }
    byte[] path = PathNames.bytes(PathNames.text(folder)); // Exact bytes, for a folder name that is not UTF-8 too
    int status;
    try (Arena local = Arena.ofConfined()) {
      status = TrackscanAbi.ts_watch_add(handle, local.allocateFrom(JAVA_BYTE, path), path.length, FOLDER_MASK, wdOut);
    }
    if (status == TrackscanAbi.TS_WATCH_LIMIT()) {
      throw new LimitReached("the inotify watch limit is reached (fs.inotify.max_user_watches is "
          + Limits.read("max_user_watches") + "; raise it with sysctl fs.inotify.max_user_watches=N)");
    }
    if (status != TrackscanAbi.TS_OK()) {
      throw new IOException("cannot watch " + folder + ": status " + status);
    }
    watched.put(wdOut.get(JAVA_INT, 0), folder);
  }

  @Override
  public synchronized boolean watches(Path folder) {
    return watched.contains(folder);
  }

  @Override
  public synchronized void removeBelow(Path folder) {
    for (int wd : watched.removeBelow(folder)) {
      if (!closed) {
        TrackscanAbi.ts_watch_remove(handle, wd); // TS_NOT_FOUND: the kernel dropped it already.
      }
    }
  }

  @Override
  public synchronized int size() {
    return watched.size();
  }

  @Override
  public void read(long timeoutMs, FolderEvents events) throws IOException {
    int status = TrackscanAbi.ts_watch_read(handle, buffer, BUFFER_BYTES, (int) Math.min(Integer.MAX_VALUE, timeoutMs),
        bytesOut);
    if (status != TrackscanAbi.TS_OK()) {
      throw new IOException("ts_watch_read failed: status " + status);
    }
    int bytes = bytesOut.get(JAVA_INT, 0);
    if (bytes == 0) {
      return;
    }
    MemorySegment.copy(buffer, JAVA_BYTE, 0, batch, 0, bytes);
    decode(batch, bytes, events);
  }

  /** Decodes {@code bytes} of struct inotify_event records. */
  void decode(byte[] records, int bytes, FolderEvents events) {
    List<Path> movedOut = new ArrayList<>();
    int at = 0;
    while (at + HEADER_BYTES <= bytes) {
      int wd = intAt(records, at);
      int mask = intAt(records, at + 4);
      int nameBytes = intAt(records, at + 12);
      if (nameBytes < 0 || at + HEADER_BYTES + nameBytes > bytes) {
        throw new IllegalStateException("malformed inotify record at " + at + " of " + bytes);
      }
      String name = name(records, at + HEADER_BYTES, nameBytes);
      at += HEADER_BYTES + nameBytes;
      if ((mask & TrackscanAbi.TS_IN_Q_OVERFLOW()) != 0) {
        events.overflow();
        continue;
      }
      Path folder;
      synchronized (this) {
        folder = watched.folder(wd);
        if ((mask & TrackscanAbi.TS_IN_IGNORED()) != 0) {
          watched.forget(wd);
        }
      }
      if (folder == null) {
        continue; // A watch removed since: its last events still come.
      }
      if (name.isEmpty()) {
        self(folder, mask, events);
        continue;
      }
      if ((mask & TrackscanAbi.TS_IN_ISDIR()) != 0) {
        Path child = PathNames.resolve(folder, name);
        if ((mask & (TrackscanAbi.TS_IN_CREATE() | TrackscanAbi.TS_IN_MOVED_TO() | TrackscanAbi.TS_IN_ATTRIB())) != 0) {
          events.folderAppeared(child);
        } else if ((mask & (TrackscanAbi.TS_IN_DELETE() | TrackscanAbi.TS_IN_MOVED_FROM())) != 0) {
          events.folderGone(child);
          if ((mask & TrackscanAbi.TS_IN_MOVED_FROM()) != 0) {
            movedOut.add(child);
          }
        }
        continue;
      }
      boolean closed = (mask & TrackscanAbi.TS_IN_CLOSE_WRITE()) != 0;
      boolean writing = !closed && (mask & (TrackscanAbi.TS_IN_CREATE() | TrackscanAbi.TS_IN_MODIFY())) != 0;
      events.file(folder, name, writing, closed);
    }
    // A folder renamed inside the library was watched again at its new path by now (its watches
    // moved there); what is still under an old path went out of the library.
    for (Path old : movedOut) {
      removeBelow(old);
    }
  }

  /** An event about a watched folder itself. */
  private void self(Path folder, int mask, FolderEvents events) {
    boolean gone = (mask & (TrackscanAbi.TS_IN_DELETE_SELF() | TrackscanAbi.TS_IN_MOVE_SELF()
        | TrackscanAbi.TS_IN_UNMOUNT())) != 0;
    if (gone && roots.contains(folder)) {
      events.rootGone(folder);
    } else if ((mask & TrackscanAbi.TS_IN_UNMOUNT()) != 0) {
      events.folderGone(folder); // A file system mounted inside a root went away.
    }
    // Otherwise its parent reports it (IN_DELETE, IN_MOVED_FROM or IN_ATTRIB with IN_ISDIR).
  }

  private static String name(byte[] records, int at, int bytes) {
    int end = at;
    while (end < at + bytes && records[end] != 0) {
      end++;
    }
    return PathNames.decode(records, at, end - at); // Escaped if not UTF-8, as the walkers' names
  }

  private static int intAt(byte[] b, int at) {
    // The kernel writes in the machine's order: little-endian on every platform the jar carries.
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  @Override
  public void wake() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    TrackscanAbi.ts_watch_wake(handle);
  }

  @Override
  public String kind() {
    return "inotify";
  }

  /** Closes the native watch (waiting for a read in progress to leave), then frees the buffer. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    TrackscanAbi.ts_watch_close(handle);
    arena.close();
  }
}
