package io.github.trackscan.scan;

import io.github.trackscan.store.MoveCandidate;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.tags.ContentKey;
import io.github.trackscan.tags.FileRead;
import io.github.trackscan.tags.TagReadException;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TrackTags;
import io.github.trackscan.walk.PathNames;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntPredicate;

/*
 * Pairs files found at new paths with rows whose file is gone (this scan's, and rows missing since
 * an earlier one, wherever they lie), so that a moved file keeps its row: its id and everything a
 * host stored on it. Never a guess: a pairing is made only where exactly one file and exactly one
 * row share every key compared; where more share them, they stay ADDED and MISSING and are counted
 * as ambiguous.
 *
 *   1. Device and inode (with size and mtime): rename(2) of the file or a folder above it; the
 *      content key confirms it where the row has one (a freed inode is soon reused).
 *   2. Size and content key (ContentKey: the first and last 4 KiB hashed): a copy with a new inode
 *      (restored from a backup, moved to another disk, re-copied by a sync tool). The key is read
 *      only for files whose size some candidate row has, in parallel: a few KiB a file.
 *   3. Where a content key is shared (identical copies): narrowed by the tags' identity key
 *      (TrackTags.identityKey: album artist, album, disc, track, title), then by file name, then
 *      by the names of the folders above it, one more at a time (SUFFIX_LEVELS): copies that share
 *      a name (two empty "14 - Intro.mp3" in two albums) are told apart by their albums' folders,
 *      which a folder moved or copied whole keeps, wherever it now lies.
 *   4. Rows without a content key (written before schema 4): size and identity key, then file
 *      name and folders as in 3; an identity key is required, since size alone says little.
 *
 * Memory is what bounds a reorganised library of a million tracks (navidrome#3236 ran out of it
 * with 60k): every file and every row takes part. So steps 1 and 2 work on numbers: files by their
 * index in the walk's packed list, rows by their index among the candidates (the gone rows read in
 * place from the fingerprint maps, then the rows missing since earlier scans), keys in primitive
 * arrays and open-addressing tables of indexes (Groups), pairs as two int lists. Objects are made
 * only for the few that steps 3 and 4 compare by tags, and by the outcome's lists one at a time,
 * as their reader asks. About 60 bytes a candidate and 20 a file beyond the packed lists.
 *
 * Files parsed for their tags in steps 3 and 4 are kept (parsed()), so a file that stays ADDED is
 * not read twice; content keys read are kept too (keys()), for the row of a file that stays added.
 * Where the files whose key step 2 reads far outnumber the rows they could claim (a delta: a few
 * hundred files gone, thousands added, and in a library of similar files most share a size with
 * one of them), most of those files will be parsed as added anyway: they are parsed in the same
 * read as their key, so the matching costs the scan no read of its own (up to PARSE_WHILE_KEYING_MAX
 * files, whose results wait for the parse in memory). On a network root every such file is
 * (readEachFileOnce): a second read there is round trips again.
 */
final class MoveMatcher {
  /**
   * What the matching found: lists that make each element as it is asked for. {@code missing} are
   * the rows gone in this scan that no file claimed.
   */
  record Outcome(List<Diff.Moved> moved, List<Diff.Walked> added, List<StoredFile> missing, long ambiguous, Ids ids) {
    /** An outcome of lists alone: its ids are read from their elements. */
    Outcome(List<Diff.Moved> moved, List<Diff.Walked> added, List<StoredFile> missing, long ambiguous) {
      this(moved, added, missing, ambiguous, new Ids() {
        @Override
        public long movedRow(int k) {
          return moved.get(k).row().id();
        }

        @Override
        public Diff.Walked movedFile(int k) {
          return moved.get(k).file();
        }

        @Override
        public long missingRow(int k) {
          return missing instanceof GoneRows gone ? gone.id(k) : missing.get(k).id();
        }
      });
    }
  }

  /**
   * The outcome's rows by id, without making them: a row's path may be a read from the catalogue
   * (GoneRows, once the maps' paths are dropped), which a writer that only needs the id skips.
   */
  interface Ids {
    /** The id of moved pair {@code k}'s row. */
    long movedRow(int k);

    /** Moved pair {@code k}'s file. */
    Diff.Walked movedFile(int k);

