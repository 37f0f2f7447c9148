package io.github.trackscan.cli;

import static io.github.trackscan.scan.ScanReport.quote;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.MissingFile;
import io.github.trackscan.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trackscan missing}: the rows whose file a scan found gone, read without changing anything. */
@Command(
    name = "missing",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Lists the tracks whose file a scan found gone (path, and since when). They keep their ids",
      "and host data until the file comes back, is found elsewhere, or 'trackscan purge' deletes them."
    })
final class MissingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", arity = "0..*", description = "Only below these folders (default: all).")
  List<Path> roots = new ArrayList<>();

  @Mixin DatabaseOption database;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100000", description = "List at most N (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print one JSON document: {\"missing\":[{\"id\",\"path\",\"missingSinceMs\"}...]}.")
  boolean json;

  @Override
  public Integer call() {
    if (limit < 0) {
      throw new CliException(ExitCode.USAGE, "--limit must be 0 or more, got " + limit);
    }
    CatalogSource catalog = database.checkedForReading();
    PrintWriter out = spec.commandLine().getOut();
    List<Path> folders = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
    try (Catalog library = catalog.open()) {
      List<MissingFile> missing = library.missing(folders, limit);
      if (json) {
        out.println("{" + jsonList("missing", missing) + "}");
      } else {
        for (MissingFile file : missing) {
          out.println(Instant.ofEpochMilli(file.missingSinceMs()) + "  " + file.path());
        }
        out.printf("%,d missing%n", missing.size());
      }
    } catch (StoreException e) {
      throw new CliException(ExitCode.DATABASE, e.getMessage(), e);
    }
    out.flush();
    return ExitCode.OK;
  }

  /** {@code "name":[{"id":..,"path":..,"missingSinceMs":..},...]}, a member of a JSON object. */
  static String jsonList(String name, List<MissingFile> files) {
    StringBuilder json = new StringBuilder().append(quote(name)).append(":[");
    for (int i = 0; i < files.size(); i++) {
      MissingFile f = files.get(i);
      json.append(i == 0 ? "" : ",").append("{\"id\":").append(f.id()).append(",\"path\":").append(quote(f.path()))
          .append(",\"missingSinceMs\":").append(f.missingSinceMs()).append('}');
    }
    return json.append(']').toString();
  }
}
