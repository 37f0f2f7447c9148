package io.github.trackscan.scan;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogWriter;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.MoveCandidate;
import io.github.trackscan.store.ScanRecord;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkException;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walker;
import io.github.trackscan.walk.Walkers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/*
 * One scan, start to end, on the caller's thread:
 *
 *   WALK   the roots are walked here while a helper thread opens (and migrates) the database and
 *          reads the fingerprints below the roots: the two overlap, and the store read is usually
 *          hidden behind the walk. Once the rows are in, each walked file is classified as it
 *          arrives (Diff.accept), so little of the diff is left after the walk.
 *   DIFF   each root is judged online or offline (OfflineRoot: missing, unreadable, an empty
 *          folder or another device with none of its files there, while the library holds files
 *          below it); nothing below an offline root is touched. Diff.finish: rows whose file is
 *          gone (never below an offline root or an unreadable folder), then MoveMatcher pairs
 *          them, and rows missing since earlier scans, with new files; the rest become MISSING.
 *          Nothing is judged gone if the walk was cancelled.
 *   PARSE  what needs no parsing is written first (moved, missing, restored as they were, and rows
 *          an exclude deleted), then added, modified and changed restored files go to the
 *          ParsePool; this thread is the single writer, taking results off a bounded queue and
 *          committing every batchRows rows or every second, whichever comes first. Changes reach
 *          the listener after the commit that holds them, and are counted then: a report counts
 *          only what was committed.
 *   DONE   the fingerprint snapshot is rewritten if many rows changed (usually it is only checked),
 *          each online root's device is recorded if it changed, then the scan is recorded in the
 *          scan table (each its own small transaction).
 *
 * A no-op rescan writes nothing to the library table: UNCHANGED rows are never touched. The one
 * exception is a row marked for a recheck (its file's mtime was as recent as the scan that read it;
 * see Schema.RECHECK_WHERE): its file is parsed again with the modified ones, and the writer
 * compares: a row that differs is MODIFIED, one that does not is UNCHANGED and only gets a new
 * checked_at.
 */
final class ScanRun {
  private static final int PROGRESS_EVERY = 512;
  private static final long PROGRESS_NS_MAX = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long BATCH_NS_MAX = TimeUnit.SECONDS.toNanos(1);
  private static final long POLL_MS = 50;
  /** New files are read in inode order within runs of this many (a power of two). */
  static final int DISK_ORDER_WINDOW = 4096;
  private static final int DISK_ORDER_BITS = Integer.numberOfTrailingZeros(DISK_ORDER_WINDOW);

  /** Thrown through the walker to stop it; carries no stack. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  private record Loaded(Catalog library, List<Map<String, StoredFile>> rows, Map<String, Long> rootDevices,
      long nanos) {}

  private final Scanner scanner;
  private final ScanListener listener;
  private final CancellationToken cancellation;
  /** When the scan began: before its folder cache plan, if it has one (a quick scan's check is its walk). */
  private final long startNs;
  private final long startedAtMs = System.currentTimeMillis();

