package io.github.trackscan.cli;

import io.github.trackscan.scan.CancellationToken;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT, or SIGTERM) for a command that scans: the shutdown hook cancels the scan, then
 * holds the JVM (at most HOLD_SECONDS) until the command has closed this, after writing its
 * report: the JVM halts once its hooks return, and a report not yet printed would be lost.
 */
final class CtrlC implements AutoCloseable {
  private static final int HOLD_SECONDS = 10;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread hook;

  CtrlC(CancellationToken cancellation) {
    hook = Thread.ofPlatform().unstarted(() -> {
      cancellation.cancel(); // The scan stops at its next file; what is committed stays.
      try {
        done.await(HOLD_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The command has written everything it will: the JVM may exit. */
  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down already: the hook is running, and now returns.
    }
  }
}
