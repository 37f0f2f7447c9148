package io.github.trackscan.watch;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The operating system's change notification for a set of folders: one watch per folder (not
 * recursive, as inotify is). Implementations: {@link NativeWatcher} (inotify through the native
 * library) and {@link JdkWatcher} (Java's WatchService). One thread reads ({@link #read}); any
 * thread may {@link #wake} it. The watcher keeps which folder each watch is for and follows
 * renames of watched folders.
 */
interface FolderWatcher extends AutoCloseable {
  /** Why a folder could not be watched because a system limit was reached. */
  final class LimitReached extends Exception {
    LimitReached(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Watches {@code folder} (already watched: nothing changes).
   *
   * @throws LimitReached when the system's watch limit is reached (the caller polls instead)
   * @throws IOException when the folder cannot be watched (gone, unreadable)
   */
  void add(Path folder) throws LimitReached, IOException;

  /** Whether {@link #add} gains from being called on several threads at once. */
  default boolean addsInParallel() {
    return false;
  }

  /** Whether {@code folder} is watched. */
  boolean watches(Path folder);

  /** Stops watching {@code folder} and every folder below it. */
  void removeBelow(Path folder);

  /** Folders watched now. */
  int size();

  /**
   * Waits up to {@code timeoutMs} for events and reports them to {@code events}; returns early
   * after {@link #wake}.
   */
  void read(long timeoutMs, FolderEvents events) throws IOException;

  /**
   * Makes a {@link #read} in progress (or the next) return at once; the watch calls it as it ends
   * (and a watcher may then refuse further reads).
   */
  void wake();

  /** What this watcher is, for messages: "inotify" or "WatchService". */
  String kind();

  @Override
  void close();
}