    /** The id of missing row {@code k}. */
    long missingRow(int k);
  }

  private final TagReader reader;
  private final int threads;
  private final BooleanSupplier cancelled;
  /** Reads the identity keys of gone rows (Catalog.candidates), for the few compared by tags. */
  private final Function<List<StoredFile>, List<MoveCandidate>> withTagKeys;
  /** At most this many files are parsed while their keys are read (their results wait in memory). */
  static final int PARSE_WHILE_KEYING_MAX = 16_384;
  private boolean readOnce;
  private final Map<String, FileRead> parsed = new HashMap<>();
  private final Map<String, Long> keys = new HashMap<>();

  // The files: the walk's packed list where it is one (get() only when a file is reported).
  private List<Diff.Walked> files;
  private WalkedList packed;
  private int fileCount;
  private long[] fileKey;
  private final BitSet fileKeyRead = new BitSet();
  private final BitSet fileKeyKnown = new BitSet();
  private final BitSet claimedFiles = new BitSet();
  /** Files that shared a key with another file or row: unclaimed at the end, they are ambiguous. */
  private final BitSet contested = new BitSet();

  // The candidates: [0, goneCount) the gone rows, then the earlier missing ones.
  private GoneRows gone;
  private int goneCount;
  private List<MoveCandidate> earlier;
  private Set<Long> earlierGoneNow;
  private int candidateCount;
  private long[] rowKey;
  private BitSet rowKeyKnown;
  private final BitSet claimedRows = new BitSet();

  private int[] movedFiles = new int[16];
  private int[] movedRows = new int[16];
  private int movedCount;

  /**
   * @param reader reads a file's tags where content keys alone cannot tell
   * @param threads how many content keys are read at once
   * @param cancelled polled while reading; once true, the files left are not read (and stay added)
   * @param withTagKeys gives gone rows their identity keys (and content keys), for step 3 and 4
   */
  MoveMatcher(TagReader reader, int threads, BooleanSupplier cancelled,
      Function<List<StoredFile>, List<MoveCandidate>> withTagKeys) {
    this.reader = reader;
    this.threads = Math.max(1, threads);
    this.cancelled = cancelled;
    this.withTagKeys = withTagKeys;
  }

  /**
   * Parses every file whose key is read in the same read, however few rows it could claim: on a
   * share each read costs round trips, and a file that stays added is then not read twice (one
   * that turns out moved was parsed for nothing, which costs CPU, not a read).
   */
  MoveMatcher readEachFileOnce() {
    this.readOnce = true;
    return this;
  }

  /** A matcher for candidates that carry their keys already (tests). */
  MoveMatcher(TagReader reader, int threads, BooleanSupplier cancelled) {
    this(reader, threads, cancelled, rows -> {
      throw new IllegalStateException("candidates given as objects carry their tag keys");
    });
  }

  /**
   * @param added files at paths the library did not have
   * @param candidates rows whose file is gone: this scan's and earlier missing ones, each once
   * @param goneNow ids of the candidates that lost their file in this scan
   */
  Outcome match(List<Diff.Walked> added, List<MoveCandidate> candidates, Set<Long> goneNow) {
    return match(added, GoneRows.NONE, new long[0], new BitSet(), candidates, goneNow);
  }

  /**
   * @param added files at paths the library did not have
   * @param goneRows the rows whose file is gone in this scan
   * @param goneKeys their content keys, by index, where {@code goneKeyKnown} is set (both are
   *     used as they are, and may be changed)
   * @param earlierMissing rows missing since an earlier scan (none of {@code goneRows}), with keys
   * @param earlierGoneNow ids among {@code earlierMissing} that lost their file in this scan (tests)
   */
  Outcome match(List<Diff.Walked> added, GoneRows goneRows, long[] goneKeys, BitSet goneKeyKnown,
      List<MoveCandidate> earlierMissing, Set<Long> earlierGoneNow) {
    this.files = added;
    this.packed = added instanceof WalkedList list ? list : null;
    this.fileCount = added.size();
    this.gone = goneRows;
    this.goneCount = goneRows.size();
    this.earlier = earlierMissing;
    this.earlierGoneNow = earlierGoneNow;
    this.candidateCount = goneCount + earlierMissing.size();
    // The caller's arrays, extended only when there are earlier rows (a million gone rows' keys: 8 MB).
    this.rowKey = goneKeys.length == candidateCount ? goneKeys : Arrays.copyOf(goneKeys, candidateCount);
    this.rowKeyKnown = goneKeyKnown;
    for (int c = goneCount; c < candidateCount; c++) {
      Long key = earlier.get(c - goneCount).contentKey();
      if (key != null) {
        rowKey[c] = key;
        rowKeyKnown.set(c);
      }
    }
    if (fileCount > 0 && candidateCount > 0) {
      // One table at a time: at a million rows each is about 17 MB, and the heap holds both the
      // packed rows and the packed files already.
      int[] hits = byInode();
      Groups byContent = byContent();
      confirmInodes(hits, byContent);
      hits = null;
      byContentKey(byContent);
      byContent = null;
      keyless();
    }
    return outcome();
  }

