package io.github.trackscan.bench.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The database evaluation (issue 14): SQLite, H2, DuckDB and PostgreSQL on trackscan's catalogue
 * workload, each in a JVM of its own, side by side in one run; prints a Markdown table.
 *
 * <p>Per engine and row set: create; initial import in 1,000-row transactions by the engine's bulk
 * path, while a host reads (one album artist's tracks, a title/artist search) and its worst latency
 * is kept; the fingerprint read of every row into a map (first, and again); a delta of 200 inserts,
 * 200 updates and 10 deletes; a move of up to 60,000 rows (new paths, ids kept); size on disk; time
 * to open the result and count it; heap and RSS peaks of the JVM; then a crash test: an import
 * killed with SIGKILL after its third commit plus a random delay, reopened and checked (rows in
 * whole transactions, no path twice, nothing half-written); {@code --kills N} repeats that N times,
 * {@code --crash-only} skips the measurements.
 *
 * <p>Run (after {@code ./dev build}):
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar io.github.trackscan.bench.db.EngineEvaluation \
 *     --rows catalogue:/path/to/a/41k/library.db --rows synthetic:1000000 \
 *     --engines SQLITE,H2,DUCKDB,POSTGRESQL --postgres postgresql://USER:PW@127.0.0.1:PORT/DB --work /tmp/eval
 * }</pre>
 */
public final class EngineEvaluation {
  private EngineEvaluation() {}

  /** Seconds one engine's child may take (--timeout); past it, its row says so and the others go on. */
  private static long childTimeoutS = 1800;

