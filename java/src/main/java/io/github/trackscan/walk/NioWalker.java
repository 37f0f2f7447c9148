package io.github.trackscan.walk;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/*
 * The pure-Java walker. It keeps the native walker's contract to the letter (the contract test runs
 * both on the same tree), so every rule here has a twin in native/src/walk.zig:
 *
 *  - one stat per entry: java.nio gives no d_type, so names that cannot be audio are stat-ed too
 *    (BasicFileAttributes, by name against the open folder where the JDK allows it, as the native
 *    walker's fstatat); a file's dev/ino come from the same read's file key (FileIds);
 *  - a name that is not UTF-8 is walked like any other, its text escaped (PathNames): the JDK's
 *    toString() would hand out U+FFFD that names no file, so its bytes are read from toUri();
 *  - a path whose absolute form would reach PATH_BYTES_MAX bytes is reported as NAME_TOO_LONG, with
 *    the path of the folder that holds it;
 *  - followed symlinks to folders are checked against the folder's ancestors (file keys), so a loop
 *    is reported once and a second link to a folder is walked again, as the user asked.
 *
 * Parallelism: directories are tasks on a shared LIFO deque (depth-first keeps the deque small);
 * worker threads list and stat, batch their results and hand batches to the caller's thread
 * through a bounded queue, so memory stays bounded and the visitor is never called concurrently.
 * With one thread the walk runs on the caller's thread with no queue at all.
 */
final class NioWalker implements Walker {
  static final NioWalker INSTANCE = new NioWalker();

  private static final int BATCH_MAX = 512;
  private static final int QUEUED_BATCHES_MAX = 64;

  private NioWalker() {}

  @Override
  public Backend backend() {
    return Backend.NIO;
  }

  @Override
  public void walk(Path root, WalkOptions options, WalkVisitor visitor) throws WalkException {
    Path absolute = root.toAbsolutePath();
    Object rootKey = checkRoot(absolute);
    if (options.depthMax() == 0) {
      return;
    }
    Walk walk = new Walk(absolute, options);
    Dir start = new Dir(absolute, "", 0, rootKey, null);
    int threads = options.effectiveThreads();
    if (threads == 1) {
      walk.runSerial(start, visitor);
    } else {
      walk.runParallel(start, threads, visitor);
    }
  }

