package io.github.trackscan.cli;

import io.github.trackscan.walk.WalkOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The walk options shared by {@code scan} and {@code walk}. */
final class WalkFlags {
  @Option(names = "--walker", paramLabel = "auto|native|nio", defaultValue = "auto",
      description = "Walker backend (default: ${DEFAULT-VALUE}: native when it loads, else nio).")
  String walker;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Walker threads; 0 = one per core (default).")
  int threads;

  @Option(names = "--include-hidden", description = "Also walk hidden names (.x, AppleDouble ._x, .Trash).")
  boolean includeHidden;

  @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected and reported).")
  boolean followSymlinks;

  @Option(names = "--max-depth", paramLabel = "N", description = "Deepest level walked; the root's files are at 1.")
  Integer maxDepth;

  @Option(names = "--ext", paramLabel = "EXT", split = ",",
      description = "Audio extensions to catalogue (default: the common set).")
  List<String> extensions;

  WalkOptions walkOptions() {
    try {
      WalkOptions.Builder builder = WalkOptions.builder()
          .threads(threads)
          .includeHidden(includeHidden)
          .followSymlinks(followSymlinks);
      if (maxDepth != null) {
        builder.depthMax(maxDepth);
      }
      if (extensions != null) {
        builder.extensions(java.util.Set.copyOf(extensions));
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage(), e);
    }
  }
}
