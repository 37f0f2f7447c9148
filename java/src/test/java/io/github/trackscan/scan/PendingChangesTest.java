package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PendingChangesTest {
  /** Reads changes; a subclass of it does too, without overriding change() itself. */
  static class Recording implements ScanListener {
    final List<Change> seen = new ArrayList<>();

    @Override
    public void change(Change change) {
      seen.add(change);
    }
  }

  static final class Subclass extends Recording {
    @Override
    public void progress(ScanProgress progress) {}
  }

  @Test
  void readsChanges_onlyWhenChangeIsOverriddenSomewhere() {
    assertFalse(PendingChanges.readsChanges(ScanListener.NONE));
    assertFalse(PendingChanges.readsChanges(new ScanListener() {}));
    assertFalse(PendingChanges.readsChanges(new ScanListener() {
      @Override
      public void progress(ScanProgress progress) {}
    }), "a progress bar does not read changes");
    assertTrue(PendingChanges.readsChanges(new Recording()));
    assertTrue(PendingChanges.readsChanges(new Subclass()), "overridden by a superclass");
  }

  @Test
  void committed_countsTheSameWhetherOrNotTheListenerReadsThem() {
    Recording recording = new Recording();
    for (ScanListener listener : List.of(ScanListener.NONE, recording)) {
      PendingChanges pending = new PendingChanges(listener);
      EnumMap<ChangeKind, Long> totals = new EnumMap<>(ChangeKind.class);
      pending.add(ChangeKind.MOVED, 1, "/m/new", pending.wanted() ? "/m/old" : null);
      pending.add(new Change(ChangeKind.ADDED, 2, "/m/a", null));
      pending.add(ChangeKind.MOVED, 3, "/m/new2", pending.wanted() ? "/m/old2" : null);
      assertTrue(totals.isEmpty(), "nothing counted before the commit");
      pending.committed(totals);
      pending.add(ChangeKind.MISSING, 4, null, null);
      pending.committed(totals);
      pending.committed(totals);
      assertEquals(Map.of(ChangeKind.MOVED, 2L, ChangeKind.ADDED, 1L, ChangeKind.MISSING, 1L), totals, listener.toString());
    }
    assertEquals(List.of(new Change(ChangeKind.MOVED, 1, "/m/new", "/m/old"), new Change(ChangeKind.ADDED, 2, "/m/a", null),
        new Change(ChangeKind.MOVED, 3, "/m/new2", "/m/old2"), new Change(ChangeKind.MISSING, 4, null, null)),
        recording.seen, "each change once, in order, after its commit");
  }

  @Test
  void committed_aListenerThatThrowsLeavesTheCountsAndNoChangeForTheNextBatch() {
    List<Change> seen = new ArrayList<>();
    ScanListener throwing = new ScanListener() {
      @Override
      public void change(Change change) {
        seen.add(change);
        if (change.id() == 1) {
          throw new IllegalStateException("host failed");
        }
      }
    };
    PendingChanges pending = new PendingChanges(throwing);
    EnumMap<ChangeKind, Long> totals = new EnumMap<>(ChangeKind.class);
    pending.add(ChangeKind.ADDED, 1, "/m/a", null);
    pending.add(ChangeKind.ADDED, 2, "/m/b", null);
    try {
      pending.committed(totals);
    } catch (IllegalStateException expected) {
      // The scan stops here; the batch was committed and is counted.
    }
    assertEquals(2L, totals.get(ChangeKind.ADDED));
    pending.committed(totals);
    assertEquals(1, seen.size(), "change 2 is not delivered by a later commit");
    assertNull(totals.get(ChangeKind.MOVED));
  }
}
