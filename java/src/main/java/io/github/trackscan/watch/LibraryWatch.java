package io.github.trackscan.watch;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.FolderScope;
import io.github.trackscan.scan.OfflineRoot;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.RootFileSystem;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/*
 * One watch, start to end, on the caller's thread (Scanner.watch):
 *
 *   SET UP  each local root's folders are watched (Folders lists them, each watched before the
 *           folders below it are listed), then the first scan runs: a change made during it is
 *           either seen by its walk or waits as an event, never lost. A network or FUSE root is
 *           polled (a file server's own changes make no events here); so are folders past the
 *           kernel's watch limit, said once with the sysctl that raises it.
 *   FOLLOW  the watcher's thread decodes events into folders waiting to settle (Settling), and
 *           watches a new folder at once, before it is scanned. This thread takes the settled
 *           folders as a batch and scans just them (Scanner.scanFolders): changes reach the
 *           listener after their commit. A batch that cannot be written (a host holding the
 *           database locked) goes back to wait and is tried again, with a growing delay.
 *   ROOTS   a root that goes away (deleted, moved, unmounted, or found offline by a scan) is
 *           OFFLINE: its watches are dropped, none of its rows touched. It is checked every
 *           OFFLINE_CHECK_NS; when it is back it is scanned whole and watched again.
 *   END     cancellation or interruption: the batch in progress keeps what it committed, the
 *           watcher's thread is stopped and the watch closed.
 */
public final class LibraryWatch {
  private static final long OFFLINE_CHECK_NS = TimeUnit.SECONDS.toNanos(2);
  /**
   * An idle watch wakes only for events, cancellation, polls and the root checks: its waits are
   * long, and the watcher's thread blocks in the kernel until an event or a wake.
   */
  private static final long WAIT_MAX_NS = OFFLINE_CHECK_NS;
  private static final long READ_TIMEOUT_MS = -1;
  /** Threads registering a root's folders with Java's WatchService, whose every call is a round trip to its own thread. */
  private static final int REGISTER_THREADS = 4;
  private static final long RETRY_DELAY_MAX_MS = 10_000;

  private final Scanner scanner;
  private final WatchOptions options;
  private final WatchListener listener;
  private final CancellationToken cancellation;
  private final Settling settling;
  private final Object signal = new Object();
  /** Folders past the watch limit, polled; and roots polled whole. */
  private final Set<Path> polledFolders = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
  private final Set<Path> offline = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /**
   * Each watched root's identity (device and inode) when its watches were set up: a root moved
   * away, replaced or unmounted is another folder (or none) at the same path, which neither
   * watcher reports reliably (Java's WatchService says nothing of a moved root).
   */
  private final Map<Path, Object> rootKeys = new HashMap<>();
  /** Whether each watched root's file system keeps folder link counts (Folders.LINK_COUNTING). */
  private final Map<Path, Boolean> linkCounting = new java.util.concurrent.ConcurrentHashMap<>();
  private final EnumMap<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
  /** Makes the watcher for a set of roots; null: the native one, else Java's (tests give their own). */
  interface WatcherFactory {
    FolderWatcher open(Set<Path> roots) throws FolderWatcher.LimitReached, IOException;
  }

  private final WatcherFactory factory;
  private FolderWatcher watcher;
  private String limitReached;
  private volatile boolean stopping;
  private long batches;
  private long nextPollNs;
  private long nextOfflineCheckNs;

  LibraryWatch(Scanner scanner, WatchOptions options, WatchListener listener, CancellationToken cancellation,
      WatcherFactory factory) {
    this.factory = factory;
    this.scanner = scanner;
    this.options = options;
    this.listener = new Counting(listener, counts);
    this.cancellation = cancellation;
    this.settling = new Settling(options.settle().toNanos());
  }

  /** Runs a watch; see {@link Scanner#watch(WatchOptions, WatchListener, CancellationToken)}. */
  public static WatchReport run(Scanner scanner, WatchOptions options, WatchListener listener,
      CancellationToken cancellation) {
    return new LibraryWatch(scanner, options, listener, cancellation, null).run();
  }

