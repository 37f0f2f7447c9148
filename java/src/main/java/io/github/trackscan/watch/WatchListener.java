package io.github.trackscan.watch;

import io.github.trackscan.scan.ScanListener;
import java.nio.file.Path;

/**
 * Told what a watch does, on the watch's thread: everything a {@link ScanListener} is told, for the
 * first scan and for every batch (each change after its commit), and besides that each batch as
 * it ends and each root's mode as it changes. Implementations must return quickly.
 */
public interface WatchListener extends ScanListener {
  /** A listener that ignores everything. */
  WatchListener NONE = new WatchListener() {};

  /**
   * The first scan is done and every root is followed (watched, polled, or offline and checked):
   * from now on the catalogue follows the disk.
   */
  default void ready(io.github.trackscan.scan.ScanReport initial) {}

  /** A batch was committed (or ended with nothing to commit). */
  default void batch(WatchBatch batch) {}

  /**
   * How {@code root} is followed now, and why ({@code detail}: "inotify", the limit reached, the
   * file system that needs polling, why it is offline).
   */
  default void rootMode(Path root, RootMode mode, String detail) {}

  /**
   * A batch could not be written (the database locked by a host for longer than its busy
   * timeout, a disk full) and will be tried again: nothing of it is lost.
   */
  default void retrying(String reason, long delayMs) {}
}
