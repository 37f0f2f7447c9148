package io.github.trackscan.watch;

import java.nio.file.Path;

/**
 * What a {@link FolderWatcher} reports, already decoded to folders: the watch turns these into
 * folders to scan again once their files have settled. Called on the watcher's reading thread.
 */
interface FolderEvents {
  /**
   * A name in a watched folder changed (created, written, deleted, renamed, attributes).
   *
   * @param closed whether this is the close after writing it (the file is complete)
   * @param writing whether the file is being written (a close is expected)
   */
  void file(Path folder, String name, boolean writing, boolean closed);

  /** A folder appeared (created or moved in): it and everything below it are to be scanned. */
  void folderAppeared(Path folder);

  /** A folder went away (deleted or moved out): its rows are to be judged, everything below it. */
  void folderGone(Path folder);

  /** Events were lost (the kernel's queue overflowed): everything is to be scanned again. */
  void overflow();

  /** A root itself went away (deleted, moved or unmounted): it is offline until it comes back. */
  void rootGone(Path root);

  /** Folders that could not be watched (the watch limit): they are to be polled. */
  void unwatched(Path folder, String reason);
}
