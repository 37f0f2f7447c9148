package io.github.trackscan.scan;

import io.github.trackscan.store.Fingerprint;
import io.github.trackscan.store.PackedFileMap;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.walk.WalkEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/*
 * The comparison of a walk with the library's fingerprints. Pure: no I/O, so it is tested alone.
 *
 * A scan never deletes a row because its file is gone. A row no walked file claimed is "gone" (to
 * be matched against new files by MoveMatcher, then marked MISSING) only if its path lies below a
 * root that was walked completely and judged online, and not at or below a path the walk reported
 * an error for (an unreadable folder, a vanished entry, a folder holding a name too long). Such
 * rows are "kept": untouched. Rows an exclude took out of scope are the one exception: DELETED, as
 * the user asked. A row already missing stays missing, silently (it was reported once).
 *
 * A walked file at the path of a missing row restores it: RESTORED as it is when its fingerprint
 * is the row's, else read again first.
 *
 * A file whose fingerprint matches a row marked for a recheck (StoredFile.recheck: its mtime is as
 * recent as the scan that read it) is neither unchanged nor modified yet: it is read again, and the
 * writer decides by comparing what it finds with the row.
 *
 * Everything below an offline root (ScanRun decides which, with presentRows and claimed) is left
 * out: none of its files is added or read, none of its rows touched.
 */
final class Diff {
  /** A file the walk found, with the index of its root and its absolute path. */
  record Walked(int root, String path, WalkEntry entry) {
    Fingerprint fingerprint() {
      return new Fingerprint(entry.mtimeNs(), entry.sizeBytes(), entry.device(), entry.inode());
    }
  }

  /** A file that changed: the walk's entry and the id of the row it updates (at the same path). */
  record Modified(Walked file, long rowId) {}

  /** A row whose file is now at another path. */
  record Moved(StoredFile row, Walked file) {}

  /**
   * The outcome. {@code gone} rows lost their file in this scan (absolute paths): move candidates,
   * then MISSING. {@code restored} are missing rows found again as they were; {@code restoredModified}
   * missing rows found again changed (read again). {@code rechecked} files have their row's
   * fingerprint and must be read again.
   */
  record Result(List<Walked> added, List<Modified> modified, GoneRows gone, List<StoredFile> deleted,
      long unchanged, long kept, long stillMissing, List<Modified> rechecked, List<Modified> restored,
      List<Modified> restoredModified) {}

  /** Per root: the prefix of its paths (ending in '/') and its rows by relative path, consumed. */
  private final List<String> prefixes;
  private final List<PackedFileMap> stored;
  private final long[] presentRows;
  private final long[] claimed;
  /** Packed (WalkedList): an initial import holds every file of the library here until it is parsed. */
  private final WalkedList added;
  /** Packed too: a library whose every file changed (or a migration's reread) holds each here. */
  private final ChangedList modified;
  private final ChangedList rechecked;
  private final ChangedList restored;
  private final ChangedList restoredModified;
  private long unchanged;
  private long lastRowId;

  // What a walked file is, once compared with the rows (classify).
  private static final int UNCHANGED = 0;
  private static final int ADDED = 1;
  private static final int MODIFIED = 2;
  private static final int RECHECKED = 3;
  private static final int RESTORED = 4;
  private static final int RESTORED_MODIFIED = 5;
  private static final int KINDS = 6;

  /**
   * @param prefixes each root's path with a trailing '/'
   * @param stored each root's rows, keyed by path relative to it (Library.fingerprintsBelow); consumed
   */
  Diff(List<String> prefixes, List<Map<String, StoredFile>> stored) {
    this(prefixes, stored, null);
  }

