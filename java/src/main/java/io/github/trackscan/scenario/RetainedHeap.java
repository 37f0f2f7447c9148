package io.github.trackscan.scenario;

import io.github.trackscan.scan.ScanListener;
import io.github.trackscan.scan.ScanPhase;
import io.github.trackscan.scan.ScanProgress;
import java.lang.management.ManagementFactory;

/*
 * A heap's peak as the pools report it counts the garbage not yet collected, and how much that is
 * depends on the collector: in a heap without a ceiling G1 sizes its young generation by the rate of
 * allocation, so a scan that allocates four times more shows a peak two or three times higher with
 * the same data held (a native no-op of 41k tracks allocates 24-40 MB and never fills it once). What
 * a scan holds is what decides whether it fits a heap: the navidrome#3236 rescan died of what it
 * kept, not of what it churned. So the runner measures that too, in a run of its own (collections
 * slow a scan, so none of its times count): a full collection at each phase and each progress
 * report (every 512 files walked or parsed), and the heap in use just after it. Only full ones: what
 * a young collection leaves includes the dead objects of the old generation, which a scan that
 * allocates more promotes more of (the scale runner's live peak, ScaleStep.HeapWatch, reads so).
 */
/**
 * A listener that measures the most heap a scan holds: it collects garbage whenever the scan
 * reports a phase or progress, on the scan's thread, and keeps the largest heap in use after it.
 */
final class RetainedHeap implements ScanListener {
  private long peak;

  @Override
  public void phase(ScanPhase phase) {
    sample();
  }

  @Override
  public void progress(ScanProgress progress) {
    sample();
  }

  private void sample() {
    System.gc();
    peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  /** The most heap in use just after one of this listener's collections; 0 before the first. */
  long peakBytes() {
    return peak;
  }
}
