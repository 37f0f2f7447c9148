package io.github.trackscan.cli;

import static io.github.trackscan.scan.ScanReport.quote;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.LibraryStats;
import io.github.trackscan.store.RecordedError;
import io.github.trackscan.store.ScanRecord;
import io.github.trackscan.store.SchemaTooNewException;
import io.github.trackscan.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trackscan stats}: what the library holds, read without changing it. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Shows tracks by format, total duration and size, files that failed to parse, and the last scan.")
final class StatsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatabaseOption database;

  @Option(names = "--json", description = "Print the statistics as one JSON document.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Also list the files that failed to parse (up to 1000).")
  boolean verbose;

  @Override
  public Integer call() {
    CatalogSource catalog = database.checkedForReading();
    String db = catalog.describe();
    PrintWriter out = spec.commandLine().getOut();
    try (Catalog library = catalog.open()) {
      LibraryStats stats = library.stats();
      List<RecordedError> errors = verbose ? library.errors(1000) : List.of();
      if (json) {
        out.println(Json.stats(db, stats));
      } else {
        print(out, db, stats);
        for (RecordedError error : errors) {
          out.println("  failed: " + error.path() + ": " + error.message());
        }
      }
    } catch (SchemaTooNewException e) {
      throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
    } catch (StoreException e) {
      throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void print(PrintWriter out, String db, LibraryStats stats) {
    out.printf("%s: %,d tracks (%,d present, %,d missing), %s, %.1f GB%n", db, stats.tracks(), stats.present(),
        stats.missing(), duration(stats.totalDurationMs()), stats.totalSizeBytes() / 1e9);
    Map<String, Long> formats = new TreeMap<>(stats.tracksByFormat());
    StringBuilder line = new StringBuilder("  formats:");
    formats.forEach((format, count) -> line.append(String.format(" %s %,d", format, count)));
    out.println(line);
    out.printf("  failed to parse: %,d%n", stats.failed());
    stats.lastScan().ifPresentOrElse(
        scan -> out.printf("  last scan: %s, %s, %,d files: added %,d modified %,d moved %,d missing %,d restored %,d"
            + " deleted %,d%n", Instant.ofEpochMilli(scan.finishedAtMs()), scan.outcome().toLowerCase(),
            scan.filesWalked(), scan.added(), scan.modified(), scan.moved(), scan.missing(), scan.restored(),
            scan.deleted()),
        () -> out.println("  last scan: none"));
  }

  static String duration(long ms) {
    long seconds = ms / 1000;
    return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }

  /** JSON without a library: the values here are numbers and a few strings. */
  static final class Json {
    private Json() {}

    static String stats(String db, LibraryStats stats) {
      StringBuilder json = new StringBuilder("{");
      json.append("\"database\":").append(quote(db));
      json.append(",\"tracks\":").append(stats.tracks());
      json.append(",\"present\":").append(stats.present());
      json.append(",\"missing\":").append(stats.missing());
      json.append(",\"failed\":").append(stats.failed());
      json.append(",\"totalDurationMs\":").append(stats.totalDurationMs());
      json.append(",\"totalSizeBytes\":").append(stats.totalSizeBytes());
      json.append(",\"tracksByFormat\":{");
      String separator = "";
      for (var entry : new TreeMap<>(stats.tracksByFormat()).entrySet()) {
        json.append(separator).append(quote(entry.getKey())).append(':').append(entry.getValue());
        separator = ",";
      }
      json.append('}');
      json.append(",\"lastScan\":");
      if (stats.lastScan().isPresent()) {
        ScanRecord scan = stats.lastScan().get();
        json.append("{\"finishedAtMs\":").append(scan.finishedAtMs())
            .append(",\"outcome\":").append(quote(scan.outcome()))
            .append(",\"filesWalked\":").append(scan.filesWalked())
            .append(",\"added\":").append(scan.added())
            .append(",\"modified\":").append(scan.modified())
            .append(",\"moved\":").append(scan.moved())
            .append(",\"missing\":").append(scan.missing())
            .append(",\"restored\":").append(scan.restored())
            .append(",\"deleted\":").append(scan.deleted())
            .append(",\"unchanged\":").append(scan.unchanged())
            .append(",\"failed\":").append(scan.failed())
            .append(",\"totalNs\":").append(scan.totalNs()).append('}');
      } else {
        json.append("null");
      }
      return json.append('}').toString();
    }
  }
}
