package io.github.trackscan.example;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.Walkers;
import java.nio.file.Path;

/** The host example shown in README.md; ReadmeExampleTest compiles, runs and compares it. */
final class ReadmeExample {
  private ReadmeExample() {}

  static ScanReport scan(Path music, Path database) {
    // README:begin
    Scanner scanner = Scanner.builder()
        .roots(music)                           // one or more folders
        .database(database)                     // SQLite file, created and migrated as needed
        .backend(Backend.AUTO)                  // native walker when it loads, NIO otherwise
        .walkOptions(WalkOptions.builder().followSymlinks(true).build())
        .build();
    Walkers.nativeUnavailableReason()
        .ifPresent(why -> System.err.println("using the NIO walker: " + why));

    CancellationToken cancel = new CancellationToken();   // cancel.cancel() from any thread
    ScanReport report = scanner.scan(new ScanListener() {
      @Override
      public void change(Change change) {               // after its batch committed
        if (change.kind() == ChangeKind.MOVED) {
          System.out.println(change.oldPath() + " -> " + change.path() + " keeps id " + change.id());
        }
      }
    }, cancel);
    System.out.printf("%d added, %d modified, %d moved, %d missing in %d ms%n",
        report.count(ChangeKind.ADDED), report.count(ChangeKind.MODIFIED),
        report.count(ChangeKind.MOVED), report.count(ChangeKind.MISSING),
        report.times().totalNs() / 1_000_000);
    // README:end
    return report;
  }
}
