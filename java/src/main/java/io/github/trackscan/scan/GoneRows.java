package io.github.trackscan.scan;

import io.github.trackscan.store.PackedFileMap;
import io.github.trackscan.store.StoredFile;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/*
 * The rows a scan found gone are the rows its walk left unclaimed in the packed fingerprint maps.
 * A reorganised library of a million tracks has a million of them: as StoredFile objects with
 * absolute path Strings they were about 200 bytes each, on top of the maps that still held them.
 * Here each is its row number in those maps, 4 bytes (the rows of each root are added together,
 * so a root is a range), read in place; get() makes the StoredFile (absolute path) of one row for
 * a caller that holds it only while it works on it.
 *
 * Matching a million gone rows against a million new files has no room for their paths as well
 * (about 45 MB of the maps, beside the files' own): fetchPathsFrom() lets the maps' paths go, and
 * get() then reads them from the catalogue by id, a block of BLOCK rows a query, as the outcome
 * is written in index order.
 */
/** The rows whose file a scan found gone, read in place from the fingerprint maps; a read-only list. */
final class GoneRows extends AbstractList<StoredFile> {
  static final GoneRows NONE = new GoneRows(List.of(), List.of());

  /** Where the paths come from once the maps' are dropped: the catalogue, by id. */
  interface Paths {
    /** The absolute paths of rows {@code ids[from, to)}, at the same positions (null: no such row). */
    String[] of(long[] ids, int from, int to);
  }

  static final int BLOCK = 1024;

  private final List<String> prefixes;
  private final List<PackedFileMap> maps;
  private final int[] firstOfRoot;
  private int lastRoot = -1;
  private int[] rows = new int[0];
  private int size;
  private Paths paths;
  private int blockStart = -1;
  private String[] block;

  /** @param prefixes each root's path with a trailing '/'; @param maps each root's rows */
  GoneRows(List<String> prefixes, List<PackedFileMap> maps) {
    this.prefixes = prefixes;
    this.maps = maps;
    this.firstOfRoot = new int[maps.size()];
  }

  /** Adds row {@code row} of root {@code root}; roots in ascending order. */
  void add(int root, int row) {
    if (root < lastRoot) {
      throw new IllegalArgumentException("root " + root + " after root " + lastRoot);
    }
    while (lastRoot < root) {
      firstOfRoot[++lastRoot] = size;
    }
    if (size == rows.length) {
      rows = Arrays.copyOf(rows, Math.max(16, size + (size >> 1)));
    }
    rows[size++] = row;
  }

  /** Gives back the room the array grew into. */
  void trimToSize() {
    rows = Arrays.copyOf(rows, size);
  }

  /**
   * Lets the maps' paths (and lookups) go; paths are read from {@code paths} from now on. The maps
   * must hold nothing but rows this list reads (the scan's, once its walk is over).
   */
  void fetchPathsFrom(Paths paths) {
    maps.forEach(PackedFileMap::dropPaths);
    this.paths = paths;
  }

  private int rootOf(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    int low = 0;
    int high = lastRoot;
    while (low < high) { // The last root whose first row is at or before i.
      int mid = (low + high + 1) >>> 1;
      if (firstOfRoot[mid] <= i) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  private PackedFileMap map(int i) {
    return maps.get(rootOf(i));
  }

  long id(int i) {
    return map(i).id(rows[i]);
  }

  long sizeBytes(int i) {
    return map(i).sizeBytes(rows[i]);
  }

  long mtimeNs(int i) {
    return map(i).mtimeNs(rows[i]);
  }

  long device(int i) {
    return map(i).device(rows[i]);
  }

  long inode(int i) {
    return map(i).inode(rows[i]);
  }

  /** Row {@code i} with its absolute path. */
  @Override
  public StoredFile get(int i) {
    int root = rootOf(i);
    PackedFileMap map = maps.get(root);
    String path = paths == null ? prefixes.get(root) + map.relativePath(rows[i]) : fetched(i);
    return map.storedFile(rows[i], path);
  }

  /**
   * Rows {@code indexes} with their absolute paths, for a caller that picks a few here and there
   * (the move matcher's contested rows): once the maps' paths are dropped, only these rows' paths
   * are read, where get() would read a block of BLOCK rows around each.
   */
  List<StoredFile> rows(List<Integer> indexes) {
    if (paths == null) {
      return indexes.stream().map(this::get).toList();
    }
    List<StoredFile> rows = new java.util.ArrayList<>(indexes.size());
    for (int from = 0; from < indexes.size(); from += BLOCK) {
      int to = Math.min(indexes.size(), from + BLOCK);
      long[] ids = new long[to - from];
      for (int k = from; k < to; k++) {
        ids[k - from] = id(indexes.get(k));
      }
      String[] found = paths.of(ids, 0, ids.length);
      for (int k = from; k < to; k++) {
        int i = indexes.get(k);
        String path = found[k - from];
        rows.add(map(i).storedFile(this.rows[i], path != null ? path : noLongerThere(ids[k - from])));
      }
    }
    return rows;
  }

  /** Row {@code i}'s path from the catalogue, read with the rest of its block. */
  private String fetched(int i) {
    int start = i / BLOCK * BLOCK;
    if (start != blockStart) {
      long[] ids = new long[Math.min(BLOCK, size - start)];
      for (int k = 0; k < ids.length; k++) {
        ids[k] = id(start + k);
      }
      block = paths.of(ids, 0, ids.length);
      blockStart = start;
    }
    String path = block[i - start];
    return path != null ? path : noLongerThere(id(i));
  }

  /** What names a row deleted from the catalogue since the walk (a purge by another process). */
  private static String noLongerThere(long id) {
    return "(row " + id + ", no longer in the catalogue)";
  }

  @Override
  public int size() {
    return size;
  }
}
