package io.github.trackscan.scan;

import io.github.trackscan.store.MoveCandidate;
import io.github.trackscan.tags.ContentKey;
import io.github.trackscan.store.StoredFile;
import io.github.trackscan.tags.TagReadException;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TrackTags;
import io.github.trackscan.walk.WalkEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

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
 *      (TrackTags.identityKey: album artist, album, disc, track, title), then by file name.
 *   4. Rows without a content key (written before schema 4): size and identity key, then file
 *      name; an identity key is required, since size alone says little.
 *
 * Files parsed for their tags in steps 3 and 4 are kept (parsed()), so a file that stays ADDED is
 * not read twice; content keys read are kept too (keys()), for its row.
 */
final class MoveMatcher {
  private record InodeKey(long device, long inode, long sizeBytes, long mtimeNs) {}

  private record ContentId(long sizeBytes, long key) {}

  /** What the matching found. {@code missing} are the rows gone in this scan that no file claimed. */
  record Outcome(List<Diff.Moved> moved, List<Diff.Walked> added, List<StoredFile> missing, long ambiguous) {}

  private final TagReader reader;
  private final int threads;
  private final BooleanSupplier cancelled;
  private final Map<String, TrackTags> parsed = new HashMap<>();
  private final Map<String, Long> keys = new HashMap<>();
  private final List<Diff.Moved> moved = new ArrayList<>();
  private final Set<Diff.Walked> claimedFiles = new HashSet<>();
  private final Set<Long> claimedRows = new HashSet<>();
  /** Files that shared a key with another file or row: unclaimed at the end, they are ambiguous. */
  private final Set<Diff.Walked> contested = new HashSet<>();

  /**
   * @param reader reads a file's tags where content keys alone cannot tell
   * @param threads how many content keys are read at once
   * @param cancelled polled while reading; once true, the files left are not read (and stay added)
   */
  MoveMatcher(TagReader reader, int threads, BooleanSupplier cancelled) {
    this.reader = reader;
    this.threads = Math.max(1, threads);
    this.cancelled = cancelled;
  }

  /**
   * @param added files at paths the library did not have
   * @param candidates rows whose file is gone: this scan's and earlier missing ones, each once
   * @param goneNow ids of the candidates that lost their file in this scan
   */
  Outcome match(List<Diff.Walked> added, List<MoveCandidate> candidates, Set<Long> goneNow) {
    if (!added.isEmpty() && !candidates.isEmpty()) {
      byInode(added, candidates);
      List<Diff.Walked> files = unclaimed(added);
      List<MoveCandidate> keyed = new ArrayList<>();
      List<MoveCandidate> keyless = new ArrayList<>();
      for (MoveCandidate c : candidates) {
        if (!claimedRows.contains(c.row().id())) {
          (c.contentKey() != null ? keyed : keyless).add(c);
        }
      }
      Set<Long> sizes = new HashSet<>();
      keyed.forEach(c -> sizes.add(c.row().sizeBytes()));
      readKeys(files.stream().filter(f -> sizes.contains(f.entry().sizeBytes())).toList());
      List<Diff.Walked> withKey = files.stream().filter(f -> keys.get(f.path()) != null).toList();
      pair(withKey, keyed, List.of(
          f -> new ContentId(f.entry().sizeBytes(), keys.get(f.path())),
          this::tagKeyOf,
          f -> fileName(f.path())), List.of(
          c -> new ContentId(c.row().sizeBytes(), c.contentKey()),
          MoveCandidate::tagKey,
          c -> fileName(c.row().path())));
      if (!keyless.isEmpty()) {
        Set<Long> keylessSizes = new HashSet<>();
        keyless.forEach(c -> keylessSizes.add(c.row().sizeBytes()));
        List<Diff.Walked> left = unclaimed(added).stream()
            .filter(f -> !contested.contains(f) && keylessSizes.contains(f.entry().sizeBytes())).toList();
        pair(left, keyless.stream().filter(c -> c.tagKey() != null).toList(), List.of(
            f -> {
              Long tagKey = tagKeyOf(f);
              return tagKey == null ? null : new ContentId(f.entry().sizeBytes(), tagKey);
            },
            f -> fileName(f.path())), List.of(
            c -> new ContentId(c.row().sizeBytes(), c.tagKey()),
            c -> fileName(c.row().path())));
      }
    }
    List<StoredFile> missing = new ArrayList<>();
    for (MoveCandidate c : candidates) {
      if (goneNow.contains(c.row().id()) && !claimedRows.contains(c.row().id())) {
        missing.add(c.row());
      }
    }
    List<Diff.Walked> stillAdded = unclaimed(added);
    long ambiguous = contested.isEmpty() ? 0 : stillAdded.stream().filter(contested::contains).count();
    return new Outcome(moved, stillAdded, missing, ambiguous);
  }

