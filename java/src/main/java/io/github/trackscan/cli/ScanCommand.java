package io.github.trackscan.cli;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.FileError;
import io.github.trackscan.scan.OfflineRoot;
import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.SchemaTooNewException;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.walk.Backend;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trackscan scan ROOT...}: brings the library database in step with the folders. The summary
 * goes to stdout (or one JSON document with {@code --json}); progress, when stderr is a terminal,
 * and problems go to stderr.
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Scans ROOT folders into the library database: only new and changed files are read,",
      "moved files keep their rows, and rows of vanished files are kept and marked missing.",
      "A root that looks unmounted (missing, empty, or another device with none of its files)",
      "is reported offline and left untouched (exit code 3)."
    })
final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", arity = "1..*", description = "Folders holding music.")
  List<Path> roots;

  @Mixin DatabaseOption database;

  @Mixin WalkFlags flags;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
      description = "Tag-parsing threads; 0 = one per core (default).")
  int workers;

  @Option(names = "--no-parallel", description = "Parse tags on one thread.")
  boolean noParallel;

  @Option(names = "--exclude", paramLabel = "GLOB",
      description = "Skip files whose path below the root matches GLOB (e.g. 'Podcasts/**'); repeatable.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--io-depth", paramLabel = "N", defaultValue = "0",
      description = "Requests kept in flight (walker threads and parse workers) on every root; 0 = by file"
          + " system (default): a thread per core on a local disk, " + Scanner.NETWORK_IO_DEPTH + " on a network"
          + " or FUSE mount.")
  int ioDepth;

  @Option(names = "--json", description = "Print the report as one JSON document.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "List every file that could not be parsed or walked.")
  boolean verbose;

  @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "Progress line on stderr: auto shows it only when stderr is a terminal.")
  String progress;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Backend backend = WalkerChoice.parse(flags.walker);
    WalkerChoice.create(backend);
    if (workers < 0) {
      throw new CliException(ExitCode.USAGE, "--workers must be 0 (automatic) or more, got " + workers);
    }
    CatalogSource catalog = database.checkedForWriting();
    Path db = catalog.file().orElse(null);
    Scanner scanner;
    try {
      Scanner.Builder builder = Scanner.builder()
          .roots(roots)
          .database(catalog)
          .backend(backend)
          .walkOptions(flags.walkOptions())
          .excludes(excludes);
      builder.ioDepth(ioDepth);
      if (noParallel) {
        builder.workers(1);
      } else if (workers > 0) {
        builder.workers(workers);
      }
      scanner = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
    boolean created = db != null && !Files.exists(db);
    ProgressLine line = ProgressLine.create(progress, err);
    ScanListener listener = new Listener(line, err, verbose);
    CancellationToken cancellation = new CancellationToken();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = Thread.ofPlatform().unstarted(() -> {
      // Ctrl-C: stop at the next file, keep what is committed, and let the scan close cleanly.
      cancellation.cancel();
      try {
        finished.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    ScanReport report;
    try {
      report = scanner.scan(listener, cancellation);
    } catch (SchemaTooNewException e) {
      throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
    } catch (StoreException e) {
      if (created) {
        DatabaseOption.removeCreated(db);
      }
      throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
    } finally {
      line.clear();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook is running.
      }
    }
    if (json) {
      out.println(report.toJson());
    } else {
      Summary.print(out, report);
    }
    out.flush();
    for (OfflineRoot offline : report.offlineRoots()) {
      err.println("trackscan: " + offline.root() + ": offline: " + offline.reason());
    }
    if (!verbose && !json && (report.failed() > 0 || !report.walkErrors().isEmpty())) {
      err.println("trackscan: " + report.failed() + " files could not be parsed, "
          + report.walkErrors().size() + " walk problems; --verbose lists them");
    }
    err.flush();
    if (report.outcome() == ScanReport.Outcome.CANCELLED) {
      return ExitCode.INTERRUPTED;
    }
    return report.offlineRoots().isEmpty() ? ExitCode.OK : ExitCode.ROOT;
  }

  /** Feeds the progress line and, with --verbose, lists problems as they come. */
  private record Listener(ProgressLine line, PrintWriter err, boolean verbose) implements ScanListener {
    @Override
    public void progress(io.github.trackscan.scan.ScanProgress progress) {
      line.update(progress);
    }

    @Override
    public void fileFailed(FileError error) {
      if (verbose) {
        line.clear();
        err.println("trackscan: " + error);
      }
    }

    @Override
    public void walkError(FileError error) {
      if (verbose) {
        line.clear();
        err.println("trackscan: " + error);
      }
    }

    @Override
    public void fileNote(FileError note) {
      if (verbose) {
        line.clear();
        err.println("trackscan: note: " + note);
      }
    }

    @Override
    public void rootPlanned(io.github.trackscan.scan.RootPlan plan) {
      if (verbose) {
        line.clear();
        var fs = plan.fileSystem();
        err.println("trackscan: " + fs.root() + ": " + fs.type() + " (" + fs.kind().name().toLowerCase()
            + "), " + (plan.walkThreads() == 0 ? "a walker thread per core" : plan.walkThreads() + " walker threads"));
      }
    }

    @Override
    public void rootOffline(OfflineRoot root) {
      if (verbose) {
        line.clear();
        err.println("trackscan: " + root.root() + ": offline: " + root.reason());
      }
    }
  }

  /** The human summary: what changed, how long each phase took. */
  static final class Summary {
    private Summary() {}

    static void print(PrintWriter out, ScanReport report) {
      var t = report.times();
      out.printf("%s %,d files in %s (%s walker)%n",
          report.outcome() == ScanReport.Outcome.CANCELLED ? "cancelled after" : "scanned",
          report.filesWalked(), seconds(t.totalNs()), report.backend().name().toLowerCase());
      out.printf("  added %,d  modified %,d  moved %,d  missing %,d  restored %,d  deleted %,d  unchanged %,d"
          + "  failed %,d%n", report.count(ChangeKind.ADDED), report.count(ChangeKind.MODIFIED),
          report.count(ChangeKind.MOVED), report.count(ChangeKind.MISSING), report.count(ChangeKind.RESTORED),
          report.count(ChangeKind.DELETED), report.count(ChangeKind.UNCHANGED), report.failed());
      if (report.ambiguousMoves() > 0) {
        out.printf("  %,d files could each be the moved file of several missing rows (identical copies): not"
            + " guessed, kept as added and missing%n", report.ambiguousMoves());
      }
      if (!report.offlineRoots().isEmpty()) {
        out.printf("  offline %,d roots: their rows were left as they were%n", report.offlineRoots().size());
      }
      out.printf("  walk %s  store read %s  diff %s  parse %s  write %s%n",
          millis(t.walkNs()), millis(t.storeReadNs()), millis(t.diffNs()), millis(t.parseNs()), millis(t.writeNs()));
    }

    private static String seconds(long ns) {
      return String.format("%.2f s", ns / 1e9);
    }

    private static String millis(long ns) {
      return String.format("%d ms", ns / 1_000_000);
    }
  }
}
