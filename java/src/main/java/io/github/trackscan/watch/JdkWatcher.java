package io.github.trackscan.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The pure-Java fallback, for the NIO backend: Java's WatchService (inotify underneath on Linux,
 * behind a thread of the JDK's). It tells neither whether a name is a folder nor when a file was
 * closed after writing, so a created name is checked on disk, a deleted one is a folder when it
 * was watched, and files settle by quiet time alone. A rename is seen as a delete and a create;
 * the scan pairs them by inode as it pairs any move.
 */
final class JdkWatcher implements FolderWatcher {
  private final Set<Path> roots;
  private final WatchService service;
  private final Watched<WatchKey> watched = new Watched<>();

  JdkWatcher(Set<Path> roots) throws IOException {
    this.roots = roots;
    this.service = FileSystems.getDefault().newWatchService();
  }

  /** Registration is a round trip to the WatchService's thread: several in flight go faster. */
  @Override
  public boolean addsInParallel() {
    return true;
  }

  @Override
  public void add(Path folder) throws LimitReached, IOException {
    WatchKey key;
    try {
      key = folder.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("User limit of inotify watches reached")) {
        throw new LimitReached("the inotify watch limit is reached (fs.inotify.max_user_watches is "
            + Limits.read("max_user_watches") + "; raise it with sysctl fs.inotify.max_user_watches=N)");
      }
      throw e;
    }
    synchronized (this) {
      watched.put(key, folder);
    }
  }

  @Override
  public synchronized boolean watches(Path folder) {
    return watched.contains(folder);
  }

  @Override
  public synchronized void removeBelow(Path folder) {
    watched.removeBelow(folder).forEach(WatchKey::cancel);
  }

  @Override
  public synchronized int size() {
    return watched.size();
  }

  @Override
  public void read(long timeoutMs, FolderEvents events) throws IOException {
    WatchKey key;
    try {
      key = timeoutMs < 0 ? service.take() : service.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ClosedWatchServiceException e) {
      return;
    }
    while (key != null) {
      handle(key, events);
      key = service.poll();
    }
  }

  private void handle(WatchKey key, FolderEvents events) {
    Path folder;
    synchronized (this) {
      folder = watched.folder(key);
    }
    List<WatchEvent<?>> polled = key.pollEvents();
    boolean valid = key.reset();
    if (folder == null) {
      return;
    }
    for (WatchEvent<?> event : polled) {
      if (event.kind() == OVERFLOW) {
        events.overflow();
        continue;
      }
      Path child = folder.resolve((Path) event.context());
      boolean wasFolder;
      synchronized (this) {
        wasFolder = watched.contains(child);
      }
      if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        events.folderAppeared(child);
      } else if (event.kind() == ENTRY_DELETE && wasFolder) {
        removeBelow(child);
        events.folderGone(child);
      } else if (event.kind() == ENTRY_MODIFY && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        events.folderAppeared(child); // Its permissions or contents changed: scan it again.
      } else {
        events.file(folder, io.github.trackscan.walk.PathNames.name(child), event.kind() != ENTRY_DELETE, false);
      }
    }
    if (!valid) {
      synchronized (this) {
        watched.forget(key);
      }
      if (roots.contains(folder)) {
        events.rootGone(folder);
      }
    }
  }

  @Override
  public void wake() {
    // Only the end of the watch wakes a reader: closing the service ends a read blocked in it.
    close();
  }

  @Override
  public String kind() {
    return "WatchService";
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // Closing frees the inotify instance; nothing else to do.
    }
  }
}
