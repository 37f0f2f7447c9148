package io.github.trackscan.bench;

import io.github.trackscan.scenario.ScenarioRunner;
import io.github.trackscan.synth.SynthOptions;
import java.io.IOException;
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
    return ScenarioRunner.ensureLibrary(library, tracks, 1);
  }
}
