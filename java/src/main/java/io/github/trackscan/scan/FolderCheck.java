package io.github.trackscan.scan;

import io.github.trackscan.store.CachedFolder;
import io.github.trackscan.walk.RootFileSystem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The check of a quick scan (see FolderCachePlan): each cached folder of a root stat-ed against its
 * row, many at once, after the prefetching listings a share needs to answer the stats quickly;
 * and the subfolders a changed folder holds that the cache does not.
 */
final class FolderCheck {
  private FolderCheck() {}

  /** The outcome of stat-ing one cached folder. */
  enum Check {
    UNCHANGED, CHANGED, GONE
  }

  record Checked(Check check, CachedFolder now) {}

  /** Stats one folder (following a symbolic link, as the walk's open does) against its cache row. */
  static Checked check(Path folder, CachedFolder cached) {
    Map<String, Object> attributes;
    try {
      attributes = Files.readAttributes(folder, "unix:dev,lastModifiedTime,isDirectory");
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new Checked(Check.GONE, null);
    } catch (IOException e) {
      // Unreadable now: listed again, so the walk reports the problem and keeps the folder's rows.
      return new Checked(Check.CHANGED, null);
    }
    if (!(Boolean) attributes.get("isDirectory")) {
      return new Checked(Check.GONE, null);
    }
    long mtimeNs = ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
    long device = ((Number) attributes.get("dev")).longValue();
    CachedFolder now = new CachedFolder(cached.path(), mtimeNs, cached.entries(), device, 0);
    boolean racy = cached.mtimeNs() >= TimeUnit.MILLISECONDS.toNanos(cached.checkedAtMs() - FolderCachePlan.RACY_MARGIN_MS);
    boolean same = mtimeNs == cached.mtimeNs() && device == cached.device() && !racy;
    return new Checked(same ? Check.UNCHANGED : Check.CHANGED, now);
  }

