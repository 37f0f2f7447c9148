package io.github.trackscan.reliability;

import io.github.trackscan.tags.AudioFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.synth.SynthLibrary;
import io.github.trackscan.synth.SynthOptions;
import io.github.trackscan.synth.SynthReport;
import io.github.trackscan.tags.AudioFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan of the hostile corpus ({@link HostileCorpus}) in a child JVM with a 256 MiB heap and a
 * 2 s parse time limit: every file must end up catalogued, parsed or recorded with its error; the
 * scan must finish (no hang), the child must not run out of memory, and the unmodified controls
 * must still parse. A second scan must parse nothing (failures are remembered).
 */
final class HostileFilesTest {
  private static final long SEED = 20250602L;
  private static final String HEAP = "-Xmx256m";
  private static final long PARSE_LIMIT_MS = 2000;
  /** Hang guard for the child scan: far beyond what it needs, well short of CI's cap. */
  private static final long CHILD_TIMEOUT_MS = 240_000;

  @TempDir Path dir;

  @Test
  void scan_hostileCorpus_everyFileParsedOrRecordedNoHangNoOom() throws Exception {
    Path synthRoot = dir.resolve("synth");
    SynthReport synth = SynthLibrary.generate(synthRoot, SynthOptions.builder().tracks(80).seed(9).build());
    Path corpusRoot = dir.resolve("corpus");
    HostileCorpus corpus = HostileCorpus.write(synthRoot, synth, corpusRoot, SEED);
    byte[] mp3 = Files.readAllBytes(corpus.controls.stream().filter(p -> p.toString().endsWith(".mp3")).findFirst().orElseThrow());
    byte[] flac = Files.readAllBytes(corpus.controls.stream().filter(p -> p.toString().endsWith(".flac")).findFirst().orElseThrow());
    byte[] m4a = Files.readAllBytes(corpus.controls.stream().filter(p -> p.toString().endsWith(".m4a")).findFirst().orElseThrow());
    corpus.sparse(mp3, flac, m4a);
    AudioFixtures.settle(corpusRoot); // so that the second scan may trust every fingerprint
    int fuzzed = corpus.counts.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("[hostile] %d hostile files from %d controls (seed %d): %s%n", fuzzed, corpus.controls.size(), SEED,
        corpus.counts);

    Path db = dir.resolve("library.db");
    long start = System.nanoTime();
    String report = scanInChild(db, corpusRoot);
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertEquals("ok", Catalogue.integrity(db));
    Map<String, String> status = Catalogue.column(db, "parse_status");
    Map<String, String> errors = Catalogue.column(db, "parse_error");
    assertEquals(corpus.files.size(), status.size(), "one row per file");
    for (Path file : corpus.files) {
      String s = status.get(file.toString());
      assertTrue("OK".equals(s) || "FAILED".equals(s), file + " is parsed or recorded: " + s);
    }
    for (Path control : corpus.controls) {
      assertEquals("OK", status.get(control.toString()), "control " + control + ": " + errors.get(control.toString()));
    }
    long failed = status.values().stream().filter("FAILED"::equals).count();
    long timeouts = errors.values().stream().filter(e -> e != null && e.startsWith("parsing took longer")).count();
    long stackOverflows = errors.values().stream().filter(e -> e != null && e.contains("StackOverflowError")).count();
    List<String> outOfMemory = errors.entrySet().stream()
        .filter(e -> e.getValue() != null && e.getValue().contains("OutOfMemoryError")).map(e -> e.getKey() + ": " + e.getValue()).toList();
    long heapPeak = jsonLong(report, "heapPeakBytes");
    System.out.printf("[hostile] scan %d ms in a %s child: %d failed (%d timeouts, %d stack overflows), %d parsed,"
        + " heap peak %d MiB%n", ms, HEAP, failed, timeouts, stackOverflows, status.size() - failed, heapPeak >> 20);
    errors.entrySet().stream().filter(e -> e.getValue() != null && e.getValue().startsWith("parsing took longer"))
        .forEach(e -> System.out.println("[hostile] timeout: " + e.getKey()));
    assertEquals(List.of(), outOfMemory, "files that exhausted the heap");
    assertTrue(heapPeak < 256L << 20, "heap peak " + heapPeak);

    String again = scanInChild(db, corpusRoot);
    assertEquals(0, jsonLong(again, "filesParsed"), "failures are remembered, nothing parsed again: " + again);
  }

  private static String scanInChild(Path db, Path root) throws Exception {
    try (ChildJvm child = ChildJvm.start(List.of(HEAP), ScanChild.class, db.toString(), root.toString(), "200",
        Long.toString(PARSE_LIMIT_MS))) {
      int exit = child.waitFor(CHILD_TIMEOUT_MS);
      assertEquals(0, exit, child.output());
      assertFalse(child.stderr().contains("OutOfMemoryError"), child.stderr());
      return child.stdout().stream().filter(l -> l.startsWith("REPORT ")).findFirst().orElseThrow();
    }
  }

  static long jsonLong(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return Long.parseLong(m.group(1));
  }
}
