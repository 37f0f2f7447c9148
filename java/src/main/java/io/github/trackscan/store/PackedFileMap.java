package io.github.trackscan.store;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/*
 * A million rows as a HashMap<String, StoredFile> cost about 250 bytes each (a String of the path,
 * its bytes, the StoredFile, the map's node and slot): a quarter of a gigabyte for the fingerprints
 * alone. Here a row is its fields in parallel primitive arrays and its path as UTF-8 bytes, split
 * at the last '/': the folder is stored once (a music folder holds about a dozen files) and only
 * the name per row, in pages of NAME_PAGE_BYTES (no single huge array to copy as it grows). About
 * 90-100 bytes a row in all, with the open-addressing table of row numbers.
 *
 * Lookups take a String (the walkers' relative path), encode it to UTF-8 and compare bytes; the
 * folder of the previous lookup is remembered, since walks and snapshots go folder by folder. A
 * StoredFile is made only when a row is handed out (get, remove, iteration), and remove() hands out
 * the caller's own key as its path, so a rescan that claims every row decodes no path at all.
 * Removal marks the row; its slot stays, so probing never breaks, and a put of that path reuses it.
 * Not thread-safe: filled by the store read, then handed to the scan thread.
 */
/**
 * The fingerprints of a library's rows keyed by path relative to a root, packed: a {@code Map} for
 * the scan's diff that holds a million rows in about 100 MB of heap instead of about 250. Null keys
 * and values are not allowed. Made by {@link Library#fingerprintsBelow}.
 */
public final class PackedFileMap extends AbstractMap<String, StoredFile> {
  private static final int NAME_PAGE_BYTES = 1 << 18;
  private static final byte RECHECK = 1;
  private static final byte MISSING = 2;
  private static final byte REMOVED = 4;
  private static final int CAPACITY_MIN = 16;

  // Folders: bytes without the trailing '/', "" for files directly below the root; index 0 is "".
  private byte[][] folders = new byte[16][];
  private int folderCount;
  private int[] folderSlots = new int[32];

  // Rows.
  private int[] folder = new int[CAPACITY_MIN];
  private int[] nameAt = new int[CAPACITY_MIN];
  private char[] nameLength = new char[CAPACITY_MIN];
  private long[] id = new long[CAPACITY_MIN];
  private long[] mtimeNs = new long[CAPACITY_MIN];
  private long[] sizeBytes = new long[CAPACITY_MIN];
  private long[] device = new long[CAPACITY_MIN];
  private long[] inode = new long[CAPACITY_MIN];
  private byte[] flags = new byte[CAPACITY_MIN];
  private int rows;
  private int live;
  private int present;
  private int[] slots = new int[CAPACITY_MIN * 2];

  private byte[][] pages = new byte[4][];
  private int pageCount;
  private int pageEnd = NAME_PAGE_BYTES;

  private byte[] lastFolderBytes;
  private int lastFolderLength = -1;
  private int lastFolder = -1;

  /** An empty map. */
  public PackedFileMap() {
    clear();
  }

  /** Makes room for {@code expected} rows in all, so a large read does not copy its arrays as it grows. */
  void ensureCapacity(int expected) {
    if (expected > id.length) {
      growRows(expected);
    }
    int wanted = Integer.highestOneBit(Math.max(CAPACITY_MIN, expected) * 2 - 1) * 2;
    if (wanted > slots.length) {
      rehash(wanted);
    }
  }

  /** Rows in the map whose file was there at the last scan (not marked missing). */
  public long presentRows() {
    return present;
  }

  // ---- rows by number: what a scan left unclaimed (its gone rows) is read in place, never copied.

  /** Row numbers run from 0 to this, exclusive; removed rows among them are not {@link #isLive live}. */
  public int rowLimit() {
    return rows;
  }

  /** Whether row {@code row} is in the map (not removed). */
  public boolean isLive(int row) {
    return (flags[row] & REMOVED) == 0;
  }

  /** Whether row {@code row}'s file was missing at the last scan. */
  public boolean isMissing(int row) {
    return (flags[row] & MISSING) != 0;
  }

  public long id(int row) {
    return id[row];
  }

  public long mtimeNs(int row) {
    return mtimeNs[row];
  }

  public long sizeBytes(int row) {
    return sizeBytes[row];
  }

  public long device(int row) {
    return device[row];
  }

  public long inode(int row) {
    return inode[row];
  }

