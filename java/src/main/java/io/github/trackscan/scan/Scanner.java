package io.github.trackscan.scan;

import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.PurgeResult;
import io.github.trackscan.store.SchemaTooNewException;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TagReaders;
import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.Walkers;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scans one or more folders into a library database: walks them, compares every file's fingerprint
 * {@code (mtime_ns, size)} with the library's, parses only added and modified files (in parallel),
 * recognises moved files by device and inode or content, marks rows whose files are gone missing
 * (never deleting them), and writes in batched transactions; {@link #watch} then follows the disk. Made by {@link #builder()}; immutable.
 *
 * <pre>{@code
 * Scanner scanner = Scanner.builder().roots(Path.of("/music")).database(Path.of("library.db")).build();
 * ScanReport report = scanner.scan();
 * }</pre>
 *
 * <p>Data safety: a root that cannot be walked, and every folder the walk could not read, keep
 * their rows (nothing below them is judged deleted). A file that cannot be parsed is recorded with
 * its error and not parsed again until it changes. Rows are only ever updated in trackscan's own
 * columns, by id, so a host's columns survive. A cancelled or failed scan keeps every batch it
 * committed; the next scan carries on from there.
 *
 * <p>Threading: {@link #scan} may be called from any thread; scans of one {@code Scanner} run one
 * at a time (a second call waits for the first to finish). The walk and the writes run on the
 * calling thread, the store read on one helper thread, parsing on {@link #workers()} helper threads;
 * the listener is called on the calling thread only.
 */
public final class Scanner {
  /** Default parse time limit per file. */
  public static final Duration DEFAULT_PARSE_TIME_LIMIT = Duration.ofSeconds(10);
  /** Default rows per write transaction. */
  public static final int DEFAULT_BATCH_ROWS = 1000;
  /** Most parse workers. */
  public static final int WORKERS_MAX = 256;
  /** Most rows per write transaction. */
  public static final int BATCH_ROWS_MAX = 100_000;
  /** Below this many files to parse, one worker parses them all: threads would cost more than they give. */
  public static final int PARALLEL_FILES_MIN = 32;
  /**
   * Requests kept in flight on a network or FUSE root unless told otherwise (walker threads, and
   * parse workers): measured over sshfs with a 1 ms round trip, 32 walker threads walked the 41k
   * library in 7.6 s against 42 s with one per core, and 32 workers imported about 260 files a
   * second against 30.
   */
  public static final int NETWORK_IO_DEPTH = 32;
  /** Quick scans between two full ones by default ({@link Builder#fullEvery}). */
  public static final int DEFAULT_FULL_EVERY = 10;
  /** Most quick scans between two full ones that {@link Builder#fullEvery} takes. */
  public static final int FULL_EVERY_MAX = 1_000_000;
  /** Most requests in flight that {@link Builder#ioDepth} takes. */
  public static final int IO_DEPTH_MAX = WORKERS_MAX;

  private final List<Path> roots;
  private final CatalogSource catalog;
  private final Backend backend;
  private final int workers;
  private final boolean workersSet;
  private final int ioDepth;
  private final WalkOptions walkOptions;
  private final List<String> excludes;
  private final Duration parseTimeLimit;
  private final boolean readInInodeOrder;
  private final int batchRows;
  private final TagReader tagReader;
  private final QuickMode quick;
  private final int fullEvery;
  private final ReentrantLock scanLock = new ReentrantLock();

  private Scanner(Builder b) {
    this.roots = List.copyOf(b.roots);
    this.catalog = b.catalog;
    this.backend = b.backend;
    this.workers = b.workers;
    this.workersSet = b.workersSet;
    this.ioDepth = b.ioDepth;
    this.walkOptions = b.walkOptions;
    this.excludes = List.copyOf(b.excludes);
    this.parseTimeLimit = b.parseTimeLimit;
    this.readInInodeOrder = b.readInInodeOrder;
    this.batchRows = b.batchRows;
    this.tagReader = b.tagReader;
    this.quick = b.quick;
    this.fullEvery = b.fullEvery;
  }

  /** A builder with the defaults: database {@value Library#DEFAULT_FILE_NAME}, backend AUTO, a worker per core. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scans with no listener and no way to cancel but interruption.
   *
   * @see #scan(ScanListener, CancellationToken)
   */
  public ScanReport scan() {
    return scan(ScanListener.NONE, new CancellationToken());
  }

  /**
   * Scans every root into the database and returns what was found and done. Roots that cannot be
   * walked are reported in {@link ScanReport#rootErrors()}, not thrown. With {@link Builder#quick},
   * roots with a folder cache are scanned quickly ({@link ScanReport#rootScans()} says which).
   *
   * @param listener told of phases, progress and each committed change, on this thread
   * @param cancellation cancels the scan from another thread
   * @return the report; {@link ScanReport.Outcome#CANCELLED} when cancelled or interrupted (the
   *     thread's interrupt status is then kept)
   * @throws SchemaTooNewException when the database was written by a newer schema (nothing is written)
   * @throws StoreException when the database cannot be opened, read or written; batches committed
   *     before stay
   * @throws IllegalStateException when backend {@link Backend#NATIVE} was asked for and cannot load here
   * @throws RuntimeException whatever the listener threw
   */
  public ScanReport scan(ScanListener listener, CancellationToken cancellation) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    scanLock.lock();
    try {
      if (quick == QuickMode.OFF) {
        return new ScanRun(this, listener, cancellation).run();
      }
      FolderCachePlan plan = FolderCachePlan.plan(this, cancellation);
      if (!plan.quick()) {
        return new ScanRun(this, listener, cancellation, plan).run();
      }
      List<Unit> units = unitsOf(plan.scopes());
      return new ScanRun(this, listener, cancellation, units, plan).run();
    } finally {
      scanLock.unlock();
    }
  }

  /**
   * Scans only some folders of the roots: each alone (its own files) or with everything below it.
   * This is what a watch does after changes (see {@link #watch}); a host with its own notion of
   * what changed may call it too. Rows outside the folders are not read or touched; moves between
   * the folders, and onto rows missing from earlier scans, are recognised as in a full scan. Each
   * root the folders lie in is checked first: one missing, unreadable, on another device than at
   * its last scan, or empty while the library holds files below it is reported offline
   * ({@link ScanListener#rootOffline}) and none of its rows is touched. A scope that is a whole
   * root makes this a full scan. Scans of folders are not recorded in the scan table.
   *
   * @param scopes folders at or below the roots (absolute)
   * @throws IllegalArgumentException when a folder lies below none of the roots
   * @see #scan(ScanListener, CancellationToken) for the rest of the contract
   */
  public ScanReport scanFolders(List<FolderScope> scopes, ScanListener listener, CancellationToken cancellation) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancellation, "cancellation");
    List<Unit> units = units(scopes);
    scanLock.lock();
    try {
      ScanRun run = units == null ? new ScanRun(this, listener, cancellation)
          : new ScanRun(this, listener, cancellation, units, true);
      return run.run();
    } finally {
      scanLock.unlock();
    }
  }

  /**
   * Keeps the catalogue in step with the disk until cancelled, with the default
   * {@link io.github.trackscan.watch.WatchOptions}.
   *
   * @see #watch(io.github.trackscan.watch.WatchOptions, io.github.trackscan.watch.WatchListener, CancellationToken)
   */
  public io.github.trackscan.watch.WatchReport watch(io.github.trackscan.watch.WatchListener listener,
      CancellationToken cancellation) {
    return watch(io.github.trackscan.watch.WatchOptions.defaults(), listener, cancellation);
  }

  /**
   * Scans, then keeps the catalogue in step with the disk until {@code cancellation} is cancelled
   * or the thread interrupted: local roots are watched (inotify, through the native library with
   * the native backend, or Java's WatchService), network and FUSE roots polled, and only the
   * folders that changed are scanned again ({@link #scanFolders}), once their files have settled.
   * Changes reach the listener after their commit, as in a scan. Blocks the calling thread.
   *
   * @return what the watch did in total, every count committed
   * @throws SchemaTooNewException as {@link #scan} does, for the first scan
   * @throws StoreException as {@link #scan} does, for the first scan; later store failures (a
   *     database locked by a host) are reported to {@link io.github.trackscan.watch.WatchListener#retrying}
   *     and retried, not thrown
   */
  public io.github.trackscan.watch.WatchReport watch(io.github.trackscan.watch.WatchOptions options,
      io.github.trackscan.watch.WatchListener listener, CancellationToken cancellation) {
    return io.github.trackscan.watch.LibraryWatch.run(this, options, listener, cancellation);
  }

  /**
   * The units of a scan of {@code scopes}: deepest first, none inside a recursive one; null when
   * one covers a whole root (then the scan is a full one).
   */
  private List<Unit> units(List<FolderScope> scopes) {
    for (FolderScope scope : scopes) {
      int root = rootOf(scope.folder());
      if (root < 0) {
        throw new IllegalArgumentException(scope.folder() + " lies below none of the roots " + roots);
      }
      if (scope.recursive() && scope.folder().equals(roots.get(root))) {
        return null;
      }
    }
    return unitsOf(scopes);
  }

  /** The units of a scan of {@code scopes} (of this scanner's roots): deepest first, none inside a recursive one. */
  private List<Unit> unitsOf(List<FolderScope> scopes) {
    List<FolderScope> kept = new ArrayList<>();
    for (FolderScope scope : scopes) {
      if (kept.stream().noneMatch(k -> k.covers(scope))) {
        kept.removeIf(scope::covers);
        kept.add(scope);
      }
    }
    kept.sort(java.util.Comparator.comparingInt((FolderScope f) -> f.folder().getNameCount()).reversed());
    List<Unit> units = new ArrayList<>(kept.size());
    for (FolderScope scope : kept) {
      int root = rootOf(scope.folder());
      units.add(Unit.of(root, roots.get(root), scope.folder(), scope.recursive()));
    }
    return units;
  }

  /** The index of the root {@code folder} lies at or below, or -1. */
  int rootOf(Path folder) {
    for (int i = 0; i < roots.size(); i++) {
      if (folder.startsWith(roots.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Deletes the rows below this scanner's roots whose file has been missing for at least
   * {@code missingFor} ({@link Duration#ZERO}: every missing row): the only way a row of a
   * vanished file is deleted. A scan marks such rows, never deletes them.
   *
   * @return the rows deleted, and one error per batch the database refused (nothing of such a
   *     batch is deleted: for example a host's foreign key with ON DELETE RESTRICT)
   * @throws IllegalArgumentException if {@code missingFor} is negative
   * @throws SchemaTooNewException when the database was written by a newer schema
   * @throws StoreException when the database cannot be opened or read
   */
  public PurgeResult purgeMissing(Duration missingFor) {
    Objects.requireNonNull(missingFor, "missingFor");
    scanLock.lock();
    try (var library = catalog.open()) {
      return library.purgeMissing(missingFor, roots);
    } finally {
      scanLock.unlock();
    }
  }

  /** The roots, absolute and normalized, in the order given. */
  public List<Path> roots() {
    return roots;
  }

  /** The library database file, absolute; {@code null} when the catalogue is not a file (PostgreSQL). */
  public Path database() {
    return catalog.file().orElse(null);
  }

  /** Where the catalogue lives: an SQLite file or a PostgreSQL database. */
  public CatalogSource catalog() {
    return catalog;
  }

  /** The walker backend asked for. */
  public Backend backend() {
    return backend;
  }

  /** Parse worker threads. */
  public int workers() {
    return workers;
  }

  /** Requests in flight asked for ({@link Builder#ioDepth}); 0 means chosen per root by its file system. */
  public int ioDepth() {
    return ioDepth;
  }

  /**
   * The requests a scan keeps in flight on {@code fs}: {@link #ioDepth()} when set; on a network
   * or FUSE root {@link #NETWORK_IO_DEPTH}; on a local one 0 (the walk's own default, a thread per
   * core).
   */
  int ioDepthFor(io.github.trackscan.walk.RootFileSystem fs) {
    if (ioDepth > 0) {
      return ioDepth;
    }
    return fs.latencyBound() ? NETWORK_IO_DEPTH : 0;
  }

  /** The walk options for a root with {@code depth} requests in flight (0: as configured). */
  WalkOptions walkOptionsFor(int depth) {
    if (depth == 0 || walkOptions.threads() != 0) {
      return walkOptions; // Threads the host chose stay.
    }
    return walkOptions.toBuilder().threads(Math.min(WalkOptions.THREADS_MAX, depth)).build();
  }

  /** Parse workers for a scan whose roots ask for {@code depth} requests in flight at most. */
  int workersFor(int depth) {
    return workersSet || depth <= workers ? workers : Math.min(WORKERS_MAX, depth);
  }

  /** What the walk reports. */
  public WalkOptions walkOptions() {
    return walkOptions;
  }

  /** Globs of paths below a root that are out of the library's scope (see {@link Builder#excludes}). */
  public List<String> excludes() {
    return excludes;
  }

  /** Whether a path relative to its root is excluded; null when nothing is. */
  PathMatcher excludeMatcher() {
    if (excludes.isEmpty()) {
      return null;
    }
    List<PathMatcher> matchers = new ArrayList<>();
    for (String glob : excludes) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }
    return path -> matchers.stream().anyMatch(m -> m.matches(path));
  }

  /** How long one file may take to parse before it is recorded as an error and skipped. */
  public Duration parseTimeLimit() {
    return parseTimeLimit;
  }

  /** Whether new files are read in inode order within each run of a few thousand (see the builder). */
  public boolean readInInodeOrder() {
    return readInInodeOrder;
  }

  /** Rows written per transaction. */
  public int batchRows() {
    return batchRows;
  }

  /** The tag reader. */
  public TagReader tagReader() {
    return tagReader;
  }

  /** Which roots {@link #scan} may scan quickly from their folder cache (see {@link Builder#quick}). */
  public QuickMode quick() {
    return quick;
  }

  /** Quick scans of a root after which its next scan is a full one; 0: never forced (see {@link Builder#fullEvery}). */
  public int fullEvery() {
    return fullEvery;
  }

  @Override
  public String toString() {
    return "Scanner{roots=" + roots + ", database=" + catalog.describe() + ", backend=" + backend + ", workers=" + workers
        + ", parseTimeLimit=" + parseTimeLimit + ", batchRows=" + batchRows + ", walkOptions=" + walkOptions
        + ", quick=" + quick + ", fullEvery=" + fullEvery + '}';
  }

  /** Builds a {@link Scanner}; every setter validates its argument at once, {@link #build()} the rest. */
  public static final class Builder {
    private final List<Path> roots = new ArrayList<>();
    private CatalogSource catalog = Library.source(Path.of(Library.DEFAULT_FILE_NAME));
    private Backend backend = Backend.AUTO;
    private int workers = Math.min(WORKERS_MAX, Math.max(1, Runtime.getRuntime().availableProcessors()));
    private boolean workersSet;
    private int ioDepth;
    private WalkOptions walkOptions = WalkOptions.defaults();
    private Duration parseTimeLimit = DEFAULT_PARSE_TIME_LIMIT;
    private boolean readInInodeOrder = true;
    private int batchRows = DEFAULT_BATCH_ROWS;
    private TagReader tagReader = TagReaders.standard();
    private QuickMode quick = QuickMode.OFF;
    private int fullEvery = DEFAULT_FULL_EVERY;
    private final List<String> excludes = new ArrayList<>();

    private Builder() {}

    /**
     * Takes files whose path below their root matches one of these globs (java.nio syntax, e.g.
     * {@code "Podcasts/**"} or {@code "**}{@code /*.wav"}) out of the library's scope: they are not
     * catalogued, and rows of excluded files are deleted like those of vanished files.
     *
     * @throws IllegalArgumentException for a glob that does not parse
     */
    public Builder excludes(List<String> globs) {
      for (String glob : globs) {
        try {
          FileSystems.getDefault().getPathMatcher("glob:" + Objects.requireNonNull(glob, "glob"));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("not a glob: '" + glob + "': " + e.getMessage(), e);
        }
        excludes.add(glob);
      }
      return this;
    }

    /**
     * Adds roots to scan (folders; relative ones are resolved against the working directory).
     *
     * @throws NullPointerException if any is null
     */
    public Builder roots(Path... roots) {
      return roots(List.of(roots));
    }

    /**
     * Adds roots to scan.
     *
     * @throws NullPointerException if the list or any root is null
     */
    public Builder roots(List<Path> roots) {
      for (Path root : roots) {
        this.roots.add(Objects.requireNonNull(root, "root").toAbsolutePath().normalize());
      }
      return this;
    }

    /**
     * The library database file (default {@value Library#DEFAULT_FILE_NAME} in the working directory).
     *
     * @throws NullPointerException if null
     */
    public Builder database(Path database) {
      this.catalog = Library.source(Objects.requireNonNull(database, "database"));
      return this;
    }

    /**
     * The catalogue by URL or file name: a file path (SQLite), {@code postgresql://USER@HOST:PORT/DBNAME},
     * {@code postgres://...} or {@code jdbc:postgresql://...} (see {@link Databases#parse}). A second
     * scanner on one of the same roots of a PostgreSQL catalogue makes the scan fail at once.
     *
     * @throws IllegalArgumentException for a URL whose scheme is none of those (the message lists them)
     */
    public Builder database(String url) {
      this.catalog = Databases.parse(Objects.requireNonNull(url, "url"), false);
      return this;
    }

    /**
     * A PostgreSQL catalogue reached through {@code dataSource} (a host's pool, say); its tables
     * live in the connection's current schema. A second scanner on one of the same roots makes the
     * scan fail at once.
     *
     * @throws NullPointerException if null
     */
    public Builder database(javax.sql.DataSource dataSource) {
      this.catalog = io.github.trackscan.store.postgres.PostgresCatalog.source(
          Objects.requireNonNull(dataSource, "dataSource"), "PostgreSQL data source " + dataSource, false);
      return this;
    }

    /**
     * Any catalogue (for instance {@code PostgresCatalog.source(url, true)}, which waits for another
     * scanner of the same roots rather than failing).
     *
     * @throws NullPointerException if null
     */
    public Builder database(CatalogSource catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The walker backend (default {@link Backend#AUTO}).
     *
     * @throws NullPointerException if null
     */
    public Builder backend(Backend backend) {
      this.backend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * Parse worker threads (default: one per available processor).
     *
     * @throws IllegalArgumentException unless 1 to {@value #WORKERS_MAX}
     */
    public Builder workers(int workers) {
      if (workers < 1 || workers > WORKERS_MAX) {
        throw new IllegalArgumentException("workers must be 1 to " + WORKERS_MAX + ", got " + workers);
      }
      this.workers = workers;
      this.workersSet = true;
      return this;
    }

    /**
     * Requests to keep in flight (walker threads, capped at {@link WalkOptions#THREADS_MAX}, and
     * parse workers) on every root. Default 0: chosen per root from its file system, today's plan
     * (a thread per core) on a local disk, {@value #NETWORK_IO_DEPTH} on a network or FUSE mount,
     * where each request waits a round trip. Walker threads or workers set explicitly win.
     *
     * @throws IllegalArgumentException unless 0 to {@value #IO_DEPTH_MAX}
     */
    public Builder ioDepth(int ioDepth) {
      if (ioDepth < 0 || ioDepth > IO_DEPTH_MAX) {
        throw new IllegalArgumentException("ioDepth must be 0 (automatic) to " + IO_DEPTH_MAX + ", got " + ioDepth);
      }
      this.ioDepth = ioDepth;
      return this;
    }

    /**
     * What the walk reports (default {@link WalkOptions#defaults()}: audio extensions, no hidden files).
     *
     * @throws NullPointerException if null
     */
    public Builder walkOptions(WalkOptions walkOptions) {
      this.walkOptions = Objects.requireNonNull(walkOptions, "walkOptions");
      return this;
    }

    /**
     * How long one file may take to parse (default 10 s); after that it is recorded as an error
     * and the scan goes on.
     *
     * @throws IllegalArgumentException unless from 1 ms to 1 hour
     */
    public Builder parseTimeLimit(Duration limit) {
      Objects.requireNonNull(limit, "parseTimeLimit");
      if (limit.compareTo(Duration.ofMillis(1)) < 0 || limit.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("parseTimeLimit must be from 1 ms to 1 hour, got " + limit);
      }
      this.parseTimeLimit = limit;
      return this;
    }

    /**
     * Whether the new files of a scan are read in inode order within each run of
     * {@value ScanRun#DISK_ORDER_WINDOW} walked files (default true), rather than as the walk found
     * them (a folder's entries in its hash order). A cold disk is bound by seeks: ext4, XFS and
     * their peers lay a folder's files out near their inodes in the order they were created, so
     * reads in inode order move forward. Off only to measure what it gains.
     */
    public Builder readInInodeOrder(boolean inInodeOrder) {
      this.readInInodeOrder = inInodeOrder;
      return this;
    }

    /**
     * Rows written per transaction (default {@value #DEFAULT_BATCH_ROWS}). A batch also commits
     * after about a second, so slow parsing never holds finished work uncommitted for long.
     *
     * @throws IllegalArgumentException unless 1 to {@value #BATCH_ROWS_MAX}
     */
    public Builder batchRows(int batchRows) {
      if (batchRows < 1 || batchRows > BATCH_ROWS_MAX) {
        throw new IllegalArgumentException("batchRows must be 1 to " + BATCH_ROWS_MAX + ", got " + batchRows);
      }
      this.batchRows = batchRows;
      return this;
    }

    /**
     * The tag reader (default {@link TagReaders#standard()}). It must be thread-safe.
     *
     * @throws NullPointerException if null
     */
    public Builder tagReader(TagReader tagReader) {
      this.tagReader = Objects.requireNonNull(tagReader, "tagReader");
      return this;
    }

    /**
     * Which roots a scan may scan quickly (default {@link QuickMode#OFF}). With
     * {@link QuickMode#NETWORK} or {@link QuickMode#ALWAYS}, a full scan of such a root records
     * every folder it lists (path, own mtime, entry count, device) in the catalogue's folder cache;
     * later scans stat each cached folder, many at once, and list only those whose mtime or device
     * changed, with any new folders in them; the rows of the others count as UNCHANGED untouched.
     * A root with no cache yet, or due its full scan ({@link #fullEvery}), is scanned in full.
     * {@link ScanReport#rootScans()} says which way each root went. The blind spot: a file
     * rewritten in place keeps its folder's mtime, so only the next full scan sees it.
     * {@link #scanFolders} and {@link #watch} do not use the cache.
     *
     * @throws NullPointerException if null
     */
    public Builder quick(QuickMode quick) {
      this.quick = Objects.requireNonNull(quick, "quick");
      return this;
    }

    /**
     * With {@link #quick}: after this many quick scans of a root since its last full scan, the
     * next scan of it is a full one (default {@value #DEFAULT_FULL_EVERY}: nine quick scans, then
     * a full one); 1 makes every scan full, 0 never forces one. The count is kept per root in the
     * catalogue.
     *
     * @throws IllegalArgumentException unless 0 to {@value #FULL_EVERY_MAX}
     */
    public Builder fullEvery(int fullEvery) {
      if (fullEvery < 0 || fullEvery > FULL_EVERY_MAX) {
        throw new IllegalArgumentException("fullEvery must be 0 (never forced) to " + FULL_EVERY_MAX + ", got " + fullEvery);
      }
      this.fullEvery = fullEvery;
      return this;
    }

    /**
     * Makes the scanner.
     *
     * @throws IllegalStateException when no root was given, or one root lies inside another (or is
     *     the same), or backend {@link Backend#NATIVE} was asked for and cannot load here (with the reason)
     */
    public Scanner build() {
      if (backend == Backend.NATIVE) {
        Walkers.nativeUnavailableReason().ifPresent(reason -> {
          throw new IllegalStateException("backend NATIVE asked for, but the native walker cannot load: " + reason);
        });
      }
      if (roots.isEmpty()) {
        throw new IllegalStateException("no roots: give at least one folder to scan");
      }
      List<Path> distinct = new ArrayList<>(new LinkedHashSet<>(roots));
      if (distinct.size() != roots.size()) {
        throw new IllegalStateException("a root is given twice: " + roots);
      }
      for (Path a : distinct) {
        for (Path b : distinct) {
          if (a != b && b.startsWith(a)) {
            throw new IllegalStateException("root " + b + " lies inside root " + a + ": give only " + a);
          }
        }
      }
      return new Scanner(this);
    }
  }
}
