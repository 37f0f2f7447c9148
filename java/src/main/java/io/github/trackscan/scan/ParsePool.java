package io.github.trackscan.scan;

import io.github.trackscan.tags.ContentKey;
import io.github.trackscan.tags.FileRead;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TrackTags;
import io.github.trackscan.walk.PathNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/*
 * Parse workers feeding one consumer through a bounded queue.
 *
 * Workers take the next file by index (an atomic counter: no task queue to fill), parse it, and
 * hand the result over only if they win the file's claim (a CAS from PENDING to DONE). The consumer
 * calls expire() now and then: a file parsing longer than the limit is claimed by the consumer
 * instead, recorded as a timeout, and its worker is interrupted and abandoned, with a fresh worker
 * started in its place. Java cannot stop a thread stuck in a loop; the abandoned one is a daemon,
 * drops its late result (it loses the claim) and exits when its parse returns. So one pathological
 * file costs one limit's wait and never stalls the scan.
 */
final class ParsePool {
  /**
   * One file to parse; {@code index} is its position in the task list, {@code modified} its row
   * (null for a new file), {@code recheck} marks a file read again although its fingerprint matched
   * that row (Diff.Result.rechecked), {@code restored} a missing row's file found changed.
   */
  record Task(int index, Diff.Walked file, Diff.Modified modified, boolean recheck, boolean restored) {}

  /**
   * One file's outcome: tags, or an error message, its content key (null if unreadable) and the
   * format its content was read as (FileRead.format; null when the reader did not say).
   * {@code retry} marks a failure that must not be remembered: the file vanished, became
   * unreadable or changed while it was parsed, so the error says nothing about its content and the
   * next scan must try it again.
   */
  record Result(Task task, TrackTags tags, String error, boolean retry, Long contentKey, String format) {
    Result(Task task, TrackTags tags, String error) {
      this(task, tags, error, false, null, null);
    }
  }

  private static final int PENDING = 0;
  private static final int DONE = 1;

  private final List<Task> tasks;
  private final TagReader reader;
  private final long limitNs;
  private final BlockingQueue<Result> out;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicIntegerArray claims;
  private final List<Worker> workers = new ArrayList<>();
  private final AtomicInteger started = new AtomicInteger();
  private volatile boolean stopped;

  /** Tags and content keys the move matcher already read, by path: not read again. */
  private final Map<String, FileRead> parsed;
  private final Map<String, Long> keys;

  ParsePool(List<Task> tasks, TagReader reader, long limitNs, BlockingQueue<Result> out, Map<String, FileRead> parsed,
      Map<String, Long> keys) {
    this.parsed = parsed;
    this.keys = keys;
    this.tasks = tasks;
    this.reader = reader;
    this.limitNs = limitNs;
    this.out = out;
    this.claims = new AtomicIntegerArray(tasks.size());
  }

  void start(int threads) {
    for (int i = 0; i < threads; i++) {
      startWorker();
    }
  }

  private void startWorker() {
    Worker worker = new Worker();
    Thread thread = new Thread(worker, "trackscan-parse-" + started.incrementAndGet());
    thread.setDaemon(true);
    worker.thread = thread;
    synchronized (workers) {
      workers.add(worker);
    }
    thread.start();
  }

  /**
   * Claims every file that has been parsing longer than the limit, replacing its worker; returns
   * their timeout results, for the consumer to write like any other.
   */
  List<Result> expire(long nowNs) {
    List<Result> expired = List.of();
    List<Worker> snapshot;
    synchronized (workers) {
      snapshot = new ArrayList<>(workers);
    }
    for (Worker worker : snapshot) {
      int index = worker.current;
      long since = worker.startedNs;
      if (index < 0 || nowNs - since < limitNs || worker.current != index) {
        continue;
      }
      if (claims.compareAndSet(index, PENDING, DONE)) {
        worker.abandoned = true;
        worker.thread.interrupt();
        synchronized (workers) {
          workers.remove(worker);
        }
        if (!stopped) {
          startWorker();
        }
        if (expired.isEmpty()) {
          expired = new ArrayList<>();
        }
        expired.add(new Result(tasks.get(index), null,
            "parsing took longer than " + TimeUnit.NANOSECONDS.toMillis(limitNs) + " ms; skipped"));
      }
    }
    return expired;
  }

