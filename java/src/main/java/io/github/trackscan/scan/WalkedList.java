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
 * 300 bytes each. Here each is five longs (its fields, and where its path's bytes are) and its
 * relative path as UTF-8 bytes (walk entries are valid UTF-8 by contract, so the bytes give back
 * the same String), the folder part shared with the file before when it is the same folder, as it
 * is in walk order: about 60-80 bytes a file. get() makes the Walked again; callers hold it only
 * while they work on that file. The longs sit in chunks of CHUNK files, so the list grows without
 * copying: one array grown by half would hold its old and new copies at once, 120 MB for the
 * million files a walk can gather while the rows are still being read (the peak of a no-op scan).
 * The device is kept once a chunk (a root's files are on one filesystem but where a mount point
 * lies below it), with an array of its own only for a chunk whose files are on several: a
 * reorganise holds every file walked on top of every row, and this is an eighth of a file's bytes.
 * Appended to by one thread; after that, read by any (the parse workers), never changed.
 */
/** The files a walk found at new paths, packed; a read-only {@link List} of {@link Diff.Walked} once filled. */
final class WalkedList extends AbstractList<Diff.Walked> {
  private static final int PAGE_BYTES = 1 << 18;
  private static final int CHUNK_SHIFT = 12;
  private static final int CHUNK = 1 << CHUNK_SHIFT;
  private static final EntryKind[] KINDS = EntryKind.values();

  // The longs of a file, in this order.
  private static final int MTIME = 0;
  private static final int SIZE = 1;
  private static final int INODE = 2;
  /** Where its bytes are: the folder's offset (high 32 bits) and the name's (low 32). */
  private static final int AT = 3;
  /** The folder's length (bits 0-15), the name's (16-31), the kind (32-39), the root (40-63). */
  private static final int META = 4;
  private static final int LONGS = 5;
  private static final int ROOTS_MAX = 1 << 23;

  private final List<String> prefixes;
  private final byte[][] prefixBytes;
  /** Where path() puts a path's bytes before the String copies them: one temporary array fewer a file. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);
  private int size;
  private long[][] chunks = new long[4][];
  /** Per chunk: the device of its first file, which is every file's where devices[chunk] is null. */
  private long[] chunkDevice = new long[4];
  /** Per chunk: null, or the device of each of its files. */
  private long[][] devices = new long[4][];
  private byte[][] pages = new byte[4][];
  private int pageCount;
  private int pageEnd = PAGE_BYTES;

  /** @param prefixes each root's path with a trailing '/', indexed as Walked.root() */
  WalkedList(List<String> prefixes) {
    this.prefixes = List.copyOf(prefixes);
    this.prefixBytes = this.prefixes.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    if (prefixes.size() > ROOTS_MAX) {
      throw new IllegalArgumentException(prefixes.size() + " roots");
    }
  }

  @Override
  public boolean add(Diff.Walked walked) {
    add(walked.root(), walked.entry());
    return true;
  }

  /** Appends the file {@code e} of root {@code rootIndex} (its absolute path is never made here). */
  void add(int rootIndex, WalkEntry e) {
    int i = size;
    if ((i & (CHUNK - 1)) == 0) {
      int chunk = i >>> CHUNK_SHIFT;
      if (chunk == chunks.length) {
        chunks = Arrays.copyOf(chunks, chunk * 2);
        chunkDevice = Arrays.copyOf(chunkDevice, chunk * 2);
        devices = Arrays.copyOf(devices, chunk * 2);
      }
      if (chunks[chunk] == null) {
        chunks[chunk] = new long[CHUNK * LONGS];
      }
      chunkDevice[chunk] = e.device();
      devices[chunk] = null;
    }
    byte[] path = e.path().getBytes(StandardCharsets.UTF_8);
    int slash = path.length - 1;
    while (slash >= 0 && path[slash] != '/') {
      slash--;
    }
    int folderLength = Math.max(slash, 0);
    int folderAt;
    if (i > 0 && root(i - 1) == rootIndex && folderLength(i - 1) == folderLength
        && equalsStored(folderAt(i - 1), folderLength, path, 0)) {
      folderAt = folderAt(i - 1);
    } else {
      folderAt = store(path, 0, folderLength);
    }
    int nameFrom = slash + 1;
    int nameLength = path.length - nameFrom;
    int nameAt = store(path, nameFrom, nameLength);
    long[] c = chunks[i >>> CHUNK_SHIFT];
    int at = (i & (CHUNK - 1)) * LONGS;
    c[at + MTIME] = e.mtimeNs();
    c[at + SIZE] = e.sizeBytes();
    setDevice(i, e.device());
    c[at + INODE] = e.inode();
    c[at + AT] = (long) folderAt << 32 | (nameAt & 0xFFFFFFFFL);
    c[at + META] = folderLength | (long) nameLength << 16 | (long) e.kind().ordinal() << 32 | (long) rootIndex << 40;
    size++;
    modCount++;
  }

  @Override
  public Diff.Walked get(int index) {
    String path = path(index);
    int root = root(index);
    return new Diff.Walked(root, path, entry(index, path.substring(prefixes.get(root).length())));
  }

  /**
   * File {@code index}'s absolute path, {@code get(index).path()} without the rest (the move
   * matcher opens a million files by it). The prefix and the relative path are valid UTF-8 each,
   * so their bytes decode to the same String as the two joined.
   */
  String path(int index) {
    checked(index);
    byte[] prefix = prefixBytes[root(index)];
    int length = prefix.length + relativeLength(index);
    byte[] path = scratch(length);
    System.arraycopy(prefix, 0, path, 0, prefix.length);
    copyRelative(index, path, prefix.length);
    return new String(path, 0, length, StandardCharsets.UTF_8);
  }

  /** File {@code index} as the walk reported it (relative path), without its absolute path. */
  WalkEntry entry(int index) {
    checked(index);
    int length = relativeLength(index);
    byte[] path = scratch(length);
    copyRelative(index, path, 0);
    return entry(index, new String(path, 0, length, StandardCharsets.UTF_8));
  }

  /** The length of file {@code index}'s relative path in bytes: its folder, a '/' if it has one, its name. */
  private int relativeLength(int index) {
    int folderBytes = folderLength(index);
    return folderBytes == 0 ? nameLength(index) : folderBytes + 1 + nameLength(index);
  }

  /** Copies file {@code index}'s relative path into {@code to} from {@code at}. */
  private void copyRelative(int index, byte[] to, int at) {
    int folderBytes = folderLength(index);
    if (folderBytes > 0) {
      copy(folderAt(index), folderBytes, to, at);
      to[at + folderBytes] = '/';
      at += folderBytes + 1;
    }
    copy(nameAt(index), nameLength(index), to, at);
  }

  private static byte[] scratch(int length) {
    byte[] bytes = SCRATCH.get();
    if (bytes.length < length) {
      bytes = new byte[Math.max(length, bytes.length * 2)];
      SCRATCH.set(bytes);
    }
    return bytes;
  }

  private WalkEntry entry(int index, String relativePath) {
    int kind = (int) (field(index, META) >>> 32) & 0xFF;
    return new WalkEntry(relativePath, mtimeNs(index), sizeBytes(index), device(index), inode(index), KINDS[kind]);
  }

  @Override
  public int size() {
    return size;
  }

  // Fields of file i without making it (the move matcher compares a million of them).

  int root(int i) {
    return (int) (field(checked(i), META) >>> 40);
  }

  long sizeBytes(int i) {
    return field(checked(i), SIZE);
  }

  long mtimeNs(int i) {
    return field(checked(i), MTIME);
  }

  long device(int i) {
    checked(i);
    long[] each = devices[i >>> CHUNK_SHIFT];
    return each == null ? chunkDevice[i >>> CHUNK_SHIFT] : each[i & (CHUNK - 1)];
  }

  private void setDevice(int i, long device) {
    int chunk = i >>> CHUNK_SHIFT;
    long[] each = devices[chunk];
    if (each == null) {
      if (device == chunkDevice[chunk]) {
        return;
      }
      each = new long[CHUNK];
      Arrays.fill(each, chunkDevice[chunk]); // Every file of the chunk so far is on it.
      devices[chunk] = each;
    }
    each[i & (CHUNK - 1)] = device;
  }

  long inode(int i) {
    return field(checked(i), INODE);
  }

  private long field(int i, int field) {
    return chunks[i >>> CHUNK_SHIFT][(i & (CHUNK - 1)) * LONGS + field];
  }

  private int folderAt(int i) {
    return (int) (field(i, AT) >>> 32);
  }

  private int nameAt(int i) {
    return (int) field(i, AT);
  }

  private int folderLength(int i) {
    return (int) field(i, META) & 0xFFFF;
  }

  private int nameLength(int i) {
    return (int) (field(i, META) >>> 16) & 0xFFFF;
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
    chunks = new long[4][];
    chunkDevice = new long[4];
    devices = new long[4][];
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
      if (kept != i) {
        System.arraycopy(chunks[i >>> CHUNK_SHIFT], (i & (CHUNK - 1)) * LONGS,
            chunks[kept >>> CHUNK_SHIFT], (kept & (CHUNK - 1)) * LONGS, LONGS);
        // Files after i are not yet moved and keep their devices: kept < i, and a chunk's array
        // made here starts as its shared device, which every file of it had.
        setDevice(kept, device(i));
      }
      kept++;
    }
    size = kept;
    modCount++;
  }

  /**
   * Gives back the memory of files a {@link #retain} dropped: the kept files' path bytes are copied
   * into fresh pages and the chunks past the last file let go. Worth it when few were kept (a
   * rescan's early walk is nearly all unchanged files), not after a retain that kept most.
   */
  void compact() {
    byte[][] old = pages;
    pages = new byte[4][];
    pageCount = 0;
    pageEnd = PAGE_BYTES;
    int oldFolderAt = -1;
    int newFolderAt = 0;
    for (int i = 0; i < size; i++) {
      int folderAt = folderAt(i);
      int folderLength = folderLength(i);
      if (folderLength > 0) {
        // Files of one folder share its bytes (add stores it once per run of the folder's files).
        if (folderAt != oldFolderAt) {
          oldFolderAt = folderAt;
          newFolderAt = store(old[folderAt / PAGE_BYTES], folderAt % PAGE_BYTES, folderLength);
        }
        folderAt = newFolderAt;
      }
      int nameAt = nameAt(i);
      int nameLength = nameLength(i);
      if (nameLength > 0) {
        nameAt = store(old[nameAt / PAGE_BYTES], nameAt % PAGE_BYTES, nameLength);
      }
      chunks[i >>> CHUNK_SHIFT][(i & (CHUNK - 1)) * LONGS + AT] = (long) folderAt << 32 | (nameAt & 0xFFFFFFFFL);
    }
    trimToSize();
  }

  /** Lets go of the chunks past the last file. */
  void trimToSize() {
    int used = (size + CHUNK - 1) >>> CHUNK_SHIFT;
    for (int c = used; c < chunks.length; c++) {
      chunks[c] = null;
      devices[c] = null;
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
}