  /**
   * @param prefixes each root's path with a trailing '/'
   * @param stored each root's rows, keyed by path relative to it (Library.fingerprintsBelow); consumed
   * @param early files walked before the rows were loaded, classified now; the list is kept as the
   *     added files (those it holds that are not new are taken out), so a walk that outran the
   *     store read does not need a second list of its files
   */
  Diff(List<String> prefixes, List<Map<String, StoredFile>> stored, WalkedList early) {
    if (prefixes.size() != stored.size()) {
      throw new IllegalArgumentException(prefixes.size() + " prefixes for " + stored.size() + " roots of rows");
    }
    this.prefixes = prefixes;
    this.stored = new ArrayList<>(stored.size());
    this.presentRows = new long[stored.size()];
    this.claimed = new long[stored.size()];
    for (int root = 0; root < stored.size(); root++) {
      // The gone rows are read in place from the packed maps (GoneRows); any other map (a test's)
      // is packed first, so there is one way to read them.
      PackedFileMap packed = stored.get(root) instanceof PackedFileMap p ? p : pack(stored.get(root));
      this.stored.add(packed);
      presentRows[root] = packed.presentRows();
    }
    ChangedList[] lists = new ChangedList[KINDS];
    if (early == null) {
      this.added = new WalkedList(prefixes);
      for (int k = MODIFIED; k < KINDS; k++) {
        lists[k] = new ChangedList(prefixes);
      }
    } else {
      this.added = adopt(early, lists);
    }
    this.modified = lists[MODIFIED];
    this.rechecked = lists[RECHECKED];
    this.restored = lists[RESTORED];
    this.restoredModified = lists[RESTORED_MODIFIED];
  }

  /**
   * Classifies the files walked before the rows were loaded. The walk may have outrun the store
   * read by the whole library, so the early list is not copied: the kind most of its files have
   * keeps it, in place (the added files after a reorganise, the modified ones after a retag of
   * everything, the rechecked ones after a migration), and the others are copied out of it.
   *
   * @param lists filled with the changed lists, indexed by kind
   * @return the added list
   */
  private WalkedList adopt(WalkedList early, ChangedList[] lists) {
    int walked = early.size();
    byte[] kinds = new byte[walked];
    long[] rows = new long[walked];
    int[] counts = new int[KINDS];
    for (int i = 0; i < walked; i++) {
      kinds[i] = (byte) classify(early.root(i), early.entry(i));
      rows[i] = lastRowId;
      counts[kinds[i]]++;
    }
    int owner = ADDED;
    for (int k = MODIFIED; k < KINDS; k++) {
      owner = counts[k] > counts[owner] ? k : owner;
    }
    WalkedList addedList = owner == ADDED ? early : new WalkedList(prefixes);
    for (int k = MODIFIED; k < KINDS; k++) {
      lists[k] = k == owner ? null : new ChangedList(prefixes);
    }
    int[] kept = {0};
    int keeper = owner;
    early.retain(i -> {
      int k = kinds[i];
      if (k == keeper) {
        rows[kept[0]++] = rows[i];
        return true;
      }
      if (k == ADDED) {
        addedList.add(early.root(i), early.entry(i));
      } else if (k != UNCHANGED) {
        lists[k].add(early.root(i), early.entry(i), rows[i]);
      }
      return false;
    });
    if (owner != ADDED) {
      lists[owner] = new ChangedList(early, rows);
    }
    if (early.size() < walked / 2) {
      early.compact(); // A rescan: the unchanged files' bytes would stay to the end of the scan.
    }
    return addedList;
  }

  private static PackedFileMap pack(Map<String, StoredFile> rows) {
    PackedFileMap packed = new PackedFileMap();
    packed.putAll(rows);
    return packed;
  }

  /**
   * The diff of one root, nothing excluded or offline: a convenience for tests.
   *
   * @param prefix the root's path with a trailing '/'
   * @param walked every file walked below it, in walk order
   * @param stored its rows by relative path; consumed
   * @param protectedPaths absolute paths whose rows, and rows below them, must not be touched
   */
  static Result compute(String prefix, List<WalkEntry> walked, Map<String, StoredFile> stored,
      Collection<String> protectedPaths) {
    Diff diff = new Diff(List.of(prefix), List.of(stored));
    walked.forEach(entry -> diff.accept(0, entry));
    return diff.finish(protectedPaths, null, Set.of());
  }

  /**
   * Classifies one walked file of root {@code root}; the scanner calls this during the walk once the
   * rows are loaded. An unchanged file, nearly every file of a rescan, costs one lookup: its
   * absolute path is built only when it is reported.
   */
  void accept(int root, WalkEntry entry) {
    int kind = classify(root, entry);
    if (kind == ADDED) {
      added.add(root, entry);
    } else if (kind != UNCHANGED) {
      changed(kind).add(root, entry, lastRowId);
    }
  }

