package io.github.trackscan.cli;

import io.github.trackscan.synth.Changes;
import io.github.trackscan.synth.Manifest;
import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.synth.SynthReport;
import io.github.trackscan.synth.TrackFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trackscan synth}: writes a deterministic synthetic library, or mutates one. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Writes a realistic synthetic music library into DIR (deterministic for --tracks and --seed):",
      "Artist/Album (Year)/NN - Title.ext in MP3, FLAC, M4A and Ogg Vorbis with tags and covers,",
      "side files, hidden files and a little junk."
    },
    subcommands = SynthCommand.Mutate.class)
final class SynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--tracks", paramLabel = "N", defaultValue = "41000", description = "Tracks to write (default: ${DEFAULT-VALUE}).")
  int tracks;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tiny", description = {"Smallest valid files: the same names, tags, junk and cover rate,",
      "but tiny covers and few audio frames (a million tracks in a few GB)."})
  boolean tiny;

  // Optional for picocli only, so that 'synth mutate DIR' parses; required below.
  @Parameters(paramLabel = "DIR", arity = "0..1", description = "An empty or new folder.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    if (dir == null) {
      throw new CliException(ExitCode.USAGE, "synth needs a DIR to write the library into");
    }
    SynthOptions options;
    try {
      options = SynthOptions.builder().tracks(tracks).seed(seed).tiny(tiny).build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
    if (Files.exists(dir) && (!Files.isDirectory(dir) || hasEntries(dir))) {
      throw new CliException(ExitCode.USAGE, dir + " is not an empty folder; synth writes only into a new or empty one");
    }
    Files.createDirectories(dir);
    long start = System.nanoTime();
    SynthReport report = SynthLibrary.generate(dir, options);
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder formats = new StringBuilder();
    for (TrackFormat format : TrackFormat.values()) {
      formats.append(String.format(" %s %,d", format.name().toLowerCase(), report.tracks(format).size()));
    }
    out.printf("wrote %,d tracks (%s), %,d junk, %,d hidden, %,d side files in %,d folders to %s in %.1f s%n",
        report.tracks().size(), formats.toString().trim(), report.junk().size(), report.hidden().size(),
        report.sideFiles().size(), report.folders().size(), dir, (System.nanoTime() - start) / 1e9);
    out.flush();
    return ExitCode.OK;
  }

  private static boolean hasEntries(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }

  /** {@code trackscan synth mutate}: the delta scenario, with a manifest of what changed. */
  @Command(
      name = "mutate",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Applies the delta scenario to a synthetic library: 200 tracks added in new albums (half with"
            + " old mtimes, as rsync -a keeps them), 200 tracks' tags rewritten, 10 deleted; writes a manifest.",
        // picocli formats descriptions: a percent sign is written %%.
        "--changes P changes P%% of the tracks in the same proportions (half added, half rewritten, a"
            + " twentieth of that deleted)."
      })
  static final class Mutate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "2", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--changes", paramLabel = "PERCENT",
        description = "Change this percent of the tracks (more than 0, at most 100) instead of 200/200/10.")
    Double changesPercent;

    @Parameters(paramLabel = "DIR", description = "A library written by 'trackscan synth'.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(dir.resolve(SynthReport.FILE_NAME))) {
        throw new CliException(ExitCode.USAGE, dir + " is not a library written by 'trackscan synth'");
      }
      Changes changes = Changes.DEFAULT;
      if (changesPercent != null) {
        try {
          changes = Changes.percent(changesPercent, SynthReport.read(dir).tracks().size());
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCode.USAGE, e.getMessage(), e);
        }
      }
      Manifest manifest = SynthLibrary.mutate(dir, seed,
          java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond()), changes);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("added %d, modified %d, deleted %d; manifest: %s%n", manifest.added().size(),
          manifest.modified().size(), manifest.deleted().size(), dir.resolve(Manifest.fileName(seed)));
      out.flush();
      return ExitCode.OK;
    }
  }
}
