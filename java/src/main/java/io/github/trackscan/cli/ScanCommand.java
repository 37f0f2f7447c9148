package io.github.trackscan.cli;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.FileError;
import io.github.trackscan.scan.OfflineRoot;
import io.github.trackscan.scan.QuickMode;
import io.github.trackscan.scan.RootScan;
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
      "is reported offline and left untouched (exit code 3).",
      "",
      "--quick: on a network or FUSE root with a folder cache (recorded by a full",
      "scan), check each folder with one stat and list only those whose own mtime",
      "changed. Blind spot: a file rewritten in place keeps its folder's mtime, so",
      "quick scans miss it until the next full scan (every --full-every quick scans)."
    })
final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", arity = "1..*", description = "Folders holding music.")
  List<Path> roots;

  @Mixin DatabaseOption database;

  @Mixin WalkFlags flags;

  @Mixin ScanFlags scanFlags;

  @Option(names = "--quick", description = "On network and FUSE roots, list only the folders whose own mtime"
      + " changed since the folder cache recorded them (a full scan records it; the first --quick scan of a root"
      + " is that full scan). Misses a file rewritten in place until the next full scan.")
  boolean quick;

  @Option(names = "--full-every", paramLabel = "N", defaultValue = "" + Scanner.DEFAULT_FULL_EVERY,
      description = "With --quick: every Nth scan of a root is a full one (default ${DEFAULT-VALUE}); 1 = always"
          + " full, 0 = never forced.")
  int fullEvery;

  @Option(names = "--json", description = "Print the report as one JSON document.")
  boolean json;

  @Option(names = "--json-lines", description = "Stream one JSON object per line, flushed: each change after its"
      + " commit, each problem, then the report (the format of 'trackscan watch --json').")
  boolean jsonLines;

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
    CatalogSource catalog = database.checkedForWriting();
    Path db = catalog.file().orElse(null);
    if (fullEvery < 0 || fullEvery > Scanner.FULL_EVERY_MAX) {
      throw new CliException(ExitCode.USAGE, "--full-every must be 0 (never forced) to " + Scanner.FULL_EVERY_MAX
          + ", got " + fullEvery);
    }
    Scanner scanner = scanFlags.scanner(roots, catalog, backend, flags,
        builder -> builder.quick(quick ? QuickMode.NETWORK : QuickMode.OFF).fullEvery(fullEvery));
    boolean created = db != null && !Files.exists(db);
    ProgressLine line = ProgressLine.create(progress, err);
    if (json && jsonLines) {
      throw new CliException(ExitCode.USAGE, "give --json (one document at the end) or --json-lines (a stream), not both");
    }
    JsonLines stream = jsonLines ? new JsonLines(out) : null;
    ScanListener listener = new Listener(line, err, verbose, stream);
    CancellationToken cancellation = new CancellationToken();
    try (CtrlC ctrlC = new CtrlC(cancellation)) {
      return scanAndReport(scanner, listener, cancellation, line, db, created, stream);
    }
  }

  private int scanAndReport(Scanner scanner, ScanListener listener, CancellationToken cancellation, ProgressLine line,
      Path db, boolean created, JsonLines stream) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
    }
    if (json) {
      out.println(report.toJson());
    } else if (stream != null) {
      stream.report(report);
    } else {
      Summary.print(out, report);
    }
    out.flush();
    for (OfflineRoot offline : report.offlineRoots()) {
      err.println("trackscan: " + offline.root() + ": offline: " + offline.reason());
    }
    if (!verbose && !json && !jsonLines && (report.failed() > 0 || !report.walkErrors().isEmpty())) {
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
  private record Listener(ProgressLine line, PrintWriter err, boolean verbose, JsonLines stream)
      implements ScanListener {
    @Override
    public void change(io.github.trackscan.scan.Change change) {
      if (stream != null) {
        stream.change(change);
      }
    }

    @Override
    public void progress(io.github.trackscan.scan.ScanProgress progress) {
      line.update(progress);
    }

    @Override
    public void fileFailed(FileError error) {
      if (stream != null) {
        stream.problem(error);
      } else if (verbose) {
        line.clear();
        err.println("trackscan: " + error);
      }
    }

    @Override
    public void walkError(FileError error) {
      if (stream != null) {
        stream.problem(error);
      } else if (verbose) {
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
      out.printf("  %s  failed %,d%n", counts(report.counts()), report.failed());
      if (report.ambiguousMoves() > 0) {
        out.printf("  %,d files could each be the moved file of several missing rows (identical copies): not"
            + " guessed, kept as added and missing%n", report.ambiguousMoves());
      }
      for (RootScan root : report.rootScans()) {
        if (root.mode() == RootScan.Mode.QUICK) {
          out.printf("  %s: quick (%,d folders checked, %,d listed; %s)%n", root.root(), root.foldersChecked(),
              root.foldersListed(), root.reason());
        } else if (!root.reason().equals("--quick not asked")) {
          out.printf("  %s: full (%s)%n", root.root(), root.reason());
        }
      }
      if (!report.offlineRoots().isEmpty()) {
        out.printf("  offline %,d roots: their rows were left as they were%n", report.offlineRoots().size());
      }
      out.printf("  walk %s  store read %s  diff %s  parse %s  write %s%n",
          millis(t.walkNs()), millis(t.storeReadNs()), millis(t.diffNs()), millis(t.parseNs()), millis(t.writeNs()));
    }

    /** "added 1  modified 0 ..." for every kind, in the order of ChangeKind's report. */
    static String counts(java.util.Map<ChangeKind, Long> counts) {
      return String.format("added %,d  modified %,d  moved %,d  missing %,d  restored %,d  deleted %,d  unchanged %,d",
          counts.getOrDefault(ChangeKind.ADDED, 0L), counts.getOrDefault(ChangeKind.MODIFIED, 0L),
          counts.getOrDefault(ChangeKind.MOVED, 0L), counts.getOrDefault(ChangeKind.MISSING, 0L),
          counts.getOrDefault(ChangeKind.RESTORED, 0L), counts.getOrDefault(ChangeKind.DELETED, 0L),
          counts.getOrDefault(ChangeKind.UNCHANGED, 0L));
    }

    private static String seconds(long ns) {
      return String.format("%.2f s", ns / 1e9);
    }

    private static String millis(long ns) {
      return String.format("%d ms", ns / 1_000_000);
    }
  }
}
