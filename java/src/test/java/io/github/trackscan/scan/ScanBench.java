package io.github.trackscan.scan;

import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.walk.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A by-hand benchmark of whole scans, in-process (not a test: no timing is asserted anywhere). On a
 * synthetic library of the reference shape ({@link SynthLibrary}), generated on first use, it times
 * an initial import, warm no-op rescans, and delta rescans after {@link SynthLibrary#mutate}, and
 * prints each phase. Warm the page cache first (this machine's DAMON pages cold files out):
 *
 * <pre>
 * mvn -q -pl java test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * find DIR/music -type f -print0 | xargs -0 cat &gt; /dev/null
 * LC_ALL=C.UTF-8 java -cp java/target/classes:java/target/test-classes:$(cat java/target/cp.txt) \
 *     [-Dbackend=NIO|NATIVE|AUTO] [-DimportOnly=true] io.github.trackscan.scan.ScanBench DIR [TRACKS]
 * </pre>
 */
public final class ScanBench {
  private ScanBench() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]).toAbsolutePath();
    int tracks = args.length > 1 ? Integer.parseInt(args[1]) : SynthOptions.REFERENCE_TRACKS;
    Path music = dir.resolve("music");
    Path db = dir.resolve("library.db");
    if (!Files.exists(music)) {
      long t = System.nanoTime();
      SynthLibrary.generate(music, SynthOptions.builder().tracks(tracks).seed(1).build());
      System.out.printf("generated %d tracks in %.1f s%n", tracks, (System.nanoTime() - t) / 1e9);
    }
    Backend backend = Backend.valueOf(System.getProperty("backend", "AUTO"));
    Scanner scanner = Scanner.builder().roots(music).database(db).backend(backend).build();
    if (!Files.exists(db)) {
      print("import", scanner.scan());
    }
    if (Boolean.getBoolean("importOnly")) {
      return;
    }
    for (int i = 0; i < 10; i++) {
      print("no-op", scanner.scan());
    }
    for (int i = 0; i < 3; i++) {
      SynthLibrary.mutate(music, System.nanoTime());
      print("delta", scanner.scan());
      for (int k = 0; k < 3; k++) {
        print("no-op", scanner.scan());
      }
    }
  }

  static void print(String what, ScanReport r) {
    PhaseTimes t = r.times();
    System.out.printf("%-6s total %7.1f ms | walk %6.1f  store %6.1f  diff %6.1f  parse %7.1f  write %6.1f | walked %d"
            + " added %d modified %d moved %d deleted %d unchanged %d failed %d | %s heap %d MB%n",
        what, t.totalNs() / 1e6, t.walkNs() / 1e6, t.storeReadNs() / 1e6, t.diffNs() / 1e6, t.parseNs() / 1e6,
        t.writeNs() / 1e6, r.filesWalked(), r.count(ChangeKind.ADDED), r.count(ChangeKind.MODIFIED),
        r.count(ChangeKind.MOVED), r.count(ChangeKind.DELETED), r.count(ChangeKind.UNCHANGED), r.failed(), r.backend(),
        r.heapPeakBytes() >> 20);
  }
}
