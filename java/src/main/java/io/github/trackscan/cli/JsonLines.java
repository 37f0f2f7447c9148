package io.github.trackscan.cli;

import static io.github.trackscan.scan.ScanReport.quote;

import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.FileError;
import io.github.trackscan.scan.OfflineRoot;
import io.github.trackscan.scan.ScanReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The change stream for hosts in any language: one JSON object per line, each flushed as it is
 * written, so a host can read a pipe line by line. Every object has an {@code "event"} field:
 *
 * <pre>
 * {"event":"change","kind":"ADDED","id":12,"path":"/music/a.flac","oldPath":null}   after its commit
 * {"event":"root","root":"/music","mode":"watching","detail":"4100 folders watched (inotify)"}
 * {"event":"ready","counts":{...}}                  watch: the first scan is done, the watch follows
 * {"event":"batch","batch":3,"folders":2,"counts":{"ADDED":5,...},"ms":120}
 * {"event":"retrying","reason":"...","delayMs":1000}
 * {"event":"problem","path":"...","message":"..."}  a file that could not be parsed or walked
 * {"event":"report","report":{...}}                 scan: the report of {@code --json}, at the end
 * {"event":"end","batches":12,"counts":{...}}       watch: totals, every count committed
 * </pre>
 */
final class JsonLines {
  private final PrintWriter out;
  private final Runnable onClosed;

  JsonLines(PrintWriter out) {
    this(out, () -> {});
  }

  /** @param onClosed run once the reader has gone (a closed pipe): a watch then ends */
  JsonLines(PrintWriter out, Runnable onClosed) {
    this.out = out;
    this.onClosed = onClosed;
  }

  void change(Change change) {
    line("{\"event\":\"change\",\"kind\":" + quote(change.kind().name()) + ",\"id\":" + change.id() + ",\"path\":"
        + quote(change.path()) + ",\"oldPath\":" + (change.oldPath() == null ? "null" : quote(change.oldPath())) + '}');
  }

  void root(Path root, String mode, String detail) {
    line("{\"event\":\"root\",\"root\":" + quote(root.toString()) + ",\"mode\":" + quote(mode.toLowerCase(Locale.ROOT))
        + ",\"detail\":" + quote(detail) + '}');
  }

  void offline(OfflineRoot root) {
    root(root.root(), "offline", root.reason());
  }

  void problem(FileError error) {
    line("{\"event\":\"problem\",\"path\":" + quote(error.path()) + ",\"message\":" + quote(error.message()) + '}');
  }

  void ready(ScanReport initial) {
    line("{\"event\":\"ready\",\"counts\":" + counts(initial.counts()) + '}');
  }

  void batch(long number, int folders, ScanReport report) {
    line("{\"event\":\"batch\",\"batch\":" + number + ",\"folders\":" + folders + ",\"counts\":"
        + counts(report.counts()) + ",\"ms\":" + report.times().totalNs() / 1_000_000 + '}');
  }

  void retrying(String reason, long delayMs) {
    line("{\"event\":\"retrying\",\"reason\":" + quote(reason) + ",\"delayMs\":" + delayMs + '}');
  }

  void report(ScanReport report) {
    line("{\"event\":\"report\",\"report\":" + report.toJson() + '}');
  }

  void end(long batches, Map<ChangeKind, Long> counts) {
    line("{\"event\":\"end\",\"batches\":" + batches + ",\"counts\":" + counts(counts) + '}');
  }

  private static String counts(Map<ChangeKind, Long> counts) {
    StringBuilder json = new StringBuilder("{");
    for (ChangeKind kind : ChangeKind.values()) {
      json.append(json.length() == 1 ? "" : ",").append(quote(kind.name())).append(':')
          .append(counts.getOrDefault(kind, 0L));
    }
    return json.append('}').toString();
  }

  private void line(String json) {
    synchronized (out) {
      out.println(json);
      out.flush();
      if (out.checkError()) {
        onClosed.run(); // EPIPE: the host stopped reading; nobody is left to tell.
      }
    }
  }
}