  /**
   * Lets the lookup table and the paths go (about half the map): the rows' numbers and fields stay
   * readable, their paths and lookups by path throw. For a scan whose walk is over and whose gone
   * rows, a whole reorganised library of them, are still to be matched: their paths come from the
   * catalogue when a row is reported.
   */
  public void dropPaths() {
    slots = null;
    folders = null;
    folderSlots = null;
    folder = null;
    nameAt = null;
    nameLength = null;
    pages = null;
    lastFolderBytes = null;
  }

  /** Whether {@link #dropPaths} was called since the map was last cleared. */
  public boolean pathsDropped() {
    return pages == null;
  }

  /** Row {@code row}'s path relative to the root (decoded now: one String). */
  public String relativePath(int row) {
    return path(row);
  }

  /** Row {@code row} with {@code path} as its path. */
  public StoredFile storedFile(int row, String path) {
    return stored(row, path);
  }

  @Override
  public int size() {
    return live;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && find(s) >= 0;
  }

  @Override
  public StoredFile get(Object key) {
    if (!(key instanceof String s)) {
      return null;
    }
    int row = find(s);
    return row < 0 ? null : stored(row, s);
  }

  @Override
  public StoredFile remove(Object key) {
    if (!(key instanceof String s)) {
      return null;
    }
    int row = find(s);
    if (row < 0) {
      return null;
    }
    StoredFile was = stored(row, s);
    unlink(row);
    return was;
  }

  @Override
  public StoredFile put(String key, StoredFile value) {
    byte[] path = key.getBytes(StandardCharsets.UTF_8);
    int row = findOrAdd(path, 0, path.length);
    StoredFile was = (flags[row] & REMOVED) == 0 ? stored(row, key) : null;
    set(row, value.id(), value.mtimeNs(), value.sizeBytes(), value.device(), value.inode(), value.recheck(),
        value.missing());
    return was;
  }

  /**
   * Adds or replaces the row at {@code path[from, from + length)} (a UTF-8 relative path) without
   * making a String: the snapshot read's way in.
   */
  void put(byte[] path, int from, int length, long rowId, long rowMtimeNs, long rowSizeBytes, long rowDevice,
      long rowInode) {
    int row = findOrAdd(path, from, length);
    set(row, rowId, rowMtimeNs, rowSizeBytes, rowDevice, rowInode, false, false);
  }

  @Override
  public void clear() {
    folders = new byte[16][];
    folders[0] = new byte[0];
    folderCount = 1;
    folderSlots = new int[32];
    folderSlots[slot(hash(folders[0], 0, 0), folderSlots.length)] = 1;
    folder = new int[CAPACITY_MIN];
    nameAt = new int[CAPACITY_MIN];
    nameLength = new char[CAPACITY_MIN];
    id = new long[CAPACITY_MIN];
    mtimeNs = new long[CAPACITY_MIN];
    sizeBytes = new long[CAPACITY_MIN];
    device = new long[CAPACITY_MIN];
    inode = new long[CAPACITY_MIN];
    flags = new byte[CAPACITY_MIN];
    rows = 0;
    live = 0;
    present = 0;
    slots = new int[CAPACITY_MIN * 2];
    pages = new byte[4][];
    pageCount = 0;
    pageEnd = NAME_PAGE_BYTES;
    lastFolderBytes = null;
    lastFolderLength = -1;
    lastFolder = -1;
  }

