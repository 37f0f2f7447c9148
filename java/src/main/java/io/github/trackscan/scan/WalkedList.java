package io.github.trackscan.scan;

import io.github.trackscan.walk.EntryKind;
import io.github.trackscan.walk.WalkEntry;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/*
 * An initial import of a million files keeps a million added files from the walk to the parse: as
 * Diff.Walked records (an absolute path String, a WalkEntry with its relative path String) about
 * 300 bytes each. Here each is its fields in primitive arrays and its relative path as UTF-8 bytes
 * (walk entries are valid UTF-8 by contract, so the bytes give back the same String), the folder
 * part shared with the file before when it is the same folder, as it is in walk order: about 60-80
 * bytes a file. get() makes the Walked again; callers hold it only while they work on that file.
 * Appended to by one thread; after that, read by any (the parse workers), never changed.
 */
/** The files a walk found at new paths, packed; a read-only {@link List} of {@link Diff.Walked} once filled. */
final class WalkedList extends AbstractList<Diff.Walked> {
  private static final int PAGE_BYTES = 1 << 18;
  private static final int CAPACITY_MIN = 16;
  private static final EntryKind[] KINDS = EntryKind.values();

  private final List<String> prefixes;
  private int size;
  private int[] root = new int[0];
  private byte[] kind = new byte[0];
  private int[] folderAt = new int[0];
  private char[] folderLength = new char[0];
  private int[] nameAt = new int[0];
  private char[] nameLength = new char[0];
  private long[] mtimeNs = new long[0];
  private long[] sizeBytes = new long[0];
  private long[] device = new long[0];
  private long[] inode = new long[0];
  private byte[][] pages = new byte[4][];
  private int pageCount;
  private int pageEnd = PAGE_BYTES;

