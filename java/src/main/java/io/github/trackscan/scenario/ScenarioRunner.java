package io.github.trackscan.scenario;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.postgres.PostgresCatalog;
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
 * runs an initial import into a fresh database, no-op rescans, delta rescans after
 * {@link SynthLibrary#mutate}, and reorganise rescans after {@link #reorganise} (every file copied
 * into a new folder structure, so with a new inode, and the originals deleted); repeats each, breaks
 * every run into phases, checks that every delta scan found exactly the mutation's manifest and
 * every reorganise scan found every row MOVED with its id and nothing else, appends one CSV row per
 * run and prints a table of medians and spreads.
 *
 * <p>Backends run side by side, interleaved run by run (each on its own database over the same
 * library), so the ratios between them hold on a noisy machine. All runs are in-process, warm page
 * cache (the library is walked once before timing); the first import also pays for a cold JIT,
 * which the median of several repeats discounts.
 */
public final class ScenarioRunner {
  /** The three scenarios. */
  public enum Scenario {
    IMPORT, NOOP, DELTA, REORGANISE
  }

  /** The folder {@link #reorganise} files the library's top-level entries under, by first letter. */
  static final String BY_LETTER = "_by-letter";

  private static final String CSV_HEADER = "timestamp,commit,backend,tracks,scenario,repeat,total_ms,walk_ms,"
      + "store_read_ms,diff_ms,parse_ms,write_ms,walked,added,modified,moved,deleted,unchanged,failed,"
      + "files_per_s,heap_peak_mb,matches_manifest,missing,restored,ambiguous_moves,allocated_mb,retained_mb";