  private ChangedList changed(int kind) {
    return switch (kind) {
      case MODIFIED -> modified;
      case RECHECKED -> rechecked;
      case RESTORED -> restored;
      case RESTORED_MODIFIED -> restoredModified;
      default -> throw new IllegalArgumentException("kind " + kind);
    };
  }

  /**
   * Claims the row at the walked file's path; returns what the file is (a kind below), the row's
   * id left in lastRowId.
   */
  private int classify(int root, WalkEntry entry) {
    StoredFile row = stored.get(root).remove(entry.path());
    if (row == null) {
      return ADDED;
    }
    claimed[root]++;
    lastRowId = row.id();
    boolean same = row.sameContentAs(entry.mtimeNs(), entry.sizeBytes());
    if (row.missing()) {
      return same ? RESTORED : RESTORED_MODIFIED;
    } else if (!same) {
      return MODIFIED;
    } else if (row.recheck()) {
      return RECHECKED;
    }
    unchanged++;
    return UNCHANGED;
  }

  /** Rows below root {@code root} whose file was there at the last scan (not missing). */
  long presentRows(int root) {
    return presentRows[root];
  }

  /** Rows below root {@code root} that a walked file claimed so far (present or missing). */
  long claimed(int root) {
    return claimed[root];
  }

  /**
   * Judges the rows no walked file claimed. Call once, after every file was accepted.
   *
   * The gone rows are read in place from the maps of rows: call {@link #release} once they are no
   * longer needed.
   *
   * @param protectedPaths absolute paths at or below which no row is touched (walk errors)
   * @param excluded whether a (root index, relative path) is out of scope: its row is deleted; null
   *     when nothing is excluded
   * @param offline indexes of roots judged offline: nothing below them is added, read or touched
   */
  Result finish(Collection<String> protectedPaths, BiPredicate<Integer, String> excluded, Set<Integer> offline) {
    GoneRows gone = new GoneRows(prefixes, stored);
    List<StoredFile> deleted = new ArrayList<>();
    long kept = 0;
    long stillMissing = 0;
    for (int root = 0; root < stored.size(); root++) {
      String prefix = prefixes.get(root);
      PackedFileMap rows = stored.get(root);
      boolean pathsNeeded = excluded != null || !protectedPaths.isEmpty();
      for (int row = 0; row < rows.rowLimit(); row++) {
        if (!rows.isLive(row)) {
          continue; // Claimed by a walked file.
        }
        if (offline.contains(root)) {
          kept++;
          continue;
        }
        // A reorganised library leaves every row here: its path is decoded only if a rule needs it.
        String relative = pathsNeeded ? rows.relativePath(row) : null;
        if (pathsNeeded && isProtected(prefix + relative, protectedPaths)) {
          kept++;
        } else if (excluded != null && excluded.test(root, relative)) {
          deleted.add(rows.storedFile(row, prefix + relative));
        } else if (rows.isMissing(row)) {
          stillMissing++;
        } else {
          gone.add(root, row);
        }
      }
    }
    gone.trimToSize();
    if (gone.isEmpty()) {
      release(); // Nothing refers to the rows any more: a no-op rescan lets them go at once.
    }
    added.trimToSize(); // A reorganised library's million files meet its million gone rows next.
    for (ChangedList list : List.of(modified, rechecked, restored, restoredModified)) {
      kept += offline.isEmpty() ? 0 : list.removeRoots(offline);
      list.trimToSize();
    }
    if (!offline.isEmpty()) {
      added.removeIf(file -> offline.contains(file.root()));
    }
    return new Result(added, modified, gone, deleted, unchanged, kept, stillMissing, rechecked, restored,
        restoredModified);
  }

  /** Lets the rows go (the gone rows read from them are no longer valid). */
  void release() {
    stored.forEach(PackedFileMap::clear);
  }

  static boolean isProtected(String path, Collection<String> protectedPaths) {
    for (String p : protectedPaths) {
      if (path.startsWith(p) && (path.length() == p.length() || p.endsWith("/") || path.charAt(p.length()) == '/')) {
        return true;
      }
    }
    return false;
  }
}
