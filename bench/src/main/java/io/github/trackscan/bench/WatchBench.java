package io.github.trackscan.bench;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.Library;
import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.watch.WatchBatch;
import io.github.trackscan.watch.WatchListener;
import io.github.trackscan.watch.WatchOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The watch benchmark (#15's bars), per walker backend, each figure beside the one it is held to,
 * measured in the same run:
 *
 * <ul>
 *   <li>set-up (first no-op scan plus every folder watched) against the no-op scan: at most 2x;
 *   <li>the delta mutation (200 added, 200 retagged, 10 deleted) applied while watching: every
 *       change committed, counts exactly the manifest's, within settle + 1 s of the last write;
 *   <li>idle: under 1% of one core, and no more heap than a no-op scan;
 *   <li>a 10,000-file copy into the library: in at most 20 batches.
 * </ul>
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * io.github.trackscan.bench.WatchBench LIBRARY WORK [native,nio]} where LIBRARY is a library made
 * by {@code trackscan synth} (it is copied into WORK for each backend, never changed).
 */
public final class WatchBench {
  private static final Duration SETTLE = WatchOptions.DEFAULT_SETTLE;
  private static final int COPY_FILES = 10_000;
  private static final Duration IDLE = Duration.ofSeconds(10);

  private WatchBench() {}