  private final Path workDir;
  private final int tracks;
  private final long seed;
  private final List<Backend> backends;
  private final int repeats;
  private final Path csv;
  private final String commit;
  private final int walkThreads;
  /** The catalogues each backend runs against: "sqlite" (a file in workDir) or a PostgreSQL URL. */
  private final List<String> databases;

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
    this(workDir, tracks, seed, backends, repeats, csv, commit, walkThreads, List.of(SQLITE));
  }

  /** The SQLite catalogue, in a file per backend under the work folder. */
  public static final String SQLITE = "sqlite";

  /**
   * As the other constructor, with the catalogues to run every backend against, side by side.
   *
   * @param databases each {@value #SQLITE} (a file per backend in {@code workDir}) or a PostgreSQL URL
   *     ({@code postgresql://...}; each backend gets a schema of its own there, {@code bench_BACKEND},
   *     dropped and made again before every import)
   */
  public ScenarioRunner(Path workDir, int tracks, long seed, List<Backend> backends, int repeats, Path csv, String commit,
      int walkThreads, List<String> databases) {
    if (databases.isEmpty()) {
      throw new IllegalArgumentException("name at least one database");
    }
    for (String db : databases) {
      if (!db.equals(SQLITE)) {
        PostgresCatalog.source(db, false); // A bad URL fails now, not after the library is generated.
      }
    }
    this.databases = List.copyOf(databases);
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

  /**
   * One measured scan: a timed run ({@code repeat} 1 and up), or the run of each scenario that
   * measures the heap it retains ({@code repeat} 0, {@link #MEMORY}), whose times do not count.
   *
   * @param engine "sqlite" or "postgresql"
   * @param retainedBytes the most heap in use after a collection during the scan (see RetainedHeap),
   *     or -1 for a timed run
   */
  public record Run(Backend backend, String engine, Scenario scenario, int repeat, ScanReport report,
      Boolean matchesManifest, long allocatedBytes, long retainedBytes) {
    /** The backend, and the engine when it is not SQLite: {@code native}, {@code native+postgresql}. */
    public String label() {
      return backend.name().toLowerCase() + (engine.equals(SQLITE) ? "" : "+" + engine);
    }
  }

  /** A backend with the catalogue it writes: one column of the comparison. */
  private record Variant(Backend backend, String engine, CatalogSource catalog, String url, String schema) {
    /** An empty catalogue: the SQLite files deleted, or the schema dropped and made again. */
    void reset() throws IOException {
      if (schema == null) {
        Library.deleteFiles(catalog.file().orElseThrow());
        return;
      }
      try (java.sql.Connection c = PostgresCatalog.connect(url); java.sql.Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        s.execute("CREATE SCHEMA " + schema);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("resetting schema " + schema + " of " + catalog.describe(), e);
      }
    }

    java.sql.Connection connect() throws java.sql.SQLException {
      return schema == null ? java.sql.DriverManager.getConnection("jdbc:sqlite:" + catalog.file().orElseThrow())
          : PostgresCatalog.connect(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }
  }

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
    if (Files.isDirectory(library.resolve(BY_LETTER))) {
      // An earlier run ended after an odd number of reorganises: mutate() needs the layout it made.
      out.printf("put back %,d top-level folders an earlier run reorganised%n", putBack(library));
    }
    warmPageCache(library);
    List<Run> runs = new ArrayList<>();
    List<Variant> variants = new ArrayList<>();
    for (String db : databases) {
      for (Backend backend : backends) {
        String name = backend.name().toLowerCase();
        if (db.equals(SQLITE)) {
          variants.add(new Variant(backend, SQLITE, Library.source(workDir.resolve("scenario-" + name + ".db")), null,
              null));
        } else {
          String schema = "bench_" + name;
          String url = db + (db.contains("?") ? "&" : "?") + "currentSchema=" + schema;
          variants.add(new Variant(backend, "postgresql", PostgresCatalog.source(url, false), db, schema));
        }
      }
    }
    // Each scenario's memory run follows its timed runs, as one more run of it, so the library and
    // the catalogues are in the state the next scenario expects.
    for (int r = 0; r <= repeats; r++) {
      for (Variant variant : variants) {
        variant.reset();
        runs.add(measure(out, variant, Scenario.IMPORT, next(r), library, null));
      }
    }
    for (int r = 0; r <= repeats; r++) {
      for (Variant variant : variants) {
        runs.add(measure(out, variant, Scenario.NOOP, next(r), library, null));
      }
    }
    for (int r = 0; r <= repeats; r++) {
      // mutate() gives fresh files whole-second mtimes and asks for a `now` later than the last
      // scan; runs here are fast enough to share a second. (A track rewritten at the same size in
      // the second it was scanned keeps its fingerprint; the scanner's recheck finds it, but the
      // delta measured should be the mutation's alone.)
      Instant now = waitForNextSecond();
      // The library outlives a run and is mutated again by the next one: a seed from the clock keeps
      // new album names from colliding with those an earlier run added.
      Manifest manifest = SynthLibrary.mutate(library,
          seed * 1000 + System.currentTimeMillis() % 100_000 + r, now);
      for (Variant variant : variants) {
        runs.add(measure(out, variant, Scenario.DELTA, next(r), library, manifest));
      }
    }
    for (int r = 0; r <= repeats; r++) {
      Map<Variant, long[]> idsBefore = new LinkedHashMap<>();
      for (Variant variant : variants) {
        idsBefore.put(variant, markHostColumn(variant));
      }
      long start = System.nanoTime();
      long files = reorganise(library);
      out.printf("reorganised %,d files (copied with new inodes, originals deleted) in %.1f s%n", files,
          (System.nanoTime() - start) / 1e9);
      warmPageCache(library);
      for (Variant variant : variants) {
        runs.add(measure(out, variant, Scenario.REORGANISE, next(r), library, null, idsBefore.get(variant)));
      }
    }
    printTable(out, runs);
    out.println();
    printRetainedBar(out, runs);
    return runs;
  }

  /** The repeat number of the r-th run of a scenario (counting from 0): the timed ones, then {@link #MEMORY}. */
  private int next(int r) {
    return r < repeats ? r + 1 : MEMORY;
  }

  /** The repeat number of a scenario's memory run. */
  public static final int MEMORY = 0;

  /** A column a host would add (a play count): the reorganise must keep it on every row. */
  private static final String HOST_COLUMN = "bench_play_count";

  /**
   * Sets {@value #HOST_COLUMN} to id * 7 on every row (adding the column if needed), as a host's
   * play counts, and returns {@link #ids}.
   */
  private static long[] markHostColumn(Variant db) {
    try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
      boolean present = false;
      try (java.sql.ResultSet rs = c.getMetaData().getColumns(null, db.schema(), "library", HOST_COLUMN)) {
        present = rs.next();
      }
      if (!present) {
        s.execute("ALTER TABLE library ADD COLUMN " + HOST_COLUMN + " INTEGER");
      }
      s.execute("UPDATE library SET " + HOST_COLUMN + " = id * 7");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("setting a host column in " + db.catalog().describe(), e);
    }
    return ids(db);
  }

  /**
   * The present rows' count and the sum of their ids, and the rows whose host column is not
   * id * 7: {count, sum, host values lost}.
   */
  private static long[] ids(Variant db) {
    try (java.sql.Connection c = db.connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE missing_since IS NULL),"
            + " coalesce(sum(id) FILTER (WHERE missing_since IS NULL), 0), count(*) FILTER (WHERE " + HOST_COLUMN
            + " IS NULL OR " + HOST_COLUMN + " <> id * 7) FROM library")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("reading the ids of " + db.catalog().describe(), e);
    }
  }

  /**
   * Reorganises the library as a user moving it to a new layout with a copying tool would: every
   * top-level entry but the synthetic library's manifests is copied (new inodes, times kept) into
   * {@value #BY_LETTER}/LETTER/, or, when the library is laid out so already, back to the top
   * level; the originals are deleted.
   *
   * @return the files copied
   * @throws IOException when the library cannot be read or written
   */
  public static long reorganise(Path library) throws IOException {
    Path byLetter = library.resolve(BY_LETTER);
    boolean back = Files.isDirectory(byLetter);
    List<Path[]> moves = new ArrayList<>();
    if (back) {
      try (var letters = Files.list(byLetter)) {
        for (Path letter : letters.toList()) {
          try (var entries = Files.list(letter)) {
            entries.forEach(e -> moves.add(new Path[] {e, library.resolve(e.getFileName().toString())}));
          }
        }
      }
    } else {
      try (var entries = Files.list(library)) {
        for (Path e : entries.toList()) {
          String name = e.getFileName().toString();
          if (name.startsWith(".trackscan-")) {
            continue; // The synthetic library's own manifests stay where mutate() looks for them.
          }
          int first = name.codePointAt(0);
          String letter = Character.isLetter(first) ? Character.toString(Character.toUpperCase(first)) : "#";
          moves.add(new Path[] {e, byLetter.resolve(letter).resolve(name)});
        }
      }
    }
    // Folders are copied four at a time: on these virtual disks creating a file is a syscall-bound
    // ~0.5 ms of kernel time, and a million-file library takes minutes even so.
    java.util.concurrent.atomic.AtomicLong files = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (Path[] move : moves) {
        done.add(pool.submit(() -> {
          files.addAndGet(copyTree(move[0], move[1]));
          deleteTree(move[0]);
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException("reorganising " + library, e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while reorganising " + library);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (back) {
      deleteTree(byLetter);
    }
    return files.get();
  }

  /**
   * Undoes a {@link #reorganise} by renaming each entry of {@value #BY_LETTER}/LETTER/ back to the
   * top level (same inodes: for a library whose databases are made again, not for the reorganise
   * scenario itself, which must copy).
   *
   * @return the entries moved back
   * @throws IOException when an entry cannot be moved, or its name is taken at the top level
   */
  public static long putBack(Path library) throws IOException {
    Path byLetter = library.resolve(BY_LETTER);
    long entries = 0;
    try (var letters = Files.list(byLetter)) {
      for (Path letter : letters.toList()) {
        try (var names = Files.list(letter)) {
          for (Path entry : names.toList()) {
            Files.move(entry, library.resolve(entry.getFileName().toString()));
            entries++;
          }
        }
        Files.delete(letter);
      }
    }
    Files.delete(byLetter);
    return entries;
  }

  private static long copyTree(Path from, Path to) throws IOException {
    long files = 0;
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
          files++;
        }
      }
    }
    return files;
  }

  /**
   * Bytes this JVM's threads have allocated on the heap so far: what a scan churns through, which
   * (unlike the heap's peak) does not depend on when the collector chose to run.
   */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
  }

  /** Sleeps until the wall clock enters a new second, then returns the time. */
  static Instant waitForNextSecond() {
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

  private Run measure(PrintWriter out, Variant variant, Scenario scenario, int repeat, Path library, Manifest manifest)
      throws IOException {
    return measure(out, variant, scenario, repeat, library, manifest, null);
  }

  /** {@code idsBefore}: for a reorganise, the present rows' {count, sum of ids} before it. */
  private Run measure(PrintWriter out, Variant variant, Scenario scenario, int repeat, Path library,
      Manifest manifest, long[] idsBefore) throws IOException {
    Backend backend = variant.backend();
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    Scanner scanner = Scanner.builder().roots(library).database(variant.catalog()).backend(backend)
        .walkOptions(WalkOptions.builder().threads(walkThreads).build()).build();
    long allocatedBefore = allocatedBytes();
    ScanReport report;
    long retained = -1;
    if (repeat == MEMORY) {
      RetainedHeap heap = new RetainedHeap();
      report = scanner.scan(heap, new CancellationToken());
      retained = heap.peakBytes();
    } else {
      report = scanner.scan();
    }
    long allocated = allocatedBytes() - allocatedBefore;
    Boolean matches = null;
    if (manifest != null) {
      matches = matches(report, manifest);
    } else if (idsBefore != null) {
      matches = reorganised(report, idsBefore, ids(variant));
    }
    Run run = new Run(backend, variant.engine(), scenario, repeat, report, matches, allocated, retained);
    out.printf("%-6s %-6s %s %8.1f ms  %s, allocated %6.1f MB%s%n", scenario.name().toLowerCase(),
        run.label(), repeat == MEMORY ? "memory" : "#" + repeat, report.times().totalNs() / 1e6,
        repeat == MEMORY ? String.format("retained %5.1f MB", retained / 1e6)
            : String.format("heap peak %5.1f MB", report.heapPeakBytes() / 1e6), allocated / 1e6,
        matches == null ? ""
            : matches ? (manifest != null ? "  (= manifest)" : "  (every row moved, ids kept)")
            : manifest != null ? "  (MISMATCH with manifest)"
            : "  (MISMATCH: " + report.count(ChangeKind.MOVED) + " moved, " + report.count(ChangeKind.ADDED)
                + " added, " + report.count(ChangeKind.MISSING) + " missing, " + report.ambiguousMoves() + " ambiguous)");
    out.flush();
    if (csv != null) {
      appendCsv(run);
    }
    return run;
  }

  /** Whether a delta scan found exactly what the mutation did: its deleted files are missing, not deleted. */
  static boolean matches(ScanReport report, Manifest manifest) {
    return report.count(ChangeKind.ADDED) == manifest.added().size()
        && report.count(ChangeKind.MODIFIED) == manifest.modified().size()
        && report.count(ChangeKind.MISSING) == manifest.deleted().size()
        && report.count(ChangeKind.DELETED) == 0
        && report.count(ChangeKind.MOVED) == 0;
  }

  /**
   * Whether a reorganise scan moved every present row, kept every id and every host value, and did
   * nothing else.
   */
  static boolean reorganised(ScanReport report, long[] idsBefore, long[] idsAfter) {
    return report.count(ChangeKind.MOVED) == idsBefore[0] && java.util.Arrays.equals(idsBefore, idsAfter)
        && report.count(ChangeKind.ADDED) == 0 && report.count(ChangeKind.MISSING) == 0
        && report.count(ChangeKind.DELETED) == 0 && report.count(ChangeKind.MODIFIED) == 0
        && report.ambiguousMoves() == 0;
  }

  private void appendCsv(Run run) throws IOException {
    boolean fresh = !Files.exists(csv);
    if (csv.getParent() != null) {
      Files.createDirectories(csv.getParent());
    }
    ScanReport r = run.report();
    var t = r.times();
    long parsed = r.count(ChangeKind.ADDED) + r.count(ChangeKind.MODIFIED) + r.count(ChangeKind.MOVED);
    double seconds = t.totalNs() / 1e9;
    String row = String.join(",",
        Instant.now().toString(), commit, run.label(), Integer.toString(tracks),
        run.scenario().name().toLowerCase(), Integer.toString(run.repeat()),
        ms(t.totalNs()), ms(t.walkNs()), ms(t.storeReadNs()), ms(t.diffNs()), ms(t.parseNs()), ms(t.writeNs()),
        Long.toString(r.filesWalked()), Long.toString(r.count(ChangeKind.ADDED)),
        Long.toString(r.count(ChangeKind.MODIFIED)), Long.toString(r.count(ChangeKind.MOVED)),
        Long.toString(r.count(ChangeKind.DELETED)), Long.toString(r.count(ChangeKind.UNCHANGED)),
        Long.toString(r.failed()),
        String.format("%.0f", (run.scenario() == Scenario.NOOP ? r.filesWalked() : parsed) / seconds),
        String.format("%.1f", r.heapPeakBytes() / 1e6),
        run.matchesManifest() == null ? "" : run.matchesManifest().toString(),
        Long.toString(r.count(ChangeKind.MISSING)), Long.toString(r.count(ChangeKind.RESTORED)),
        Long.toString(r.ambiguousMoves()), String.format("%.1f", run.allocatedBytes() / 1e6),
        run.retainedBytes() < 0 ? "" : String.format("%.1f", run.retainedBytes() / 1e6));
    String text = (fresh ? CSV_HEADER + "\n" : "") + row + "\n";
    Files.writeString(csv, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String ms(long ns) {
    return String.format("%.1f", ns / 1e6);
  }

  /**
   * Prints medians with min–max per scenario and backend, phases included, of the timed runs; and
   * the heap each memory run retained.
   */
  static void printTable(PrintWriter out, List<Run> runs) {
    out.println();
    out.println("| scenario | backend | runs | total ms (median, min-max) | walk | store read | diff | parse | write | added | modified | moved | missing | heap peak MB | retained MB |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    Map<String, List<Run>> groups = new LinkedHashMap<>();
    Map<String, Long> retained = new LinkedHashMap<>();
    for (Run run : runs) {
      String key = run.scenario() + "/" + run.label();
      if (run.repeat() == MEMORY) {
        retained.put(key, run.retainedBytes());
      } else {
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
      }
    }
    for (var entry : groups.entrySet()) {
      List<Run> group = entry.getValue();
      Run first = group.get(0);
      Long kept = retained.get(entry.getKey());
      double[] totals = group.stream().mapToDouble(r -> r.report().times().totalNs()).sorted().toArray();
      out.printf("| %s | %s | %d | %.0f (%.0f-%.0f) | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %d | %.0f | %s |%n",
          first.scenario().name().toLowerCase(), first.label(), group.size(),
          median(totals) / 1e6, totals[0] / 1e6, totals[totals.length - 1] / 1e6,
          medianOf(group, r -> r.report().times().walkNs()) / 1e6,
          medianOf(group, r -> r.report().times().storeReadNs()) / 1e6,
          medianOf(group, r -> r.report().times().diffNs()) / 1e6,
          medianOf(group, r -> r.report().times().parseNs()) / 1e6,
          medianOf(group, r -> r.report().times().writeNs()) / 1e6,
          group.get(group.size() - 1).report().count(ChangeKind.ADDED),
          group.get(group.size() - 1).report().count(ChangeKind.MODIFIED),
          group.get(group.size() - 1).report().count(ChangeKind.MOVED),
          group.get(group.size() - 1).report().count(ChangeKind.MISSING),
          medianOf(group, r -> r.report().heapPeakBytes()) / 1e6,
          kept == null ? "-" : String.format("%.1f", kept / 1e6));
    }
    out.flush();
  }

  /** The reorganise's bar on memory (issue 11): the heap it retains at most 1.5x the no-op's, per backend. */
  static final double RETAINED_BAR = 1.5;

  /**
   * Prints, per backend, the heap the reorganise retained against the no-op's, with the ratio and
   * {@code within} or {@code OVER} the bar.
   */
  static void printRetainedBar(PrintWriter out, List<Run> runs) {
    Map<String, Long> noop = new LinkedHashMap<>();
    Map<String, Long> reorganise = new LinkedHashMap<>();
    for (Run run : runs) {
      if (run.repeat() == MEMORY && run.scenario() == Scenario.NOOP) {
        noop.put(run.label(), run.retainedBytes());
      } else if (run.repeat() == MEMORY && run.scenario() == Scenario.REORGANISE) {
        reorganise.put(run.label(), run.retainedBytes());
      }
    }
    for (var e : reorganise.entrySet()) {
      Long base = noop.get(e.getKey());
      if (base == null || base <= 0) {
        continue;
      }
      double ratio = (double) e.getValue() / base;
      out.printf("%s: the reorganise retained %.1f MB, the no-op %.1f MB: %.2fx, %s the bar of %.1fx%n", e.getKey(),
          e.getValue() / 1e6, base / 1e6, ratio, ratio <= RETAINED_BAR ? "within" : "OVER", RETAINED_BAR);
    }
    out.flush();
  }

  private static double medianOf(List<Run> runs, java.util.function.ToLongFunction<Run> value) {
    return median(runs.stream().mapToDouble(value::applyAsLong).sorted().toArray());
  }

  /** The median of {@code sorted} (in ascending order): the middle value, or the mean of the two middle ones. */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static void warmPageCache(Path library) throws IOException {
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

  static void deleteTree(Path dir) throws IOException {
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