  WatchReport run() {
    Thread reader = null;
    try {
      openWatcher();
      for (Path root : scanner.roots()) {
        follow(root);
      }
      cancellation.onCancel(this::wakeUp);
      ScanReport initial = scanner.scan(listener, cancellation);
      add(initial);
      for (OfflineRoot root : initial.offlineRoots()) {
        goOffline(root.root(), root.reason());
      }
      listener.ready(initial);
      if (watcher != null) {
        reader = new Thread(this::readEvents, "trackscan-watch-events");
        reader.setDaemon(true);
        reader.start();
      }
      nextPollNs = System.nanoTime() + options.pollInterval().toNanos();
      nextOfflineCheckNs = System.nanoTime() + OFFLINE_CHECK_NS;
      boolean cancelled = initial.outcome() == ScanReport.Outcome.CANCELLED || follow();
      return new WatchReport(initial, batches, counts, cancelled);
    } finally {
      stopping = true;
      if (watcher != null) {
        watcher.wake();
      }
      if (reader != null) {
        joinQuietly(reader);
      }
      if (watcher != null) {
        watcher.close();
      }
    }
  }

  /** The notifications to use: inotify through the native library, else Java's WatchService. */
  private void openWatcher() {
    Set<Path> roots = Set.copyOf(scanner.roots());
    try {
      boolean nativeOk = scanner.backend() != Backend.NIO && Walkers.nativeUnavailableReason().isEmpty();
      watcher = factory != null ? factory.open(roots) : nativeOk ? NativeWatcher.open(roots) : new JdkWatcher(roots);
    } catch (FolderWatcher.LimitReached e) {
      limitReached = e.getMessage(); // Every root is polled.
    } catch (IOException e) {
      limitReached = "no file system notifications here (" + e.getMessage() + ")";
    }
  }