  /** @param prefixes each root's path with a trailing '/', indexed as Walked.root() */
  WalkedList(List<String> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  @Override
  public boolean add(Diff.Walked walked) {
    add(walked.root(), walked.entry());
    return true;
  }

  /** Appends the file {@code e} of root {@code rootIndex} (its absolute path is never made here). */
  void add(int rootIndex, WalkEntry e) {
    if (size == root.length) {
      grow(Math.max(CAPACITY_MIN, size + (size >> 1)));
    }
    byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
    int slash = path.length - 1;
    while (slash >= 0 && path[slash] != '/') {
      slash--;
    }
    int i = size;
    if (i > 0 && root[i - 1] == rootIndex && folderLength[i - 1] == Math.max(slash, 0)
        && equalsStored(folderAt[i - 1], folderLength[i - 1], path, 0)) {
      folderAt[i] = folderAt[i - 1];
      folderLength[i] = folderLength[i - 1];
    } else {
      folderAt[i] = store(path, 0, Math.max(slash, 0));
      folderLength[i] = (char) Math.max(slash, 0);
    }
    int nameFrom = slash + 1;
    nameAt[i] = store(path, nameFrom, path.length - nameFrom);
    nameLength[i] = (char) (path.length - nameFrom);
    root[i] = rootIndex;
    kind[i] = (byte) e.kind().ordinal();
    mtimeNs[i] = e.mtimeNs();
    sizeBytes[i] = e.sizeBytes();
    device[i] = e.device();
    inode[i] = e.inode();
    size++;
    modCount++;
  }

  @Override
  public Diff.Walked get(int index) {
    WalkEntry entry = entry(index);
    return new Diff.Walked(root[index], prefixes.get(root[index]) + entry.path(), entry);
  }

  /** File {@code index} as the walk reported it (relative path), without its absolute path. */
  WalkEntry entry(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    int folderBytes = folderLength[index];
    int nameBytes = nameLength[index];
    byte[] path = new byte[folderBytes == 0 ? nameBytes : folderBytes + 1 + nameBytes];
    int at = 0;
    if (folderBytes > 0) {
      copy(folderAt[index], folderBytes, path, 0);
      path[folderBytes] = '/';
      at = folderBytes + 1;
    }
    copy(nameAt[index], nameBytes, path, at);
    return new WalkEntry(new String(path, StandardCharsets.UTF_8), mtimeNs[index], sizeBytes[index], device[index],
        inode[index], KINDS[kind[index]]);
  }

  @Override
  public int size() {
    return size;
  }

  // Fields of file i without making it (the move matcher compares a million of them).

  int root(int i) {
    return root[checked(i)];
  }

  long sizeBytes(int i) {
    return sizeBytes[checked(i)];
  }

  long mtimeNs(int i) {
    return mtimeNs[checked(i)];
  }

  long device(int i) {
    return device[checked(i)];
  }

  long inode(int i) {
    return inode[checked(i)];
  }

  private int checked(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return i;
  }

  /** Empties the list and lets its memory go. */
  @Override
  public void clear() {
    size = 0;
    root = new int[0];
    kind = new byte[0];
    folderAt = new int[0];
    folderLength = new char[0];
    nameAt = new int[0];
    nameLength = new char[0];
    mtimeNs = new long[0];
    sizeBytes = new long[0];
    device = new long[0];
    inode = new long[0];
    pages = new byte[4][];
    pageCount = 0;
    pageEnd = PAGE_BYTES;
    modCount++;
  }

  /**
   * Keeps the files {@code keep} accepts (by index, each asked once, in order), in place: no copy,
   * so a list as large as a reorganised library can be handed on without a second one beside it.
   * Their path bytes stay where they are.
   */
  void retain(java.util.function.IntPredicate keep) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!keep.test(i)) {
        continue;
      }
      root[kept] = root[i];
      kind[kept] = kind[i];
      folderAt[kept] = folderAt[i];
      folderLength[kept] = folderLength[i];
      nameAt[kept] = nameAt[i];
      nameLength[kept] = nameLength[i];
      mtimeNs[kept] = mtimeNs[i];
      sizeBytes[kept] = sizeBytes[i];
      device[kept] = device[i];
      inode[kept] = inode[i];
      kept++;
    }
    size = kept;
    modCount++;
  }

  /**
   * Gives back the memory of files a {@link #retain} dropped: the kept files' path bytes are copied
   * into fresh pages and the arrays cut to size. Worth it when few were kept (a rescan's early walk
   * is nearly all unchanged files), not after a retain that kept most.
   */
  void compact() {
    byte[][] old = pages;
    pages = new byte[4][];
    pageCount = 0;
    pageEnd = PAGE_BYTES;
    int oldFolderAt = -1;
    int newFolderAt = 0;
    for (int i = 0; i < size; i++) {
      if (folderLength[i] > 0) {
        // Files of one folder share its bytes (add stores it once per run of the folder's files).
        if (folderAt[i] != oldFolderAt) {
          oldFolderAt = folderAt[i];
          newFolderAt = store(old[oldFolderAt / PAGE_BYTES], oldFolderAt % PAGE_BYTES, folderLength[i]);
        }
        folderAt[i] = newFolderAt;
      }
      if (nameLength[i] > 0) {
        nameAt[i] = store(old[nameAt[i] / PAGE_BYTES], nameAt[i] % PAGE_BYTES, nameLength[i]);
      }
    }
    trimToSize();
  }

  /** Gives back the room the arrays grew into beyond the files they hold (up to a third of them). */
  void trimToSize() {
    if (size < root.length) {
      grow(size);
    }
  }

  /** Keeps the files {@code filter} does not match, in order (made again; a rare path: offline roots). */
  @Override
  public boolean removeIf(Predicate<? super Diff.Walked> filter) {
    List<Diff.Walked> kept = new java.util.ArrayList<>();
    for (int i = 0; i < size; i++) {
      Diff.Walked w = get(i);
      if (!filter.test(w)) {
        kept.add(w);
      }
    }
    if (kept.size() == size) {
      return false;
    }
    clear();
    kept.forEach(this::add);
    return true;
  }

  private boolean equalsStored(int at, int length, byte[] path, int from) {
    if (length == 0) {
      return true;
    }
    byte[] page = pages[at / PAGE_BYTES];
    int offset = at % PAGE_BYTES;
    return Arrays.equals(page, offset, offset + length, path, from, from + length);
  }

  private void copy(int at, int length, byte[] to, int offset) {
    if (length == 0) {
      return;
    }
    System.arraycopy(pages[at / PAGE_BYTES], at % PAGE_BYTES, to, offset, length);
  }

  private int store(byte[] path, int from, int length) {
    if (length == 0) {
      return 0; // Never read: copies and comparisons of no bytes touch no page.
    }
    if (length > Character.MAX_VALUE) {
      throw new IllegalArgumentException("path of " + length + " bytes");
    }
    if (PAGE_BYTES - pageEnd < length) {
      if (pageCount == pages.length) {
        pages = Arrays.copyOf(pages, pageCount * 2);
      }
      if (pages[pageCount] == null) {
        pages[pageCount] = new byte[PAGE_BYTES];
      }
      pageCount++;
      pageEnd = 0;
      if ((long) pageCount * PAGE_BYTES > Integer.MAX_VALUE) {
        throw new IllegalStateException("more than 2 GiB of paths");
      }
    }
    System.arraycopy(path, from, pages[pageCount - 1], pageEnd, length);
    int at = (pageCount - 1) * PAGE_BYTES + pageEnd;
    pageEnd += length;
    return at;
  }

  private void grow(int capacity) {
    root = Arrays.copyOf(root, capacity);
    kind = Arrays.copyOf(kind, capacity);
    folderAt = Arrays.copyOf(folderAt, capacity);
    folderLength = Arrays.copyOf(folderLength, capacity);
    nameAt = Arrays.copyOf(nameAt, capacity);
    nameLength = Arrays.copyOf(nameLength, capacity);
    mtimeNs = Arrays.copyOf(mtimeNs, capacity);
    sizeBytes = Arrays.copyOf(sizeBytes, capacity);
    device = Arrays.copyOf(device, capacity);
    inode = Arrays.copyOf(inode, capacity);
  }
}
