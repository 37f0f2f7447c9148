package io.github.trackscan.scenario;

import io.github.trackscan.store.Library;
import io.github.trackscan.synth.Changes;
import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.synth.SynthReport;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.Walkers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/*
 * Per size, on one tiny synthetic library (synth --tiny) that outlives the run: each backend
 * imports into its own fresh database, then each rescans (no-op); the library is mutated by 1%
 * (Changes.percent) and each rescans (delta); the files the mutation added and rewrote are copied
 * to a folder of their own and each backend imports them alone into a fresh database ("changed
 * alone": the time to parse the changed files, which the delta's bar adds to the no-op); every
 * file is copied into a new layout (reorganise, new inodes) and each rescans; then each runs the
 * stats query. Every step is a fresh JVM (ScaleStep) with the same options, so the heap and RSS
 * peaks are the step's own and a -Xmx holds for each; backends alternate step by step so their
 * ratios share the machine's noise.
 */
/**
 * The scaling benchmark: import, no-op, 1% delta, reorganise and stats at several library sizes and
 * for several walker backends, each step in its own process; reports time, files per second, heap
 * and resident-set peaks and database size, each with its ratio to the smallest size of the run.
 */
public final class ScaleRunner {
  private static final String CSV_HEADER = "timestamp,commit,jvm_args,tracks,backend,scenario,wall_ms,scan_ms,walk_ms,"
      + "store_read_ms,diff_ms,parse_ms,write_ms,walked,parsed,added,modified,moved,missing,ambiguous,failed,"
      + "files_per_s,heap_peak_mb,live_peak_mb,pools_peak_mb,rss_peak_mb,db_mb,expected,call_ms";

  /** The scenario that imports a delta's changed files alone. */
  static final String CHANGED_ALONE = "changed alone";

  private final Path workDir;
  private final List<Integer> sizes;
  private final long seed;
  private final List<Backend> backends;
  private final List<String> jvmArgs;
  private List<String> retryJvmArgs = List.of();
  private boolean reorganise = true;
  /**
   * Seven: at a million files one walk varies between processes by up to a second, as much as the
   * delta's own work, and on the same code three rounds gave a median over the bar in one run and
   * within it in the next (bench/results, session 13 and 14); seven cost about ten minutes more at 1M.
   */
  public static final int DELTA_ROUNDS_DEFAULT = 7;
  private int deltaRounds = DELTA_ROUNDS_DEFAULT;
  private final Path csv;
  private final String commit;

  /** One step's figures, as the child printed them, plus the parent's wall time and verdict. */
  public record Step(int tracks, Backend backend, String scenario, double wallMs, Map<String, String> values,
      Boolean expected) {
    double value(String key) {
      String v = values.get(key);
      return v == null ? Double.NaN : Double.parseDouble(v);
    }

    /** Files per second of the work the scenario is about: tracks imported, files walked, moved... */
    double filesPerSecond() {
      double ms = scenario.startsWith("import") ? wallMs : value("scan_ms");
      double files = switch (scenario.split(" ")[0]) {
        case "import" -> value("added");
        case "delta" -> value("added") + value("modified") + value("missing");
        case "reorganise" -> value("moved");
        case "changed" -> value("added");
        case "stats" -> value("present");
        default -> value("walked");
      };
      return files / (ms / 1000);
    }
  }

  /**
   * @param workDir where libraries ({@code lib-N-SEED-tiny}) and databases live
   * @param sizes library sizes, in tracks, smallest first (ratios are to the first)
   * @param seed library seed
   * @param backends walker backends
   * @param jvmArgs options for each step's JVM (for instance {@code -Xmx256m})
   * @param csv file to append rows to, or null
   * @param commit recorded in the CSV
   * @throws IllegalArgumentException if a list is empty or a size is out of range
   */
  public ScaleRunner(Path workDir, List<Integer> sizes, long seed, List<Backend> backends, List<String> jvmArgs,
      Path csv, String commit) {
    if (sizes.isEmpty() || backends.isEmpty()) {
      throw new IllegalArgumentException("name at least one size and one backend");
    }
    for (int size : sizes) {
      SynthOptions.builder().tracks(size); // validates
    }
    this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
    this.sizes = List.copyOf(sizes);
    this.seed = seed;
    this.backends = List.copyOf(backends);
    this.jvmArgs = List.copyOf(jvmArgs);
    this.csv = csv;
    this.commit = commit;
  }

