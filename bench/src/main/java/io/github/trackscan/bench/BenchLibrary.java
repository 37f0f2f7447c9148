package io.github.trackscan.bench;

import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The synthetic library the benchmarks walk and scan: generated once (seed 1) and reused, under
 * {@code -Dtrackscan.bench.library=DIR} or {@code target/library-N} of the working folder.
 */
final class BenchLibrary {
  static final int REFERENCE_TRACKS = SynthOptions.REFERENCE_TRACKS;

  private BenchLibrary() {}

  static Path ensure(int tracks) throws IOException {
    String configured = System.getProperty("trackscan.bench.library");
    Path library = configured != null ? Path.of(configured) : Path.of("target", "library-" + tracks);
    library = library.toAbsolutePath();
    if (!Files.isDirectory(library)) {
      Path partial = library.resolveSibling(library.getFileName() + ".partial");
      if (Files.exists(partial)) {
        new ProcessBuilder("rm", "-rf", partial.toString()).inheritIO().start().onExit().join();
      }
      Files.createDirectories(partial);
      SynthLibrary.generate(partial, SynthOptions.builder().tracks(tracks).seed(1).build());
      Files.move(partial, library);
    }
    return library;
  }
}