  /**
   * Stats every cached folder of {@code root}, {@link Scanner#ioDepthFor} at once (a thread per
   * core on a local root), and returns the scopes to scan.
   */
  static List<FolderScope> checkFolders(Scanner scanner, FolderCachePlan.Root root, CancellationToken cancellation) {
    List<CachedFolder> folders = new ArrayList<>(root.cache.folders().values());
    RootFileSystem fs = RootFileSystem.of(root.path);
    int depth = scanner.ioDepthFor(fs);
    int threads = Math.max(1, Math.min(folders.size(), depth > 0 ? depth : scanner.walkOptions().effectiveThreads()));
    if (fs.latencyBound()) {
      prefetchParents(root, threads, cancellation);
    }
    Checked[] results = new Checked[folders.size()];
    List<List<String>> newFolders = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      List<String> found = new ArrayList<>();
      for (int i = next.getAndIncrement(); i < folders.size(); i = next.getAndIncrement()) {
        if (cancellation.isCancelled()) {
          return; // The scan stops before its walk; nothing is written.
        }
        CachedFolder cached = folders.get(i);
        Path path = resolve(root.path, cached.path());
        results[i] = check(path, cached);
        if (results[i].check() == Check.CHANGED) {
          subfolders(scanner, path, cached.path(), root.cache.folders().keySet(), found);
        }
      }
      synchronized (newFolders) {
        newFolders.add(found);
      }
    };
    inParallel(threads, work, cancellation);
    List<FolderScope> scopes = new ArrayList<>();
    root.checked = folders.size();
    for (int i = 0; i < folders.size(); i++) {
      Checked result = results[i];
      if (result == null || result.check() == Check.UNCHANGED) {
        continue;
      }
      CachedFolder cached = folders.get(i);
      Path path = resolve(root.path, cached.path());
      if (result.check() == Check.GONE) {
        root.gone.add(cached.path());
        scopes.add(FolderScope.below(path));
      } else {
        if (result.now() != null) {
          root.changed.put(cached.path(), result.now());
        }
        scopes.add(FolderScope.of(path));
      }
    }
    synchronized (newFolders) {
      for (List<String> found : newFolders) {
        for (String relative : found) {
          scopes.add(FolderScope.below(resolve(root.path, relative)));
        }
      }
    }
    return scopes;
  }

  /**
   * On a share, lists each cached folder that holds cached subfolders (an artist's folder, not an
   * album's) before the stats, without looking at what it holds. Why: the client answers a lookup
   * from what a listing of the parent brought back (sshfs keeps the attributes a READDIR returns),
   * while a lookup on its own waits a round trip, and such lookups barely overlap. Measured over
   * the rig (1 ms, the 41k library's 4,063 folders, 32 threads, a fresh mount): the stats alone 6.0
   * s; listing the 631 parent folders first, 0.8 s, then the stats 0.2 s. The folders that hold
   * the files, nearly all of them, are still not listed.
   */
  private static void prefetchParents(FolderCachePlan.Root root, int threads, CancellationToken cancellation) {
    Set<String> parentSet = new HashSet<>();
    for (String path : root.cache.folders().keySet()) {
      if (!path.isEmpty()) {
        int slash = path.lastIndexOf('/');
        parentSet.add(slash < 0 ? "" : path.substring(0, slash));
      }
    }
    List<String> parents = new ArrayList<>(parentSet);
    AtomicInteger next = new AtomicInteger();
    inParallel(Math.min(threads, Math.max(1, parents.size())), () -> {
      for (int i = next.getAndIncrement(); i < parents.size() && !cancellation.isCancelled(); i = next.getAndIncrement()) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(resolve(root.path, parents.get(i)))) {
          children.forEach(child -> { });
        } catch (IOException | RuntimeException e) {
          // Only a prefetch: the stat of each folder below says what is wrong.
        }
      }
    }, cancellation);
  }

  /**
   * While the catalogue opens (a cold JVM takes a few hundred ms to open SQLite and read the
   * cache), lists each network root and the folders in it, the usual parents of the folders that
   * hold files (Artist/Album): the first of {@link #prefetchParents}'s work, done before the cache
   * says which parents there are. Only a prefetch: if the root is then scanned in full, its walk
   * finds these listings in the client's cache.
   */
  static List<Thread> prefetchTopLevels(Scanner scanner, CancellationToken cancellation) {
    List<Thread> threads = new ArrayList<>();
    if (scanner.quick() == QuickMode.OFF) {
      return threads;
    }
    for (Path root : scanner.roots()) {
      RootFileSystem fs = RootFileSystem.of(root);
      if (!fs.latencyBound()) {
        continue;
      }
      int depth = Math.max(1, scanner.ioDepthFor(fs));
      threads.add(Thread.ofPlatform().daemon().name("trackscan-folder-prefetch").start(() -> {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(root)) {
          for (Path child : listing) {
            if (!child.getFileName().toString().startsWith(".")) {
              children.add(child);
            }
          }
        } catch (IOException | RuntimeException e) {
          return; // The root's own check says what is wrong with it.
        }
        AtomicInteger next = new AtomicInteger();
        inParallel(Math.min(depth, Math.max(1, children.size())), () -> {
          for (int i = next.getAndIncrement(); i < children.size() && !cancellation.isCancelled();
              i = next.getAndIncrement()) {
            Path child = children.get(i);
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
              try (DirectoryStream<Path> listing = Files.newDirectoryStream(child)) {
                listing.forEach(grandchild -> { });
              } catch (IOException | RuntimeException e) {
                // Only a prefetch.
              }
            }
          }
        }, cancellation);
      }));
    }
    return threads;
  }

  static void join(List<Thread> threads, CancellationToken cancellation) {
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancellation.cancel();
        return;
      }
    }
  }

  /** Runs {@code work} on {@code threads} threads (this one included) and waits for them. */
  private static void inParallel(int threads, Runnable work, CancellationToken cancellation) {
    List<Thread> workers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      workers.add(Thread.ofPlatform().daemon().name("trackscan-folder-check-" + t).start(work));
    }
    work.run();
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // The scan sees it and stops before its walk.
        cancellation.cancel();
        break;
      }
    }
  }

  /**
   * Adds to {@code found} the subfolders of a changed folder that the cache does not hold (made,
   * moved in or renamed since), as the walk would reach them: hidden ones only when it walks
   * hidden names, linked ones only when it follows links.
   */
  private static void subfolders(Scanner scanner, Path folder, String relative, Set<String> cached,
      List<String> found) {
    boolean hidden = scanner.walkOptions().includeHidden();
    LinkOption[] link = scanner.walkOptions().followSymlinks() ? new LinkOption[0]
        : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
      for (Path child : children) {
        String name = io.github.trackscan.walk.PathNames.name(child); // Escaped, as the walkers name it
        if (!hidden && name.startsWith(".")) {
          continue;
        }
        String childRelative = relative.isEmpty() ? name : relative + "/" + name;
        if (!cached.contains(childRelative) && Files.isDirectory(child, link)) {
          found.add(childRelative);
        }
      }
    } catch (IOException | RuntimeException e) {
      // The walk of the folder reports what is wrong with it; its rows stay as they are.
    }
  }

  static Path resolve(Path root, String relative) {
    // Through the escape: a cached folder whose name is not UTF-8 is found by its exact bytes.
    return relative.isEmpty() ? root : io.github.trackscan.walk.PathNames.path(
        io.github.trackscan.walk.PathNames.text(root.toAbsolutePath()) + "/" + relative);
  }
}
