package io.github.trackscan.cli;

import io.github.trackscan.scan.ScanProgress;
import java.io.PrintWriter;

/**
 * One self-overwriting line on stderr: files walked, parsed of total, rate and ETA. Redrawn at most
 * ten times a second; shown only when stderr is a terminal (or when forced), never in pipes and logs.
 */
class ProgressLine {
  private static final long REDRAW_NS = 100_000_000L;

  private final PrintWriter err;
  private long lastDrawNs = Long.MIN_VALUE;
  private boolean drawn;

  private ProgressLine(PrintWriter err) {
    this.err = err;
  }

  static ProgressLine create(String mode, PrintWriter err) {
    boolean show = switch (mode) {
      case "always" -> true;
      case "never" -> false;
      case "auto" -> System.console() != null && System.console().isTerminal();
      default -> throw new CliException(ExitCode.USAGE, "--progress must be auto, always or never, not '" + mode + "'");
    };
    return show ? new ProgressLine(err) : new ProgressLine(null);
  }

  void update(ScanProgress progress) {
    if (err == null) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && now - lastDrawNs < REDRAW_NS) {
      return;
    }
    lastDrawNs = now;
    drawn = true;
    err.print("\r\033[K" + render(progress));
    err.flush();
  }

  void clear() {
    if (err != null && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  static String render(ScanProgress p) {
    StringBuilder line = new StringBuilder();
    line.append(p.phase().name().toLowerCase()).append(": ")
        .append(String.format("%,d walked", p.filesWalked()));
    if (p.filesToParse() > 0) {
      double seconds = Math.max(1e-3, p.elapsedNs() / 1e9);
      line.append(String.format(", %,d/%,d parsed", p.filesParsed(), p.filesToParse()));
      double rate = p.filesParsed() / seconds;
      line.append(String.format(", %,.0f files/s", rate));
      if (rate > 0 && p.filesParsed() < p.filesToParse()) {
        long eta = Math.round((p.filesToParse() - p.filesParsed()) / rate);
        line.append(String.format(", ETA %d:%02d", eta / 60, eta % 60));
      }
    }
    return line.toString();
  }
}