  /**
   * Files read whole while matching (tags, failure, key, format), by absolute path: a file that
   * stays added is not read again. A null value: the reader threw; the parse tries again.
   */
  Map<String, FileRead> parsed() {
    return parsed;
  }

  /** Content keys read while matching of files that stay added, by absolute path ({@code null}: unreadable). */
  Map<String, Long> keys() {
    return keys;
  }

  // ---- step 1: device and inode

  /** Files found by device and inode: per candidate, 0 none, i + 1 file i alone, -1 several. */
  private int[] byInode() {
    Groups byInode = new Groups(candidateCount, c -> mix(rowDevice(c), rowInode(c), rowSize(c), rowMtime(c)),
        (a, b) -> rowDevice(a) == rowDevice(b) && rowInode(a) == rowInode(b) && rowSize(a) == rowSize(b)
            && rowMtime(a) == rowMtime(b));
    int known = 0;
    for (int c = 0; c < candidateCount; c++) {
      if (rowMtime(c) != StoredFile.UNKNOWN && rowInode(c) != StoredFile.UNKNOWN) {
        known++;
      }
    }
    byInode.presize(known);
    for (int c = 0; c < candidateCount; c++) {
      if (rowMtime(c) != StoredFile.UNKNOWN && rowInode(c) != StoredFile.UNKNOWN) {
        byInode.add(c);
      }
    }
    if (byInode.isEmpty()) {
      return null;
    }
    int[] hit = new int[candidateCount]; // 0: no file; i + 1: file i alone; -1: two or more (a hard link added)
    for (int i = 0; i < fileCount; i++) {
      long device = fileDevice(i);
      long inode = fileInode(i);
      long size = fileSize(i);
      long mtime = fileMtime(i);
      int head = byInode.find(mix(device, inode, size, mtime), c -> rowDevice(c) == device && rowInode(c) == inode
          && rowSize(c) == size && rowMtime(c) == mtime);
      if (head >= 0 && byInode.count(head) == 1) { // Hard links whose paths both vanished: not told apart this way.
        hit[head] = hit[head] == 0 ? i + 1 : -1;
      }
    }
    return hit;
  }

  private void confirmInodes(int[] hit, Groups byContent) {
    if (hit == null) {
      return;
    }
    // A freed inode is soon handed out again: a file copied in after another was deleted may get its
    // inode, and with the same size and mtime (an album tagged at once, rsync's whole seconds) look
    // like its move. So a row with a content key is paired only if the file's key is the row's and
    // no other candidate shares it (identical copies are told apart by name, not by inode).
    int[] toVerify = new int[candidateCount];
    int verify = 0;
    for (int c = 0; c < candidateCount; c++) {
      if (hit[c] > 0 && rowKeyKnown.get(c)) {
        toVerify[verify++] = hit[c] - 1;
      }
    }
    readKeys(Arrays.copyOf(toVerify, verify), false);
    for (int c = 0; c < candidateCount; c++) {
      if (hit[c] <= 0) {
        continue;
      }
      int file = hit[c] - 1;
      if (!rowKeyKnown.get(c)) {
        claim(file, c);
      } else if (fileKeyKnown.get(file) && fileKey[file] == rowKey[c] && byContent.count(byContent.groupOf(c)) == 1) {
        claim(file, c);
      }
    }
  }

  // ---- step 2: size and content key

