package io.github.trackscan.cli;

import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.walk.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that make a {@link Scanner}, shared by {@code scan} and {@code watch}. */
final class ScanFlags {
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

  /**
   * The scanner of {@code roots} into {@code db}.
   *
   * @throws CliException (usage) for a bad option or root
   */
  Scanner scanner(List<Path> roots, CatalogSource db, Backend backend, WalkFlags walk) {
    return scanner(roots, db, backend, walk, builder -> {});
  }

  /**
   * The scanner of {@code roots} into {@code db}, with what a subcommand sets beyond these flags.
   *
   * @throws CliException (usage) for a bad option or root
   */
  Scanner scanner(List<Path> roots, CatalogSource db, Backend backend, WalkFlags walk,
      java.util.function.Consumer<Scanner.Builder> more) {
    if (workers < 0) {
      throw new CliException(ExitCode.USAGE, "--workers must be 0 (automatic) or more, got " + workers);
    }
    try {
      Scanner.Builder builder = Scanner.builder()
          .roots(roots)
          .database(db)
          .backend(backend)
          .walkOptions(walk.walkOptions())
          .excludes(excludes);
      builder.ioDepth(ioDepth);
      if (noParallel) {
        builder.workers(1);
      } else if (workers > 0) {
        builder.workers(workers);
      }
      more.accept(builder);
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      // A bad glob or worker count, no root, a root given twice or inside another: the arguments are wrong.
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
  }
}
