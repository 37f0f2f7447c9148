package io.github.trackscan.scan;

import io.github.trackscan.store.Fingerprint;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.walk.WalkEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * The comparison of a walk with the library's fingerprints. Pure: no I/O, so it is tested alone.
 *
 * Deletion is the one irreversible step, so it is judged narrowly: a row is DELETED only if its path
 * lies below a root that was walked completely, and not at or below a path the walk reported an
 * error for (an unreadable folder, a vanished entry, a folder holding a name too long). Such rows are
 * "kept": neither deleted nor counted unchanged.
 *
 * A file whose fingerprint matches a row marked for a recheck (StoredFile.recheck: its mtime is as
 * recent as the scan that read it) is neither unchanged nor modified yet: it is read again, and the
 * writer decides by comparing what it finds with the row.
 *
 * A MOVED file is an ADDED entry and a DELETED row with the same (device, inode, size, mtime): the
 * rename(2) of a file or of a folder above it keeps all four. A key two rows share (hard links whose
 * paths both vanished) is ambiguous and matches nothing.
 */
final class Diff {
  /** A file the walk found, with its absolute path. */
  record Walked(String path, WalkEntry entry) {
    Fingerprint fingerprint() {
      return new Fingerprint(entry.mtimeNs(), entry.sizeBytes(), entry.device(), entry.inode());
    }
  }

  /** A file that changed: the walk's entry and the row it updates. */
  record Modified(Walked file, StoredFile row) {}

  /** A row whose file is now at another path. */
  record Moved(StoredFile row, Walked file) {}

  /** The outcome; {@code rechecked} files have their row's fingerprint and must be read again. */
  record Result(List<Walked> added, List<Modified> modified, List<Moved> moved, List<StoredFile> deleted,
      long unchanged, long kept, List<Modified> rechecked) {}

  private record MoveKey(long device, long inode, long sizeBytes, long mtimeNs) {}

  /** Per root: the prefix of its paths (ending in '/') and its rows by relative path, consumed. */
  private final List<String> prefixes;
  private final List<Map<String, StoredFile>> stored;
  private final List<Walked> added = new ArrayList<>();
  private final List<Modified> modified = new ArrayList<>();
  private final List<Modified> rechecked = new ArrayList<>();
  private long unchanged;

  /**
   * @param prefixes each root's path with a trailing '/'
   * @param stored each root's rows, keyed by path relative to it (Library.fingerprintsBelow); consumed
   */
  Diff(List<String> prefixes, List<Map<String, StoredFile>> stored) {
    if (prefixes.size() != stored.size()) {
      throw new IllegalArgumentException(prefixes.size() + " prefixes for " + stored.size() + " roots of rows");
    }
    this.prefixes = prefixes;
    this.stored = stored;
  }

  /**
   * The diff of one root: a convenience for tests.
   *
   * @param prefix the root's path with a trailing '/'
   * @param walked every file walked below it, in walk order
   * @param stored its rows by relative path; consumed
   * @param protectedPaths absolute paths whose rows, and rows below them, must not be deleted
   */
  static Result compute(String prefix, List<WalkEntry> walked, Map<String, StoredFile> stored,
      Collection<String> protectedPaths) {
    Diff diff = new Diff(List.of(prefix), List.of(stored));
    walked.forEach(entry -> diff.accept(0, entry));
    return diff.finish(protectedPaths);
  }

  /**
   * Classifies one walked file of root {@code root}; the scanner calls this during the walk once the
   * rows are loaded. An unchanged file, nearly every file of a rescan, costs one lookup: its
   * absolute path is built only when it is reported.
   */
  void accept(int root, WalkEntry entry) {
    StoredFile row = stored.get(root).remove(entry.path());
    if (row == null) {
      added.add(new Walked(prefixes.get(root) + entry.path(), entry));
    } else if (!row.sameContentAs(entry.mtimeNs(), entry.sizeBytes())) {
      modified.add(modified(root, entry, row));
    } else if (row.recheck()) {
      rechecked.add(modified(root, entry, row));
    } else {
      unchanged++;
    }
  }

  /** The walked file and its row, both named by absolute path. */
  private Modified modified(int root, WalkEntry entry, StoredFile row) {
    String path = prefixes.get(root) + entry.path();
    return new Modified(new Walked(path, entry), row.withPath(path));
  }

  /**
   * Judges the rows no walked file claimed (deleted unless protected) and pairs deleted rows with
   * added files into moves. Call once, after every file was accepted.
   */
  Result finish(Collection<String> protectedPaths) {
    List<Walked> added = this.added;
    List<StoredFile> gone = new ArrayList<>();
    long kept = 0;
    for (int root = 0; root < stored.size(); root++) {
      String prefix = prefixes.get(root);
      for (StoredFile relative : stored.get(root).values()) {
        StoredFile row = relative.withPath(prefix + relative.path());
        if (isProtected(row.path(), protectedPaths)) {
          kept++;
        } else {
          gone.add(row);
        }
      }
    }
    List<Moved> moved = new ArrayList<>();
    if (!gone.isEmpty() && !added.isEmpty()) {
      Map<MoveKey, StoredFile> byKey = new HashMap<>();
      Map<MoveKey, Boolean> ambiguous = new HashMap<>();
      for (StoredFile row : gone) {
        if (row.mtimeNs() == StoredFile.UNKNOWN || row.inode() == StoredFile.UNKNOWN) {
          continue;
        }
        MoveKey key = new MoveKey(row.device(), row.inode(), row.sizeBytes(), row.mtimeNs());
        if (byKey.putIfAbsent(key, row) != null) {
          ambiguous.put(key, true);
        }
      }
      ambiguous.keySet().forEach(byKey::remove);
      if (!byKey.isEmpty()) {
        List<Walked> stillAdded = new ArrayList<>(added.size());
        java.util.Set<Long> movedIds = new java.util.HashSet<>();
        for (Walked file : added) {
          WalkEntry e = file.entry();
          StoredFile row = byKey.remove(new MoveKey(e.device(), e.inode(), e.sizeBytes(), e.mtimeNs()));
          if (row == null) {
            stillAdded.add(file);
          } else {
            moved.add(new Moved(row, file));
            movedIds.add(row.id());
          }
        }
        added = stillAdded;
        gone.removeIf(r -> movedIds.contains(r.id()));
      }
    }
    return new Result(added, modified, moved, gone, unchanged, kept, rechecked);
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