  /** Every candidate with a content key, grouped by (size, key): shared keys are identical copies. */
  private Groups byContent() {
    Groups groups = new Groups(candidateCount, c -> mix(rowSize(c), rowKey[c], 0, 0),
        (a, b) -> rowSize(a) == rowSize(b) && rowKey[a] == rowKey[b]);
    groups.presize(rowKeyKnown.cardinality());
    for (int c = rowKeyKnown.nextSetBit(0); c >= 0; c = rowKeyKnown.nextSetBit(c + 1)) {
      groups.add(c);
    }
    return groups;
  }

  private void byContentKey(Groups byContent) {
    Groups bySize = new Groups(candidateCount, c -> mix(rowSize(c), 0, 0, 0), (a, b) -> rowSize(a) == rowSize(b));
    bySize.presize(rowKeyKnown.cardinality());
    int rowsLeft = 0;
    for (int c = rowKeyKnown.nextSetBit(0); c >= 0; c = rowKeyKnown.nextSetBit(c + 1)) {
      if (!claimedRows.get(c)) {
        bySize.add(c);
        rowsLeft++;
      }
    }
    if (bySize.isEmpty()) {
      return;
    }
    int[] toRead = new int[fileCount];
    int reads = 0;
    for (int i = claimedFiles.nextClearBit(0); i < fileCount; i = claimedFiles.nextClearBit(i + 1)) {
      long size = fileSize(i);
      if (!fileKeyRead.get(i) && bySize.find(mix(size, 0, 0, 0), c -> rowSize(c) == size) >= 0) {
        toRead[reads++] = i;
      }
    }
    bySize = null; // Let it go before the reads.
    // Most of these files can claim no row: parsed now, in the read of their key, not read again.
    boolean parseToo = reads <= PARSE_WHILE_KEYING_MAX && (readOnce || reads > 2L * rowsLeft);
    readKeys(Arrays.copyOf(toRead, reads), parseToo);
    toRead = null;

    int[] filesOf = new int[candidateCount]; // per group head: 0 no file, i + 1 file i alone, -1 several
    for (int i = fileKeyKnown.nextSetBit(0); i >= 0; i = fileKeyKnown.nextSetBit(i + 1)) {
      int head = groupOfFile(byContent, i);
      if (head < 0 || claimedFiles.get(i) || byContent.count(head) == 1 && claimedRows.get(head)) {
        continue; // A copy of a file already moved by its inode: added, and not ambiguous.
      }
      filesOf[head] = filesOf[head] == 0 ? i + 1 : -1;
    }
    Map<Integer, List<Integer>> contestedGroups = new LinkedHashMap<>();
    for (int head = 0; head < candidateCount; head++) {
      if (filesOf[head] > 0 && byContent.count(head) == 1) {
        claim(filesOf[head] - 1, head);
      } else if (filesOf[head] != 0) {
        contestedGroups.put(head, new ArrayList<>());
      }
    }
    filesOf = null;
    if (contestedGroups.isEmpty()) {
      return;
    }
    for (int i = fileKeyKnown.nextSetBit(0); i >= 0; i = fileKeyKnown.nextSetBit(i + 1)) {
      int head = claimedFiles.get(i) ? -1 : groupOfFile(byContent, i);
      List<Integer> groupFiles = head < 0 ? null : contestedGroups.get(head);
      if (groupFiles != null) {
        groupFiles.add(i);
        contested.set(i);
      }
    }
    // Identical copies (a few in a real library): told apart by tags, then by name, as objects.
    List<Integer> groupRows = new ArrayList<>();
    contestedGroups.forEach((head, fileIndexes) -> groupRows.addAll(byContent.members(head)));
    Map<Integer, R> rows = rowsWithTags(groupRows);
    contestedGroups.forEach((head, fileIndexes) -> {
      List<R> candidates = byContent.members(head).stream().map(rows::get).toList();
      pair(fileIndexes.stream().map(this::fileRef).toList(), candidates,
          withPathSuffixes(f -> tagKeyOf(f.walked()), f -> f.walked().path()),
          withPathSuffixes(R::tagKey, r -> r.row().path()));
    });
  }

  private int groupOfFile(Groups byContent, int i) {
    long size = fileSize(i);
    long key = fileKey[i];
    return byContent.find(mix(size, key, 0, 0), c -> rowSize(c) == size && rowKey[c] == key);
  }