  /** Watches (or polls) a root, and says how. */
  private void follow(Path root) {
    if (!Files.isDirectory(root)) {
      goOffline(root, "not there");
      return;
    }
    rootKeys.put(root, keyOf(root));
    RootFileSystem fs = RootFileSystem.of(root);
    if (options.poll() || watcher == null || fs.latencyBound()) {
      polledFolders.add(root);
      String why = options.poll() ? "asked to poll" : watcher == null ? limitReached
          : "a " + fs.type() + " file system: changes made on the server send no events here";
      setMode(root, RootMode.POLLING, why + "; scanned every " + options.pollInterval().toSeconds() + " s");
      return;
    }
    boolean linkCounts = Folders.LINK_COUNTING.contains(fs.type());
    linkCounting.put(root, linkCounts);
    List<Path> folders = new ArrayList<>();
    Folders.forEach(root, scanner.walkOptions().includeHidden(), linkCounts, folders::add);
    // All are watched before the first scan lists any of them, so their order does not matter.
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger watched = new java.util.concurrent.atomic.AtomicInteger();
    Set<Path> unwatched = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Runnable register = () -> {
      for (int i = next.getAndIncrement(); i < folders.size(); i = next.getAndIncrement()) {
        Path folder = folders.get(i);
        if (!unwatched.isEmpty()) {
          unwatched.add(folder); // Past the limit: no use asking again.
          continue;
        }
        try {
          watcher.add(folder);
          watched.incrementAndGet();
        } catch (FolderWatcher.LimitReached e) {
          limitReached = e.getMessage();
          unwatched.add(folder);
        } catch (IOException e) {
          // Gone or unreadable since it was listed: its parent's events, or the scan, say so.
        }
      }
    };
    int threads = watcher.addsInParallel() ? Math.min(REGISTER_THREADS, 1 + folders.size() / 256) : 1;
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      helpers.add(Thread.ofPlatform().name("trackscan-watch-register").start(register));
    }
    register.run();
    helpers.forEach(LibraryWatch::joinQuietly);
    polledFolders.addAll(unwatched);
    if (!unwatched.isEmpty()) {
      setMode(root, RootMode.PARTLY_POLLING, watched.get() + " folders watched (" + watcher.kind() + "), "
          + unwatched.size() + " polled every " + options.pollInterval().toSeconds() + " s: " + limitReached);
    } else {
      setMode(root, RootMode.WATCHING, watched.get() + " folders watched (" + watcher.kind() + ")");
    }
  }

  /** Follows until cancelled; returns true (cancelled) or throws. */
  private boolean follow() {
    long retryDelayMs = 0;
    while (!shouldStop()) {
      long now = System.nanoTime();
      List<FolderScope> batch = new ArrayList<>(settling.take(now));
      if (now >= nextPollNs) {
        synchronized (polledFolders) {
          for (Path folder : polledFolders) {
            if (!offline.contains(rootOf(folder))) {
              batch.add(scanner.roots().contains(folder) ? FolderScope.below(folder) : FolderScope.of(folder));
            }
          }
        }
        nextPollNs = now + options.pollInterval().toNanos();
      }
      if (now >= nextOfflineCheckNs) {
        for (Path root : List.copyOf(offline)) {
          if (looksBack(root)) {
            batch.add(FolderScope.below(root));
          }
        }
        for (Map.Entry<Path, Object> e : rootKeys.entrySet()) {
          if (!offline.contains(e.getKey()) && !java.util.Objects.equals(e.getValue(), keyOf(e.getKey()))) {
            // Another folder at the root's path now (or none): its watches watch something else.
            if (watcher != null) {
              watcher.removeBelow(e.getKey());
            }
            e.setValue(null);
            batch.add(FolderScope.below(e.getKey()));
          }
        }
        nextOfflineCheckNs = now + OFFLINE_CHECK_NS;
      }
      batch.removeIf(scope -> offline.contains(rootOf(scope.folder())) && !scanner.roots().contains(scope.folder()));
      if (!batch.isEmpty()) {
        if (scanBatch(batch)) {
          retryDelayMs = 0;
        } else {
          retryDelayMs = Math.min(RETRY_DELAY_MAX_MS, Math.max(500, retryDelayMs * 2));
          listener.retrying("the batch of " + batch.size() + " folders could not be written", retryDelayMs);
          for (FolderScope scope : batch) {
            settling.folder(scope.folder(), scope.recursive(), System.nanoTime() - options.settle().toNanos());
          }
          await(TimeUnit.MILLISECONDS.toNanos(retryDelayMs));
        }
        continue;
      }
      long wait = Math.min(WAIT_MAX_NS, settling.isEmpty() ? WAIT_MAX_NS : Math.max(1_000_000, settling.waitNs(now)));
      await(wait);
    }
    return true;
  }

  /** Scans one batch; false when the store failed (the folders go back to wait). */
  private boolean scanBatch(List<FolderScope> batch) {
    boolean whole = batch.stream().anyMatch(s -> s.recursive() && scanner.roots().contains(s.folder()));
    ScanReport report;
    try {
      report = scanner.scanFolders(batch, listener, cancellation);
    } catch (StoreException e) {
      listener.retrying(e.getMessage(), 0);
      return false;
    }
    batches++;
    add(report);
    Set<Path> stillOffline = new java.util.HashSet<>();
    for (OfflineRoot root : report.offlineRoots()) {
      stillOffline.add(root.root());
      goOffline(root.root(), root.reason());
    }
    if (whole && report.outcome() == ScanReport.Outcome.COMPLETED) {
      for (Path root : scanner.roots()) {
        boolean lost = offline.contains(root) || (rootKeys.containsKey(root) && rootKeys.get(root) == null);
        if (lost && !stillOffline.contains(root)) {
          offline.remove(root); // Scanned whole and found there: watch it again.
          follow(root);
        }
      }
    }
    listener.batch(new WatchBatch(batches, batch.size(), report));
    return true;
  }

  /** Adds a scan's unchanged files; its changes were counted as they were committed (Counting). */
  private void add(ScanReport report) {
    counts.merge(ChangeKind.UNCHANGED, report.count(ChangeKind.UNCHANGED), Long::sum);
  }

  private void goOffline(Path root, String reason) {
    if (offline.add(root)) {
      if (watcher != null) {
        watcher.removeBelow(root);
      }
      setMode(root, RootMode.OFFLINE, reason + "; checked every " + TimeUnit.NANOSECONDS.toSeconds(OFFLINE_CHECK_NS)
          + " s until it is back");
    }
  }

  /** The root's device and inode, following a symbolic link as the walk does; null when it is not there. */
  private static Object keyOf(Path root) {
    try {
      return Files.readAttributes(root, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Whether an offline root may be back: a listable folder with something in it. */
  private static boolean looksBack(Path root) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      return entries.iterator().hasNext();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void setMode(Path root, RootMode mode, String detail) {
    listener.rootMode(root, mode, detail);
  }

  private Path rootOf(Path folder) {
    for (Path root : scanner.roots()) {
      if (folder.startsWith(root)) {
        return root;
      }
    }
    return folder;
  }

  private boolean shouldStop() {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    return cancellation.isCancelled();
  }

  private void await(long nanos) {
    synchronized (signal) {
      try {
        TimeUnit.NANOSECONDS.timedWait(signal, nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void wakeUp() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** The watcher's thread: reads events until the watch stops. */
  private void readEvents() {
    FolderEvents events = new Events();
    while (!stopping) {
      try {
        watcher.read(READ_TIMEOUT_MS, events);
      } catch (IOException | RuntimeException e) {
        if (stopping) {
          return;
        }
        // A watcher that fails cannot be trusted to have seen everything: scan everything again.
        events.overflow();
        sleepQuietly(OFFLINE_CHECK_NS / 1_000_000);
      }
    }
  }

  /** Events into folders waiting to settle; runs on the watcher's thread. */
  private final class Events implements FolderEvents {
    @Override
    public void file(Path folder, String name, boolean writing, boolean closed) {
      // The watch sleeps until the next folder can settle: it needs waking when that time moves
      // nearer, that is for the first change of a burst and when a file is complete.
      if (settling.file(folder, name, writing, closed, System.nanoTime()) || closed) {
        wakeUp();
      }
    }

    @Override
    public void folderAppeared(Path folder) {
      // Watched before it is scanned, with everything below it: files written into it from now
      // on make events, and those written before are found by the scan.
      Folders.forEach(folder, scanner.walkOptions().includeHidden(),
          linkCounting.getOrDefault(rootOf(folder), false), f -> {
        try {
          watcher.add(f);
        } catch (FolderWatcher.LimitReached e) {
          unwatched(f, e.getMessage());
        } catch (IOException e) {
          // Gone again, or unreadable: the scan of the folder says which.
        }
      });
      settling.folder(folder, true, System.nanoTime());
      wakeUp();
    }

    @Override
    public void folderGone(Path folder) {
      settling.folder(folder, true, System.nanoTime());
      wakeUp();
    }

    @Override
    public void overflow() {
      long now = System.nanoTime();
      for (Path root : scanner.roots()) {
        if (!offline.contains(root)) {
          settling.folder(root, true, now);
        }
      }
      wakeUp();
    }

    @Override
    public void rootGone(Path root) {
      settling.folder(root, true, System.nanoTime()); // The scan judges it offline, or finds it renamed back.
      wakeUp();
    }

    @Override
    public void unwatched(Path folder, String reason) {
      synchronized (polledFolders) {
        polledFolders.add(folder);
      }
      limitReached = reason;
    }
  }

  /**
   * Counts each change as the listener hears of it, that is after its commit: a batch whose store
   * failed half way has no report, and its committed part must still be counted.
   */
  private record Counting(WatchListener delegate, Map<ChangeKind, Long> counts) implements WatchListener {
    @Override
    public void change(io.github.trackscan.scan.Change change) {
      counts.merge(change.kind(), 1L, Long::sum);
      delegate.change(change);
    }

    @Override
    public void phase(io.github.trackscan.scan.ScanPhase phase) {
      delegate.phase(phase);
    }

    @Override
    public void progress(io.github.trackscan.scan.ScanProgress progress) {
      delegate.progress(progress);
    }

    @Override
    public void fileFailed(io.github.trackscan.scan.FileError error) {
      delegate.fileFailed(error);
    }

    @Override
    public void fileNote(io.github.trackscan.scan.FileError note) {
      delegate.fileNote(note);
    }

    @Override
    public void walkError(io.github.trackscan.scan.FileError error) {
      delegate.walkError(error);
    }

    @Override
    public void rootPlanned(io.github.trackscan.scan.RootPlan plan) {
      delegate.rootPlanned(plan);
    }

    @Override
    public void rootOffline(OfflineRoot root) {
      delegate.rootOffline(root);
    }

    @Override
    public void ready(ScanReport initial) {
      delegate.ready(initial);
    }

    @Override
    public void batch(WatchBatch batch) {
      delegate.batch(batch);
    }

    @Override
    public void rootMode(Path root, RootMode mode, String detail) {
      delegate.rootMode(root, mode, detail);
    }

    @Override
    public void retrying(String reason, long delayMs) {
      delegate.retrying(reason, delayMs);
    }
  }

  private static void joinQuietly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
