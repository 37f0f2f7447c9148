package io.github.trackscan.watch;

import io.github.trackscan.scan.FolderScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/*
 * The folders that changed and are waiting to be scanned, and when each may be. Pure bookkeeping
 * (times are passed in), so it is tested alone; thread-safe, since events arrive on the watcher's
 * thread and batches are taken on the watch's.
 *
 * A file is not read while it is being written: a folder is settled when it has been quiet for the
 * settle time, or sooner (GATHER_NS after its last event) when every file written in it was closed
 * after writing. A folder to be scanned with everything below it is settled only when every folder
 * below it is. A burst is gathered into few batches: a batch is taken when every waiting folder is
 * settled, or, while others are still being written (an hour-long copy), every BATCH_DELAY_MAX_NS
 * with those that settled. Memory stays bounded: one entry per folder, and at most WRITING_MAX
 * names tracked per folder (past that it settles by quiet time alone).
 */
final class Settling {
  static final long GATHER_NS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long BATCH_DELAY_MAX_NS = TimeUnit.SECONDS.toNanos(5);
  static final int WRITING_MAX = 4096;

  private static final class Folder {
    boolean recursive;
    long firstNs;
    long lastNs;
    final Set<String> writing = new HashSet<>();
    boolean overfull;
  }

  private final long settleNs;
  private final Map<Path, Folder> pending = new HashMap<>();
  /** When a batch was last taken while other folders were still being written. */
  private long lastPartialNs = Long.MIN_VALUE;

  Settling(long settleNs) {
    this.settleNs = settleNs;
  }

  /**
   * A name in {@code folder} changed; see {@link FolderEvents#file}.
   *
   * @return whether nothing was waiting before (the watch, asleep, must recompute when to wake)
   */
  synchronized boolean file(Path folder, String name, boolean writing, boolean closed, long nowNs) {
    boolean wasEmpty = pending.isEmpty();
    Folder f = touch(folder, false, nowNs);
    if (writing && !f.overfull) {
      if (f.writing.size() >= WRITING_MAX) {
        f.overfull = true;
        f.writing.clear();
      } else {
        f.writing.add(name);
      }
    } else if (!writing) {
      f.writing.remove(name); // Closed, deleted or renamed away: nothing more to wait for.
    }
    return wasEmpty;
  }

  /** {@code folder} is to be scanned, with everything below it when {@code recursive}; see {@link #file}. */
  synchronized boolean folder(Path folder, boolean recursive, long nowNs) {
    boolean wasEmpty = pending.isEmpty();
    touch(folder, recursive, nowNs);
    return wasEmpty;
  }

  private Folder touch(Path folder, boolean recursive, long nowNs) {
    Folder f = pending.get(folder);
    if (f == null) {
      f = new Folder();
      f.firstNs = nowNs;
      pending.put(folder, f);
    }
    f.recursive |= recursive;
    f.lastNs = Math.max(f.lastNs, nowNs);
    return f;
  }

  synchronized boolean isEmpty() {
    return pending.isEmpty();
  }

  synchronized int size() {
    return pending.size();
  }

  /** Takes the folders to scan now, or none when the batch should wait (see the class comment). */
  synchronized List<FolderScope> take(long nowNs) {
    if (pending.isEmpty()) {
      return List.of();
    }
    List<Path> ready = new ArrayList<>();
    long oldestNs = Long.MAX_VALUE;
    for (Map.Entry<Path, Folder> e : pending.entrySet()) {
      oldestNs = Math.min(oldestNs, e.getValue().firstNs);
      if (ready(e.getKey(), e.getValue(), nowNs)) {
        ready.add(e.getKey());
      }
    }
    // Waiting since the oldest change, or the last partial batch, whichever is later.
    long waitingSince = Math.max(oldestNs, lastPartialNs);
    if (ready.isEmpty() || (ready.size() < pending.size() && nowNs - waitingSince < BATCH_DELAY_MAX_NS)) {
      return List.of();
    }
    if (ready.size() < pending.size()) {
      lastPartialNs = nowNs;
    }
    List<FolderScope> scopes = new ArrayList<>(ready.size());
    for (Path folder : ready) {
      Folder f = pending.remove(folder);
      if (f != null) {
        scopes.add(new FolderScope(folder, f.recursive));
        if (f.recursive) {
          pending.keySet().removeIf(below -> below.startsWith(folder)); // All settled: ready() checked.
        }
      }
    }
    scopes.removeIf(scope -> scopes.stream().anyMatch(other -> other != scope && other.covers(scope)));
    return scopes;
  }

  /** Nanoseconds until {@link #take} may have something, at most the settle time; 0 when it may now. */
  synchronized long waitNs(long nowNs) {
    long wait = Math.max(settleNs, GATHER_NS);
    for (Folder f : pending.values()) {
      long settledAt = f.lastNs + (f.writing.isEmpty() && !f.overfull ? Math.min(GATHER_NS, settleNs) : settleNs);
      wait = Math.min(wait, Math.max(0, settledAt - nowNs));
      if (wait == 0) {
        // Settled, but the batch may wait for others: check again soon rather than spin.
        return Math.min(GATHER_NS, BATCH_DELAY_MAX_NS - Math.min(BATCH_DELAY_MAX_NS, nowNs - f.firstNs));
      }
    }
    return wait;
  }

  private boolean ready(Path folder, Folder f, long nowNs) {
    if (!settled(f, nowNs)) {
      return false;
    }
    if (f.recursive) {
      for (Map.Entry<Path, Folder> e : pending.entrySet()) {
        if (e.getValue() != f && e.getKey().startsWith(folder) && !settled(e.getValue(), nowNs)) {
          return false;
        }
      }
    }
    // A folder inside one to be scanned whole waits for it (scanned alone first, it would only be
    // scanned again), unless that one has waited past BATCH_DELAY_MAX_NS: an hour-long copy of a
    // whole tree shows up folder by folder, and the tree is scanned whole once it is quiet.
    for (Map.Entry<Path, Folder> e : pending.entrySet()) {
      if (e.getValue() != f && e.getValue().recursive && folder.startsWith(e.getKey()) && !folder.equals(e.getKey())
          && nowNs - e.getValue().firstNs < BATCH_DELAY_MAX_NS && !ready(e.getKey(), e.getValue(), nowNs)) {
        return false;
      }
    }
    return true;
  }

  private boolean settled(Folder f, long nowNs) {
    long quiet = nowNs - f.lastNs;
    return quiet >= settleNs || (f.writing.isEmpty() && !f.overfull && quiet >= Math.min(GATHER_NS, settleNs));
  }
}
