package io.github.trackscan.scenario;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.Library;
import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scenario benchmark: for a synthetic library of a given size and one or more walker backends,
 * runs an initial import into a fresh database, no-op rescans, and delta rescans after
 * {@link SynthLibrary#mutate}; repeats each, breaks every run into phases, checks that every delta
 * scan found exactly the mutation's manifest, appends one CSV row per run and prints a table of
 * medians and spreads.
 *
 * <p>Backends run side by side, interleaved run by run (each on its own database over the same
 * library), so the ratios between them hold on a noisy machine. All runs are in-process, warm page
 * cache (the library is walked once before timing); the first import also pays for a cold JIT,
 * which the median of several repeats discounts.
 */
public final class ScenarioRunner {
  /** The three scenarios. */
  public enum Scenario {
    IMPORT, NOOP, DELTA
  }

  private static final String CSV_HEADER = "timestamp,commit,backend,tracks,scenario,repeat,total_ms,walk_ms,"
      + "store_read_ms,diff_ms,parse_ms,write_ms,walked,added,modified,moved,deleted,unchanged,failed,"
      + "files_per_s,heap_peak_mb,matches_manifest";

  private final Path workDir;
  private final int tracks;
  private final long seed;
  private final List<Backend> backends;
  private final int repeats;
  private final Path csv;
  private final String commit;
  private final int walkThreads;

  /**
   * @param workDir where the library and databases live (the library is generated there if absent)
   * @param tracks library size
   * @param seed library seed
   * @param backends walker backends to compare (NATIVE, NIO)
   * @param repeats runs per scenario and backend, at least 1
   * @param csv file to append rows to, or null
   * @param commit the source commit, for the CSV (may be "unknown")
   * @param walkThreads walker threads, 0 for the default (one per core)
   */
  public ScenarioRunner(Path workDir, int tracks, long seed, List<Backend> backends, int repeats, Path csv, String commit,
      int walkThreads) {
    if (tracks < 1) {
      throw new IllegalArgumentException("tracks must be >= 1, got " + tracks);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
    }
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("name at least one backend");
    }
    this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
    this.tracks = tracks;
    this.seed = seed;
    this.backends = List.copyOf(backends);
    this.repeats = repeats;
    this.csv = csv;
    this.commit = commit;
    this.walkThreads = walkThreads;
  }

  /** One measured scan. */
  public record Run(Backend backend, Scenario scenario, int repeat, ScanReport report, Boolean matchesManifest) {}

  /**
   * Runs every scenario and prints progress and the final table to {@code out}.
   *
   * @return every run, in the order made
   * @throws IOException when the library or the CSV cannot be written
   */
  public List<Run> run(PrintWriter out) throws IOException {
    for (Backend backend : backends) {
      Walkers.create(backend); // fail now, with the reason, if a backend cannot load
    }
    Path library = workDir.resolve("library-" + tracks + "-" + seed);
    if (Files.isDirectory(library)) {
      out.println("using " + library + " (mutations from earlier runs included)");
    } else {
      out.printf("generating %,d tracks into %s ...%n", tracks, library);
      out.flush();
      long start = System.nanoTime();
      ensureLibrary(library, tracks, seed);
      out.printf("generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
    warmPageCache(library);
    List<Run> runs = new ArrayList<>();
    Map<Backend, Path> databases = new LinkedHashMap<>();
    for (Backend backend : backends) {
      databases.put(backend, workDir.resolve("scenario-" + backend.name().toLowerCase() + ".db"));
    }
    for (int r = 1; r <= repeats; r++) {
      for (Backend backend : backends) {
        Library.deleteFiles(databases.get(backend));
        runs.add(measure(out, backend, Scenario.IMPORT, r, library, databases.get(backend), null));
      }
    }
    for (int r = 1; r <= repeats; r++) {
      for (Backend backend : backends) {
        runs.add(measure(out, backend, Scenario.NOOP, r, library, databases.get(backend), null));
      }
    }
    for (int r = 1; r <= repeats; r++) {
      // mutate() gives fresh files whole-second mtimes and asks for a `now` later than the last
      // scan; runs here are fast enough to share a second. (A track rewritten at the same size in
      // the second it was scanned keeps its fingerprint; the scanner's recheck finds it, but the
      // delta measured should be the mutation's alone.)
      Instant now = waitForNextSecond();
      // The library outlives a run and is mutated again by the next one: a seed from the clock keeps
      // new album names from colliding with those an earlier run added.
      Manifest manifest = SynthLibrary.mutate(library,
          seed * 1000 + System.currentTimeMillis() % 100_000 + r, now);
      for (Backend backend : backends) {
        runs.add(measure(out, backend, Scenario.DELTA, r, library, databases.get(backend), manifest));
      }
    }
    printTable(out, runs);
    return runs;
  }

  /** Sleeps until the wall clock enters a new second, then returns the time. */
  private static Instant waitForNextSecond() {
    long second = Instant.now().getEpochSecond();
    while (true) {
      Instant now = Instant.now();
      if (now.getEpochSecond() > second) {
        return now;
      }
      try {
        Thread.sleep(Math.max(1, 1_000 - now.getNano() / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next second", e);
      }
    }
  }

  private Run measure(PrintWriter out, Backend backend, Scenario scenario, int repeat, Path library, Path db,
      Manifest manifest) throws IOException {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    Scanner scanner = Scanner.builder().roots(library).database(db).backend(backend)
        .walkOptions(WalkOptions.builder().threads(walkThreads).build()).build();
    ScanReport report = scanner.scan();
    Boolean matches = manifest == null ? null : matches(report, manifest);
    Run run = new Run(backend, scenario, repeat, report, matches);
    out.printf("%-6s %-6s #%d %8.1f ms%s%n", scenario.name().toLowerCase(), backend.name().toLowerCase(), repeat,
        report.times().totalNs() / 1e6, matches == null ? "" : matches ? "  (= manifest)" : "  (MISMATCH with manifest)");
    out.flush();
    if (csv != null) {
      appendCsv(run);
    }
    return run;
  }

  /** Whether a delta scan found exactly what the mutation did. */
  static boolean matches(ScanReport report, Manifest manifest) {
    return report.count(ChangeKind.ADDED) == manifest.added().size()
        && report.count(ChangeKind.MODIFIED) == manifest.modified().size()
        && report.count(ChangeKind.DELETED) == manifest.deleted().size()
        && report.count(ChangeKind.MOVED) == 0;
  }

  private void appendCsv(Run run) throws IOException {
    boolean fresh = !Files.exists(csv);
    if (csv.getParent() != null) {
      Files.createDirectories(csv.getParent());
    }
    ScanReport r = run.report();
    var t = r.times();
    long parsed = r.count(ChangeKind.ADDED) + r.count(ChangeKind.MODIFIED);
    double seconds = t.totalNs() / 1e9;
    String row = String.join(",",
        Instant.now().toString(), commit, run.backend().name().toLowerCase(), Integer.toString(tracks),
        run.scenario().name().toLowerCase(), Integer.toString(run.repeat()),
        ms(t.totalNs()), ms(t.walkNs()), ms(t.storeReadNs()), ms(t.diffNs()), ms(t.parseNs()), ms(t.writeNs()),
        Long.toString(r.filesWalked()), Long.toString(r.count(ChangeKind.ADDED)),
        Long.toString(r.count(ChangeKind.MODIFIED)), Long.toString(r.count(ChangeKind.MOVED)),
        Long.toString(r.count(ChangeKind.DELETED)), Long.toString(r.count(ChangeKind.UNCHANGED)),
        Long.toString(r.failed()),
        String.format("%.0f", (run.scenario() == Scenario.NOOP ? r.filesWalked() : parsed) / seconds),
        String.format("%.1f", r.heapPeakBytes() / 1e6),
        run.matchesManifest() == null ? "" : run.matchesManifest().toString());
    String text = (fresh ? CSV_HEADER + "\n" : "") + row + "\n";
    Files.writeString(csv, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String ms(long ns) {
    return String.format("%.1f", ns / 1e6);
  }

  /** Prints medians with min–max per scenario and backend, phases included, and backend ratios. */
  static void printTable(PrintWriter out, List<Run> runs) {
    out.println();
    out.println("| scenario | backend | runs | total ms (median, min-max) | walk | store read | diff | parse | write | added | modified | deleted | heap peak MB |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    Map<String, List<Run>> groups = new LinkedHashMap<>();
    for (Run run : runs) {
      groups.computeIfAbsent(run.scenario() + "/" + run.backend(), k -> new ArrayList<>()).add(run);
    }
    for (List<Run> group : groups.values()) {
      Run first = group.get(0);
      long[] totals = group.stream().mapToLong(r -> r.report().times().totalNs()).sorted().toArray();
      out.printf("| %s | %s | %d | %.0f (%.0f-%.0f) | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %.0f |%n",
          first.scenario().name().toLowerCase(), first.backend().name().toLowerCase(), group.size(),
          median(totals) / 1e6, totals[0] / 1e6, totals[totals.length - 1] / 1e6,
          medianOf(group, r -> r.report().times().walkNs()) / 1e6,
          medianOf(group, r -> r.report().times().storeReadNs()) / 1e6,
          medianOf(group, r -> r.report().times().diffNs()) / 1e6,
          medianOf(group, r -> r.report().times().parseNs()) / 1e6,
          medianOf(group, r -> r.report().times().writeNs()) / 1e6,
          group.get(group.size() - 1).report().count(ChangeKind.ADDED),
          group.get(group.size() - 1).report().count(ChangeKind.MODIFIED),
          group.get(group.size() - 1).report().count(ChangeKind.DELETED),
          medianOf(group, r -> r.report().heapPeakBytes()) / 1e6);
    }
    out.flush();
  }

  private static double medianOf(List<Run> runs, java.util.function.ToLongFunction<Run> value) {
    return median(runs.stream().mapToLong(value).sorted().toArray());
  }

  private static double median(long[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static void warmPageCache(Path library) throws IOException {
    Walkers.create(Backend.AUTO).walk(library, WalkOptions.defaults(), new io.github.trackscan.walk.WalkVisitor() {
      @Override
      public void entry(io.github.trackscan.walk.WalkEntry entry) {}

      @Override
      public void error(io.github.trackscan.walk.WalkError error) {}
    });
  }

  /**
   * The synthetic library of {@code tracks} and {@code seed} at {@code library}, generated there
   * if it is not yet (into a ".partial" sibling first, so an interrupted generation is never
   * mistaken for a library). Also used by the JMH benchmarks.
   *
   * @return {@code library}
   * @throws IOException when it cannot be written
   */
  public static Path ensureLibrary(Path library, int tracks, long seed) throws IOException {
    if (!Files.isDirectory(library)) {
      Path partial = library.resolveSibling(library.getFileName() + ".partial");
      deleteTree(partial);
      Files.createDirectories(partial);
      SynthLibrary.generate(partial, SynthOptions.builder().tracks(tracks).seed(seed).build());
      Files.move(partial, library);
    }
    return library;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The backends named in a comma-separated list ("native,nio"). */
  public static List<Backend> parseBackends(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(String::toUpperCase).map(Backend::valueOf).toList();
  }
}
