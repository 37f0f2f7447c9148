package io.github.trackscan.reliability;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.ScanPhase;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.StoreException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The scan a reliability test runs in a child JVM: {@code ScanChild DB ROOT BATCH_ROWS PARSE_LIMIT_MS}.
 * Prints {@code STARTED} when the walk begins, {@code COMMITTED n} after each commit (n changes so
 * far), and {@code REPORT <json>} at the end; exits 0, or 4 on a database error (like the CLI).
 */
public final class ScanChild {
  private ScanChild() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    Scanner scanner = Scanner.builder()
        .database(args[0]) // a file, or a PostgreSQL URL
        .roots(Path.of(args[1]))
        .batchRows(Integer.parseInt(args[2]))
        .parseTimeLimit(Duration.ofMillis(Long.parseLong(args[3])))
        .build();
    long[] changes = {0};
    ScanListener listener = new ScanListener() {
      @Override
      public void phase(ScanPhase phase) {
        if (phase == ScanPhase.WALK) {
          out.println("STARTED");
        }
      }

      @Override
      public void change(Change change) {
        changes[0]++;
        if (changes[0] % 10 == 0) {
          out.println("COMMITTED " + changes[0]);
        }
      }
    };
    try {
      ScanReport report = scanner.scan(listener, new CancellationToken());
      out.println("REPORT " + report.toJson());
      System.exit(0);
    } catch (StoreException e) {
      System.err.println("trackscan: " + e.getMessage());
      System.exit(4);
    }
  }
}
