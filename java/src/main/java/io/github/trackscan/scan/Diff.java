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

  /** The outcome. */
  record Result(List<Walked> added, List<Modified> modified, List<Moved> moved, List<StoredFile> deleted,
      long unchanged, long kept) {}

  private record MoveKey(long device, long inode, long sizeBytes, long mtimeNs) {}

  private final Map<String, StoredFile> stored;
  private final List<Walked> added = new ArrayList<>();
  private final List<Modified> modified = new ArrayList<>();
  private long unchanged;

  /** @param stored the rows below the walked roots, by path; consumed */
  Diff(Map<String, StoredFile> stored) {
    this.stored = stored;
  }

  /**
   * @param walked every file walked, in walk order
   * @param stored the rows below the walked roots, by path; consumed
   * @param protectedPaths absolute paths whose rows, and rows below them, must not be deleted
   */
  static Result compute(List<Walked> walked, Map<String, StoredFile> stored, Collection<String> protectedPaths) {
    Diff diff = new Diff(stored);
    walked.forEach(diff::accept);
    return diff.finish(protectedPaths);
  }

  /** Classifies one walked file; the scanner calls this during the walk once the rows are loaded. */
  void accept(Walked file) {
    StoredFile row = stored.remove(file.path());
    if (row == null) {
      added.add(file);
    } else if (row.sameContentAs(file.entry().mtimeNs(), file.entry().sizeBytes())) {
      unchanged++;
    } else {
      modified.add(new Modified(file, row));
    }
  }

  /**
   * Judges the rows no walked file claimed (deleted unless protected) and pairs deleted rows with
   * added files into moves. Call once, after every file was accepted.
   */
  Result finish(Collection<String> protectedPaths) {
    List<Walked> added = this.added;
    List<StoredFile> gone = new ArrayList<>();
    long kept = 0;
    for (StoredFile row : stored.values()) {
      if (isProtected(row.path(), protectedPaths)) {
        kept++;
      } else {
        gone.add(row);
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
    return new Result(added, modified, moved, gone, unchanged, kept);
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