  /**
   * Files walked before the rows were loaded, waiting for the diff: packed, since a fast walk of a
   * million files can finish before the store read does (WalkEntry objects would take ~200 MB).
   */
  private WalkedList walked;
  /**
   * The most files the walk gathers before the rows are in: a quarter of the heap at about 96 bytes
   * a file. A walk that outruns the store read by more waits for it (waitForRows): a million
   * files and a million rows side by side would not fit in a 256 MB heap.
   */
  private final int earlyFilesMax = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4 / 96);
  private Loaded loaded;
  private Diff diff;
  private long filesWalked;
  private final List<String> protectedPaths = new ArrayList<>();
  private final List<FileError> walkErrors = new ArrayList<>();
  private final List<FileError> rootErrors = new ArrayList<>();
  private final List<FileError> fileErrors = new ArrayList<>();
  private final Roots roots;
  /** What is walked: each root whole, or (scoped) some folders of them. The diff is per unit. */
  private final List<Unit> units;
  private final boolean scoped;
  /**
   * The folder cache's part (--quick; see FolderCachePlan), or null. A quick scan is a scoped one
   * (the folders that changed) that is still a scan of the whole library: recorded as such.
   */
  private final FolderCachePlan folderPlan;
  private final boolean quick;
  /** Units not walked because their root was judged offline before the walk (scoped scans only). */
  private final Set<Integer> offlineUnits = new HashSet<>();
  private long ambiguousMoves;
  /** Tags and content keys MoveMatcher read, by path: the parse does not read them again. */
  private Map<String, io.github.trackscan.tags.FileRead> parsedWhileMatching = Map.of();
  private Map<String, Long> keysWhileMatching = Map.of();
  private final EnumMap<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
  private final PendingChanges pendingChanges;
  private boolean cancelled;
  /** Whether the scan was cancelled by interrupting its thread (whose interrupt status is restored at the end). */
  private boolean interruptSeen;
  private long filesParsed;
  private long filesToParse;
  private long walkNs;
  private long diffNs;
  private long parseNs;
  private long writeNs;
  private long storeReadNs;
  private ScanPhase phase = ScanPhase.WALK;
  private long lastProgressNs;

  /** A full scan: every root, walked whole. */
  ScanRun(Scanner scanner, ScanListener listener, CancellationToken cancellation) {
    this(scanner, listener, cancellation, wholeRoots(scanner), false, null);
  }

  /** A full scan that records the folder cache of the roots {@code plan} says. */
  ScanRun(Scanner scanner, ScanListener listener, CancellationToken cancellation, FolderCachePlan plan) {
    this(scanner, listener, cancellation, wholeRoots(scanner), false, plan);
  }

  /** A quick scan: the folders {@code plan} found changed, new or gone ({@code units}, possibly none). */
  ScanRun(Scanner scanner, ScanListener listener, CancellationToken cancellation, List<Unit> units,
      FolderCachePlan plan) {
    this(scanner, listener, cancellation, units, true, plan);
  }

  /** A scan of some folders (Scanner.scanFolders). */
  ScanRun(Scanner scanner, ScanListener listener, CancellationToken cancellation, List<Unit> units, boolean scoped) {
    this(scanner, listener, cancellation, units, scoped, null);
  }

  /**
   * A scan of some folders (Scanner.scanFolders): {@code units} are folders of the roots, deepest
   * first (the rows of a folder below another go to the deeper one), none inside a recursive one.
   */
  private ScanRun(Scanner scanner, ScanListener listener, CancellationToken cancellation, List<Unit> units,
      boolean scoped, FolderCachePlan folderPlan) {
    this.scanner = scanner;
    this.folderPlan = folderPlan;
    this.quick = folderPlan != null && folderPlan.quick();
    this.startNs = folderPlan != null ? folderPlan.startNs() : System.nanoTime();
    if (folderPlan != null) {
      folderPlan.startedAt(startedAtMs);
    }
    this.listener = listener;
    this.pendingChanges = new PendingChanges(listener);
    this.cancellation = cancellation;
    this.roots = new Roots(scanner, listener);
    this.units = units;
    this.scoped = scoped;
    this.walked = new WalkedList(units.stream().map(Unit::prefix).toList());
  }

  private static List<Unit> wholeRoots(Scanner scanner) {
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < scanner.roots().size(); i++) {
      Path root = scanner.roots().get(i);
      units.add(Unit.of(i, root, root, true));
    }
    return units;
  }

  ScanReport run() {
    Walker walker = Walkers.create(scanner.backend());
    FutureTask<Loaded> load = new FutureTask<>(this::load);
    Thread loader = new Thread(load, "trackscan-store-read");
    loader.setDaemon(true);
    loader.start();
    Catalog library = null;
    try {
      enter(ScanPhase.WALK);
      if (scoped) {
        loaded = await(load); // A few folders: nothing to overlap, and their roots are checked against it first.
        checkRoots(loaded);
      }
      walk(walker, load);
      if (scoped && !cancelled) {
        recheckRoots(loaded);
      }
      progress();

      enter(ScanPhase.DIFF);
      long diffStart = System.nanoTime();
      if (loaded == null) {
        loaded = await(load);
      }
      library = loaded.library();
      storeReadNs = loaded.nanos() + (folderPlan != null ? folderPlan.storeReadNs() : 0);
      Diff.Result diff = null;
      if (!cancelled) {
        if (this.diff == null) {
          this.diff = newDiff(loaded);
        }
        Set<Integer> offline = scoped ? offlineUnits : roots.judge(this.diff, loaded.rootDevices());
        PathMatcher excluded = scanner.excludeMatcher();
        diff = this.diff.finish(protectedPaths,
            excluded == null ? null : (unit, relative) -> excluded.matches(Path.of(units.get(unit).relative() + relative)),
            offline);
        long untouched = 0;
        if (quick) {
          Diff d = this.diff;
          untouched = folderPlan.untouchedRows(units, d::presentRows, offlineRoots());
        }
        counts.put(ChangeKind.UNCHANGED, diff.unchanged() + untouched);
      }
      MoveMatcher.Outcome moves = diff == null ? null : matchMoves(library, diff);
      diffNs = System.nanoTime() - diffStart;

      // Cancelled while matching moves: its outcome is partial (files not yet compared would be
      // added and their rows marked missing), so nothing of it is written.
      if (diff != null && !shouldStop()) {
        enter(ScanPhase.PARSE);
        CatalogWriter writer = library.writer();
        writer.scanStartedAt(startedAtMs);
        try {
          writeUnparsed(writer, diff, moves);
          this.diff.release(); // The moves and missing rows, read from the rows in place, are written.
          parseAndWrite(writer, diff, moves);
        } finally {
          writer.rollback(); // Only does something when failing: everything finished was committed.
        }
        progress();
      }

      if (folderPlan != null && !cancelled && diff != null) {
        long t = System.nanoTime();
        folderPlan.write(library.writer(), offlineRoots(), cleanRoots(), protectedPaths);
        writeNs += System.nanoTime() - t;
      }
      refreshSnapshot(library.writer());
      if (!cancelled && (!scoped || quick)) {
        roots.record(library.writer(), loaded.rootDevices());
      }
      enter(ScanPhase.DONE);
      long totalNs = System.nanoTime() - startNs;
      ScanReport report = report(walker, totalNs);
      if (!scoped || quick) {
        // A watch scans a few folders every few seconds for days: a row for each would swamp the
        // scan table, whose rows tell a host when the library was last seen whole.
        recordScan(library.writer(), report);
      }
      return report;
    } finally {
      if (library == null) {
        closeWhenLoaded(load);
      } else {
        library.close();
      }
      if (interruptSeen) {
        Thread.currentThread().interrupt(); // Interruption cancelled the scan; the caller may want to know.
      }
    }
  }

  private Loaded load() {
    long start = System.nanoTime();
    Catalog library = scanner.catalog().open();
    try {
      java.util.BitSet filesOnly = new java.util.BitSet();
      for (int i = 0; i < units.size(); i++) {
        filesOnly.set(i, !units.get(i).recursive());
      }
      // A folder whose subfolders are not walked gets its own files' rows only (filesOnly).
      List<Map<String, StoredFile>> rows = scoped
          ? library.fingerprintsIn(units.stream().map(Unit::folder).toList(), filesOnly)
          : library.fingerprintsBelow(scanner.roots());
      return new Loaded(library, rows, library.rootDevices(), System.nanoTime() - start);
    } catch (RuntimeException e) {
      library.close();
      throw e;
    }
  }

  private static Loaded await(FutureTask<Loaded> load) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return load.get();
        } catch (InterruptedException e) {
          interrupted = true; // The database must be opened and closed properly either way.
        } catch (ExecutionException e) {
          throw rethrown(e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What a task threw, to throw again here: its RuntimeException or Error as it was. */
  static RuntimeException rethrown(ExecutionException e) {
    if (e.getCause() instanceof RuntimeException r) {
      return r;
    }
    if (e.getCause() instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(e.getCause());
  }

  private static void closeWhenLoaded(FutureTask<Loaded> load) {
    try {
      await(load).library().close();
    } catch (RuntimeException ignored) {
      // Failing already (the walk or the listener threw), or the open itself failed: nothing to close.
    }
  }

  private boolean shouldStop() {
    if (cancelled) {
      return true;
    }
    if (Thread.interrupted()) {
      interruptSeen = true;
      cancelled = true;
    } else if (cancellation.isCancelled()) {
      cancelled = true;
    }
    return cancelled;
  }

  /**
   * Takes the loaded rows and classifies the files walked so far; after this, files are classified
   * as they are walked. A failed load is left for {@link #await} to rethrow.
   */
  private void startDiff(FutureTask<Loaded> load) {
    if (load.state() != java.util.concurrent.Future.State.SUCCESS) {
      return;
    }
    loaded = await(load);
    diff = newDiff(loaded);
  }

  /** Holds the walk until the store read ends; a Stop when the scan is cancelled first. */
  private void waitForRows(FutureTask<Loaded> load) {
    while (!load.isDone()) {
      if (shouldStop()) {
        throw new Stop();
      }
      try {
        load.get(POLL_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // Look at the cancellation again.
      } catch (InterruptedException e) {
        interruptSeen = true;
        cancelled = true;
        throw new Stop();
      } catch (java.util.concurrent.ExecutionException e) {
        break; // A failed read: await() rethrows it once the walk has stopped.
      }
    }
  }

  /** The diff of the loaded rows, with the files walked so far classified. */
  private Diff newDiff(Loaded loaded) {
    List<String> prefixes = units.stream().map(Unit::prefix).toList();
    Diff diff = new Diff(prefixes, loaded.rows(), walked); // Kept as one of its lists, not copied
    walked = new WalkedList(prefixes);
    return diff;
  }

  private void walk(Walker walker, FutureTask<Loaded> load) {
    long start = System.nanoTime();
    PathMatcher excluded = scanner.excludeMatcher();
    WalkOptions[] rootOptions = new WalkOptions[scanner.roots().size()];
    WalkOptions[] unitOptions = new WalkOptions[units.size()];
    for (int index = 0; index < units.size(); index++) {
      Unit unit = units.get(index);
      if (offlineUnits.contains(index)) {
        continue;
      }
      if (rootOptions[unit.root()] == null) {
        rootOptions[unit.root()] = roots.begin(unit.root());
      }
      WalkOptions options = unit.recursive() ? rootOptions[unit.root()]
          : rootOptions[unit.root()].toBuilder().depthMax(1).build();
      if (folderPlan != null && folderPlan.records(unit.root())) {
        options = options.toBuilder().reportFolders(true).build();
      }
      unitOptions[index] = options;
    }
    // A quick scan walks the folders that changed, each on its own: on a share, one after the
    // other, each costs its round trips. Their walks run ahead, several at once, and are read
    // back in order, so every rule below sees them as if walked one by one.
    int depth = Math.min(WalksAhead.DEPTH_MAX, scanner.workersFor(roots.ioDepth()));
    WalksAhead ahead = quick && units.size() > 1 && depth > 1
        ? new WalksAhead(walker, units, unitOptions, depth) : null;
    try {
      walkUnits(walker, load, excluded, unitOptions, ahead);
    } finally {
      if (ahead != null) {
        ahead.close();
      }
    }
    walkNs = System.nanoTime() - start + (folderPlan != null ? folderPlan.checkNs() : 0);
  }

  private void walkUnits(Walker walker, FutureTask<Loaded> load, PathMatcher excluded, WalkOptions[] unitOptions,
      WalksAhead ahead) {
    for (int index = 0; index < units.size(); index++) {
      if (shouldStop()) {
        break;
      }
      Unit unit = units.get(index);
      if (offlineUnits.contains(index)) {
        continue;
      }
      Path root = unit.folder();
      WalkOptions options = unitOptions[index];
      int rootIndex = index;
      String prefix = unit.prefix();
      String relative = unit.relative();
      WalkVisitor visitor = new WalkVisitor() {
        @Override
        public void entry(WalkEntry entry) {
          if (excluded != null
              && excluded.matches(Path.of(relative.isEmpty() ? entry.path() : relative + entry.path()))) {
            return;
          }
          filesWalked++;
          roots.walked(unit.root());
          if (diff == null && !load.isDone() && walked.size() >= earlyFilesMax) {
            waitForRows(load);
          }
          if (diff == null && load.isDone()) {
            startDiff(load);
          }
          if (diff != null) {
            diff.accept(rootIndex, entry); // The rows are in: classify as the walk goes, nothing left for later.
          } else {
            walked.add(rootIndex, entry);
          }
          if (filesWalked % PROGRESS_EVERY == 0) {
            if (shouldStop()) {
              throw new Stop();
            }
            progress();
          }
        }

        @Override
        public void folder(io.github.trackscan.walk.WalkFolder folder) {
          folderPlan.walked(unit, folder);
        }

        @Override
        public void error(WalkError error) {
          String path = error.path().isEmpty() ? root.toString() : prefix + error.path();
          protectedPaths.add(path);
          roots.walkError(unit.root());
          FileError fileError = new FileError(path, error.status().description());
          walkErrors.add(fileError);
          listener.walkError(fileError);
        }
      };
      try {
        if (ahead != null) {
          ahead.replay(index, visitor);
        } else {
          walker.walk(root, options, visitor);
        }
      } catch (WalkException e) {
        if (scoped && !root.equals(scanner.roots().get(unit.root()))) {
          if (e.status() == io.github.trackscan.walk.WalkStatus.NOT_FOUND
              || e.status() == io.github.trackscan.walk.WalkStatus.NOT_DIRECTORY) {
            if (folderPlan != null) {
              folderPlan.vanished(unit);
            }
            continue; // A folder deleted or replaced by a file while its root is there: its files are gone.
          }
          protectedPaths.add(root.toString());
          FileError fileError = new FileError(root.toString(), "cannot scan this folder (" + e.status().description()
              + "); none of its rows was touched");
          walkErrors.add(fileError);
          listener.walkError(fileError);
          continue;
        }
        protectedPaths.add(root.toString());
        String reason = "cannot scan this root (" + e.status().description() + "); none of its rows was touched";
        FileError fileError = new FileError(root.toString(), reason);
        rootErrors.add(fileError);
        listener.walkError(fileError);
        roots.failed(unit.root(), reason);
      } catch (Stop stop) {
        break;
      } catch (InterruptedException e) {
        interruptSeen = true; // Interrupted while a walk ahead was still running: cancelled.
        cancelled = true;
        break;
      }
    }
  }

  /**
   * Before a scan of some folders: each root they lie in must be there as at its last scan (a
   * listable folder on its recorded device, not empty while the library holds files below it).
   * The folders of a root that is not are left out, their rows untouched, and the root reported
   * offline: a watch then waits for it and scans it whole when it is back.
   */
  private void checkRoots(Loaded loaded) {
    Set<Integer> checked = new HashSet<>();
    for (int i = 0; i < units.size(); i++) {
      int root = units.get(i).root();
      if (checked.add(root) && !roots.reachable(root, loaded.library(), loaded.rootDevices())) {
        for (int j = 0; j < units.size(); j++) {
          if (units.get(j).root() == root) {
            offlineUnits.add(j);
          }
        }
      }
    }
  }

  /**
   * After a walk of some folders: each root they lie in must still be there as before the walk (a
   * share that went away during it leaves its folders unlistable, which the walk takes for folders
   * deleted). Those of a root that is not are left out, their rows untouched.
   */
  private void recheckRoots(Loaded loaded) {
    Set<Integer> checked = new HashSet<>();
    for (int i = 0; i < units.size(); i++) {
      int root = units.get(i).root();
      if (offlineUnits.contains(i) || !checked.add(root)) {
        continue;
      }
      if (!roots.reachable(root, loaded.library(), loaded.rootDevices())) {
        for (int j = 0; j < units.size(); j++) {
          if (units.get(j).root() == root) {
            offlineUnits.add(j);
          }
        }
      }
    }
  }

  /** The indexes of the roots judged offline so far. */
  private Set<Integer> offlineRoots() {
    Set<Integer> offline = new HashSet<>();
    for (OfflineRoot o : roots.offline()) {
      offline.add(scanner.roots().indexOf(o.root()));
    }
    for (int unit : offlineUnits) {
      offline.add(units.get(unit).root());
    }
    return offline;
  }

  /** Per root: whether its walk went without a walk error. */
  private boolean[] cleanRoots() {
    boolean[] clean = new boolean[scanner.roots().size()];
    java.util.Arrays.fill(clean, true);
    for (String path : protectedPaths) {
      int root = scanner.rootOf(Path.of(path));
      if (root >= 0) {
        clean[root] = false;
      }
    }
    return clean;
  }

  /** Pairs new files with rows whose file is gone (now, or at an earlier scan) into moves. */
  private MoveMatcher.Outcome matchMoves(Catalog library, Diff.Result diff) {
    if (diff.added().isEmpty()) {
      return new MoveMatcher.Outcome(List.of(), diff.added(), diff.gone(), 0); // Nothing can have moved.
    }
    GoneRows gone = diff.gone();
    long[] goneKeys = new long[gone.size()];
    BitSet goneKeyKnown = new BitSet(gone.size());
    if (!gone.isEmpty()) { // An import adds files and has no gone rows: no read for them.
      // A reorganised library's million gone rows meet its million new files: their paths are read
      // from the catalogue as they are reported, not held through the matching.
      gone.fetchPathsFrom(library::paths);
      long[] ids = new long[gone.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = gone.id(i);
      }
      library.contentKeys(ids, ids.length, goneKeys, goneKeyKnown);
    }
    List<MoveCandidate> earlier = new ArrayList<>();
    Set<Long> restored = new HashSet<>();
    diff.restored().forEach(m -> restored.add(m.rowId()));
    diff.restoredModified().forEach(m -> restored.add(m.rowId()));
    List<String> offlinePrefixes = roots.offline().stream().map(o -> Library.prefixOf(o.root())).toList();
    for (MoveCandidate c : library.missingCandidates()) {
      String path = c.row().path();
      if (!restored.contains(c.row().id()) && offlinePrefixes.stream().noneMatch(path::startsWith)) {
        earlier.add(c);
      }
    }
    MoveMatcher matcher = new MoveMatcher(scanner.tagReader(), scanner.workersFor(roots.ioDepth()),
        cancellation::isCancelled, library::candidates);
    if (roots.ioDepth() > 0) {
      matcher.readEachFileOnce(); // A network root: a second read of a file is round trips again.
    }
    MoveMatcher.Outcome outcome = matcher.match(diff.added(), gone, goneKeys, goneKeyKnown, earlier, Set.of());
    ambiguousMoves = outcome.ambiguous();
    parsedWhileMatching = matcher.parsed();
    keysWhileMatching = matcher.keys();
    return outcome;
  }

  /** Writes what needs no parsing: deletions (excludes), moves, missing and restored rows. */
  private void writeUnparsed(CatalogWriter writer, Diff.Result diff, MoveMatcher.Outcome moves) {
    long now = System.currentTimeMillis();
    int rows = 0;
    for (StoredFile row : diff.deleted()) {
      rows = beginIfNeeded(writer, rows);
      long t = System.nanoTime();
      writer.delete(row.id());
      writeNs += System.nanoTime() - t;
      pendingChanges.add(ChangeKind.DELETED, row.id(), row.path(), null);
      rows = commitIfFull(writer, rows + 1);
    }
    // By id: a row's old path is read (from the catalogue, at a million rows) only for a listener.
    MoveMatcher.Ids ids = moves.ids();
    boolean paths = pendingChanges.wanted();
    for (int k = 0; k < moves.moved().size(); k++) {
      rows = beginIfNeeded(writer, rows);
      Diff.Moved pair = paths ? moves.moved().get(k) : null;
      long id = paths ? pair.row().id() : ids.movedRow(k);
      Diff.Walked file = paths ? pair.file() : ids.movedFile(k);
      long t = System.nanoTime();
      writer.move(id, file.path(), file.fingerprint(), now);
      writeNs += System.nanoTime() - t;
      pendingChanges.add(ChangeKind.MOVED, id, file.path(), paths ? pair.row().path() : null);
      rows = commitIfFull(writer, rows + 1);
    }
    for (int k = 0; k < moves.missing().size(); k++) {
      rows = beginIfNeeded(writer, rows);
      StoredFile row = paths ? moves.missing().get(k) : null;
      long id = paths ? row.id() : ids.missingRow(k);
      long t = System.nanoTime();
      writer.markMissing(id, startedAtMs);
      writeNs += System.nanoTime() - t;
      pendingChanges.add(ChangeKind.MISSING, id, paths ? row.path() : null, null);
      rows = commitIfFull(writer, rows + 1);
    }
    for (Diff.Modified restored : diff.restored()) {
      rows = beginIfNeeded(writer, rows);
      long t = System.nanoTime();
      writer.restore(restored.rowId());
      writeNs += System.nanoTime() - t;
      pendingChanges.add(ChangeKind.RESTORED, restored.rowId(), restored.file().path(), null);
      rows = commitIfFull(writer, rows + 1);
    }
    if (writer.inTransaction()) {
      commit(writer);
    }
  }

  private int beginIfNeeded(CatalogWriter writer, int rows) {
    if (!writer.inTransaction()) {
      long t = System.nanoTime();
      writer.begin();
      writeNs += System.nanoTime() - t;
      return 0;
    }
    return rows;
  }

  private int commitIfFull(CatalogWriter writer, int rows) {
    if (rows >= scanner.batchRows()) {
      commit(writer);
      return 0;
    }
    return rows;
  }

  private void commit(CatalogWriter writer) {
    long t = System.nanoTime();
    writer.commit();
    writeNs += System.nanoTime() - t;
    pendingChanges.committed(counts);
  }

  private void parseAndWrite(CatalogWriter writer, Diff.Result diff, MoveMatcher.Outcome moves) {
    List<Diff.Walked> added = moves.added();
    // Packed (an import) or what the move matcher left of it (a rescan): either is read in disk order.
    java.util.function.IntToLongFunction inode = added instanceof WalkedList list ? list::inode
        : i -> added.get(i).entry().inode();
    int[] order = scanner.readInInodeOrder() ? inodeOrder(added.size(), inode) : null;
    List<ParsePool.Task> tasks = tasks(added, order, diff.modified(), diff.restoredModified(), diff.rechecked());
    filesToParse = tasks.size();
    if (tasks.isEmpty()) {
      return;
    }
    long parseStart = System.nanoTime();
    BlockingQueue<ParsePool.Result> results = new ArrayBlockingQueue<>(Math.max(64, Math.min(4096, scanner.batchRows() * 2)));
    ParsePool pool = new ParsePool(tasks, scanner.tagReader(), scanner.parseTimeLimit().toNanos(), results,
        parsedWhileMatching, keysWhileMatching);
    int threads = tasks.size() < Scanner.PARALLEL_FILES_MIN ? 1 : Math.min(scanner.workersFor(roots.ioDepth()), tasks.size());
    pool.start(threads);
    try {
      int rows = 0;
      long batchStart = 0;
      List<ParsePool.Result> drained = new ArrayList<>(256);
      while (filesParsed < tasks.size()) {
        if (shouldStop()) {
          break;
        }
        ParsePool.Result first;
        try {
          first = results.poll(POLL_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interruptSeen = true;
          cancelled = true;
          break;
        }
        drained.clear();
        if (first != null) {
          drained.add(first);
          results.drainTo(drained, 255);
        }
        drained.addAll(pool.expire(System.nanoTime()));
        for (ParsePool.Result result : drained) {
          if (!writer.inTransaction()) {
            rows = beginIfNeeded(writer, rows);
            batchStart = System.nanoTime();
          }
          write(writer, result);
          rows++;
          filesParsed++;
          if (filesParsed % PROGRESS_EVERY == 0) {
            progress();
          }
        }
        if (System.nanoTime() - lastProgressNs > PROGRESS_NS_MAX) {
          progress(); // Slow files (a network share) still move the progress bar.
        }
        if (writer.inTransaction() && (rows >= scanner.batchRows() || System.nanoTime() - batchStart > BATCH_NS_MAX)) {
          commit(writer);
          rows = 0;
        }
      }
      if (cancelled) {
        // Keep what was finished: results already queued are written too.
        pool.stop();
        drained.clear();
        results.drainTo(drained);
        for (ParsePool.Result result : drained) {
          if (!writer.inTransaction()) {
            beginIfNeeded(writer, 0);
          }
          write(writer, result);
          filesParsed++;
        }
      }
      if (writer.inTransaction()) {
        commit(writer);
      }
    } finally {
      pool.stop();
      parseNs = System.nanoTime() - parseStart;
    }
  }

  /**
   * The order to read {@code files} in: by inode within each run of DISK_ORDER_WINDOW files (the
   * walk lists a folder in its hash order; its files were laid out on disk in their creation, and
   * about their inodes', order), so a cold disk reads forward. A run is at most a few folders: the
   * walk's order between them, which the progress a host shows follows, is kept. Runs whose inodes
   * do not fit the sort key (above 2^51) keep the walk's order.
   */
  static int[] inodeOrder(WalkedList files) {
    return inodeOrder(files.size(), files::inode);
  }

  private static int[] inodeOrder(int n, java.util.function.IntToLongFunction inodeOf) {
    int[] order = new int[n];
    long[] keys = new long[DISK_ORDER_WINDOW];
    for (int base = 0; base < n; base += DISK_ORDER_WINDOW) {
      int count = Math.min(DISK_ORDER_WINDOW, n - base);
      boolean sortable = true;
      for (int j = 0; j < count; j++) {
        long inode = inodeOf.applyAsLong(base + j);
        sortable &= inode >= 0 && inode < 1L << (63 - DISK_ORDER_BITS);
        keys[j] = inode << DISK_ORDER_BITS | j;
      }
      if (sortable) {
        Arrays.sort(keys, 0, count);
      }
      for (int j = 0; j < count; j++) {
        order[base + j] = base + (sortable ? (int) (keys[j] & (DISK_ORDER_WINDOW - 1)) : j);
      }
    }
    return order;
  }

  /**
   * The files to parse, in this order: added (in {@code order} when given), modified, restored and
   * changed, rechecked. Made one at a time as the workers ask (an import's million added files stay
   * packed until then).
   */
  private static List<ParsePool.Task> tasks(List<Diff.Walked> added, int[] order, List<Diff.Modified> modified,
      List<Diff.Modified> restored, List<Diff.Modified> rechecked) {
    int a = added.size();
    int m = a + modified.size();
    int r = m + restored.size();
    int size = r + rechecked.size();
    return new java.util.AbstractList<>() {
      @Override
      public ParsePool.Task get(int i) {
        if (i < a) {
          return new ParsePool.Task(i, added.get(order == null ? i : order[i]), null, false, false);
        } else if (i < m) {
          Diff.Modified file = modified.get(i - a);
          return new ParsePool.Task(i, file.file(), file, false, false);
        } else if (i < r) {
          Diff.Modified file = restored.get(i - m);
          return new ParsePool.Task(i, file.file(), file, false, true);
        } else if (i < size) {
          Diff.Modified file = rechecked.get(i - r);
          return new ParsePool.Task(i, file.file(), file, true, false);
        }
        throw new IndexOutOfBoundsException(i);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  private void write(CatalogWriter writer, ParsePool.Result result) {
    Diff.Walked file = result.task().file();
    if (result.retry()) {
      // Vanished, unreadable or changed while parsing: recording the error with the walked fingerprint
      // would keep the file failed for good. Left as it was, the next scan judges it again.
      FileError error = new FileError(file.path(), result.error() + " (the file changed or could not be read"
          + " while parsing; not recorded, the next scan tries again)");
      fileErrors.add(error);
      listener.fileFailed(error);
      return;
    }
    String named = formatOf(file.path());
    String format = result.format() != null ? result.format() : named;
    if (format != null && !format.equals(named)) {
      listener.fileNote(new FileError(file.path(), "read as " + format + " by its content, though named "
          + (named == null ? "without an extension" : "." + named)));
    }
    long now = System.currentTimeMillis();
    long t = System.nanoTime();
    Change change = writeParsed(writer, result, format, now);
    writeNs += System.nanoTime() - t;
    if (change == null) {
      return; // A recheck that found the row as it was: nothing to report, no failure that is news.
    }
    pendingChanges.add(change);
    if (result.error() != null) {
      FileError error = new FileError(file.path(), result.error());
      fileErrors.add(error);
      listener.fileFailed(error);
    }
  }

  /** Writes one parse result; returns the change to report, or null when the row stayed as it was. */
  private Change writeParsed(CatalogWriter writer, ParsePool.Result result, String format, long now) {
    Diff.Walked file = result.task().file();
    Diff.Modified modified = result.task().modified();
    Long key = result.contentKey();
    if (modified == null) {
      long id = writer.insert(file.path(), format, file.fingerprint(), result.tags(), result.error(), key, now);
      return new Change(ChangeKind.ADDED, id, file.path(), null);
    }
    long id = modified.rowId();
    if (result.task().recheck()) {
      boolean changed = writer.recheck(id, format, file.fingerprint(), result.tags(), result.error(), key, now);
      if (!changed) {
        counts.merge(ChangeKind.UNCHANGED, 1L, Long::sum);
      }
      return changed ? new Change(ChangeKind.MODIFIED, id, file.path(), null) : null;
    }
    if (result.error() == null) {
      writer.update(id, format, file.fingerprint(), result.tags(), key, now);
    } else {
      writer.updateFailed(id, format, file.fingerprint(), result.error(), key, now);
    }
    return new Change(result.task().restored() ? ChangeKind.RESTORED : ChangeKind.MODIFIED, id, file.path(), null);
  }

  static String formatOf(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot <= slash + 1 ? null : path.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private void recordScan(CatalogWriter writer, ScanReport report) {
    long t = System.nanoTime();
    try {
      writer.recordScan(new ScanRecord(startedAtMs, System.currentTimeMillis(),
          scanner.roots().stream().map(Path::toString).collect(Collectors.joining("\n")),
          report.outcome().name(), report.filesWalked(), report.count(ChangeKind.ADDED),
          report.count(ChangeKind.MODIFIED), report.count(ChangeKind.MOVED), report.count(ChangeKind.MISSING),
          report.count(ChangeKind.RESTORED), report.count(ChangeKind.DELETED),
          report.count(ChangeKind.UNCHANGED), report.failed(), walkErrors.size() + rootErrors.size(),
          report.times().totalNs()));
    } catch (StoreException e) {
      if (!cancelled) {
        throw e;
      }
      // A cancelled scan may find the database busy; its report matters more than its record.
    }
    writeNs += System.nanoTime() - t;
  }

  /**
   * Leaves a usable fingerprint snapshot for the next scan (usually it is there and is only checked;
   * see FingerprintSnapshot). It is a faster copy of the rows, so failing to write it (a full disk) costs the next
   * scan speed, never data, and does not fail this one.
   */
  private void refreshSnapshot(CatalogWriter writer) {
    if (cancelled) {
      return;
    }
    long t = System.nanoTime();
    try {
      writer.afterScan();
    } catch (StoreException e) {
      // The next scan reads the rows with SQL and tries again.
    }
    writeNs += System.nanoTime() - t;
  }

  private ScanReport report(Walker walker, long totalNs) {
    return new ScanReport(cancelled ? ScanReport.Outcome.CANCELLED : ScanReport.Outcome.COMPLETED,
        walker.backend(), scanner.roots(), scanner.database(), filesWalked, filesParsed, counts,
        fileErrors.size(), fileErrors, walkErrors, rootErrors, roots.offline(), ambiguousMoves, roots.plans(),
        scanner.workersFor(roots.ioDepth()),
        folderPlan != null ? folderPlan.report() : FolderCachePlan.allFull(scanner.roots(), scoped ? "some folders" : "--quick not asked"),
        new PhaseTimes(walkNs, storeReadNs, diffNs, parseNs, writeNs, totalNs), heapPeakBytes());
  }

  private static long heapPeakBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  private void enter(ScanPhase next) {
    phase = next;
    listener.phase(next);
  }

  private void progress() {
    lastProgressNs = System.nanoTime();
    listener.progress(new ScanProgress(phase, filesWalked, filesParsed, filesToParse, System.nanoTime() - startNs));
  }
}