  /**
   * JVM options for a second attempt at a step that failed (for instance {@code -Xmx4g} after an
   * OutOfMemoryError under {@code -Xmx256m}): both attempts are recorded, the second with the options
   * in its scenario's name. Empty (the default): no second attempt.
   */
  public ScaleRunner retryJvmArgs(List<String> args) {
    this.retryJvmArgs = List.copyOf(args);
    return this;
  }

  /**
   * How many times to measure the 1% delta at each size, each round a no-op, a mutation, the delta
   * and the changed files imported alone (default 3): the delta's bar is judged on the medians, since
   * one walk of a million files varies between processes by as much as the delta's work.
   */
  public ScaleRunner deltaRounds(int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("delta rounds must be >= 1, got " + rounds);
    }
    this.deltaRounds = rounds;
    return this;
  }

  /** A scenario's name in round {@code round}: the name alone in the first, then "name 2", "name 3"... */
  static String numbered(String scenario, int round) {
    return round == 1 ? scenario : scenario + " " + round;
  }

  /** Whether to run the reorganise scenario (minutes of copying at a million files); default true. */
  public ScaleRunner reorganise(boolean run) {
    this.reorganise = run;
    return this;
  }

  /**
   * Runs every size and prints progress and the table to {@code out}.
   *
   * @return every step
   * @throws IOException if a library, database or the CSV cannot be written, or a step fails
   */
  public List<Step> run(PrintWriter out) throws IOException {
    for (Backend backend : backends) {
      Walkers.create(backend);
    }
    Files.createDirectories(workDir);
    List<Step> steps = new ArrayList<>();
    for (int size : sizes) {
      Path library = workDir.resolve("lib-" + size + "-" + seed + "-tiny");
      if (!Files.isDirectory(library)) {
        out.printf("generating %,d tiny tracks into %s ...%n", size, library);
        out.flush();
        long start = System.nanoTime();
        Path partial = library.resolveSibling(library.getFileName() + ".partial");
        ScenarioRunner.deleteTree(partial);
        SynthLibrary.generate(partial, SynthOptions.builder().tracks(size).seed(seed).tiny(true).build());
        Files.move(partial, library);
        out.printf("generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
      }
      if (Files.isDirectory(library.resolve(ScenarioRunner.BY_LETTER))) {
        out.printf("put back %,d top-level folders an earlier run reorganised%n", ScenarioRunner.putBack(library));
      }
      Map<Backend, Path> dbs = new LinkedHashMap<>();
      for (Backend backend : backends) {
        Path db = workDir.resolve("scale-" + size + "-" + backend.name().toLowerCase() + ".db");
        Library.deleteFiles(db);
        dbs.put(backend, db);
      }
      warmContents(out, library);
      for (Backend b : backends) {
        steps.add(step(out, size, b, "import", "scan", library, dbs.get(b), null));
      }
      for (Backend b : backends) {
        steps.add(step(out, size, b, "noop", "scan", library, dbs.get(b), null));
      }
      for (int round = 1; round <= deltaRounds; round++) {
        if (round > 1) {
          for (Backend b : backends) {
            steps.add(step(out, size, b, numbered("noop", round), "scan", library, dbs.get(b), null));
          }
        }
        int tracksNow = SynthReport.read(library).tracks().size();
        Instant now = ScenarioRunner.waitForNextSecond();
        long start = System.nanoTime();
        Manifest manifest = SynthLibrary.mutate(library, seed * 1000 + System.currentTimeMillis() % 100_000, now,
            Changes.percent(1, tracksNow));
        out.printf("mutated 1%% (%,d added, %,d modified, %,d deleted) in %.1f s%n", manifest.added().size(),
            manifest.modified().size(), manifest.deleted().size(), (System.nanoTime() - start) / 1e9);
        ScenarioRunner.warmPageCache(library);
        for (Backend b : backends) {
          steps.add(step(out, size, b, numbered("delta", round), "scan", library, dbs.get(b), manifest));
        }
        Path changed = copyChanged(library, manifest, workDir.resolve("changed-" + size + "-" + seed));
        for (Backend b : backends) {
          Path db = workDir.resolve("scale-" + size + "-" + b.name().toLowerCase() + "-changed.db");
          Library.deleteFiles(db);
          steps.add(step(out, size, b, numbered(CHANGED_ALONE, round), "scan", changed, db, null));
        }
      }
      if (!reorganise) {
        for (Backend b : backends) {
          steps.add(step(out, size, b, "stats", "stats", library, dbs.get(b), null));
        }
        continue;
      }
      Map<Backend, Long> present = new LinkedHashMap<>();
      for (Backend b : backends) {
        try (Library l = Library.open(dbs.get(b))) {
          present.put(b, l.stats().present());
        }
      }
      long start = System.nanoTime();
      long copied = ScenarioRunner.reorganise(library);
      out.printf("reorganised %,d files (copied with new inodes, originals deleted) in %.1f s%n", copied,
          (System.nanoTime() - start) / 1e9);
      warmContents(out, library);
      for (Backend b : backends) {
        steps.add(step(out, size, b, "reorganise", "scan", library, dbs.get(b), present.get(b)));
      }
      for (Backend b : backends) {
        steps.add(step(out, size, b, "stats", "stats", library, dbs.get(b), null));
      }
      out.flush();
    }
    printTable(out, steps);
    out.println();
    printDeltaBar(out, steps);
    return steps;
  }

  /**
   * Reads every file of the library once, so the import and the reorganise (which read contents)
   * run on a warm page cache as the no-op does: these machines drop idle page cache within minutes,
   * and a million files written a while ago are partly cold. Four readers; files in walk order.
   */
  private static void warmContents(PrintWriter out, Path library) throws IOException {
    long start = System.nanoTime();
    java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try (var files = Files.walk(library)) {
      List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
      List<Path> batch = new ArrayList<>();
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          batch.add(file);
        }
        if (batch.size() == 1024) {
          List<Path> mine = batch;
          pending.add(pool.submit(() -> read(mine, bytes)));
          batch = new ArrayList<>();
        }
      }
      List<Path> last = batch;
      pending.add(pool.submit(() -> read(last, bytes)));
      for (var f : pending) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while warming " + library);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("warming " + library, e.getCause());
    } finally {
      pool.shutdownNow();
    }
    out.printf("read %,d MB of files to warm the page cache in %.1f s%n", bytes.get() / 1_000_000,
        (System.nanoTime() - start) / 1e9);
    out.flush();
  }

  private static Void read(List<Path> files, java.util.concurrent.atomic.AtomicLong bytes) throws IOException {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
    for (Path file : files) {
      try (var channel = java.nio.channels.FileChannel.open(file)) {
        buffer.clear();
        for (int n = channel.read(buffer); n > 0; n = channel.read(buffer)) {
          bytes.addAndGet(n);
          buffer.clear();
        }
      } catch (java.nio.file.AccessDeniedException | java.nio.file.NoSuchFileException e) {
        // Not a library file the scan reads either.
      }
    }
    return null;
  }

  /** {@code expect}: a Manifest for a delta, the present rows (Long) for a reorganise, else null. */
  private Step step(PrintWriter out, int size, Backend backend, String scenario, String mode, Path library, Path db,
      Object expect) throws IOException {
    Step first = attempt(out, size, backend, scenario, mode, library, db, expect, jvmArgs);
    if (!first.values().containsKey("error") || retryJvmArgs.isEmpty()) {
      return first;
    }
    // The failed step is in the CSV; the retry is returned and is the one the table's ratios use.
    return attempt(out, size, backend, scenario + " (" + String.join(" ", retryJvmArgs) + ")", mode, library, db,
        expect, retryJvmArgs);
  }

  /**
   * Writes to disk what the steps before left dirty (a mutation's files, the changed files' copy, a
   * database), so that no step's time holds the kernel writing back another's: it does so up to 30 s
   * after the write, on the same two cores. Without sync(1) the steps run as they are.
   */
  static void syncDisks() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (IOException e) {
      // No sync(1) on this system.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Step attempt(PrintWriter out, int size, Backend backend, String scenario, String mode, Path library,
      Path db, Object expect, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(args);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ScaleStep.class.getName());
    command.addAll(List.of(mode, backend.name().toLowerCase(), library.toString(), db.toString()));
    syncDisks();
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(ScaleStep.RESULT + "\t")) {
          result = line;
        }
      }
    }
    int exit;
    try {
      exit = process.waitFor();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted during " + scenario);
    }
    double wallMs = (System.nanoTime() - start) / 1e6;
    Map<String, String> values = new LinkedHashMap<>();
    if (exit != 0 || result == null) {
      // A step that fails (an OutOfMemoryError under -Xmx, say) is a result too: recorded, and the run goes on.
      out.printf("%,9d %-10s %-6s FAILED: exit %d (its stderr is above)%n", size, scenario,
          backend.name().toLowerCase(), exit);
      values.put("error", "exit " + exit);
      Step failed = new Step(size, backend, scenario, wallMs, values, false);
      if (csv != null) {
        appendCsv(failed);
      }
      return failed;
    }
    for (String pair : result.substring(ScaleStep.RESULT.length() + 1).split("\t")) {
      int eq = pair.indexOf('=');
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    Boolean expected = null;
    if (expect instanceof Manifest m) {
      expected = Long.parseLong(values.get("added")) == m.added().size()
          && Long.parseLong(values.get("modified")) == m.modified().size()
          && Long.parseLong(values.get("missing")) == m.deleted().size()
          && Long.parseLong(values.get("moved")) == 0 && Long.parseLong(values.get("deleted")) == 0;
    } else if (expect instanceof Long rows) {
      expected = Long.parseLong(values.get("moved")) == rows && Long.parseLong(values.get("added")) == 0
          && Long.parseLong(values.get("missing")) == 0 && Long.parseLong(values.get("deleted")) == 0
          && Long.parseLong(values.get("ambiguous")) == 0;
    } else if (scenario.startsWith("noop")) {
      expected = Long.parseLong(values.get("added")) + Long.parseLong(values.get("modified"))
          + Long.parseLong(values.get("moved")) + Long.parseLong(values.get("missing")) == 0;
    }
    Step step = new Step(size, backend, scenario, wallMs, values, expected);
    out.printf("%,9d %-10s %-6s wall %9.1f ms  scan %9s ms  %,10.0f files/s  heap %6s MB (live %s)  rss %6s MB"
        + "  db %7s MB%s%n",
        size, scenario, backend.name().toLowerCase(), wallMs, values.get("scan_ms"), step.filesPerSecond(),
        values.get("heap_peak_mb"), values.get("live_peak_mb"), values.get("rss_peak_mb"), values.get("db_mb"),
        expected == null ? "" : expected ? "  (as expected)" : "  (UNEXPECTED: " + values + ")");
    out.flush();
    if (csv != null) {
      appendCsv(step);
    }
    return step;
  }

  private void appendCsv(Step s) throws IOException {
    boolean fresh = !Files.exists(csv);
    if (csv.getParent() != null) {
      Files.createDirectories(csv.getParent());
    }
    List<String> cells = new ArrayList<>(List.of(Instant.now().toString(), commit,
        s.scenario().contains("(") ? String.join(" ", retryJvmArgs) : String.join(" ", jvmArgs),
        Integer.toString(s.tracks()), s.backend().name().toLowerCase(), s.scenario(), String.format("%.1f", s.wallMs())));
    for (String key : List.of("scan_ms", "walk_ms", "store_read_ms", "diff_ms", "parse_ms", "write_ms", "walked",
        "parsed", "added", "modified", "moved", "missing", "ambiguous", "failed")) {
      cells.add(s.values().getOrDefault(key, ""));
    }
    cells.add(String.format("%.0f", s.filesPerSecond()));
    cells.add(s.values().getOrDefault("heap_peak_mb", ""));
    cells.add(s.values().getOrDefault("live_peak_mb", ""));
    cells.add(s.values().getOrDefault("pools_peak_mb", ""));
    cells.add(s.values().getOrDefault("rss_peak_mb", ""));
    cells.add(s.values().getOrDefault("db_mb", ""));
    cells.add(s.expected() == null ? "" : s.values().containsKey("error") ? s.values().get("error") : s.expected().toString());
    cells.add(s.values().getOrDefault("call_ms", "")); // Last: added after the others, which keep their places.
    Files.writeString(csv, (fresh ? CSV_HEADER + "\n" : "") + String.join(",", cells) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Copies the files {@code manifest} added and rewrote into {@code to} (emptied first), at the same
   * relative paths and with their mtimes: what a delta parses, as a library of its own.
   */
  static Path copyChanged(Path library, Manifest manifest, Path to) throws IOException {
    ScenarioRunner.deleteTree(to);
    for (List<String> paths : List.of(manifest.added(), manifest.modified())) {
      for (String relative : paths) {
        Path target = to.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.copy(library.resolve(relative), target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }

  /**
   * The delta's bar, per size and backend: in each round the delta's scan time less the no-op's
   * before it, beside the time to import that round's changed files alone (walk, parse and write
   * them into a fresh database); then the verdict on the medians of the rounds.
   */
  static void printDeltaBar(PrintWriter out, List<Step> steps) {
    Map<String, List<double[]>> rounds = new LinkedHashMap<>();
    for (Step delta : steps) {
      if (!delta.scenario().startsWith("delta") || delta.values().containsKey("error")) {
        continue;
      }
      String suffix = delta.scenario().substring("delta".length());
      Step noop = find(steps, delta, "noop" + suffix);
      Step alone = find(steps, delta, CHANGED_ALONE + suffix);
      if (noop == null || alone == null) {
        continue;
      }
      // The scan call as a host waits for it, the database's close included (its last checkpoint).
      double extra = delta.value("call_ms") - noop.value("call_ms");
      double aloneMs = alone.value("call_ms");
      out.printf("%,d %s %s: delta - no-op %.0f ms (walk %+.0f, diff %.0f, parse %.0f); the %,.0f changed files"
          + " imported alone %.0f ms (parse %.0f): %s%n", delta.tracks(), delta.backend().name().toLowerCase(),
          suffix.isEmpty() ? "round 1" : "round" + suffix, extra, delta.value("walk_ms") - noop.value("walk_ms"),
          delta.value("diff_ms"), delta.value("parse_ms"), alone.value("added"), aloneMs,
          alone.value("parse_ms"), extra <= aloneMs ? "within" : "over");
      rounds.computeIfAbsent(String.format("%,d %s", delta.tracks(), delta.backend().name().toLowerCase()),
          k -> new ArrayList<>()).add(new double[] {extra, aloneMs});
    }
    for (var e : rounds.entrySet()) {
      double extra = ScenarioRunner.median(e.getValue().stream().mapToDouble(r -> r[0]).sorted().toArray());
      double alone = ScenarioRunner.median(e.getValue().stream().mapToDouble(r -> r[1]).sorted().toArray());
      out.printf("%s, median of %d round%s: delta - no-op %.0f ms, changed files alone %.0f ms: %s%n", e.getKey(),
          e.getValue().size(), e.getValue().size() == 1 ? "" : "s", extra, alone, extra <= alone ? "within" : "OVER");
    }
    out.flush();
  }

  private static Step find(List<Step> steps, Step like, String scenario) {
    return steps.stream().filter(s -> s.tracks() == like.tracks() && s.backend() == like.backend()
        && s.scenario().equals(scenario) && !s.values().containsKey("error")).findFirst().orElse(null);
  }

  /** A Markdown table of every step with ratios to the same scenario and backend at the first size. */
  static void printTable(PrintWriter out, List<Step> steps) {
    out.println();
    out.println("| tracks | scenario | backend | wall s | scan s | files/s | heap peak MB | live peak MB | RSS peak MB"
        + " | DB MB | x tracks | x scan time | x heap | x RSS |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Step s : steps) {
      if (s.values().containsKey("error")) {
        out.printf("| %,d | %s | %s | %.2f | failed: %s | | | | | | | | | |%n", s.tracks(), s.scenario(),
            s.backend().name().toLowerCase(), s.wallMs() / 1000, s.values().get("error"));
        continue;
      }
      Step base = steps.stream().filter(b -> b.backend() == s.backend() && b.scenario().equals(s.scenario()))
          .filter(b -> !b.values().containsKey("error")).findFirst().orElse(s);
      out.printf("| %,d | %s | %s | %.2f | %.2f | %,.0f | %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f |%n",
          s.tracks(), s.scenario(), s.backend().name().toLowerCase(), s.wallMs() / 1000, s.value("scan_ms") / 1000,
          s.filesPerSecond(), s.values().get("heap_peak_mb"), s.values().get("live_peak_mb"),
          s.values().get("rss_peak_mb"), s.values().get("db_mb"),
          (double) s.tracks() / base.tracks(), s.value("scan_ms") / base.value("scan_ms"),
          s.value("heap_peak_mb") / base.value("heap_peak_mb"), s.value("rss_peak_mb") / base.value("rss_peak_mb"));
    }
    out.flush();
  }

  /** Sizes from a comma-separated list ("41000,100000,1000000"). */
  public static List<Integer> parseSizes(String list) {
    List<Integer> sizes = new ArrayList<>();
    for (String s : list.split(",")) {
      try {
        sizes.add(Integer.parseInt(s.trim().replace("_", "")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a size: " + s, e);
      }
    }
    return sizes;
  }
}
