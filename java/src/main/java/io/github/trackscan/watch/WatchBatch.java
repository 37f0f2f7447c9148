package io.github.trackscan.watch;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;

/**
 * One batch of a watch: the folders that settled, scanned again and committed.
 *
 * @param number 1 for the first batch after the initial scan
 * @param folders how many folders were scanned (a folder with everything below it counts once)
 * @param report the scan's report: its counts are what this batch committed
 */
public record WatchBatch(long number, int folders, ScanReport report) {
  /** Committed changes of {@code kind} in this batch. */
  public long count(ChangeKind kind) {
    return report.count(kind);
  }
}
