package io.github.trackscan.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.trackscan.scan.CancellationToken;
import io.github.trackscan.scan.Change;
import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Watches that follow real changes on disk. Nothing here is timed: each test waits (up to a
 * minute, so a loaded machine only makes it slower) until the catalogue shows what the disk
 * holds, and then checks the ids, counts and listener calls.
 */
final class WatchTest {
  private static final Duration WAIT_MAX = Duration.ofSeconds(60);
  private static final WatchOptions FAST = WatchOptions.defaults().withSettle(Duration.ofMillis(200));

  @TempDir Path dir;
  private Path music;
  private Path db;
  private Thread thread;
  private final CancellationToken cancellation = new CancellationToken();
  private final AtomicReference<Object> outcome = new AtomicReference<>();
  private final Recorder recorder = new Recorder();

  /** Everything a watch tells its listener, from the watch's thread. */
  static final class Recorder implements WatchListener {
    final List<Change> changes = new CopyOnWriteArrayList<>();
    final List<WatchBatch> batches = new CopyOnWriteArrayList<>();
    final List<String> modes = new CopyOnWriteArrayList<>();
    final List<String> retries = new CopyOnWriteArrayList<>();
    volatile boolean ready;

    @Override
    public void ready(io.github.trackscan.scan.ScanReport initial) {
      ready = true;
    }

    @Override
    public void change(Change change) {
      changes.add(change);
    }

    @Override
    public void batch(WatchBatch batch) {
      batches.add(batch);
    }

    @Override
    public void rootMode(Path root, RootMode mode, String detail) {
      modes.add(mode + ": " + detail);
    }

    @Override
    public void retrying(String reason, long delayMs) {
      retries.add(reason);
    }

    long count(ChangeKind kind, String path) {
      return changes.stream().filter(c -> c.kind() == kind && c.path().equals(path)).count();
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (thread != null) {
      cancellation.cancel();
      thread.join(WAIT_MAX.toMillis());
    }
  }

  private static void mp3(Path file, String album, int track) {
    AudioFixtures.write(file, AudioFixtures.mp3(AudioFixtures.Meta.of("Artist", album, track), 20));
  }

  /** Two albums of three tracks, settled, under dir/music. */
  private void library() {
    music = dir.resolve("music");
    db = dir.resolve("library.db");
    for (int a = 0; a < 2; a++) {
      for (int t = 1; t <= 3; t++) {
        mp3(music.resolve("Artist/Album " + a + "/" + t + ".mp3"), "Album " + a, t);
      }
    }
    AudioFixtures.settle(music);
  }

  private void watch(Backend backend, WatchOptions options, LibraryWatch.WatcherFactory factory) {
    if (backend == Backend.NATIVE) {
      assumeTrue(Walkers.nativeUnavailableReason().isEmpty(), "no native library in this build");
    }
    watch(Scanner.builder().roots(music).database(db).backend(backend).build(), options, factory);
  }

