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
 * Here each is a reference (root, row number) into those maps, 8 bytes, read in place; get() makes
 * the StoredFile (absolute path) of one row for a caller that holds it only while it works on it.
 */
/** The rows whose file a scan found gone, read in place from the fingerprint maps; a read-only list. */
final class GoneRows extends AbstractList<StoredFile> {
  static final GoneRows NONE = new GoneRows(List.of(), List.of());

  private final List<String> prefixes;
  private final List<PackedFileMap> maps;
  private long[] refs = new long[0];
  private int size;

  /** @param prefixes each root's path with a trailing '/'; @param maps each root's rows */
  GoneRows(List<String> prefixes, List<PackedFileMap> maps) {
    this.prefixes = prefixes;
    this.maps = maps;
  }

  void add(int root, int row) {
    if (size == refs.length) {
      refs = Arrays.copyOf(refs, Math.max(16, size + (size >> 1)));
    }
    refs[size++] = ((long) root << 32) | row;
  }

  private PackedFileMap map(int i) {
    return maps.get((int) (ref(i) >>> 32));
  }

  private int row(int i) {
    return (int) ref(i);
  }

  private long ref(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return refs[i];
  }

  long id(int i) {
    return map(i).id(row(i));
  }

  long sizeBytes(int i) {
    return map(i).sizeBytes(row(i));
  }

  long mtimeNs(int i) {
    return map(i).mtimeNs(row(i));
  }

  long device(int i) {
    return map(i).device(row(i));
  }

  long inode(int i) {
    return map(i).inode(row(i));
  }

  /** Row {@code i} with its absolute path. */
  @Override
  public StoredFile get(int i) {
    int root = (int) (ref(i) >>> 32);
    PackedFileMap map = maps.get(root);
    int row = row(i);
    return map.storedFile(row, prefixes.get(root) + map.relativePath(row));
  }

  @Override
  public int size() {
    return size;
  }
}
