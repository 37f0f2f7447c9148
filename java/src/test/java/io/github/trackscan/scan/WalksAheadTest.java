package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.walk.EntryKind;
import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkException;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkStatus;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class WalksAheadTest {
  /**
   * Walks that end in any order (the first unit slowest) are read back in unit order, each with
   * its entries, errors and failure as it had them, several in flight at once; offline units are
   * never walked.
   */
  @Test
  void replay_handsBackEachUnitsWalkInUnitOrder() throws Exception {
    int n = 12;
    List<Unit> units = new ArrayList<>();
    WalkOptions[] options = new WalkOptions[n];
    for (int i = 0; i < n; i++) {
      units.add(new Unit(0, Path.of("/m/f" + i), "/m/f" + i + "/", "f" + i + "/", false));
      options[i] = i == 5 ? null : WalkOptions.defaults();
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    List<String> walkedFolders = java.util.Collections.synchronizedList(new ArrayList<>());
    Walker walker = new Walker() {
      @Override
      public void walk(Path root, WalkOptions o, WalkVisitor visitor) throws WalkException {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          int i = Integer.parseInt(root.getFileName().toString().substring(1));
          walkedFolders.add(root.toString());
          Thread.sleep(i == 0 ? 300 : 20);
          visitor.entry(new WalkEntry(i + "-a.mp3", i, 1, 1, i, EntryKind.FILE));
          if (i == 3) {
            visitor.error(new WalkError("sub", WalkStatus.ACCESS_DENIED));
          }
          visitor.entry(new WalkEntry(i + "-b.mp3", i, 1, 1, i, EntryKind.FILE));
          if (i == 7) {
            throw new WalkException(root, WalkStatus.NOT_FOUND);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight.decrementAndGet();
        }
      }

      @Override
      public io.github.trackscan.walk.Backend backend() {
        return io.github.trackscan.walk.Backend.NIO;
      }
    };
    List<String> seen = new ArrayList<>();
    WalkVisitor visitor = new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        seen.add(entry.path());
      }

      @Override
      public void error(WalkError error) {
        seen.add("error " + error.path());
      }
    };
    try (WalksAhead ahead = new WalksAhead(walker, units, options, 4)) {
      for (int i = 0; i < n; i++) {
        if (i == 5) {
          continue;
        }
        if (i == 7) {
          int unit = i;
          assertThrows(WalkException.class, () -> ahead.replay(unit, visitor));
          continue;
        }
        ahead.replay(i, visitor);
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i != 5) {
        expected.add(i + "-a.mp3");
        if (i == 3) {
          expected.add("error sub");
        }
        expected.add(i + "-b.mp3");
      }
    }
    assertEquals(expected, seen);
    assertTrue(mostInFlight.get() > 1, "walks overlapped: " + mostInFlight.get());
    assertTrue(mostInFlight.get() <= 4, "at most the depth in flight: " + mostInFlight.get());
    assertTrue(!walkedFolders.contains("/m/f5"), "an offline unit is not walked");
  }
}