  // ---- step 4: rows without a content key

  private void keyless() {
    List<Integer> keyless = new ArrayList<>();
    for (int c = rowKeyKnown.nextClearBit(0); c < candidateCount; c = rowKeyKnown.nextClearBit(c + 1)) {
      if (!claimedRows.get(c)) {
        keyless.add(c);
      }
    }
    if (keyless.isEmpty()) {
      return;
    }
    Map<Integer, R> rows = rowsWithTags(keyless);
    List<R> withTags = keyless.stream().map(rows::get).filter(r -> r.tagKey() != null).toList();
    Set<Long> sizes = new HashSet<>();
    withTags.forEach(r -> sizes.add(r.row().sizeBytes()));
    List<F> left = new ArrayList<>();
    for (int i = claimedFiles.nextClearBit(0); i < fileCount; i = claimedFiles.nextClearBit(i + 1)) {
      if (!contested.get(i) && sizes.contains(fileSize(i))) {
        left.add(fileRef(i));
      }
    }
    pair(left, withTags, withPathSuffixes(
        f -> {
          Long tagKey = tagKeyOf(f.walked());
          return tagKey == null ? null : List.of(f.walked().entry().sizeBytes(), tagKey);
        },
        f -> f.walked().path()), withPathSuffixes(
        r -> List.of(r.row().sizeBytes(), r.tagKey()),
        r -> r.row().path()));
  }

  // ---- pairing by tags and names: few files and rows, as objects

  /** File {@code index} of the added list, made. */
  private record F(int index, Diff.Walked walked) {}

  /** Candidate {@code index}, made, with its identity key. */
  private record R(int index, StoredFile row, Long tagKey) {}

  private F fileRef(int i) {
    return new F(i, files.get(i));
  }

  /** Candidates {@code indexes} with their identity keys (gone rows' read from the catalogue). */
  private Map<Integer, R> rowsWithTags(List<Integer> indexes) {
    Map<Integer, R> rows = new HashMap<>();
    List<Integer> goneIndexes = new ArrayList<>();
    for (int c : indexes) {
      if (c < goneCount) {
        goneIndexes.add(c);
      } else {
        MoveCandidate m = earlier.get(c - goneCount);
        rows.put(c, new R(c, m.row(), m.tagKey()));
      }
    }
    if (!goneIndexes.isEmpty()) {
      List<StoredFile> goneRows = gone.rows(goneIndexes); // These rows' paths only, in one read.
      Map<Long, Integer> goneIndex = new HashMap<>();
      for (int k = 0; k < goneRows.size(); k++) {
        goneIndex.put(goneRows.get(k).id(), goneIndexes.get(k));
      }
      for (MoveCandidate m : withTagKeys.apply(goneRows)) {
        int c = goneIndex.get(m.row().id());
        rows.put(c, new R(c, m.row(), m.tagKey()));
      }
      for (int k = 0; k < goneRows.size(); k++) { // Deleted from the catalogue meanwhile: no tags.
        rows.putIfAbsent(goneIndexes.get(k), new R(goneIndexes.get(k), goneRows.get(k), null));
      }
    }
    return rows;
  }

  /**
   * Pairs {@code files} with {@code rows} by the first key, and within a group that several share,
   * by the next: a pair is made where one file and one row are alone in their group.
   */
  private void pair(List<F> files, List<R> rows, List<Function<F, Object>> fileKeys, List<Function<R, Object>> rowKeys) {
    // Explicit stack of (level, files, rows) groups: no recursion, bounded by the number of levels.
    record Group(int level, List<F> files, List<R> rows) {}
    List<Group> stack = new ArrayList<>();
    stack.add(new Group(0, files, rows));
    while (!stack.isEmpty()) {
      Group g = stack.remove(stack.size() - 1);
      Map<Object, List<R>> rowGroups = new HashMap<>();
      for (R r : g.rows()) {
        rowGroups.computeIfAbsent(nullSafe(rowKeys.get(g.level()).apply(r)), k -> new ArrayList<>(1)).add(r);
      }
      Map<Object, List<F>> fileGroups = new LinkedHashMap<>();
      for (F f : g.files()) {
        if (cancelled.getAsBoolean()) {
          return;
        }
        Object key = nullSafe(fileKeys.get(g.level()).apply(f));
        if (rowGroups.containsKey(key)) {
          fileGroups.computeIfAbsent(key, k -> new ArrayList<>(1)).add(f);
        }
      }
      for (Map.Entry<Object, List<F>> e : fileGroups.entrySet()) {
        List<F> f = e.getValue();
        List<R> r = rowGroups.get(e.getKey());
        if (f.size() == 1 && r.size() == 1) {
          claim(f.get(0).index(), r.get(0).index());
          continue;
        }
        f.forEach(file -> contested.set(file.index()));
        if (g.level() + 1 < fileKeys.size()) {
          stack.add(new Group(g.level() + 1, f, r));
        }
      }
    }
  }

