package io.github.trackscan.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.FolderScope;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When changed folders may be scanned: pure, with the clock passed in. */
final class SettlingTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SETTLE = 1000 * MS;
  private static final Path A = Path.of("/m/a");
  private static final Path B = Path.of("/m/b");

  @Test
  void aFileClosedAfterWriting_isReadSoon_oneStillOpen_onlyAfterTheSettleTime() {
    Settling s = new Settling(SETTLE);
    s.file(A, "1.mp3", true, false, 0);
    s.file(A, "1.mp3", false, true, 10 * MS);
    assertEquals(List.of(), s.take(50 * MS), "gathered a moment first");
    assertEquals(List.of(FolderScope.of(A)), s.take(10 * MS + Settling.GATHER_NS));
    assertTrue(s.isEmpty());

    s.file(A, "2.mp3", true, false, 0); // Being written, no close yet.
    assertEquals(List.of(), s.take(SETTLE - MS));
    assertEquals(List.of(FolderScope.of(A)), s.take(SETTLE));
  }

  @Test
  void aBurst_isOneBatch_takenWhenEverythingSettled() {
    Settling s = new Settling(SETTLE);
    for (int i = 0; i < 500; i++) {
      Path folder = Path.of("/m/album" + (i % 50));
      s.file(folder, i + ".mp3", true, false, i * MS);
      s.file(folder, i + ".mp3", false, true, i * MS + MS / 2);
    }
    assertEquals(List.of(), s.take(400 * MS), "still being written");
    List<FolderScope> batch = s.take(500 * MS + Settling.GATHER_NS);
    assertEquals(50, batch.size());
    assertTrue(s.isEmpty());
  }

  @Test
  void whileALongCopyGoesOn_whatSettledIsTakenEveryFewSeconds() {
    Settling s = new Settling(SETTLE);
    s.file(A, "done.mp3", false, true, 0);
    long t = 0;
    for (; t < Settling.BATCH_DELAY_MAX_NS; t += 100 * MS) {
      s.file(B, "long.wav", true, false, t); // Written on and on.
      assertEquals(List.of(), s.take(t + MS));
    }
    s.file(B, "long.wav", true, false, t);
    assertEquals(List.of(FolderScope.of(A)), s.take(t + MS));
    assertEquals(1, s.size());
  }

  @Test
  void aFolderScannedWhole_waitsForEveryFolderBelowIt_andTakesThem() {
    Settling s = new Settling(SETTLE);
    Path album = A.resolve("album");
    s.folder(A, true, 0);
    s.file(album, "1.mp3", true, false, 0);
    assertEquals(List.of(), s.take(500 * MS), "a file below is still being written");
    assertEquals(List.of(FolderScope.below(A)), s.take(SETTLE));
    assertTrue(s.isEmpty(), "the folder below went with it");
  }

  @Test
  void aTreeCopiedForLong_showsUpFolderByFolder_thenIsScannedWhole() {
    Settling s = new Settling(SETTLE);
    Path tree = A.resolve("copied");
    s.folder(tree, true, 0);
    s.folder(tree.resolve("album 1"), true, 10 * MS);
    s.file(tree.resolve("album 1"), "1.mp3", false, true, 20 * MS);
    long t = 0;
    for (; t < Settling.BATCH_DELAY_MAX_NS; t += 100 * MS) {
      s.file(tree.resolve("album 2"), "1.wav", true, false, t); // The copy goes on.
      assertEquals(List.of(), s.take(t + MS), "gathered while young");
    }
    s.file(tree.resolve("album 2"), "1.wav", true, false, t);
    assertEquals(List.of(FolderScope.below(tree.resolve("album 1"))), s.take(t + MS), "the finished album alone");
    s.file(tree.resolve("album 2"), "1.wav", false, true, t + 2 * MS);
    assertEquals(List.of(FolderScope.below(tree)), s.take(t + 2 * MS + Settling.GATHER_NS), "then the tree, whole");
    assertTrue(s.isEmpty());
  }

  @Test
  void manyNamesBeingWritten_stayBounded_andSettleByQuietTime() {
    Settling s = new Settling(SETTLE);
    for (int i = 0; i < Settling.WRITING_MAX + 10; i++) {
      s.file(A, "f" + i, true, false, 0);
    }
    s.file(A, "f0", false, true, MS);
    assertEquals(List.of(), s.take(MS + Settling.GATHER_NS), "past the limit, closes are not tracked");
    assertEquals(List.of(FolderScope.of(A)), s.take(MS + SETTLE));
  }

  @Test
  void waitNs_isTheTimeToTheNextFolderSettling() {
    Settling s = new Settling(SETTLE);
    assertEquals(SETTLE, s.waitNs(0));
    s.file(A, "1.mp3", true, false, 0);
    assertEquals(SETTLE - 300 * MS, s.waitNs(300 * MS));
  }
}
