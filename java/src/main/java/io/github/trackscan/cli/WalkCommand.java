package io.github.trackscan.cli;

import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkException;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code trackscan walk ROOT}: prints what a walker finds, one tab-separated record a line, so two
 * backends can be compared with {@code diff}.
 */
@Command(
    name = "walk",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Prints the audio files below ROOT as they are walked: path, mtime_ns, size, device, inode, kind.",
      "Problems (unreadable folders, vanished files, bad names) go to stderr. Use --sort to compare backends."
    })
final class WalkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", description = "The folder to walk.")
  Path root;

  @Mixin WalkFlags flags;

  @Option(names = "--sort", description = "Sort records by path, so two backends' outputs can be compared with diff.")
  boolean sort;

  @Option(names = "--count", description = "Print only the number of files and problems.")
  boolean count;

  @Override
  public Integer call() {
    Walker walker = WalkerChoice.create(WalkerChoice.parse(flags.walker));
    WalkOptions options = flags.walkOptions();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<WalkEntry> sorted = new ArrayList<>();
    long[] counts = new long[2];
    try {
      walker.walk(root, options, new WalkVisitor() {
        @Override
        public void entry(WalkEntry entry) {
          counts[0]++;
          if (count) {
            return;
          }
          if (sort) {
            sorted.add(entry);
          } else {
            print(out, entry);
          }
        }

        @Override
        public void error(WalkError error) {
          counts[1]++;
          err.println("trackscan: " + error.message());
        }
      });
    } catch (WalkException e) {
      throw new CliException(ExitCode.ROOT, e.getMessage(), e);
    }
    sorted.sort(Comparator.comparing(WalkEntry::path));
    sorted.forEach(entry -> print(out, entry));
    if (count) {
      out.println(counts[0] + " files, " + counts[1] + " problems (" + walker.backend().name().toLowerCase() + ")");
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void print(PrintWriter out, WalkEntry entry) {
    out.append(entry.path()).append('\t')
        .append(Long.toString(entry.mtimeNs())).append('\t')
        .append(Long.toString(entry.sizeBytes())).append('\t')
        .append(Long.toString(entry.device())).append('\t')
        .append(Long.toString(entry.inode())).append('\t')
        .append(entry.kind() == io.github.trackscan.walk.EntryKind.FILE ? "file" : "symlink")
        .append('\n');
  }
}