  /** Tags read while matching, by absolute path: a file that stays added is not read again. */
  Map<String, TrackTags> parsed() {
    return parsed;
  }

  /** Content keys read while matching, by absolute path ({@code null} where unreadable). */
  Map<String, Long> keys() {
    return keys;
  }

  private void byInode(List<Diff.Walked> added, List<MoveCandidate> candidates) {
    Map<InodeKey, MoveCandidate> rows = new HashMap<>();
    Set<InodeKey> shared = new HashSet<>();
    for (MoveCandidate c : candidates) {
      StoredFile r = c.row();
      if (r.mtimeNs() == StoredFile.UNKNOWN || r.inode() == StoredFile.UNKNOWN) {
        continue;
      }
      InodeKey key = new InodeKey(r.device(), r.inode(), r.sizeBytes(), r.mtimeNs());
      if (rows.putIfAbsent(key, c) != null) {
        shared.add(key); // Hard links whose paths both vanished: not told apart this way.
      }
    }
    shared.forEach(rows::remove);
    Map<InodeKey, List<Diff.Walked>> files = new HashMap<>();
    for (Diff.Walked f : added) {
      WalkEntry e = f.entry();
      InodeKey key = new InodeKey(e.device(), e.inode(), e.sizeBytes(), e.mtimeNs());
      if (rows.containsKey(key)) {
        files.computeIfAbsent(key, k -> new ArrayList<>(1)).add(f);
      }
    }
    // A freed inode is soon handed out again: a file copied in after another was deleted may get its
    // inode, and with the same size and mtime (an album tagged at once, rsync's whole seconds) look
    // like its move. So a row with a content key is paired only if the file's key is the row's and
    // no other candidate shares it (identical copies are told apart by name, not by inode).
    Map<ContentId, Integer> sharing = new HashMap<>();
    for (MoveCandidate c : candidates) {
      if (c.contentKey() != null) {
        sharing.merge(new ContentId(c.row().sizeBytes(), c.contentKey()), 1, Integer::sum);
      }
    }
    List<Diff.Walked> toVerify = new ArrayList<>();
    files.forEach((key, found) -> {
      if (found.size() == 1 && rows.get(key).contentKey() != null) {
        toVerify.add(found.get(0));
      }
    });
    readKeys(toVerify);
    files.forEach((key, found) -> {
      if (found.size() != 1) {
        return; // Two new paths of one inode (a hard link added): left to the content key.
      }
      Diff.Walked file = found.get(0);
      MoveCandidate row = rows.get(key);
      if (row.contentKey() == null) {
        claim(file, row);
        return;
      }
      ContentId id = new ContentId(row.row().sizeBytes(), row.contentKey());
      if (row.contentKey().equals(keys.get(file.path())) && sharing.get(id) == 1) {
        claim(file, row);
      }
    });
  }

