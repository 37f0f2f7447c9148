package io.github.trackscan.cli;

import io.github.trackscan.scenario.ScaleRunner;
import io.github.trackscan.scenario.ScenarioRunner;
import io.github.trackscan.walk.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trackscan bench}: the scenario benchmark (import, no-op, delta) on a synthetic library. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Runs the scenario benchmark in this process: initial import, no-op rescan and delta rescan of",
      "a synthetic library, per walker backend side by side; prints medians and appends to a CSV."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--tracks", paramLabel = "N", defaultValue = "41000", description = "Library size (default: ${DEFAULT-VALUE}).")
  int tracks;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Library seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--backend", paramLabel = "LIST", defaultValue = "native,nio",
      description = "Walker backends to compare, comma-separated (default: ${DEFAULT-VALUE}).")
  String backends;

  @Option(names = "--repeat", paramLabel = "R", defaultValue = "5", description = "Runs per scenario (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--work", paramLabel = "DIR", defaultValue = "bench-work",
      description = "Where the library and databases live (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--csv", paramLabel = "FILE", defaultValue = "bench-work/scenarios.csv",
      description = "CSV file to append one row per run to (default: ${DEFAULT-VALUE}).")
  Path csv;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Walker threads; 0 = one per core (default).")
  int threads;

  @Option(names = "--scale", paramLabel = "SIZES",
      description = {"Run the scaling benchmark instead: these library sizes (e.g. 41000,100000,1000000), tiny",
          "synthetic libraries, import / no-op / 1%% delta / reorganise / stats, each step its own JVM."})
  String scale;

  @Option(names = "--jvm-args", paramLabel = "ARGS", defaultValue = "-Xmx256m",
      description = "With --scale: options for each step's JVM, space-separated (default: ${DEFAULT-VALUE}).")
  String jvmArgs;

  @Option(names = "--retry-jvm-args", paramLabel = "ARGS", defaultValue = "",
      description = "With --scale: options for a second attempt at a step that failed (e.g. -Xmx4g); none by default.")
  String retryJvmArgs;

  @Option(names = "--no-reorganise", description = "With --scale: leave out the reorganise scenario.")
  boolean noReorganise;

  @Option(names = "--delta-rounds", paramLabel = "N", defaultValue = "" + ScaleRunner.DELTA_ROUNDS_DEFAULT,
      description = "With --scale: rounds of no-op, 1%% mutation, delta and changed files alone at each size; the"
          + " delta's bar is judged on their medians (default: ${DEFAULT-VALUE}).")
  int deltaRounds;

  @Option(names = "--db", paramLabel = "LIST", defaultValue = "sqlite", split = ",",
      description = "Catalogues to run every backend against, side by side: sqlite (default; a file per backend in"
          + " --work) and/or a PostgreSQL URL (postgresql://USER@HOST:PORT/DBNAME; a schema bench_BACKEND per backend,"
          + " dropped before each import).")
  List<String> databases;

  @Option(names = "--commit", paramLabel = "SHA", defaultValue = "unknown", description = "Commit recorded in the CSV.")
  String commit;

  @Override
  public Integer call() throws IOException {
    if (scale != null) {
      return scale();
    }
    List<Backend> list;
    ScenarioRunner runner;
    try {
      list = ScenarioRunner.parseBackends(backends);
      runner = new ScenarioRunner(work, tracks, seed, list, repeats, csv, commit, threads, databases);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
    for (Backend backend : list) {
      WalkerChoice.create(backend);
    }
    java.nio.file.Files.createDirectories(work);
    runner.run(spec.commandLine().getOut());
    return ExitCode.OK;
  }

  private Integer scale() throws IOException {
    ScaleRunner runner;
    List<Backend> list;
    try {
      list = ScenarioRunner.parseBackends(backends);
      List<String> args = jvmArgs.isBlank() ? List.of() : List.of(jvmArgs.trim().split("\\s+"));
      Path file = spec.commandLine().getParseResult().hasMatchedOption("--csv") ? csv : work.resolve("scale.csv");
      runner = new ScaleRunner(work, ScaleRunner.parseSizes(scale), seed, list, args, file, commit)
          .retryJvmArgs(retryJvmArgs.isBlank() ? List.of() : List.of(retryJvmArgs.trim().split("\\s+")))
          .reorganise(!noReorganise)
          .deltaRounds(deltaRounds);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
    for (Backend backend : list) {
      WalkerChoice.create(backend);
    }
    runner.run(spec.commandLine().getOut());
    return ExitCode.OK;
  }
}
