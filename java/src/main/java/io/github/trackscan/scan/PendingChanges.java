package io.github.trackscan.scan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/*
 * A change reaches the listener after the commit that holds it, and is counted then: a report
 * counts only what was committed. So the open batch's changes wait here.
 *
 * Most embedders, and the scenario runner, pass no listener that reads changes: for them a
 * reorganised library's 41k MOVED changes were 41k objects, each with the row's old path read back
 * from the catalogue only to be dropped unread (60 MB of the 250 MB such a rescan allocated). When
 * the listener does not override change(), only counts are kept, and callers skip what only a
 * change needs (wanted()).
 */
/** The changes of the open batch: counted, and kept for the listener only if it reads them. */
final class PendingChanges {
  private final ScanListener listener;
  private final boolean wanted;
  private final List<Change> changes = new ArrayList<>();
  private final long[] counts = new long[ChangeKind.values().length];

  PendingChanges(ScanListener listener) {
    this.listener = listener;
    this.wanted = readsChanges(listener);
  }

  /** Whether {@code listener} overrides {@link ScanListener#change} (a proxy, or any doubt: it does). */
  static boolean readsChanges(ScanListener listener) {
    try {
      return listener.getClass().getMethod("change", Change.class).getDeclaringClass() != ScanListener.class;
    } catch (NoSuchMethodException | SecurityException e) {
      return true;
    }
  }

  /** Whether the listener reads changes: what only a change carries (an old path) need not be found otherwise. */
  boolean wanted() {
    return wanted;
  }

  void add(Change change) {
    counts[change.kind().ordinal()]++;
    if (wanted) {
      changes.add(change);
    }
  }

  /** A change of {@code kind}; {@code previousPath} may be null when {@link #wanted()} is false. */
  void add(ChangeKind kind, long id, String path, String previousPath) {
    counts[kind.ordinal()]++;
    if (wanted) {
      changes.add(new Change(kind, id, path, previousPath));
    }
  }

  /** The batch is committed: its changes are counted into {@code totals} and reported. */
  void committed(EnumMap<ChangeKind, Long> totals) {
    ChangeKind[] kinds = ChangeKind.values();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0) {
        totals.merge(kinds[k], counts[k], Long::sum);
        counts[k] = 0;
      }
    }
    try {
      for (Change change : changes) {
        listener.change(change);
      }
    } finally {
      changes.clear();
    }
  }
}
