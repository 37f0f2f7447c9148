package io.github.trackscan.cli;

import static io.github.trackscan.scan.ScanReport.quote;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.MissingFile;
import io.github.trackscan.store.PurgeResult;
import io.github.trackscan.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trackscan purge}: deletes rows whose file has been missing a while, the one way a scan's
 * missing rows go. Asked for explicitly, never done by a scan.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Deletes the tracks whose file has been missing for at least DURATION (default: every missing",
      "track), below ROOT folders only if given. Their ids and whatever a host stored on them go too.",
      "Exit code 4 if the database refused part of it (a host's foreign key): nothing of that batch is deleted."
    })
final class PurgeCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhdw])");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", arity = "0..*", description = "Only below these folders (default: all).")
  List<Path> roots = new ArrayList<>();

  @Mixin DatabaseOption database;

  @Option(names = "--missing-for", paramLabel = "DURATION",
      description = "Only tracks missing at least this long: 30d, 12h, 90m, 2w, or ISO-8601 (P30D); default 0.")
  String missingFor = "0s";

  @Option(names = "--json", description = "Print one JSON document: {\"deleted\":[...],\"errors\":[...]}.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "List every track deleted.")
  boolean verbose;

  @Override
  public Integer call() {
    Duration age = parseDuration(missingFor);
    CatalogSource catalog = database.checkedForWriting();
    Path db = catalog.file().orElse(null);
    if (db == null) {
      database.checkedForReading(); // A purge of a database without trackscan's tables creates none.
    } else if (!java.nio.file.Files.isRegularFile(db)) {
      throw new CliException(ExitCode.DATABASE, "no library at " + db + " (run 'trackscan scan' first)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PurgeResult result;
    try (Catalog library = catalog.open()) {
      result = library.purgeMissing(age, roots.stream().map(r -> r.toAbsolutePath().normalize()).toList());
    } catch (StoreException e) {
      throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
    }
    if (json) {
      StringBuilder s = new StringBuilder("{").append(MissingCommand.jsonList("deleted", result.deleted()));
      s.append(",\"errors\":[");
      for (int i = 0; i < result.errors().size(); i++) {
        s.append(i == 0 ? "" : ",").append(quote(result.errors().get(i)));
      }
      out.println(s.append("]}"));
    } else {
      if (verbose) {
        for (MissingFile f : result.deleted()) {
          out.println("deleted " + f.id() + "  " + f.path());
        }
      }
      out.printf("purged %,d missing tracks%n", result.deleted().size());
    }
    out.flush();
    for (String error : result.errors()) {
      err.println("trackscan: " + error);
    }
    err.flush();
    return result.errors().isEmpty() ? ExitCode.OK : ExitCode.DATABASE;
  }

  /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 2w}, or ISO-8601 ({@code P30D}, {@code PT12H}). */
  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        };
      }
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
      if (!d.isNegative()) {
        return d;
      }
    } catch (ArithmeticException | NumberFormatException | java.time.format.DateTimeParseException e) {
      // Falls through to the usage error.
    }
    throw new CliException(ExitCode.USAGE, "--missing-for takes a duration such as 30d, 12h, 90m, 2w or P30D; got '"
        + text + "'");
  }
}