  private static final Object NONE = new Object();

  private static Object nullSafe(Object key) {
    return key == null ? NONE : key;
  }

  /** The identity key of a file's tags, read once (and kept for its row if it stays added). */
  private Long tagKeyOf(Diff.Walked file) {
    FileRead read = parsed.get(file.path());
    if (read == null && !parsed.containsKey(file.path())) {
      try {
        read = reader.readWithKey(PathNames.path(file.path()), file.entry().sizeBytes());
      } catch (RuntimeException e) {
        read = null; // No identity key; the parse proper reads it again and records the failure.
      }
      parsed.put(file.path(), read);
    }
    return read == null || read.tags() == null ? null : read.tags().identityKey();
  }

  // ---- claims and the outcome

  private void claim(int file, int row) {
    if (movedCount == movedFiles.length) {
      movedFiles = Arrays.copyOf(movedFiles, movedCount * 2);
      movedRows = Arrays.copyOf(movedRows, movedCount * 2);
    }
    movedFiles[movedCount] = file;
    movedRows[movedCount] = row;
    movedCount++;
    claimedFiles.set(file);
    claimedRows.set(row);
  }

  private Outcome outcome() {
    int pairs = movedCount;
    int[] pairFiles = movedFiles;
    int[] pairRows = movedRows;
    List<Diff.Moved> moved = new AbstractList<>() {
      @Override
      public Diff.Moved get(int k) {
        return new Diff.Moved(row(pairRows[k]), files.get(pairFiles[k]));
      }

      @Override
      public int size() {
        return pairs;
      }
    };
    List<Diff.Walked> added = files;
    long ambiguous = 0;
    if (!claimedFiles.isEmpty()) {
      int[] left = new int[fileCount - claimedFiles.cardinality()];
      int n = 0;
      for (int i = claimedFiles.nextClearBit(0); i < fileCount; i = claimedFiles.nextClearBit(i + 1)) {
        left[n++] = i;
      }
      added = indexed(files, left);
    }
    for (int i = contested.nextSetBit(0); i >= 0; i = contested.nextSetBit(i + 1)) {
      if (!claimedFiles.get(i)) {
        ambiguous++;
      }
    }
    for (int i = fileKeyRead.nextSetBit(0); i >= 0; i = fileKeyRead.nextSetBit(i + 1)) {
      if (!claimedFiles.get(i)) {
        keys.put(files.get(i).path(), fileKeyKnown.get(i) ? fileKey[i] : null);
      }
    }
    int[] missing = new int[candidateCount];
    int m = 0;
    for (int c = 0; c < candidateCount; c++) {
      if (!claimedRows.get(c) && (c < goneCount || earlierGoneNow.contains(earlier.get(c - goneCount).row().id()))) {
        missing[m++] = c;
      }
    }
    int missingCount = m;
    int[] missingRows = missing;
    List<StoredFile> missingList = new AbstractList<>() {
      @Override
      public StoredFile get(int k) {
        if (k < 0 || k >= missingCount) {
          throw new IndexOutOfBoundsException(k);
        }
        return row(missingRows[k]);
      }

      @Override
      public int size() {
        return missingCount;
      }
    };
    Ids ids = new Ids() {
      @Override
      public long movedRow(int k) {
        return rowId(pairRows[k]);
      }

      @Override
      public Diff.Walked movedFile(int k) {
        return files.get(pairFiles[k]);
      }

      @Override
      public long missingRow(int k) {
        return rowId(missingRows[k]);
      }
    };
    return new Outcome(moved, added, missingList, ambiguous, ids);
  }

