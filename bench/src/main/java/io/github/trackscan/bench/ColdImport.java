package io.github.trackscan.bench;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold imports (#12): the page cache dropped before each variant, side by side in one run, rounds
 * interleaved so that each variant meets the host's cache in the same state as the others (this is
 * a virtual machine: a "cold" read the guest drops may still come from the host's memory, and the
 * first round warms it more than the rest). Variants:
 *
 * <ul>
 *   <li>{@code inode}: the default import, new files read in inode order within runs of 4,096;
 *   <li>{@code walk}: the same with {@code Scanner.Builder.readInInodeOrder(false)}: the walk's order;
 *   <li>{@code find}: the peer's floor for the metadata alone, {@code find LIB -type f} (a walk and
 *       no read);
 *   <li>{@code cat}: the peer that reads every byte, {@code find LIB -type f -exec cat {} +}.
 * </ul>
 *
 * <p>Run as root (it writes /proc/sys/vm/drop_caches): {@code java --enable-native-access=ALL-UNNAMED
 * -cp bench/target/benchmarks.jar io.github.trackscan.bench.ColdImport LIB WORK [ROUNDS]}
 */
public final class ColdImport {
  private ColdImport() {}

  public static void main(String[] args) throws Exception {
    Path library = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (String variant : List.of("inode", "walk", "find", "cat")) {
      seconds.put(variant, new ArrayList<>());
    }
    long files = 0;
    for (int round = 0; round < rounds; round++) {
      // Alternate which import goes first: the one after the other may find the host's cache warmer.
      List<String> order = round % 2 == 0 ? List.of("inode", "walk", "find", "cat") : List.of("walk", "inode", "cat", "find");
      for (String variant : order) {
        dropCaches();
        long start = System.nanoTime();
        switch (variant) {
          case "inode", "walk" -> {
            Path db = work.resolve("cold-" + variant + ".db");
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
              Files.deleteIfExists(Path.of(db + suffix));
            }
            ScanReport report = Scanner.builder().roots(library).database(db)
                .readInInodeOrder(variant.equals("inode")).build().scan();
            files = report.count(ChangeKind.ADDED);
          }
          case "find" -> run("find", library.toString(), "-type", "f");
          case "cat" -> run("sh", "-c", "find \"$0\" -type f -exec cat {} + > /dev/null", library.toString());
          default -> throw new IllegalStateException(variant);
        }
        double s = (System.nanoTime() - start) / 1e9;
        seconds.get(variant).add(s);
        System.out.printf("round %d %-5s %8.2f s%n", round + 1, variant, s);
      }
    }
    System.out.printf("%n%,d files; median s and ratios to inode order's median:%n", files);
    double inode = median(seconds.get("inode"));
    System.out.println("| variant | runs (s) | median s | ratio to trackscan (inode order) |");
    System.out.println("|---|---|---|---|");
    for (var e : seconds.entrySet()) {
      double m = median(e.getValue());
      System.out.printf("| %s | %s | %.2f | %.2f |%n", e.getKey(),
          e.getValue().stream().map(v -> String.format("%.2f", v)).toList(), m, m / inode);
    }
  }

  private static void dropCaches() throws IOException, InterruptedException {
    run("sync");
    Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