  /** Stops handing out files and interrupts every worker; results already queued stay queued. */
  void stop() {
    stopped = true;
    synchronized (workers) {
      for (Worker worker : workers) {
        worker.thread.interrupt();
      }
    }
  }

  private final class Worker implements Runnable {
    Thread thread;
    volatile int current = -1;
    volatile long startedNs;
    volatile boolean abandoned;

    @Override
    public void run() {
      while (!stopped && !abandoned) {
        int index = next.getAndIncrement();
        if (index >= tasks.size()) {
          return;
        }
        Task task = tasks.get(index);
        startedNs = System.nanoTime();
        current = index;
        Result result = parse(task);
        if (result.retry() && !stopped) {
          // Replaced or changed between the walk and the read (on a share: a stale handle): read
          // once more as it is now; a second failure is reported, and left for the next scan.
          Task now = restat(task);
          if (now != null) {
            result = parse(now);
          }
        }
        current = -1;
        if (stopped) {
          // stop() sets the flag before it interrupts, so a parse it cut short is never handed over
          // (it would be recorded as a failure and not parsed again until the file changed).
          return;
        }
        if (!claims.compareAndSet(index, PENDING, DONE)) {
          return; // Timed out and claimed by the consumer, which started a worker in our place.
        }
        Thread.interrupted(); // A stray interrupt must not fail the put or the next file.
        try {
          out.put(result);
        } catch (InterruptedException e) {
          return; // stop() while the queue was full: the scan is ending.
        }
      }
    }

    private Result parse(Task task) {
      Diff.Walked file = task.file();
      Path path = PathNames.path(file.path());
      FileRead early = parsed.get(file.path());
      Long key = keys.get(file.path());
      String error = null;
      String format = null;
      TrackTags tags = null;
      try {
        FileRead read = early != null ? early : reader.readWithKey(path, file.entry().sizeBytes());
        tags = read.tags();
        if (read.failure() != null) {
          error = read.failure().reason();
        } else if (tags == null) {
          error = "the tag reader returned nothing";
        }
        key = key != null ? key : read.contentKey();
        format = read.format();
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      if (key == null) {
        key = ContentKey.read(path, file.entry().sizeBytes()); // A reader that threw.
      }
      return error == null ? new Result(task, tags, null, false, key, format) : failed(task, error, key, format);
    }
  }

  /** The task with its file's fingerprint as it is now; null when it is gone or cannot be stat'ed. */
  static Task restat(Task task) {
    Diff.Walked file = task.file();
    try {
      Map<String, Object> a = Files.readAttributes(PathNames.path(file.path()), "unix:size,lastModifiedTime,dev,ino");
      long mtimeNs = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
      io.github.trackscan.walk.WalkEntry was = file.entry();
      io.github.trackscan.walk.WalkEntry entry = new io.github.trackscan.walk.WalkEntry(was.path(), mtimeNs,
          (Long) a.get("size"), (Long) a.get("dev"), (Long) a.get("ino"), was.kind());
      return new Task(task.index(), new Diff.Walked(file.root(), file.path(), entry), task.modified(), task.recheck(),
          task.restored());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A failure, to be remembered only if the file is still readable and the one that was walked. */
  private static Result failed(Task task, String error, Long key, String format) {
    return new Result(task, null, error, !stillAsWalked(task.file()), key, format);
  }

  static boolean stillAsWalked(Diff.Walked file) {
    Path path = PathNames.path(file.path());
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return Files.isReadable(path) && attributes.size() == file.entry().sizeBytes()
          && attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) == file.entry().mtimeNs();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
