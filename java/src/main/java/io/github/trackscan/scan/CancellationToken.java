package io.github.trackscan.scan;

/**
 * Cancels a scan from any thread. A cancelled scan stops walking or parsing at the next file,
 * commits the batch it has written so far (so the next scan sees those files as unchanged), leaves
 * the database consistent, and returns a report with {@link ScanReport.Outcome#CANCELLED}.
 * Interrupting the scanning thread has the same effect. A token, once cancelled, stays cancelled.
 */
public final class CancellationToken {
  private volatile boolean cancelled;
  private final java.util.List<Runnable> onCancel = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A token that is not cancelled yet. */
  public CancellationToken() {}

  /** Asks the scan to stop; returns at once. */
  public void cancel() {
    cancelled = true;
    onCancel.forEach(Runnable::run);
  }

  /**
   * Runs {@code action} when this token is cancelled (at once, if it is already), on the
   * cancelling thread: a watch waiting for events wakes with it instead of polling the token.
   */
  public void onCancel(Runnable action) {
    onCancel.add(action);
    if (cancelled) {
      action.run();
    }
  }

  /** Whether {@link #cancel()} was called. */
  public boolean isCancelled() {
    return cancelled;
  }
}
