package io.github.trackscan.cli;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.FileError;
import io.github.trackscan.scan.OfflineRoot;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.watch.RootMode;
import io.github.trackscan.watch.WatchBatch;
import io.github.trackscan.watch.WatchListener;
import io.github.trackscan.watch.WatchOptions;
import io.github.trackscan.watch.WatchReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trackscan watch ROOT...}: a scan, then the catalogue follows the disk until Ctrl-C (exit
 * 130, everything committed). A line per batch on stdout, or with {@code --json} the change stream
 * of {@link JsonLines}; how each root is followed, and problems, on stderr.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Scans ROOT folders, then keeps the library database in step while files change, until",
      "interrupted (Ctrl-C: exit 130, every change committed). Local roots are watched (inotify),",
      "network and FUSE roots polled; only the folders that changed are scanned again, once their",
      "files are closed or quiet for the settle time."
    })
final class WatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", arity = "1..*", description = "Folders holding music.")
  List<Path> roots;

  @Mixin DatabaseOption database;

  @Mixin WalkFlags flags;

  @Mixin ScanFlags scanFlags;

  @Option(names = "--settle", paramLabel = "TIME", defaultValue = "1s",
      description = "How long a file must be quiet before it is read, unless it was closed after writing"
          + " (e.g. 500ms, 2s; default 1s).")
  String settle;

  @Option(names = "--poll-interval", paramLabel = "TIME", defaultValue = "60s",
      description = "How often network and FUSE roots, and folders past the inotify watch limit, are scanned"
          + " again (default 60s).")
  String pollInterval;

  @Option(names = "--poll", description = "Poll every root instead of watching (file systems without events).")
  boolean poll;

  @Option(names = "--json", description = "Write the change stream: one JSON object per line, flushed.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Say how each root is followed, every retry and problem.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Backend backend = WalkerChoice.parse(flags.walker);
    WalkerChoice.create(backend);
    WatchOptions options;
    try {
      options = new WatchOptions(duration("--settle", settle), duration("--poll-interval", pollInterval), poll);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
    Scanner scanner = scanFlags.scanner(roots, database.checkedForWriting(), backend, flags);
    CancellationToken cancellation = new CancellationToken();
    try (CtrlC ctrlC = new CtrlC(cancellation)) {
      WatchReport report;
      try {
        report = scanner.watch(options, json ? new Stream(new JsonLines(out, cancellation::cancel))
            : new Lines(out, err, verbose), cancellation);
      } catch (StoreException e) { // SchemaTooNewException too: nothing written.
        throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
      }
      if (json) {
        new JsonLines(out).end(report.batches(), report.counts());
      } else {
        out.println("watched: " + report.batches() + " batches; " + ScanCommand.Summary.counts(report.counts()));
        out.flush();
      }
      return report.cancelled() ? ExitCode.INTERRUPTED : ExitCode.OK;
    }
  }

  /** "500ms", "2s", "1m", "1h" as a duration. */
  static Duration duration(String option, String text) {
    var m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)").matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " takes a time such as 500ms, 2s, 1m or 1h, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** --json: the change stream. */
  private record Stream(JsonLines lines) implements WatchListener {
    @Override
    public void change(Change change) {
      lines.change(change);
    }

    @Override
    public void ready(ScanReport initial) {
      lines.ready(initial);
    }

    @Override
    public void batch(WatchBatch batch) {
      lines.batch(batch.number(), batch.folders(), batch.report());
    }

    @Override
    public void rootMode(Path root, RootMode mode, String detail) {
      lines.root(root, mode.name(), detail);
    }

    @Override
    public void retrying(String reason, long delayMs) {
      lines.retrying(reason, delayMs);
    }

    @Override
    public void fileFailed(FileError error) {
      lines.problem(error);
    }

    @Override
    public void walkError(FileError error) {
      lines.problem(error);
    }
  }

  /** Without --json: a line per batch that changed something; modes, retries and problems on stderr. */
  private record Lines(PrintWriter out, PrintWriter err, boolean verbose) implements WatchListener {
    @Override
    public void ready(ScanReport initial) {
      out.println("scanned: " + ScanCommand.Summary.counts(initial.counts()) + "; watching (Ctrl-C to stop)");
      out.flush();
    }

    @Override
    public void batch(WatchBatch batch) {
      if (batch.report().changedAnything()) {
        out.println("batch " + batch.number() + ": " + batch.folders() + " folders: "
            + ScanCommand.Summary.counts(batch.report().counts()));
        out.flush();
      }
    }

    @Override
    public void rootMode(Path root, RootMode mode, String detail) {
      if (verbose || mode != RootMode.WATCHING) {
        err.println("trackscan: " + root + ": " + mode.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
            + detail);
        err.flush();
      }
    }

    @Override
    public void retrying(String reason, long delayMs) {
      if (verbose) {
        err.println("trackscan: retrying" + (delayMs > 0 ? " in " + delayMs + " ms" : "") + ": " + reason);
        err.flush();
      }
    }

    @Override
    public void rootOffline(OfflineRoot root) {
      // Said through rootMode.
    }

    @Override
    public void fileFailed(FileError error) {
      if (verbose) {
        err.println("trackscan: " + error);
      }
    }

    @Override
    public void walkError(FileError error) {
      if (verbose) {
        err.println("trackscan: " + error);
      }
    }
  }
}
