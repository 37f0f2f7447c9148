package io.github.trackscan.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.tags.TrackTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WalCheckpointerTest {
  private static final long NOW_MS = 1_800_000_000_000L;
  private static final TrackTags TAGS = new TrackTags("T", "A", "Al", null, 1, 2, null, null, 2001, "2001", "Pop",
      180_000L, 320, 44100, 2, "MPEG-1 Layer 3");

  @TempDir Path dir;

  @Test
  void aCommitIsCopiedIntoTheDatabaseFileWhileTheLibraryIsOpen() throws Exception {
    Path db = dir.resolve("library.db");
    try (Library library = Library.open(db)) {
      assertEquals(-1, library.checkpoints(), "a catalogue that is only read starts no thread");
      LibraryWriter writer = library.writer();
      long before = Files.size(db);
      writer.begin();
      for (int i = 0; i < 2_000; i++) {
        writer.insert("/m/" + i + ".mp3", "mp3", new Fingerprint(i, 1000 + i, 1, i), TAGS, null, (long) i, NOW_MS);
      }
      writer.commit();
      // Far below the writer's own automatic checkpoint (BOUND_PAGES): only the thread copies it now.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (library.checkpoints() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(library.checkpoints() >= 1, "no checkpoint ran");
      assertTrue(Files.size(db) > before + 100 * 1024, "the database file holds the rows: " + before + " then "
          + Files.size(db) + " bytes");
    }
    assertFalse(Files.exists(dir.resolve("library.db-wal")), "the close copies the rest and removes the log");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM library")) {
      rs.next();
      assertEquals(2_000, rs.getInt(1));
    }
  }

  @Test
  void theWritersOwnCheckpointBecomesTheBoundAndCloseEndsTheThread() throws Exception {
    Path db = dir.resolve("bound.db");
    Library.open(db).close(); // The schema, in WAL mode.
    try (Connection write = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      WalCheckpointer checkpointer = new WalCheckpointer(DriverManager.getConnection("jdbc:sqlite:" + db), write);
      try (Statement s = write.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
        rs.next();
        assertEquals(WalCheckpointer.BOUND_PAGES, rs.getInt(1));
      }
      assertTrue(checkpointer.running());
      checkpointer.committed();
      checkpointer.close();
      assertFalse(checkpointer.running());
    }
  }
}