  public static void main(String[] args) throws Exception {
    Path source = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    List<Backend> backends = Arrays.stream((args.length > 2 ? args[2] : "native,nio").split(","))
        .map(s -> Backend.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
    List<String> table = new ArrayList<>();
    for (Backend backend : backends) {
      table.add(run(source, work, backend));
    }
    System.out.println();
    System.out.println("| backend | no-op scan | watch set-up | ratio (bar 2x) | mutation committed after last write"
        + " (bar settle " + SETTLE.toMillis() + " ms + 1 s) | counts = manifest | idle CPU (bar 1%) | idle heap max"
        + " / no-op heap peak | 10,000-file copy: batches (bar 20) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    table.forEach(System.out::println);
  }

  private static String run(Path source, Path work, Backend backend) throws Exception {
    String name = backend.name().toLowerCase(Locale.ROOT);
    Path library = work.resolve("watch-" + name);
    Path db = work.resolve("watch-" + name + ".db");
    exec("rm", "-rf", library.toString());
    exec("cp", "-a", source.toString(), library.toString());
    Library.deleteFiles(db);
    Scanner scanner = Scanner.builder().roots(library).database(db).backend(backend).build();
    System.out.printf("%s: import %d ms%n", name, scanner.scan().times().totalNs() / 1_000_000);

    long[] noop = new long[5];
    long noopHeap = 0;
    for (int i = 0; i < noop.length; i++) {
      System.gc();
      resetHeapPeaks();
      ScanReport report = scanner.scan();
      noop[i] = report.times().totalNs();
      noopHeap = Math.max(noopHeap, report.heapPeakBytes());
    }
    long[] setup = new long[5];
    for (int i = 0; i < setup.length; i++) {
      Watching w = Watching.start(scanner);
      setup[i] = w.readyNs;
      w.stop();
    }
    long noopMedian = median(noop);
    long setupMedian = median(setup);
    System.out.printf("%s: no-op %d ms, watch set-up %d ms (%.2fx)%n", name, noopMedian / 1_000_000,
        setupMedian / 1_000_000, (double) setupMedian / noopMedian);

    // The same JVM with no watch, over the same time, first: what the JVM itself costs (JIT, GC
    // housekeeping, this sampling) is not the watch's.
    Thread.sleep(5000);
    long[] jvmAlone = idle();
    Watching w = Watching.start(scanner);
    try {
      Thread.sleep(5000); // Let the JIT finish with the set-up before idling is measured.
      long[] watching = idle();
      double idleCpu = 100.0 * (watching[0] - jvmAlone[0]) / IDLE.toNanos();
      long idleHeap = watching[1];
      System.out.printf("%s: idle %.2f%% of a core (%.2f%% with the watch, %.2f%% the JVM alone), heap max %d MB"
          + " (no-op peak %d MB)%n", name, idleCpu, 100.0 * watching[0] / IDLE.toNanos(),
          100.0 * jvmAlone[0] / IDLE.toNanos(), idleHeap >> 20, noopHeap >> 20);

      w.reset();
      Manifest manifest = SynthLibrary.mutate(library, 7);
      long lastWrite = System.nanoTime();
      w.awaitCounts(Map.of(ChangeKind.ADDED, (long) manifest.added().size(), ChangeKind.MODIFIED,
          (long) manifest.modified().size(), ChangeKind.MISSING, (long) manifest.deleted().size()));
      long committedAfter = w.lastChangeNs.get() - lastWrite;
      Thread.sleep(SETTLE.toMillis() * 3); // Anything more would be a count the manifest does not hold.
      Map<ChangeKind, Long> counts = w.counts();
      boolean exact = counts.equals(Map.of(ChangeKind.ADDED, (long) manifest.added().size(), ChangeKind.MODIFIED,
          (long) manifest.modified().size(), ChangeKind.MISSING, (long) manifest.deleted().size()));
      System.out.printf("%s: mutation committed %d ms after the last write; counts %s (%s)%n", name,
          committedAfter / 1_000_000, counts, exact ? "exactly the manifest" : "NOT the manifest");

      w.reset();
      List<Path> files = audioFiles(source, COPY_FILES);
      Path into = library.resolve("_copied");
      for (Path file : files) {
        Path to = into.resolve(source.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
      long copied = System.nanoTime();
      // Copies of the files the mutation deleted take their missing rows back (MOVED, by content key).
      w.awaitTotal(files.size(), ChangeKind.ADDED, ChangeKind.MOVED);
      long allCommitted = w.lastChangeNs.get();
      Thread.sleep(SETTLE.toMillis() * 3); // The last batch reports itself after its last commit.
      long batches = w.batchesWithChanges.get();
      System.out.printf("%s: %,d files copied in %d ms, all committed %d ms later, in %d batches%n", name,
          files.size(), (copied - w.resetNs) / 1_000_000, (allCommitted - copied) / 1_000_000, batches);
      return String.format(Locale.ROOT, "| %s | %d ms | %d ms | %.2fx | %d ms | %s | %.2f%% | %d MB / %d MB | %d |",
          name, noopMedian / 1_000_000, setupMedian / 1_000_000, (double) setupMedian / noopMedian,
          committedAfter / 1_000_000, exact ? "yes" : "no: " + counts, idleCpu, idleHeap >> 20, noopHeap >> 20, batches);
    } finally {
      w.stop();
    }
  }

  /** A watch running on its own thread, counting what it commits. */
  private static final class Watching implements WatchListener {
    final CancellationToken cancellation = new CancellationToken();
    final CountDownLatch ready = new CountDownLatch(1);
    final EnumMap<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
    final AtomicLong lastChangeNs = new AtomicLong();
    final AtomicLong batchesWithChanges = new AtomicLong();
    volatile long resetNs;
    long readyNs;
    Thread thread;

    static Watching start(Scanner scanner) throws InterruptedException {
      Watching w = new Watching();
      long start = System.nanoTime();
      w.thread = Thread.ofPlatform().start(() -> scanner.watch(WatchOptions.defaults().withSettle(SETTLE), w,
          w.cancellation));
      w.ready.await();
      w.readyNs = System.nanoTime() - start;
      return w;
    }

    @Override
    public void ready(ScanReport initial) {
      ready.countDown();
    }

    @Override
    public synchronized void change(Change change) {
      if (ready.getCount() == 0) {
        counts.merge(change.kind(), 1L, Long::sum);
        lastChangeNs.set(System.nanoTime());
      }
    }

    @Override
    public void batch(WatchBatch batch) {
      if (batch.report().changedAnything()) {
        batchesWithChanges.incrementAndGet();
      }
    }

    synchronized void reset() {
      counts.clear();
      batchesWithChanges.set(0);
      resetNs = System.nanoTime();
    }

    synchronized Map<ChangeKind, Long> counts() {
      return Map.copyOf(counts);
    }

    void awaitCounts(Map<ChangeKind, Long> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (System.nanoTime() < deadline) {
        Map<ChangeKind, Long> now = counts();
        if (wanted.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
          return;
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("waited 5 minutes for " + wanted + ", have " + counts());
    }

    void awaitTotal(long wanted, ChangeKind... kinds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (System.nanoTime() < deadline) {
        Map<ChangeKind, Long> now = counts();
        if (Arrays.stream(kinds).mapToLong(k -> now.getOrDefault(k, 0L)).sum() >= wanted) {
          return;
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("waited 5 minutes for " + wanted + " of " + Arrays.toString(kinds) + ", have "
          + counts());
    }

    void stop() throws InterruptedException {
      cancellation.cancel();
      thread.join();
    }
  }

  /** CPU time this process used over {@link #IDLE}, and the most heap in use meanwhile. */
  private static long[] idle() throws InterruptedException {
    System.gc();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    long heap = 0;
    while (System.nanoTime() - t0 < IDLE.toNanos()) {
      Thread.sleep(100);
      heap = Math.max(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return new long[] {(os.getProcessCpuTime() - cpu0) * IDLE.toNanos() / (System.nanoTime() - t0), heap};
  }

  private static List<Path> audioFiles(Path library, int count) throws IOException {
    WalkOptions options = WalkOptions.defaults();
    try (Stream<Path> paths = Files.walk(library)) {
      return paths.filter(Files::isRegularFile)
          .filter(p -> options.matchesExtension(p.getFileName().toString()))
          .filter(p -> java.util.stream.StreamSupport.stream(library.relativize(p).spliterator(), false)
              .noneMatch(name -> name.toString().startsWith("."))) // Hidden: not catalogued.
          .sorted().limit(count).toList();
    }
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void exec(String... command) throws IOException, InterruptedException {
    int code = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (code != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + code);
    }
  }
}