  /**
   * Pairs {@code files} with {@code rows} by the first key, and within a group that several share,
   * by the next: a pair is made where one file and one row are alone in their group.
   */
  private void pair(List<Diff.Walked> files, List<MoveCandidate> rows, List<Function<Diff.Walked, Object>> fileKeys,
      List<Function<MoveCandidate, Object>> rowKeys) {
    // Explicit stack of (level, files, rows) groups: no recursion, bounded by the number of levels.
    record Group(int level, List<Diff.Walked> files, List<MoveCandidate> rows) {}
    List<Group> stack = new ArrayList<>();
    stack.add(new Group(0, files, rows));
    while (!stack.isEmpty()) {
      Group g = stack.remove(stack.size() - 1);
      // Values are one element, or a List of several: most keys are unique, and a list for each of
      // a reorganised library's 41k keys is 41k lists for nothing.
      Map<Object, Object> rowGroups = new HashMap<>(g.rows().size() * 2);
      for (MoveCandidate c : g.rows()) {
        rowGroups.merge(nullSafe(rowKeys.get(g.level()).apply(c)), c, MoveMatcher::join);
      }
      Map<Object, Object> fileGroups = new LinkedHashMap<>();
      for (Diff.Walked f : g.files()) {
        if (cancelled.getAsBoolean()) {
          return;
        }
        Object key = nullSafe(fileKeys.get(g.level()).apply(f));
        if (rowGroups.containsKey(key)) {
          fileGroups.merge(key, f, MoveMatcher::join);
        }
      }
      for (Map.Entry<Object, Object> e : fileGroups.entrySet()) {
        Object f = e.getValue();
        Object r = rowGroups.get(e.getKey());
        if (!(f instanceof List) && !(r instanceof List)) {
          claim((Diff.Walked) f, (MoveCandidate) r);
          continue;
        }
        List<Diff.Walked> contestedFiles = asList(f);
        contested.addAll(contestedFiles);
        if (g.level() + 1 < fileKeys.size()) {
          stack.add(new Group(g.level() + 1, contestedFiles, asList(r)));
        }
      }
    }
  }

  /** Merges a group's value: one element becomes a list of two; a list grows. */
  @SuppressWarnings("unchecked")
  private static Object join(Object old, Object one) {
    if (old instanceof List) {
      ((List<Object>) old).add(one);
      return old;
    }
    List<Object> both = new ArrayList<>(4);
    both.add(old);
    both.add(one);
    return both;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> asList(Object group) {
    return group instanceof List ? (List<T>) group : List.of((T) group);
  }

  private static final Object NONE = new Object();

  private static Object nullSafe(Object key) {
    return key == null ? NONE : key;
  }

  private void claim(Diff.Walked file, MoveCandidate row) {
    moved.add(new Diff.Moved(row.row(), file));
    claimedFiles.add(file);
    claimedRows.add(row.row().id());
  }

  private List<Diff.Walked> unclaimed(List<Diff.Walked> files) {
    if (claimedFiles.isEmpty()) {
      return files;
    }
    List<Diff.Walked> left = new ArrayList<>(files.size());
    for (Diff.Walked f : files) {
      if (!claimedFiles.contains(f)) {
        left.add(f);
      }
    }
    return left;
  }

  /** The identity key of a file's tags, read once (and kept for its row if it stays added). */
  private Long tagKeyOf(Diff.Walked file) {
    TrackTags tags = parsed.get(file.path());
    if (tags == null && !parsed.containsKey(file.path())) {
      try {
        tags = reader.read(Path.of(file.path()), file.entry().sizeBytes());
      } catch (TagReadException | RuntimeException e) {
        tags = null; // Unreadable: no identity key; the parse proper records the failure.
      }
      parsed.put(file.path(), tags);
    }
    return tags == null ? null : tags.identityKey();
  }

  /** Reads the content keys of {@code files}, several at once (I/O-bound: a network share most of all). */
  private void readKeys(List<Diff.Walked> files) {
    if (files.isEmpty()) {
      return;
    }
    Long[] read = new Long[files.size()];
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      for (int i = next.getAndIncrement(); i < files.size() && !cancelled.getAsBoolean(); i = next.getAndIncrement()) {
        Diff.Walked f = files.get(i);
        read[i] = ContentKey.read(Path.of(f.path()), f.entry().sizeBytes());
      }
    };
    int helpers = Math.min(threads, files.size() / 64); // Small sets are read on this thread alone.
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
    for (int i = 0; i < files.size(); i++) {
      keys.put(files.get(i).path(), read[i]);
    }
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
