package io.github.trackscan.bench;

import io.github.trackscan.cli.Main;

/**
 * The scenario benchmark from the benchmarks jar: the same runner as {@code trackscan bench}
 * (import, no-op and delta rescans per backend, side by side; medians, phases, CSV).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * io.github.trackscan.bench.Scenarios --tracks 41000 --repeat 5}
 */
public final class Scenarios {
  private Scenarios() {}

  public static void main(String[] args) {
    String[] command = new String[args.length + 1];
    command[0] = "bench";
    System.arraycopy(args, 0, command, 0, args.length);
    System.exit(Main.run(System.out, System.err, command));
  }
}