  private static Object checkRoot(Path root) throws WalkException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(root, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new WalkException(root, statusOf(e), e);
    }
    if (!attributes.isDirectory()) {
      throw new WalkException(root, WalkStatus.NOT_DIRECTORY);
    }
    if (!Files.isReadable(root) || !Files.isExecutable(root)) {
      throw new WalkException(root, WalkStatus.ACCESS_DENIED);
    }
    return attributes.fileKey();
  }

  static WalkStatus statusOf(IOException e) {
    if (e instanceof NoSuchFileException) {
      return WalkStatus.NOT_FOUND;
    }
    if (e instanceof NotDirectoryException) {
      return WalkStatus.NOT_DIRECTORY;
    }
    if (e instanceof AccessDeniedException) {
      return WalkStatus.ACCESS_DENIED;
    }
    if (e instanceof FileSystemLoopException) {
      return WalkStatus.SYMLINK_LOOP;
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      String reason = fse.getReason();
      if (reason.contains("File name too long")) {
        return WalkStatus.NAME_TOO_LONG;
      }
      if (reason.contains("Too many levels of symbolic links")) {
        return WalkStatus.SYMLINK_LOOP;
      }
      if (reason.contains("Not a directory")) {
        return WalkStatus.NOT_DIRECTORY;
      }
      if (reason.contains("Permission denied") || reason.contains("Operation not permitted")) {
        return WalkStatus.ACCESS_DENIED;
      }
    }
    return WalkStatus.IO_ERROR;
  }

  /** A folder to list; {@code parent} links folder keys upward, for loop checks. */
  private record Dir(Path path, String relative, int depth, Object key, Dir parent) {}

  /** Where one folder's results go. */
  private interface Sink {
    void entry(WalkEntry entry);

    void error(WalkError error);

    void folder(Dir dir);

    /** A folder listed to the end (only when the options ask for folders). */
    void listed(WalkFolder folder);
  }

  private static final class Walk {
    private final WalkOptions options;
    private final int rootBytes;
    private final boolean follow;

    Walk(Path root, WalkOptions options) {
      this.options = options;
      this.rootBytes = PathNames.bytes(PathNames.text(root)).length; // Its bytes, not its (escaped) text
      this.follow = options.followSymlinks();
    }

    void runSerial(Dir start, WalkVisitor visitor) {
      ArrayDeque<Dir> pending = new ArrayDeque<>();
      pending.push(start);
      Sink sink = new Sink() {
        @Override
        public void entry(WalkEntry entry) {
          visitor.entry(entry);
        }

        @Override
        public void error(WalkError error) {
          visitor.error(error);
        }

        @Override
        public void folder(Dir dir) {
          pending.push(dir);
        }

        @Override
        public void listed(WalkFolder folder) {
          visitor.folder(folder);
        }
      };
      for (Dir dir = pending.poll(); dir != null; dir = pending.poll()) {
        list(dir, sink);
      }
    }

    void runParallel(Dir start, int threads, WalkVisitor visitor) {
      ParallelWalk parallel = new ParallelWalk(this, threads);
      parallel.run(start, visitor);
    }

    /** Lists one folder: every child becomes an entry, an error, a subfolder, or nothing. */
    void list(Dir dir, Sink sink) {
      BasicFileAttributes own = null;
      long[] ownIds = null;
      if (options.reportFolders()) {
        // Taken before the listing, as the native walker does: a change made while the folder is
        // listed leaves a newer mtime than the one recorded, so a folder cache sees it.
        try {
          own = Files.readAttributes(dir.path(), BasicFileAttributes.class);
          ownIds = FileIds.ids(dir.path(), own, true);
        } catch (IOException e) {
          sink.error(new WalkError(dir.relative(), statusOf(e)));
          return;
        }
      }
      long entries = 0;
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.path())) {
        // On Linux the stream holds the folder open: each child is stat-ed by name against it
        // (fstatat), not by its whole path from the root, which the kernel would look up again.
        SecureDirectoryStream<Path> open = stream instanceof SecureDirectoryStream<Path> secure ? secure : null;
        for (Path child : stream) {
          entries++;
          visit(dir, child, open, sink);
        }
        if (own != null) {
          sink.listed(new WalkFolder(dir.relative(), own.lastModifiedTime().to(TimeUnit.NANOSECONDS), entries,
              ownIds[0], ownIds[1]));
        }
      } catch (DirectoryIteratorException e) {
        sink.error(new WalkError(dir.relative(), statusOf(e.getCause())));
      } catch (IOException e) {
        sink.error(new WalkError(dir.relative(), statusOf(e)));
      }
    }

    private void visit(Dir dir, Path child, SecureDirectoryStream<Path> open, Sink sink) {
      String name = PathNames.name(child); // Escaped if not UTF-8, as the native walker's
      if (!options.includeHidden() && name.startsWith(".")) {
        return;
      }
      String relative = dir.relative().isEmpty() ? name : dir.relative() + '/' + name;
      if (tooLong(relative)) {
        sink.error(new WalkError(dir.relative(), WalkStatus.NAME_TOO_LONG));
        return;
      }
      int depth = dir.depth() + 1;
      boolean candidate = options.matchesExtension(name);
      try {
        BasicFileAttributes attributes = open != null
            ? open.getFileAttributeView(child.getFileName(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes()
            : Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (candidate && attributes.isRegularFile()) {
          sink.entry(FileIds.entry(relative, child, attributes, false, EntryKind.FILE));
        } else if (attributes.isDirectory()) {
          if (depth < options.depthMax()) {
            sink.folder(new Dir(child, relative, depth, attributes.fileKey(), dir));
          }
        } else if (attributes.isSymbolicLink() && follow) {
          visitLink(dir, child, relative, depth, candidate, sink);
        }
      } catch (IOException e) {
        sink.error(new WalkError(relative, statusOf(e)));
      }
    }

    private void visitLink(Dir dir, Path child, String relative, int depth, boolean candidate, Sink sink)
        throws IOException {
      BasicFileAttributes target = Files.readAttributes(child, BasicFileAttributes.class);
      if (target.isDirectory()) {
        if (depth >= options.depthMax()) {
          return;
        }
        for (Dir ancestor = dir; ancestor != null; ancestor = ancestor.parent()) {
          if (target.fileKey().equals(ancestor.key())) {
            sink.error(new WalkError(relative, WalkStatus.SYMLINK_LOOP));
            return;
          }
        }
        sink.folder(new Dir(child, relative, depth, target.fileKey(), dir));
      } else if (target.isRegularFile() && candidate) {
        sink.entry(FileIds.entry(relative, child, target, true, EntryKind.SYMLINK_FILE));
      }
    }

    private boolean tooLong(String relative) {
      // Most paths are far below the limit even at 3 bytes a char; count bytes only near it.
      if (rootBytes + 1 + 3L * relative.length() < WalkOptions.PATH_BYTES_MAX) {
        return false;
      }
      return rootBytes + 1 + PathNames.bytes(relative).length >= WalkOptions.PATH_BYTES_MAX; // An escape is one byte
    }
  }

  /**
   * Worker threads share a LIFO deque of folders; each folder's results travel as one batch
   * through a bounded queue to the caller's thread.
   */
  private static final class ParallelWalk {
    private static final List<Object> END = List.of();

    private final Walk walk;
    private final int threads;
    private final ArrayDeque<Dir> pending = new ArrayDeque<>();
    private final BlockingQueue<List<Object>> results = new ArrayBlockingQueue<>(QUEUED_BATCHES_MAX);
    private int active;
    private boolean stopped;
    private Throwable failure;

    ParallelWalk(Walk walk, int threads) {
      this.walk = walk;
      this.threads = threads;
    }

    void run(Dir start, WalkVisitor visitor) {
      pending.push(start);
      List<Thread> workers = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        workers.add(Thread.ofPlatform().name("trackscan-nio-walk-" + i).daemon().start(this::work));
      }
      int running = threads;
      try {
        while (running > 0) {
          List<Object> batch = results.take();
          if (batch == END) {
            running--;
            continue;
          }
          for (Object item : batch) {
            if (item instanceof WalkEntry entry) {
              visitor.entry(entry);
            } else if (item instanceof WalkFolder folder) {
              visitor.folder(folder);
            } else {
              visitor.error((WalkError) item);
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("walk interrupted", e);
      } finally {
        stop(workers);
      }
      synchronized (this) {
        if (failure instanceof RuntimeException e) {
          throw e;
        } else if (failure instanceof Error e) {
          throw e;
        }
      }
    }

    private void stop(List<Thread> workers) {
      synchronized (this) {
        stopped = true;
        notifyAll();
      }
      for (Thread worker : workers) {
        worker.interrupt();
      }
      for (Thread worker : workers) {
        try {
          worker.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private Dir take() throws InterruptedException {
      synchronized (this) {
        while (!stopped && pending.isEmpty() && active > 0) {
          wait();
        }
        if (stopped || pending.isEmpty()) {
          notifyAll();
          return null;
        }
        active++;
        return pending.pop();
      }
    }

    private void work() {
      try {
        BatchSink sink = new BatchSink();
        for (Dir dir = take(); dir != null; dir = take()) {
          walk.list(dir, sink);
          sink.finish();
        }
      } catch (InterruptedException e) {
        // Stopped by the caller; nothing more to hand over.
      } catch (RuntimeException | Error e) {
        synchronized (this) {
          if (failure == null && !stopped) {
            failure = e;
          }
          stopped = true;
          notifyAll();
        }
      } finally {
        try {
          results.put(END);
        } catch (InterruptedException e) {
          // The caller is stopping the walk and no longer counts the ends.
        }
      }
    }

    /** Collects one folder's results, then publishes its subfolders and hands over the batch. */
    private final class BatchSink implements Sink {
      private List<Object> batch = new ArrayList<>();
      private final List<Dir> folders = new ArrayList<>();

      @Override
      public void entry(WalkEntry entry) {
        add(entry);
      }

      @Override
      public void error(WalkError error) {
        add(error);
      }

      @Override
      public void listed(WalkFolder folder) {
        add(folder);
      }

      @Override
      public void folder(Dir dir) {
        folders.add(dir);
        if (folders.size() >= 8) {
          publishFolders();
        }
      }

      private void add(Object item) {
        batch.add(item);
        if (batch.size() >= BATCH_MAX) {
          hand();
        }
      }

      private void publishFolders() {
        synchronized (ParallelWalk.this) {
          for (Dir folder : folders) {
            pending.push(folder);
          }
          ParallelWalk.this.notifyAll();
        }
        folders.clear();
      }

      private void hand() {
        if (batch.isEmpty()) {
          return;
        }
        List<Object> full = batch;
        batch = new ArrayList<>();
        try {
          results.put(full);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("walk stopped");
        }
      }

      void finish() throws InterruptedException {
        publishFolders();
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        hand();
        synchronized (ParallelWalk.this) {
          active--;
          ParallelWalk.this.notifyAll();
        }
      }
    }
  }
}
