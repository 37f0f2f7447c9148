package io.github.trackscan.scan;

import io.github.trackscan.store.CachedFolder;
import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogWriter;
import io.github.trackscan.store.FolderCache;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.walk.RootFileSystem;
import io.github.trackscan.walk.WalkFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * The folder cache (issue #12, --quick) as one scan uses it: which roots are scanned quickly, which
 * folders of them are listed again, and what the scan writes back.
 *
 * Before the scan (plan): for each root the scanner may scan quickly (QuickMode: network and FUSE
 * roots, or every root), its cache is read. No cache, or the quick scans since the last full one
 * reaching --full-every, or a root that is not as its cache has it (cannot be stat-ed, another
 * device: unmounted?), and the root is scanned in full; if any root is in that last case the whole
 * scan is a full one, whose end-of-walk judgement (Roots.judge) decides what is offline, touching
 * nothing below it. Otherwise every folder of the cache is stat-ed, many at once (the root's io
 * depth: each stat on a share waits a round trip; on a share the folders holding folders are
 * listed first, see FolderCheck), and becomes one unit of a scan of folders (ScanRun's scoped
 * scan, as a watch uses):
 *
 *   unchanged  (mtime and device as recorded, and recorded long enough after its mtime): nothing;
 *              its rows count as UNCHANGED, untouched;
 *   changed    its own files (FolderScope.of), and it is listed here to find subfolders the cache
 *              does not hold: each is scanned with everything below it (FolderScope.below);
 *   gone       (no longer there, or not a folder) scanned with everything below it: the walk finds
 *              nothing, so its rows become gone, are matched as moves, or are marked MISSING, as
 *              in any scan. Never deleted; and if the root itself went away meanwhile, ScanRun's
 *              check of the root after the walk leaves everything as it was.
 *
 * Why the stat is taken before the listing, and why the stat's mtime is what is recorded for a
 * changed folder rather than the walk's later one: a file added between the two leaves the folder
 * newer than the recorded time, so the next quick scan lists it again. A folder whose mtime was
 * within RACY_MARGIN_MS of the scan that recorded it is not trusted (as git treats a "racily
 * clean" index entry): on file systems that keep whole seconds (SFTP, so sshfs; FAT keeps two) a
 * change in the same second would leave the mtime as recorded. It is listed again, and recorded
 * again with that scan's time, after which it is trusted.
 *
 * After the scan (write), in one transaction, only if it was not cancelled and the root stayed
 * online: a full scan replaces the root's cache with every folder its walk listed (or clears it
 * when the walk reported errors: a folder the walk could not list is not in it, and the cache
 * would never look there); a quick scan writes the folders it listed (but none holding a path the
 * walk reported an error for, so they are listed again next time), forgets the gone ones, and
 * counts one more quick scan. Failing to write costs the next scan time, never rows: a cache that
 * is stale only makes a quick scan list folders it could have skipped.
 */
final class FolderCachePlan {
  /**
   * A folder whose mtime lies within this of the start of the scan that recorded it is listed
   * again: SFTP keeps whole seconds and FAT two, and a server's clock may be a little behind.
   */
  static final long RACY_MARGIN_MS = 2_000;

  /** What becomes of one root. */
  static final class Root {
    final int index;
    final Path path;
    /** Whether its walk reports folders and the cache is written at the end. */
    boolean records;
    RootScan.Mode mode = RootScan.Mode.FULL;
    String reason;
    FolderCache cache;
    /** Quick: rows below the root not missing, read before the scan. */
    long presentRows;
    long checked;
    /** Quick: the stat of each changed folder, before it was listed: what is recorded for it. */
    final Map<String, CachedFolder> changed = new HashMap<>();
    /** Quick: folders of the cache gone from the disk, root-relative. */
    final Set<String> gone = new HashSet<>();
    /** Folders the walk listed, root-relative. */
    final List<CachedFolder> walked = new ArrayList<>();

    Root(int index, Path path) {
      this.index = index;
      this.path = path;
    }
  }

  private final List<Root> roots;
  private final boolean quick;
  private final List<FolderScope> scopes;
  private long startedAtMs;
  /** When planning began, and what reading the caches and stat-ing the folders took. */
  private long startNs;
  private long storeReadNs;
  private long checkNs;

  private FolderCachePlan(List<Root> roots, boolean quick, List<FolderScope> scopes) {
    this.roots = roots;
    this.quick = quick;
    this.scopes = scopes;
  }

  /**
   * Plans a scan with {@code scanner}'s {@link QuickMode}: reads the caches and, for the roots
   * scanned quickly, stats their folders. Never null.
   *
   * @throws StoreException when the catalogue cannot be read
   */
  static FolderCachePlan plan(Scanner scanner, CancellationToken cancellation) {
    long startNs = System.nanoTime();
    List<Root> roots = new ArrayList<>();
    boolean anyQuick = false;
    boolean wholeScanFull = false;
    List<Thread> early = FolderCheck.prefetchTopLevels(scanner, cancellation);
    try (Catalog catalog = scanner.catalog().open()) {
      for (int i = 0; i < scanner.roots().size(); i++) {
        Root root = new Root(i, scanner.roots().get(i));
        roots.add(root);
        RootFileSystem fs = RootFileSystem.of(root.path);
        if (scanner.quick() == QuickMode.OFF) {
          root.reason = "--quick not asked";
          continue;
        }
        if (scanner.quick() == QuickMode.NETWORK && !fs.latencyBound()) {
          root.reason = "a local root (" + fs.type() + "): --quick serves network and FUSE roots";
          continue;
        }
        root.records = true;
        root.cache = catalog.folderCache(root.path).orElse(null);
        if (root.cache == null) {
          root.reason = "no folder cache yet: this full scan records one";
          continue;
        }
        int fullEvery = scanner.fullEvery();
        if (fullEvery > 0 && root.cache.quickScans() + 1 >= fullEvery) {
          root.reason = "the full scan every " + fullEvery + " quick scans (--full-every), after "
              + root.cache.quickScans();
          continue;
        }
        FolderCheck.Check own = FolderCheck.check(root.path, root.cache.folders().get("")).check();
        if (own == FolderCheck.Check.GONE || ownDevice(root) == null) {
          root.reason = "the root is not as its folder cache has it (missing, or another device): a full scan judges it";
          wholeScanFull = true;
          continue;
        }
        root.mode = RootScan.Mode.QUICK;
        root.reason = root.cache.quickScans() + 1 + " of " + (fullEvery == 0 ? "unlimited" : fullEvery - 1)
            + " quick scans before a full one";
        root.presentRows = catalog.presentRowsBelow(root.path);
        anyQuick = true;
      }
    }
    long readNs = System.nanoTime() - startNs;
    FolderCheck.join(early, cancellation);
    if (wholeScanFull || !anyQuick) {
      for (Root root : roots) {
        if (root.mode == RootScan.Mode.QUICK) {
          root.mode = RootScan.Mode.FULL;
          root.reason = "another root is not as its folder cache has it: every root scanned in full";
        }
      }
      return new FolderCachePlan(roots, false, List.of()).timed(startNs, readNs, 0);
    }
    List<FolderScope> scopes = new ArrayList<>();
    for (Root root : roots) {
      if (root.mode == RootScan.Mode.FULL) {
        scopes.add(FolderScope.below(root.path)); // A root a quick scan cannot serve is walked whole.
      } else {
        scopes.addAll(FolderCheck.checkFolders(scanner, root, cancellation));
      }
    }
    return new FolderCachePlan(roots, true, scopes).timed(startNs, readNs, System.nanoTime() - startNs - readNs);
  }

  private FolderCachePlan timed(long startNs, long storeReadNs, long checkNs) {
    this.startNs = startNs;
    this.storeReadNs = storeReadNs;
    this.checkNs = checkNs;
    return this;
  }

  /** When planning began (System.nanoTime): the scan's start. */
  long startNs() {
    return startNs;
  }

  /** Nanoseconds spent opening the catalogue and reading the folder caches. */
  long storeReadNs() {
    return storeReadNs;
  }

  /** Nanoseconds spent stat-ing cached folders (and listing the changed ones for new subfolders). */
  long checkNs() {
    return checkNs;
  }

  /** The root's device now, if it is the cached one; null when not (or it cannot be read). */
  private static Long ownDevice(Root root) {
    try {
      long device = ((Number) Files.getAttribute(root.path, "unix:dev")).longValue();
      return device == root.cache.folders().get("").device() ? device : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the scan is a quick one: a scan of {@link #scopes()}, not of every root whole. */
  boolean quick() {
    return quick;
  }

  /** The folders a quick scan walks (possibly none: nothing changed). */
  List<FolderScope> scopes() {
    return scopes;
  }

  /** Whether the walk of root {@code root} reports folders, for the cache. */
  boolean records(int root) {
    return roots.get(root).records;
  }

  /** When the scan began: each folder it lists is recorded as checked then. */
  void startedAt(long epochMs) {
    this.startedAtMs = epochMs;
  }

  /** A folder the walk of {@code unit} listed. */
  void walked(Unit unit, WalkFolder folder) {
    Root root = roots.get(unit.root());
    if (!root.records) {
      return;
    }
    String relative = unit.relative().isEmpty() ? folder.path()
        : folder.path().isEmpty() ? unit.relative().substring(0, unit.relative().length() - 1)
        : unit.relative() + folder.path();
    CachedFolder before = root.changed.get(relative);
    if (before != null && !unit.recursive()) {
      // Its stat before the check listed it for new subfolders: a folder made since is newer than this.
      root.walked.add(new CachedFolder(relative, before.mtimeNs(), folder.entries(), before.device(), startedAtMs));
    } else {
      root.walked.add(new CachedFolder(relative, folder.mtimeNs(), folder.entries(), folder.device(), startedAtMs));
    }
  }

  /** A folder of a quick scan that was gone by the time its walk began. */
  void vanished(Unit unit) {
    Root root = roots.get(unit.root());
    if (root.mode == RootScan.Mode.QUICK && !unit.relative().isEmpty()) {
      root.gone.add(unit.relative().substring(0, unit.relative().length() - 1));
    }
  }

  /**
   * Rows a quick scan counts as UNCHANGED without reading them: those below each quick root that
   * is online, less those in the folders it scanned.
   *
   * @param unitRows present rows per unit of the scan (Diff.presentRows)
   */
  long untouchedRows(List<Unit> units, java.util.function.IntToLongFunction unitRows, Set<Integer> offlineRoots) {
    long untouched = 0;
    for (Root root : roots) {
      if (root.mode != RootScan.Mode.QUICK || offlineRoots.contains(root.index)) {
        continue;
      }
      long scanned = 0;
      for (int u = 0; u < units.size(); u++) {
        if (units.get(u).root() == root.index) {
          scanned += unitRows.applyAsLong(u);
        }
      }
      untouched += Math.max(0, root.presentRows - scanned);
    }
    return untouched;
  }

  /**
   * Writes what the scan learnt to the cache, in one transaction; see the class comment. A
   * failure is swallowed: the cache only ever saves time.
   *
   * @param offlineRoots roots judged offline: their caches stay as they were
   * @param cleanRoots whether each root was walked without a walk error
   * @param protectedPaths absolute paths the walk reported errors for
   */
  void write(CatalogWriter writer, Set<Integer> offlineRoots, boolean[] cleanRoots, Collection<String> protectedPaths) {
    try {
      writer.begin();
      for (Root root : roots) {
        if (!root.records || offlineRoots.contains(root.index)) {
          continue;
        }
        String key = root.path.toString();
        if (root.mode == RootScan.Mode.FULL) {
          if (cleanRoots[root.index] && root.walked.stream().anyMatch(f -> f.path().isEmpty())) {
            writer.replaceFolders(key, root.walked, startedAtMs);
          } else {
            writer.clearFolders(key);
          }
          continue;
        }
        String prefix = Library.prefixOf(root.path);
        List<CachedFolder> listed = new ArrayList<>();
        for (CachedFolder folder : root.walked) {
          String absolute = folder.path().isEmpty() ? root.path.toString() : prefix + folder.path();
          if (protectedPaths.stream().noneMatch(p -> p.equals(absolute) || p.startsWith(absolute + "/"))) {
            listed.add(folder);
          }
        }
        writer.updateFolders(key, listed, root.gone, root.cache.quickScans() + 1);
      }
      writer.commit();
    } catch (StoreException e) {
      writer.rollback();
    }
  }

  /** How the scan went over each root. */
  List<RootScan> report() {
    List<RootScan> report = new ArrayList<>();
    for (Root root : roots) {
      long listed = root.mode == RootScan.Mode.QUICK
          ? scopes.stream().filter(s -> s.folder().startsWith(root.path)).count() : 0;
      report.add(new RootScan(root.path, root.mode, root.reason, root.checked, listed));
    }
    return report;
  }

  /** The report of a scan without a plan: every root in full. */
  static List<RootScan> allFull(List<Path> roots, String reason) {
    return roots.stream().map(r -> new RootScan(r, RootScan.Mode.FULL, reason, 0, 0)).toList();
  }
}