  private static List<Diff.Walked> indexed(List<Diff.Walked> files, int[] indexes) {
    return new AbstractList<>() {
      @Override
      public Diff.Walked get(int k) {
        return files.get(indexes[k]);
      }

      @Override
      public int size() {
        return indexes.length;
      }
    };
  }

  // ---- reading content keys

  /**
   * Reads the content keys of files {@code indexes}, several at once (I/O-bound: a network share
   * most of all); with {@code parseToo}, each file is parsed in the same read and the result kept.
   */
  private void readKeys(int[] indexes, boolean parseToo) {
    if (indexes.length == 0) {
      return;
    }
    if (fileKey == null) {
      fileKey = new long[fileCount];
    }
    long[] read = new long[indexes.length];
    boolean[] known = new boolean[indexes.length];
    FileRead[] reads = parseToo ? new FileRead[indexes.length] : null;
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      for (int k = next.getAndIncrement(); k < indexes.length && !cancelled.getAsBoolean(); k = next.getAndIncrement()) {
        int i = indexes[k];
        String path = path(i);
        Long key = null;
        if (parseToo) {
          try {
            reads[k] = reader.readWithKey(PathNames.path(path), fileSize(i));
            key = reads[k].contentKey();
          } catch (RuntimeException e) {
            key = contentKey(path, fileSize(i)); // The parse proper tries again and records it.
          }
        } else {
          key = contentKey(path, fileSize(i));
        }
        if (key != null) {
          read[k] = key;
          known[k] = true;
        }
      }
    };
    int helpers = Math.min(threads, indexes.length / 64); // Small sets are read on this thread alone.
    List<Thread> started = new ArrayList<>(helpers);
    for (int i = 0; i < helpers; i++) {
      started.add(Thread.ofPlatform().daemon().name("trackscan-content-key-" + i).start(work));
    }
    work.run();
    boolean interrupted = false;
    for (Thread t : started) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // Finish joining (each stops within one file); the scan sees the interrupt.
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (int k = 0; k < indexes.length; k++) {
      if (reads != null && reads[k] != null) {
        parsed.put(path(indexes[k]), reads[k]);
      }
      fileKeyRead.set(indexes[k]);
      if (known[k]) {
        fileKey[indexes[k]] = read[k];
        fileKeyKnown.set(indexes[k]);
      }
    }
  }

  /** A walked path's content key: by its text where that names the file (all but a handful). */
  private static Long contentKey(String path, long sizeBytes) {
    return PathNames.isEscaped(path) ? ContentKey.read(PathNames.path(path), sizeBytes) : ContentKey.read(path, sizeBytes);
  }

  // ---- fields by index

  private String path(int i) {
    return packed != null ? packed.path(i) : files.get(i).path();
  }

  private long fileSize(int i) {
    return packed != null ? packed.sizeBytes(i) : files.get(i).entry().sizeBytes();
  }

  private long fileMtime(int i) {
    return packed != null ? packed.mtimeNs(i) : files.get(i).entry().mtimeNs();
  }

  private long fileDevice(int i) {
    return packed != null ? packed.device(i) : files.get(i).entry().device();
  }

  private long fileInode(int i) {
    return packed != null ? packed.inode(i) : files.get(i).entry().inode();
  }

  private StoredFile row(int c) {
    return c < goneCount ? gone.get(c) : earlier.get(c - goneCount).row();
  }

  private long rowId(int c) {
    return c < goneCount ? gone.id(c) : earlier.get(c - goneCount).row().id();
  }

  private long rowSize(int c) {
    return c < goneCount ? gone.sizeBytes(c) : earlier.get(c - goneCount).row().sizeBytes();
  }

  private long rowMtime(int c) {
    return c < goneCount ? gone.mtimeNs(c) : earlier.get(c - goneCount).row().mtimeNs();
  }

  private long rowDevice(int c) {
    return c < goneCount ? gone.device(c) : earlier.get(c - goneCount).row().device();
  }

  private long rowInode(int c) {
    return c < goneCount ? gone.inode(c) : earlier.get(c - goneCount).row().inode();
  }

  /** Path components compared after the tags: the file name, then up to three folders above it. */
  static final int SUFFIX_LEVELS = 4;

  /** The keys of {@link #pair}: {@code first}, then the last 1, 2... SUFFIX_LEVELS components of the path. */
  private static <T> List<Function<T, Object>> withPathSuffixes(Function<T, Object> first, Function<T, String> path) {
    List<Function<T, Object>> keys = new ArrayList<>(1 + SUFFIX_LEVELS);
    keys.add(first);
    for (int k = 1; k <= SUFFIX_LEVELS; k++) {
      int components = k;
      keys.add(t -> pathSuffix(path.apply(t), components));
    }
    return keys;
  }

  /**
   * The last {@code components} components of {@code path} ("B/x.mp3" of "/m/A/B/x.mp3" for 2), or
   * the whole path if it has no more: a file name for 1.
   */
  static String pathSuffix(String path, int components) {
    int at = path.length();
    for (int k = 0; k < components; k++) {
      at = path.lastIndexOf('/', at - 1);
      if (at < 0) {
        return path;
      }
    }
    return path.substring(at + 1);
  }

  /** A 64-bit mix of up to four fields (the finaliser of SplitMix64 between them). */
  static long mix(long a, long b, long c, long d) {
    long h = a * 0x9E3779B97F4A7C15L;
    h = (h ^ (h >>> 31) ^ b) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 29) ^ c) * 0x94D049BB133111EBL;
    h = (h ^ (h >>> 32) ^ d) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  /*
   * Candidates grouped by a key without an object per candidate: an open-addressing table of group
   * heads (index + 1; 0 is empty), the members of a group chained from its head through next[].
   * The key is the caller's: a hash of the candidate's fields and an equality over them.
   */
  private static final class Groups {
    interface Hash {
      long of(int candidate);
    }

    interface Same {
      boolean test(int a, int b);
    }

    private final Hash hash;
    private final Same same;
    private final int[] next;
    private final int[] count;
    private int[] slots = new int[16];
    private int heads;

    Groups(int candidates, Hash hash, Same same) {
      this.hash = hash;
      this.same = same;
      this.next = new int[candidates];
      this.count = new int[candidates];
    }

    boolean isEmpty() {
      return heads == 0;
    }

    /** Sizes the table for up to {@code members} at once, so it is never copied as it fills. */
    void presize(int members) {
      int capacity = Integer.highestOneBit(Math.max(8, members) * 2 - 1) * 2;
      if (capacity > slots.length && heads == 0) {
        slots = new int[capacity];
      }
    }

    void add(int c) {
      if ((heads + 1) * 2 > slots.length) {
        rehash(slots.length * 2);
      }
      long h = hash.of(c);
      int mask = slots.length - 1;
      for (int s = (int) h & mask; ; s = (s + 1) & mask) {
        int head = slots[s] - 1;
        if (head < 0) {
          slots[s] = c + 1;
          next[c] = -1;
          count[c] = 1;
          heads++;
          return;
        }
        if (same.test(head, c)) {
          next[c] = next[head];
          next[head] = c;
          count[head]++;
          return;
        }
      }
    }

    /** The head of the group whose key {@code matches} accepts (hash {@code h}), or -1. */
    int find(long h, IntPredicate matches) {
      int mask = slots.length - 1;
      for (int s = (int) h & mask; ; s = (s + 1) & mask) {
        int head = slots[s] - 1;
        if (head < 0) {
          return -1;
        }
        if (matches.test(head)) {
          return head;
        }
      }
    }

    /** The head of candidate {@code c}'s group (it must have been added). */
    int groupOf(int c) {
      return find(hash.of(c), head -> same.test(head, c));
    }

    int count(int head) {
      return count[head];
    }

    List<Integer> members(int head) {
      List<Integer> members = new ArrayList<>(count[head]);
      for (int c = head; c >= 0; c = next[c]) {
        members.add(c);
      }
      return members;
    }

    private void rehash(int capacity) {
      int[] old = slots;
      slots = new int[capacity];
      int mask = capacity - 1;
      for (int entry : old) {
        if (entry != 0) {
          int s = (int) hash.of(entry - 1) & mask;
          while (slots[s] != 0) {
            s = (s + 1) & mask;
          }
          slots[s] = entry;
        }
      }
    }
  }
}
