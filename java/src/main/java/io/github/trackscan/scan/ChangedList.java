package io.github.trackscan.scan;

import io.github.trackscan.walk.WalkEntry;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Set;

/*
 * Files found at the path of a row that must be read again (modified, restored and changed, or
 * marked for a recheck), packed as the added files are (WalkedList) plus the row's id. A library
 * whose every file changes (a restore from a backup that did not keep mtimes, a tagger run over
 * everything, the reread after a schema migration) puts its whole size here: a million Modified
 * records with their Strings are about 400 MB; packed, about 90 bytes a file.
 */
/** The changed files of a diff, packed; a read-only {@link java.util.List} of {@link Diff.Modified}. */
final class ChangedList extends AbstractList<Diff.Modified> {
  private final WalkedList files;
  private long[] rowIds;

  /** @param prefixes each root's path with a trailing '/', indexed as Walked.root() */
  ChangedList(java.util.List<String> prefixes) {
    this(new WalkedList(prefixes), new long[0]);
  }

  /**
   * Takes over {@code files} (a walk's early files, kept in place) and their rows' ids: no copy of a
   * list that may hold the whole library.
   *
   * @param rowIds at least files.size() long; element i is the row of file i
   */
  ChangedList(WalkedList files, long[] rowIds) {
    this.files = files;
    this.rowIds = rowIds;
  }

  void add(int root, WalkEntry entry, long rowId) {
    int i = files.size();
    if (i == rowIds.length) {
      rowIds = Arrays.copyOf(rowIds, Math.max(16, i + (i >> 1)));
    }
    files.add(root, entry);
    rowIds[i] = rowId;
    modCount++;
  }

  @Override
  public Diff.Modified get(int index) {
    return new Diff.Modified(files.get(index), rowIds[index]);
  }

  @Override
  public int size() {
    return files.size();
  }

  /** Takes out the files of the given roots, in place; returns how many went. */
  long removeRoots(Set<Integer> roots) {
    int before = files.size();
    int[] kept = {0};
    files.retain(i -> {
      if (roots.contains(files.root(i))) {
        return false;
      }
      rowIds[kept[0]++] = rowIds[i];
      return true;
    });
    modCount++;
    return before - files.size();
  }

  /** Gives back the room the arrays grew into. */
  void trimToSize() {
    files.trimToSize();
    rowIds = Arrays.copyOf(rowIds, files.size());
  }
}
