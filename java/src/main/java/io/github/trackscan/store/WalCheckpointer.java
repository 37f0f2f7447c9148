package io.github.trackscan.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Copies the write-ahead log into the database on a thread and a connection of its own, so that a
 * writer never waits for a checkpoint's fsyncs.
 *
 * <p>SQLite checkpoints inside the commit that takes the log past {@code wal_autocheckpoint} pages:
 * the committing thread copies the log's pages into the database and waits for two fsyncs. At a
 * million rows every batch touches pages all over the path index, so nearly every commit of a scan
 * paid one (with {@code synchronous = OFF} a 1% delta's writing took 0.8-0.9 s against 1.2-1.8 s).
 * SQLite's own advice (wal.html, "Automatic Checkpoint") is to turn the automatic one off and
 * checkpoint from a separate thread; this does, after each commit, at most every
 * {@link #INTERVAL_MS}. A PASSIVE checkpoint takes no lock a writer or reader waits for.
 *
 * <p>The automatic checkpoint is not turned off but raised to {@link #BOUND_PAGES}: it bounds the
 * log if this thread falls behind (a log that is never wholly copied is never restarted). A
 * checkpoint that fails here is left to the next one, to that bound, or to the close, which
 * checkpoints what is left: it loses nothing, since the log holds every committed page.
 */
final class WalCheckpointer implements AutoCloseable {
  /** At most one checkpoint in this many milliseconds: commits in between are copied together. */
  static final long INTERVAL_MS = 100;
  /** The writer's own automatic checkpoint, as a bound: 64 MiB of 4 KiB pages. */
  static final int BOUND_PAGES = 16_384;

  private final Connection connection;
  private final Thread thread;
  private boolean pending; // guarded by this
  private boolean closed; // guarded by this
  private long checkpoints; // guarded by this

  /**
   * @param connection its own connection to the database, closed by {@link #close()}
   * @param writeConnection the writer's, whose automatic checkpoint becomes the bound
   */
  WalCheckpointer(Connection connection, Connection writeConnection) throws SQLException {
    this.connection = connection;
    try (Statement s = writeConnection.createStatement()) {
      s.execute("PRAGMA wal_autocheckpoint = " + BOUND_PAGES);
    }
    this.thread = Thread.ofPlatform().name("trackscan-checkpoint").daemon().unstarted(this::run);
    thread.start();
  }

  /** A write transaction was committed: its pages are copied soon. */
  synchronized void committed() {
    pending = true;
    notifyAll();
  }

  /** How many checkpoints have run (tests). */
  synchronized long checkpoints() {
    return checkpoints;
  }

  /** Whether the thread is alive (tests). */
  boolean running() {
    return thread.isAlive();
  }

  private void run() {
    try (Statement s = connection.createStatement()) {
      while (awaitCommit()) {
        try (ResultSet done = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
          // Closed at once: a statement left stepping would keep the connection's read open.
        } catch (SQLException e) {
          // Left to the next checkpoint, the bound or the close (see the class comment).
        }
        pause();
      }
    } catch (SQLException | InterruptedException e) {
      // No statement, or interrupted by someone else: the bound and the close copy what is left.
    }
  }

  /** Waits for a commit; false once closed. */
  private synchronized boolean awaitCommit() throws InterruptedException {
    while (!pending && !closed) {
      wait();
    }
    pending = false;
    return !closed;
  }

  private synchronized void pause() throws InterruptedException {
    checkpoints++;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
    for (long left = INTERVAL_MS; left > 0 && !closed; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
      wait(left);
    }
  }

  /** Waits for a checkpoint under way, then closes the connection; the caller's close copies the rest. */
  @Override
  public void close() throws SQLException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }
}