  @Override
  public Set<Entry<String, StoredFile>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return live;
      }

      @Override
      public Iterator<Entry<String, StoredFile>> iterator() {
        return new Iterator<>() {
          private int next = advance(0);
          private int current = -1;

          private int advance(int from) {
            int row = from;
            while (row < rows && (flags[row] & REMOVED) != 0) {
              row++;
            }
            return row;
          }

          @Override
          public boolean hasNext() {
            return next < rows;
          }

          @Override
          public Entry<String, StoredFile> next() {
            if (next >= rows) {
              throw new NoSuchElementException();
            }
            current = next;
            next = advance(next + 1);
            String path = path(current);
            return new SimpleImmutableEntry<>(path, stored(current, path));
          }

          @Override
          public void remove() {
            if (current < 0 || (flags[current] & REMOVED) != 0) {
              throw new IllegalStateException();
            }
            unlink(current);
          }
        };
      }
    };
  }

  // ---- rows

  private void set(int row, long rowId, long rowMtimeNs, long rowSizeBytes, long rowDevice, long rowInode,
      boolean recheck, boolean missing) {
    boolean wasLive = (flags[row] & REMOVED) == 0;
    if (wasLive && (flags[row] & MISSING) == 0) {
      present--;
    }
    if (!wasLive) {
      live++;
    }
    id[row] = rowId;
    mtimeNs[row] = rowMtimeNs;
    sizeBytes[row] = rowSizeBytes;
    device[row] = rowDevice;
    inode[row] = rowInode;
    flags[row] = (byte) ((recheck ? RECHECK : 0) | (missing ? MISSING : 0));
    if (!missing) {
      present++;
    }
  }

  private void unlink(int row) {
    if ((flags[row] & MISSING) == 0) {
      present--;
    }
    flags[row] |= REMOVED;
    live--;
  }

  private StoredFile stored(int row, String path) {
    return new StoredFile(id[row], path, mtimeNs[row], sizeBytes[row], device[row], inode[row],
        (flags[row] & RECHECK) != 0, (flags[row] & MISSING) != 0);
  }

  private String path(int row) {
    if (pages == null) {
      throw new IllegalStateException("this map's paths were dropped (dropPaths)");
    }
    byte[] f = folders[folder[row]];
    int length = nameLength[row];
    byte[] name = length == 0 ? new byte[0] : pages[nameAt[row] / NAME_PAGE_BYTES];
    int at = nameAt[row] % NAME_PAGE_BYTES;
    if (f.length == 0) {
      return new String(name, at, length, StandardCharsets.UTF_8);
    }
    byte[] whole = new byte[f.length + 1 + length];
    System.arraycopy(f, 0, whole, 0, f.length);
    whole[f.length] = '/';
    System.arraycopy(name, at, whole, f.length + 1, length);
    return new String(whole, StandardCharsets.UTF_8);
  }

  /** The live row at {@code key}, or -1. */
  private int find(String key) {
    byte[] path = key.getBytes(StandardCharsets.UTF_8);
    int slash = lastSlash(path, 0, path.length);
    int f = folderIndex(path, 0, Math.max(slash, 0), false);
    if (f < 0) {
      return -1;
    }
    int nameFrom = slash + 1;
    int row = lookup(f, path, nameFrom, path.length - nameFrom);
    return row >= 0 && (flags[row] & REMOVED) == 0 ? row : -1;
  }

  /** The row at {@code path[from, from + length)}, added (marked removed, so not yet live) if absent. */
  private int findOrAdd(byte[] path, int from, int length) {
    if (length > Character.MAX_VALUE) {
      throw new IllegalArgumentException("path of " + length + " bytes");
    }
    int slash = lastSlash(path, from, length);
    int f = folderIndex(path, from, slash < 0 ? 0 : slash - from, true);
    int nameFrom = slash + 1 > from ? slash + 1 : from;
    int nameBytes = from + length - nameFrom;
    int row = lookup(f, path, nameFrom, nameBytes);
    if (row >= 0) {
      return row;
    }
    if (rows == id.length) {
      growRows(rows + (rows >> 1) + CAPACITY_MIN);
    }
    if ((rows + 1) * 4L > slots.length * 3L) {
      rehash(slots.length * 2);
    }
    row = rows++;
    folder[row] = f;
    nameAt[row] = storeName(path, nameFrom, nameBytes);
    nameLength[row] = (char) nameBytes;
    flags[row] = REMOVED;
    int h = rowHash(f, path, nameFrom, nameBytes);
    int mask = slots.length - 1;
    int s = h & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = row + 1;
    return row;
  }

  private static int lastSlash(byte[] path, int from, int length) {
    for (int i = from + length - 1; i >= from; i--) {
      if (path[i] == '/') {
        return i;
      }
    }
    return -1;
  }

  /** The row of (folder, name), live or removed, or -1. */
  private int lookup(int f, byte[] path, int nameFrom, int nameBytes) {
    if (slots == null) {
      throw new IllegalStateException("this map's lookups were dropped (dropPaths); its rows are read by number");
    }
    int mask = slots.length - 1;
    for (int s = rowHash(f, path, nameFrom, nameBytes) & mask; slots[s] != 0; s = (s + 1) & mask) {
      int row = slots[s] - 1;
      if (folder[row] == f && nameLength[row] == nameBytes && nameEquals(row, path, nameFrom, nameBytes)) {
        return row;
      }
    }
    return -1;
  }

  private boolean nameEquals(int row, byte[] path, int from, int length) {
    if (length == 0) {
      return true;
    }
    byte[] page = pages[nameAt[row] / NAME_PAGE_BYTES];
    int at = nameAt[row] % NAME_PAGE_BYTES;
    return Arrays.equals(page, at, at + length, path, from, from + length);
  }

  private int storeName(byte[] path, int from, int length) {
    if (length == 0) {
      return 0; // Never read: copies and comparisons of no bytes touch no page.
    }
    if (NAME_PAGE_BYTES - pageEnd < length) {
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, pageCount * 2);
      }
      pages[pageCount++] = new byte[NAME_PAGE_BYTES];
      pageEnd = 0;
      if ((long) pageCount * NAME_PAGE_BYTES > Integer.MAX_VALUE) {
        throw new IllegalStateException("more than 2 GiB of names");
      }
    }
    System.arraycopy(path, from, pages[pageCount - 1], pageEnd, length);
    int at = (pageCount - 1) * NAME_PAGE_BYTES + pageEnd;
    pageEnd += length;
    return at;
  }

  private void growRows(int capacity) {
    folder = Arrays.copyOf(folder, capacity);
    nameAt = Arrays.copyOf(nameAt, capacity);
    nameLength = Arrays.copyOf(nameLength, capacity);
    id = Arrays.copyOf(id, capacity);
    mtimeNs = Arrays.copyOf(mtimeNs, capacity);
    sizeBytes = Arrays.copyOf(sizeBytes, capacity);
    device = Arrays.copyOf(device, capacity);
    inode = Arrays.copyOf(inode, capacity);
    flags = Arrays.copyOf(flags, capacity);
  }

  private void rehash(int capacity) {
    int[] fresh = new int[capacity];
    int mask = capacity - 1;
    for (int row = 0; row < rows; row++) {
      byte[] page = nameLength[row] == 0 ? new byte[0] : pages[nameAt[row] / NAME_PAGE_BYTES];
      int s = rowHash(folder[row], page, nameLength[row] == 0 ? 0 : nameAt[row] % NAME_PAGE_BYTES, nameLength[row]) & mask;
      while (fresh[s] != 0) {
        s = (s + 1) & mask;
      }
      fresh[s] = row + 1;
    }
    slots = fresh;
  }

  // ---- folders

  /** The folder of {@code path[from, from + length)}; added if {@code add}, else -1 when absent. */
  private int folderIndex(byte[] path, int from, int length, boolean add) {
    if (lastFolder >= 0 && lastFolderLength == length
        && Arrays.equals(lastFolderBytes, 0, length, path, from, from + length)) {
      return lastFolder;
    }
    int h = hash(path, from, length);
    int mask = folderSlots.length - 1;
    int s = h & mask;
    for (; folderSlots[s] != 0; s = (s + 1) & mask) {
      byte[] f = folders[folderSlots[s] - 1];
      if (Arrays.equals(f, 0, f.length, path, from, from + length)) {
        return remember(folderSlots[s] - 1);
      }
    }
    if (!add) {
      return -1;
    }
    if (folderCount == folders.length) {
      folders = Arrays.copyOf(folders, folderCount * 2);
    }
    folders[folderCount] = Arrays.copyOfRange(path, from, from + length);
    folderSlots[s] = ++folderCount;
    if (folderCount * 2 > folderSlots.length) {
      int[] fresh = new int[folderSlots.length * 2];
      for (int i = 0; i < folderCount; i++) {
        int t = slot(hash(folders[i], 0, folders[i].length), fresh.length);
        while (fresh[t] != 0) {
          t = (t + 1) & (fresh.length - 1);
        }
        fresh[t] = i + 1;
      }
      folderSlots = fresh;
    }
    return remember(folderCount - 1);
  }

  private int remember(int f) {
    lastFolder = f;
    lastFolderBytes = folders[f];
    lastFolderLength = folders[f].length;
    return f;
  }

  private static int slot(int hash, int capacity) {
    return hash & (capacity - 1);
  }

  private static int rowHash(int f, byte[] path, int from, int length) {
    return mix(hash(path, from, length) * 31 + f);
  }

  private static int hash(byte[] bytes, int from, int length) {
    int h = 1;
    for (int i = from; i < from + length; i++) {
      h = 31 * h + bytes[i];
    }
    return mix(h);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h;
  }
}
