package io.github.trackscan.scan;

import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkException;
import io.github.trackscan.walk.WalkFolder;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/*
 * The walks of a scan's units (a quick scan's changed folders), run up to DEPTH_MAX ahead of the
 * one the scan reads, each on its own thread, its entries, folders and errors recorded in order
 * and handed to the scan's visitor when the scan comes to its unit. The scan applies every rule
 * (excludes, the diff, protected paths, the folder cache) exactly as for a walk it makes itself;
 * only the waiting overlaps. At most DEPTH_MAX units' records are held at once: a changed folder is
 * a dozen files; a new folder walked whole can be more, and waits its turn.
 */
/** Walks of the next units, several at once, read back in unit order. */
final class WalksAhead implements AutoCloseable {
  /** Walks in flight at most (each may run several threads of its own on a network root). */
  static final int DEPTH_MAX = 8;

  /** One unit's walk as it came: entries, folders and errors in order, then how it ended. */
  private record Recorded(List<Object> events, WalkException failure) {}

  private final Walker walker;
  private final List<Unit> units;
  private final WalkOptions[] options;
  private final int depth;
  private final ExecutorService pool;
  private final List<Future<Recorded>> walks;
  private int submitted;

  /**
   * @param options each unit's walk options, null for a unit not to walk (offline)
   * @param depth walks in flight at most
   */
  WalksAhead(Walker walker, List<Unit> units, WalkOptions[] options, int depth) {
    this.walker = walker;
    this.units = units;
    this.options = options;
    this.depth = depth;
    this.pool = Executors.newFixedThreadPool(depth, r -> {
      Thread t = new Thread(r, "trackscan-walk-ahead");
      t.setDaemon(true);
      return t;
    });
    this.walks = new ArrayList<>(units.size());
  }

  /**
   * Hands unit {@code index}'s walk to {@code visitor}, as {@link Walker#walk} would.
   *
   * @throws WalkException as the walk of the unit's folder threw it, after its events
   * @throws InterruptedException when interrupted while waiting for it
   */
  void replay(int index, WalkVisitor visitor) throws WalkException, InterruptedException {
    while (submitted < units.size() && submitted <= index + depth) {
      walks.add(options[submitted] == null ? null : pool.submit(walkOf(submitted)));
      submitted++;
    }
    Future<Recorded> walk = walks.get(index);
    walks.set(index, null); // Its records go with it once read.
    Recorded recorded;
    try {
      recorded = walk.get();
    } catch (ExecutionException e) {
      throw ScanRun.rethrown(e);
    } catch (CancellationException e) {
      throw new IllegalStateException("the walk of " + units.get(index).folder() + " was cancelled", e);
    }
    for (Object event : recorded.events()) {
      switch (event) {
        case WalkEntry entry -> visitor.entry(entry);
        case WalkFolder folder -> visitor.folder(folder);
        case WalkError error -> visitor.error(error);
        default -> throw new IllegalStateException(event.toString());
      }
    }
    if (recorded.failure() != null) {
      throw recorded.failure();
    }
  }

  private java.util.concurrent.Callable<Recorded> walkOf(int index) {
    Unit unit = units.get(index);
    WalkOptions unitOptions = options[index];
    return () -> {
      List<Object> events = new ArrayList<>();
      WalkVisitor recorder = new WalkVisitor() {
        @Override
        public void entry(WalkEntry entry) {
          events.add(entry);
        }

        @Override
        public void folder(WalkFolder folder) {
          events.add(folder);
        }

        @Override
        public void error(WalkError error) {
          events.add(error);
        }
      };
      try {
        walker.walk(unit.folder(), unitOptions, recorder);
        return new Recorded(events, null);
      } catch (WalkException e) {
        return new Recorded(events, e);
      }
    };
  }

  /** Stops the walks not yet read (a cancelled or failed scan) and their threads. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
