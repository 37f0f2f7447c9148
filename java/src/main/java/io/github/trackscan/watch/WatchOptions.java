package io.github.trackscan.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How a watch settles and polls.
 *
 * @param settle how long a file must be quiet before it is read, unless it was closed after
 *     writing (then it is read at once, with whatever else settled); default 1 s
 * @param pollInterval how often a network or FUSE root, and folders past the watch limit, are
 *     scanned again (inotify does not see changes made on a file server); default 60 s
 * @param poll whether every root is polled, none watched (for file systems that give no events)
 */
public record WatchOptions(Duration settle, Duration pollInterval, boolean poll) {
  /** The default settle time. */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);
  /** The default poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);

  /**
   * @throws IllegalArgumentException unless settle is 0 to 1 hour and the poll interval 100 ms to 1 day
   */
  public WatchOptions {
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (settle.isNegative() || settle.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("settle must be from 0 to 1 hour, got " + settle);
    }
    if (pollInterval.compareTo(Duration.ofMillis(100)) < 0 || pollInterval.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("pollInterval must be from 100 ms to 1 day, got " + pollInterval);
    }
  }

  /** 1 s settle, 60 s poll interval, local roots watched. */
  public static WatchOptions defaults() {
    return new WatchOptions(DEFAULT_SETTLE, DEFAULT_POLL_INTERVAL, false);
  }

  public WatchOptions withSettle(Duration settle) {
    return new WatchOptions(settle, pollInterval, poll);
  }

  public WatchOptions withPollInterval(Duration pollInterval) {
    return new WatchOptions(settle, pollInterval, poll);
  }

  public WatchOptions withPoll(boolean poll) {
    return new WatchOptions(settle, pollInterval, poll);
  }
}
