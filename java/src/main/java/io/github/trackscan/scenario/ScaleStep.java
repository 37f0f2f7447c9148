package io.github.trackscan.scenario;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.LibraryStats;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of {@link ScaleRunner}, run as a process of its own so that its heap and resident-set
 * peaks are its alone: a scan of one library into one database with one walker backend, or the
 * {@code trackscan stats} query. Prints one line, {@code RESULT} and tab-separated {@code key=value}
 * pairs, on stdout.
 *
 * <p>Usage: {@code ScaleStep scan|stats BACKEND LIBRARY DATABASE}.
 */
public final class ScaleStep {
  /** The prefix of the line the parent reads. */
  static final String RESULT = "RESULT";

  private ScaleStep() {}

  /**
   * Runs the step; exits 0 after printing the result line, 2 on bad arguments.
   *
   * @throws IOException if the database cannot be measured
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4 || !(args[0].equals("scan") || args[0].equals("stats"))) {
      System.err.println("usage: ScaleStep scan|stats BACKEND LIBRARY DATABASE");
      System.exit(2);
    }
    Backend backend = Backend.valueOf(args[1].toUpperCase());
    Path library = Path.of(args[2]);
    Path db = Path.of(args[3]);
    HeapWatch heap = HeapWatch.start();
    Map<String, String> out = new LinkedHashMap<>();
    long start = System.nanoTime();
    if (args[0].equals("scan")) {
      ScanReport r = Scanner.builder().roots(library).database(db).backend(backend)
          .walkOptions(WalkOptions.defaults()).build().scan();
      long callNs = System.nanoTime() - start; // What the host waits for: the close's last checkpoint too.
      var t = r.times();
      out.put("scan_ms", ms(t.totalNs()));
      out.put("call_ms", ms(callNs));
      out.put("walk_ms", ms(t.walkNs()));
      out.put("store_read_ms", ms(t.storeReadNs()));
      out.put("diff_ms", ms(t.diffNs()));
      out.put("parse_ms", ms(t.parseNs()));
      out.put("write_ms", ms(t.writeNs()));
      out.put("walked", Long.toString(r.filesWalked()));
      out.put("parsed", Long.toString(r.filesParsed()));
      for (ChangeKind kind : ChangeKind.values()) {
        out.put(kind.name().toLowerCase(), Long.toString(r.count(kind)));
      }
      out.put("failed", Long.toString(r.failed()));
      out.put("ambiguous", Long.toString(r.ambiguousMoves()));
      out.put("outcome", r.outcome().name());
    } else {
      try (Library l = Library.open(db)) {
        LibraryStats stats = l.stats();
        out.put("scan_ms", ms(System.nanoTime() - start));
        out.put("present", Long.toString(stats.present()));
        out.put("missing", Long.toString(stats.missing()));
      }
    }
    out.put("heap_peak_mb", String.format("%.1f", heap.peakBytes() / 1e6));
    out.put("live_peak_mb", String.format("%.1f", heap.livePeakBytes() / 1e6));
    out.put("pools_peak_mb", String.format("%.1f", heapPeakBytes() / 1e6));
    out.put("rss_peak_mb", String.format("%.1f", vmHwmKb() / 1e3));
    long dbBytes = 0;
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = db.resolveSibling(db.getFileName() + suffix);
      dbBytes += Files.exists(f) ? Files.size(f) : 0;
    }
    out.put("db_mb", String.format("%.1f", dbBytes / 1e6));
    StringBuilder line = new StringBuilder(RESULT);
    out.forEach((k, v) -> line.append('\t').append(k).append('=').append(v));
    System.out.println(line);
    System.out.flush();
  }

  /*
   * The heap's true peak occupancy: the sum of the pools' use just before each collection (one
   * instant, unlike the pools' separate peaks, whose sum can exceed -Xmx), and now. The live peak is
   * the most the heap held just after a collection: what the step kept, not what it churned.
   */
  /** Watches every collection of this JVM for the heap's peak and live peak, in bytes. */
  static final class HeapWatch {
    private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<String> heapPools = new java.util.HashSet<>();

    static HeapWatch start() {
      HeapWatch watch = new HeapWatch();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          watch.heapPools.add(pool.getName());
        }
      }
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof javax.management.NotificationEmitter emitter) {
          emitter.addNotificationListener((notification, handback) -> watch.collected(notification), null, null);
        }
      }
      return watch;
    }

    private void collected(javax.management.Notification notification) {
      if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
          notification.getType())) {
        return;
      }
      var info = com.sun.management.GarbageCollectionNotificationInfo.from(
          (javax.management.openmbean.CompositeData) notification.getUserData()).getGcInfo();
      peak.accumulateAndGet(sum(info.getMemoryUsageBeforeGc()), Math::max);
      live.accumulateAndGet(sum(info.getMemoryUsageAfterGc()), Math::max);
    }

    private long sum(Map<String, java.lang.management.MemoryUsage> usage) {
      long bytes = 0;
      for (var e : usage.entrySet()) {
        if (heapPools.contains(e.getKey())) {
          bytes += e.getValue().getUsed();
        }
      }
      return bytes;
    }

    long peakBytes() {
      return Math.max(peak.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    long livePeakBytes() {
      return live.get();
    }
  }

  private static String ms(long ns) {
    return String.format("%.1f", ns / 1e6);
  }

  /** The sum of the heap pools' peaks since the JVM started, in bytes (as {@link ScanReport#heapPeakBytes()}). */
  static long heapPeakBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /** This process's peak resident set ({@code VmHWM} in {@code /proc/self/status}), in kB; -1 if unknown. */
  static long vmHwmKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