  private void watch(Scanner scanner, WatchOptions options, LibraryWatch.WatcherFactory factory) {
    thread = new Thread(() -> {
      try {
        outcome.set(new LibraryWatch(scanner, options, recorder, cancellation, factory).run());
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, "test-watch");
    thread.start();
    await("the watch to set up", () -> recorder.ready);
  }

  private void watch(Backend backend) {
    watch(backend, FAST, null);
  }

  /** Cancels the watch and returns its report. */
  private WatchReport end() throws InterruptedException {
    cancellation.cancel();
    thread.join(WAIT_MAX.toMillis());
    assertTrue(!thread.isAlive(), "the watch ended when cancelled");
    thread = null;
    if (outcome.get() instanceof Throwable e) {
      throw new AssertionError("the watch failed", e);
    }
    return (WatchReport) outcome.get();
  }

  private void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_MAX.toNanos();
    while (!condition.getAsBoolean()) {
      if (outcome.get() instanceof Throwable e) {
        throw new AssertionError("the watch failed while waiting for " + what, e);
      }
      if (System.nanoTime() > deadline) {
        fail("waited " + WAIT_MAX.toSeconds() + " s for " + what + "; modes " + recorder.modes + ", changes "
            + recorder.changes + ", retries " + recorder.retries);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private long rows(String where) {
    return query("SELECT count(*) FROM library WHERE " + where);
  }

  private long idOf(Path file) {
    return query("SELECT coalesce(max(id), -1) FROM library WHERE path = '" + file.toString().replace("'", "''") + "'");
  }

  private long query(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -2; // Not created yet, or busy: the caller waits on.
    }
  }

  private static void deleteTree(Path top) throws IOException {
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void followsAnAlbumCopiedIn_aRename_andADelete_withIdsKept(Backend backend) throws Exception {
    library();
    watch(backend);
    Path album = music.resolve("Artist/Album 2");
    for (int t = 1; t <= 5; t++) {
      mp3(album.resolve(t + ".mp3"), "Album 2", t);
    }
    await("5 files added", () -> rows("path LIKE '%/Album 2/%' AND missing_since IS NULL") == 5);

    Path from = music.resolve("Artist/Album 0/1.mp3");
    Path to = music.resolve("Artist/Album 1/renamed.mp3");
    long id = idOf(from);
    Files.move(from, to);
    await("the rename", () -> idOf(to) == id);
    // The listener hears of a change after its commit, so the row can be read before the call.
    await("the rename heard", () -> recorder.count(ChangeKind.MOVED, to.toString()) > 0);

    Files.delete(music.resolve("Artist/Album 0/2.mp3"));
    await("the delete", () -> rows("missing_since IS NOT NULL") == 1);

    WatchReport report = end();
    assertEquals(1, recorder.count(ChangeKind.MOVED, to.toString()), "heard once: " + recorder.changes);
    assertEquals(5 + 6, report.count(ChangeKind.ADDED));
    assertEquals(1, report.count(ChangeKind.MOVED));
    assertEquals(1, report.count(ChangeKind.MISSING));
    assertEquals(rows("1"), report.count(ChangeKind.ADDED), "every added row was counted, and no other");
    assertTrue(report.cancelled());
    assertEquals(report.batches(), recorder.batches.size());
    assertEquals(5 + 1 + 1, recorder.batches.stream().mapToLong(b -> b.count(ChangeKind.ADDED) + b.count(ChangeKind.MOVED)
        + b.count(ChangeKind.MISSING)).sum(), "each batch reports what it committed: " + recorder.batches);
    assertTrue(recorder.modes.get(0).startsWith("WATCHING"), recorder.modes.toString());
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void namesThatAreNotUtf8_areFollowedUnderTheirEscapedText(Backend backend) throws Exception {
    library();
    watch(backend);
    Path album = music.resolve("Artist/Album 0");
    // Latin-1 names, as an old copy makes them: a file, and a folder holding one.
    Process p = new ProcessBuilder("python3", "-c", "import shutil\n"
        + "shutil.copy('1.mp3', b'caf\\xe9.mp3')\n"
        + "import os\nos.mkdir(b'../Disc \\xe9')\nshutil.copy('1.mp3', b'../Disc \\xe9/1.mp3')")
        .directory(album.toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    Path file = io.github.trackscan.walk.PathNames.path(album + "/caf\uFFFDE9.mp3");
    await("the file named in Latin-1", () -> query("SELECT count(*) FROM library WHERE path = '" + album
        + "/caf\uFFFDE9.mp3'") == 1);
    await("the file in the folder named in Latin-1", () -> query("SELECT count(*) FROM library WHERE path = '"
        + music + "/Artist/Disc \uFFFDE9/1.mp3'") == 1);
    Files.delete(file);
    await("its row missing", () -> rows("missing_since IS NOT NULL") == 1);
    assertEquals(8, rows("1"), "kept, not deleted");
    end();
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void aFolderMovedOutOfTheLibrary_isMissing_andRestoredWhenMovedBack(Backend backend) throws Exception {
    library();
    watch(backend);
    Path album = music.resolve("Artist/Album 0");
    long id = idOf(album.resolve("1.mp3"));
    Path away = dir.resolve("away");
    Files.move(album, away);
    await("3 rows missing", () -> rows("missing_since IS NOT NULL") == 3);
    assertEquals(id, idOf(album.resolve("1.mp3")), "a missing row keeps its id");

    Files.move(away, album);
    await("3 rows restored", () -> rows("missing_since IS NOT NULL") == 0);
    assertEquals(id, idOf(album.resolve("1.mp3")));
    // Heard after the commit that the wait above saw; counted once the watch has ended.
    await("the restore heard", () -> recorder.count(ChangeKind.RESTORED, album.resolve("1.mp3").toString()) > 0);

    // Watched again where it is: a file written into it now is seen.
    mp3(album.resolve("4.mp3"), "Album 0", 4);
    await("a file in the folder moved back", () -> idOf(album.resolve("4.mp3")) > 0);

    deleteTree(album);
    await("the deleted folder's 4 rows missing", () -> rows("missing_since IS NOT NULL") == 4);
    assertEquals(7, rows("1"), "kept, not deleted");
    end();
    assertEquals(1, recorder.count(ChangeKind.RESTORED, album.resolve("1.mp3").toString()), "heard once: "
        + recorder.changes);
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void aFolderRenamedInside_movesItsRows_andStaysWatched(Backend backend) throws Exception {
    library();
    watch(backend);
    Path album = music.resolve("Artist/Album 0");
    Path renamed = music.resolve("Artist/Album Zero");
    long id = idOf(album.resolve("1.mp3"));
    Files.move(album, renamed);
    await("the rows to move", () -> idOf(renamed.resolve("1.mp3")) == id);
    assertEquals(0, rows("missing_since IS NOT NULL"));
    mp3(renamed.resolve("4.mp3"), "Album 0", 4);
    await("a file in the renamed folder", () -> idOf(renamed.resolve("4.mp3")) > 0);
    assertEquals(7, rows("1"));
    end();
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"NATIVE", "NIO"})
  void aRootThatGoesAway_touchesNoRow_andIsFollowedAgainWhenBack(Backend backend) throws Exception {
    library();
    watch(backend);
    Path away = dir.resolve("away");
    Files.move(music, away);
    await("the root offline", () -> recorder.modes.stream().anyMatch(m -> m.startsWith("OFFLINE")));
    assertEquals(0, rows("missing_since IS NOT NULL"), "no row touched while the root is away");

    Files.move(away, music);
    await("the root watched again", () -> recorder.modes.getLast().startsWith("WATCHING"));
    mp3(music.resolve("Artist/Album 0/4.mp3"), "Album 0", 4);
    await("a file added after the root came back", () -> idOf(music.resolve("Artist/Album 0/4.mp3")) > 0);
    assertEquals(0, rows("missing_since IS NOT NULL"));
    end();
  }

  @Test
  void aRootUnmounted_touchesNoRow_andIsFollowedAgainWhenMountedBack() throws Exception {
    music = Files.createDirectories(dir.resolve("music"));
    db = dir.resolve("library.db");
    assumeTrue(run("mount", "-t", "tmpfs", "trackscan-test", music.toString()) == 0,
        "cannot mount a tmpfs here (needs CAP_SYS_ADMIN; CI has it)");
    try {
      library();
      watch(Backend.AUTO);
      assertEquals(0, run("umount", "-l", music.toString()));
      await("the root offline", () -> recorder.modes.stream().anyMatch(m -> m.startsWith("OFFLINE")));
      assertEquals(0, rows("missing_since IS NOT NULL"), "no row touched while the share is away");
      assertEquals(6, rows("1"));

      assertEquals(0, run("mount", "-t", "tmpfs", "trackscan-test", music.toString()));
      library(); // The same files again (new inodes, the same fingerprints).
      await("the root watched again", () -> recorder.modes.getLast().startsWith("WATCHING"));
      mp3(music.resolve("Artist/Album 0/4.mp3"), "Album 0", 4);
      await("a file added after the remount", () -> idOf(music.resolve("Artist/Album 0/4.mp3")) > 0);
      assertEquals(0, rows("missing_since IS NOT NULL"));
      assertEquals(7, rows("1"));
      end();
    } finally {
      run("umount", "-l", music.toString());
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }

  @Test
  void onPostgreSql_theWatchFollowsAndKeepsIds() throws Exception {
    io.github.trackscan.store.Engine.Fresh pg = io.github.trackscan.store.Engine.POSTGRES.fresh(dir);
    library();
    watch(Scanner.builder().roots(music).database(pg.source()).build(), FAST, null);
    Path from = music.resolve("Artist/Album 0/1.mp3");
    Path to = music.resolve("Artist/Album 1/moved.mp3");
    String id = pg.rows("id").get(from.toString());
    Files.move(from, to);
    mp3(music.resolve("Artist/Album 1/4.mp3"), "Album 1", 4);
    Files.delete(music.resolve("Artist/Album 0/2.mp3"));
    await("the move, the new file and the missing one", () -> id.equals(pg.rows("id").get(to.toString()))
        && pg.count("missing_since IS NOT NULL") == 1 && pg.count("1 = 1") == 7);
    WatchReport report = end();
    assertEquals(7, report.count(ChangeKind.ADDED));
    assertEquals(1, report.count(ChangeKind.MOVED));
    assertEquals(1, report.count(ChangeKind.MISSING));
  }

  @Test
  void anUnreadableFolder_keepsItsRows() throws Exception {
    library();
    watch(Backend.AUTO);
    Path album = music.resolve("Artist/Album 0");
    Files.setPosixFilePermissions(album, PosixFilePermissions.fromString("---------"));
    try {
      assumeFalse(Files.isReadable(album), "running with the power to read anything (root with DAC caps)");
      mp3(music.resolve("Artist/Album 1/4.mp3"), "Album 1", 4); // Something to wait for after it.
      await("the file after it", () -> idOf(music.resolve("Artist/Album 1/4.mp3")) > 0);
      assertEquals(0, rows("missing_since IS NOT NULL"), "rows of an unreadable folder are not missing");
    } finally {
      Files.setPosixFilePermissions(album, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    end();
  }

  @Test
  void aFileReplacedByAFolder_andASymlinkLoop_areTakenInStride() throws Exception {
    library();
    watch(Backend.AUTO);
    Path file = music.resolve("Artist/Album 0/1.mp3");
    Files.delete(file);
    Files.createDirectory(file);
    mp3(file.resolve("inside.mp3"), "Album 0", 9);
    Files.createSymbolicLink(music.resolve("Artist/Album 1/loop"), music.resolve("Artist"));
    await("the file inside the folder", () -> idOf(file.resolve("inside.mp3")) > 0);
    await("the file's row missing", () -> rows("missing_since IS NOT NULL") == 1);
    mp3(music.resolve("Artist/Album 1/after.mp3"), "Album 1", 8);
    await("a file after the loop", () -> idOf(music.resolve("Artist/Album 1/after.mp3")) > 0);
    assertEquals(8, rows("1"));
    end();
  }

  @Test
  void aDatabaseLockedByAHost_isWaitedFor_andNothingIsLost() throws Exception {
    library();
    watch(Backend.AUTO);
    Path added = music.resolve("Artist/Album 0/4.mp3");
    try (Connection host = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = host.createStatement()) {
      s.execute("BEGIN IMMEDIATE"); // Holds the write lock past the watch's busy timeout.
      mp3(added, "Album 0", 4);
      await("the watch to retry", () -> !recorder.retries.isEmpty());
      s.execute("ROLLBACK");
    }
    await("the file written once the lock is gone", () -> idOf(added) > 0);
    assertEquals(7, rows("1"));
    end();
  }

  @Test
  void aFlood_ofFilesCreatedAndDeleted_convergesToWhatIsLeft() throws Exception {
    library();
    watch(Backend.AUTO);
    Path flood = music.resolve("Flood");
    Files.createDirectories(flood);
    byte[] bytes = AudioFixtures.mp3(AudioFixtures.Meta.of("Flood", "Flood", 1), 2);
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int n = 0;
    while (System.nanoTime() < end) {
      Path f = flood.resolve("f" + (n % 500) + ".mp3");
      Files.write(f, bytes);
      Files.delete(f);
      n++;
    }
    for (int i = 0; i < 10; i++) {
      Files.write(flood.resolve("kept" + i + ".mp3"), bytes);
    }
    await("exactly the 10 files left", () -> rows("path LIKE '%/Flood/%' AND missing_since IS NULL") == 10);
    assertEquals(16, rows("missing_since IS NULL"));
    end();
  }

  @Test
  void pastTheWatchLimit_foldersArePolled_andSaidSoOnce() throws Exception {
    library();
    WatchOptions options = FAST.withPollInterval(Duration.ofMillis(300));
    watch(Backend.NIO, options, roots -> new LimitedWatcher(new JdkWatcher(roots), 2));
    assertTrue(recorder.modes.get(0).startsWith("PARTLY_POLLING"), recorder.modes.toString());
    assertTrue(recorder.modes.get(0).contains("max_user_watches"), recorder.modes.toString());
    Path added = music.resolve("Artist/Album 1/4.mp3"); // Album 1: past the limit of 2 folders.
    mp3(added, "Album 1", 4);
    await("the file in a polled folder", () -> idOf(added) > 0);
    end();
  }

  @Test
  void everyRootPolled_whenAsked() throws Exception {
    library();
    watch(Backend.AUTO, FAST.withPoll(true).withPollInterval(Duration.ofMillis(300)), null);
    assertTrue(recorder.modes.get(0).startsWith("POLLING"), recorder.modes.toString());
    Path added = music.resolve("Artist/Album 1/4.mp3");
    mp3(added, "Album 1", 4);
    await("the polled file", () -> idOf(added) > 0);
    end();
  }

  /** A watcher that reaches the watch limit after {@code limit} folders. */
  private static final class LimitedWatcher implements FolderWatcher {
    private final FolderWatcher inner;
    private final int limit;

    LimitedWatcher(FolderWatcher inner, int limit) {
      this.inner = inner;
      this.limit = limit;
    }

    @Override
    public void add(Path folder) throws LimitReached, IOException {
      if (!inner.watches(folder) && inner.size() >= limit) {
        throw new LimitReached("the inotify watch limit is reached (fs.inotify.max_user_watches is " + limit + ")");
      }
      inner.add(folder);
    }

    @Override
    public boolean watches(Path folder) {
      return inner.watches(folder);
    }

    @Override
    public void removeBelow(Path folder) {
      inner.removeBelow(folder);
    }

    @Override
    public int size() {
      return inner.size();
    }

    @Override
    public void read(long timeoutMs, FolderEvents events) throws IOException {
      inner.read(timeoutMs, events);
    }

    @Override
    public void wake() {
      inner.wake();
    }

    @Override
    public String kind() {
      return inner.kind();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