  public static void main(String[] args) throws Exception {
    List<String> rowSets = new ArrayList<>();
    List<Dialect> engines = new ArrayList<>(List.of(Dialect.values()));
    String postgres = "-";
    Path work = Path.of("bench-work/eval");
    String heap = "-Xmx3g";
    int kills = 1;
    boolean measure = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rowSets.add(args[++i]);
        case "--engines" -> {
          engines.clear();
          for (String e : args[++i].split(",")) {
            engines.add(Dialect.valueOf(e.trim().toUpperCase()));
          }
        }
        case "--postgres" -> postgres = args[++i];
        case "--work" -> work = Path.of(args[++i]);
        case "--heap" -> heap = args[++i];
        case "--timeout" -> childTimeoutS = Long.parseLong(args[++i]);
        case "--kills" -> kills = Integer.parseInt(args[++i]);
        case "--crash-only" -> measure = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (rowSets.isEmpty()) {
      rowSets.add("synthetic:41000");
    }
    if (engines.contains(Dialect.POSTGRESQL) && postgres.equals("-")) {
      throw new IllegalArgumentException("--postgres URL is needed for POSTGRESQL");
    }
    List<Map<String, String>> results = new ArrayList<>();
    for (String rows : rowSets) {
      for (Dialect engine : engines) {
        Path dir = work.resolve(engine.name().toLowerCase() + "-" + rows.replaceAll("[^A-Za-z0-9]+", "_"));
        deleteTree(dir);
        Map<String, String> result = new LinkedHashMap<>();
        result.put("engine", engine.name().toLowerCase());
        result.put("row_set", rows.startsWith("catalogue:") ? "catalogue" : rows);
        try {
          if (measure) {
            result.putAll(child(heap, engine, rows, dir, postgres, "measure", "RESULT"));
          }
        } catch (IllegalStateException e) {
          System.err.println(e.getMessage());
          result.put("import_ms", "failed: " + e.getMessage().replace('|', '/').lines().findFirst().orElse(""));
        }
        List<String> verdicts = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
          try {
            Map<String, String> crash = crash(heap, engine, rows, dir.resolveSibling(dir.getFileName() + "-crash"), postgres);
            verdicts.add(crash.get("crash"));
            result.put("crash_open_ms", crash.get("crash_open_ms"));
          } catch (IllegalStateException e) {
            verdicts.add("check failed: " + e.getMessage().lines().findFirst().orElse(""));
          }
        }
        result.put("crash", String.join("; ", verdicts));
        System.err.println(result);
        results.add(result);
        deleteTree(dir);
      }
    }
    print(results, engines);
  }

  private static Map<String, String> child(String heap, Dialect engine, String rows, Path dir, String url, String mode,
      String prefix) throws IOException, InterruptedException {
    Process p = start(heap, engine, rows, dir, url, mode);
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
      try {
        if (!p.waitFor(childTimeoutS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        // The child ended first.
      }
    });
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith(prefix + " ")) {
          for (String kv : line.substring(prefix.length() + 1).split(" ")) {
            int eq = kv.indexOf('=');
            values.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
      }
    }
    p.waitFor();
    watchdog.interrupt();
    if (p.exitValue() != 0 || values.isEmpty()) {
      throw new IllegalStateException(engine + " " + mode + (p.exitValue() == 137 ? " took over " + childTimeoutS
          + " s (stopped)" : " failed (exit " + p.exitValue() + ")") + ": " + lines);
    }
    return values;
  }

  private static Process start(String heap, Dialect engine, String rows, Path dir, String url, String mode)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        heap, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        EngineWorkload.class.getName(), engine.name(), rows, dir.toString(), url, mode));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** SIGKILL after the third commit and a random 0-200 ms, then reopen and check. */
  private static Map<String, String> crash(String heap, Dialect engine, String rows, Path dir, String url)
      throws IOException, InterruptedException {
    deleteTree(dir);
    Process p = start(heap, engine, rows, dir, url, "crash");
    long committed = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int commits = 0;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("COMMITTED ")) {
          committed = Long.parseLong(line.substring("COMMITTED ".length()));
          if (++commits == 3) {
            Thread.sleep(new SplittableRandom().nextInt(200));
            p.destroyForcibly(); // SIGKILL
            break;
          }
        }
      }
    }
    p.waitFor();
    Map<String, String> check = child(heap, engine, rows, dir, url, "check", "CHECK");
    long found = Long.parseLong(check.get("rows"));
    boolean whole = (found % EngineWorkload.BATCH_ROWS == 0 || found == rowsIn(rows))
        && check.get("distinct").equals(check.get("rows")) && check.get("half_rows").equals("0")
        && check.getOrDefault("integrity", "ok").equals("ok");
    String verdict = !whole ? "BROKEN (half a transaction, a path twice or a failed integrity check)"
        : found < committed ? "consistent, LOST " + (committed - found) + " committed rows" : "ok";
    Map<String, String> r = new LinkedHashMap<>();
    r.put("crash", verdict + " (" + committed + " committed before the kill, " + found + " found)");
    r.put("crash_open_ms", check.get("open_ms"));
    deleteTree(dir);
    return r;
  }

  private static long rowsIn(String rows) {
    return rows.startsWith("synthetic:") ? Long.parseLong(rows.substring("synthetic:".length())) : -1;
  }

  private static final String[][] COLUMNS = {
      {"row_set", "rows"}, {"engine", "engine"}, {"import_ms", "import ms"}, {"import_rows_per_s", "rows/s"},
      {"fingerprints_ms", "fingerprint read ms"}, {"fingerprints_first_ms", "(first)"}, {"delta_ms", "delta ms"},
      {"move_ms", "move ms"}, {"move_rows", "moved rows"}, {"reader_worst_ms", "reader worst ms (during import)"},
      {"reader_queries", "reader queries"}, {"size_mb", "size MB"}, {"create_ms", "create ms"},
      {"reopen_count_ms", "open+count ms"}, {"heap_peak_mb", "heap MB"}, {"rss_peak_mb", "RSS MB"},
      {"crash", "kill -9 mid-import"}};

  private static void print(List<Map<String, String>> results, List<Dialect> engines) {
    StringBuilder header = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (String[] c : COLUMNS) {
      header.append(' ').append(c[1]).append(" |");
      rule.append("---|");
    }
    System.out.println(header);
    System.out.println(rule);
    for (Map<String, String> r : results) {
      StringBuilder row = new StringBuilder("|");
      for (String[] c : COLUMNS) {
        row.append(' ').append(c[0].equals("row_set") ? r.get("rows") + " (" + r.get("row_set") + ")" : r.get(c[0]))
            .append(" |");
      }
      System.out.println(row);
    }
    System.out.println();
    for (Dialect engine : engines) {
      System.out.println("- " + engine.name().toLowerCase() + ": " + engine.durability);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
