package io.github.trackscan.watch;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import java.util.Map;

/**
 * What a watch did, from its first scan to its end: every count is of committed changes.
 *
 * @param initial the first scan's report
 * @param batches the batches after it
 * @param counts committed changes by kind, the first scan included
 * @param cancelled whether it ended by cancellation or interruption (the usual end)
 */
public record WatchReport(ScanReport initial, long batches, Map<ChangeKind, Long> counts, boolean cancelled) {
  public WatchReport {
    counts = Map.copyOf(counts);
  }

  /** Committed changes of {@code kind}. */
  public long count(ChangeKind kind) {
    return counts.getOrDefault(kind, 0L);
  }
}
