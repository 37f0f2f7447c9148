package io.github.trackscan.scan;

/**
 * Cancels a scan from any thread. A cancelled scan stops walking or parsing at the next file,
 * commits the batch it has written so far (so the next scan sees those files as unchanged), leaves
 * the database consistent, and returns a report with {@link ScanReport.Outcome#CANCELLED}.
 * Interrupting the scanning thread has the same effect. A token, once cancelled, stays cancelled.
 */
public final class CancellationToken {
  private volatile boolean cancelled;

  /** A token that is not cancelled yet. */
  public CancellationToken() {}

  /** Asks the scan to stop; returns at once. */
  public void cancel() {
    cancelled = true;
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled;
  }
}
