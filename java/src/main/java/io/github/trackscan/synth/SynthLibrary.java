package io.github.trackscan.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/*
 * generate: plan on one thread (Planner), create every folder, write the files on a fixed pool of
 * threads that take the next file from a shared index (each file's bytes depend only on the plan,
 * never on the thread), set each file's mtime as it is written, save the report, then set every
 * folder's mtime (deepest first) to the newest mtime below it, the root's included.
 */
/**
 * Writes and changes synthetic music libraries of the reference shape (see {@code FACTS.md}):
 * {@code Artist/Album (Year)/NN - Title.ext}, valid MP3, FLAC, M4A and Ogg Vorbis files with tags and
 * covers, side files, hidden files and junk, with deterministic names, bytes and mtimes.
 *
 * <p>File names are written as UTF-8 bytes, so the JVM must run with a UTF-8 locale (for example
 * {@code LC_ALL=C.UTF-8}); otherwise both methods throw {@link IllegalStateException}.
 */
public final class SynthLibrary {
  /** Tracks {@link #mutate} adds. */
  public static final int ADDED_TRACKS = 200;
  /** Tracks {@link #mutate} rewrites the tags of (at most half the library). */
  public static final int MODIFIED_TRACKS = 200;
  /** Tracks {@link #mutate} deletes (at most a tenth of the library). */
  public static final int DELETED_TRACKS = 10;

  private SynthLibrary() {}

  /**
   * Writes a library into {@code dir}. The same options (tracks and seed) give the same folder and
   * file names, byte-identical files and the same mtimes (files and folders, the root included),
   * whatever the thread count. Also saves the report as {@link SynthReport#FILE_NAME} in {@code dir}.
   *
   * @param dir the library root: created if missing, must be empty if present
   * @param options what to write
   * @return what was written, by kind
   * @throws DirectoryNotEmptyException if {@code dir} has entries
   * @throws NotDirectoryException if {@code dir} is a file
   * @throws IOException if writing fails
   * @throws IllegalStateException if the JVM does not encode file names as UTF-8
   */
  public static SynthReport generate(Path dir, SynthOptions options) throws IOException {
    checkFileNameEncoding();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new NotDirectoryException(dir.toString());
      }
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(dir.toString());
        }
      }
    }
    Files.createDirectories(dir);
    Planner plan = Planner.library(options);
    for (String folder : plan.folders) {
      Files.createDirectory(dir.resolve(folder));
    }
    writeAll(dir, plan.files, options.effectiveThreads());
    SynthReport report = plan.report();
    report.write(dir);
    Map<String, Long> folderMtimes = folderMtimes(plan.files, plan.folders);
    long newest = folderMtimes.get("");
    Files.setLastModifiedTime(dir.resolve(SynthReport.FILE_NAME), FileTime.from(Instant.ofEpochSecond(newest)));
    setFolderMtimes(dir, folderMtimes);
    return report;
  }

  /**
   * {@link #mutate(Path, long, Instant)} with the current time (whole seconds) as the fresh mtime.
   *
   * @throws IOException if the library has no report or a change fails
   */
  public static Manifest mutate(Path dir, long seed) throws IOException {
    return mutate(dir, seed, Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  /**
   * Applies the delta scenario to a library made by {@link #generate}: adds {@link #ADDED_TRACKS}
   * tracks in new album folders (half of them, whole albums first, keep old mtimes inside the
   * library's original date range, as {@code rsync -a} would; the rest get mtime {@code now}), rewrites the tags of {@link #MODIFIED_TRACKS} visible tracks
   * (alternately a longer title, so a new size, and another year, so the same size; mtime {@code
   * now}) and deletes {@link #DELETED_TRACKS} visible tracks. Junk, hidden and side files are never
   * touched. Which tracks, what content and which mtimes depend only on the library, {@code seed} and
   * {@code now}. Updates the saved report and writes the manifest as {@link Manifest#fileName(long)}
   * in {@code dir} (both with mtime {@code now}); the mtimes of folders that held deleted or
   * modified tracks are left to the file system.
   *
   * @param dir the root of a library made by {@link #generate}
   * @param seed chooses the changes
   * @param now the mtime of fresh files; should be later than the library's last scan
   * @return the changes, with the mtimes set
   * @throws IOException if the library has no report or a change fails
   * @throws IllegalStateException if the JVM does not encode file names as UTF-8
   */
  public static Manifest mutate(Path dir, long seed, Instant now) throws IOException {
    return mutate(dir, seed, now, Changes.DEFAULT);
  }

  /**
   * {@link #mutate(Path, long, Instant)} with other counts: {@code changes.added()} tracks added
   * (half with old mtimes), {@code changes.modified()} rewritten (at most half the library),
   * {@code changes.deleted()} deleted (at most a tenth). A tiny library ({@link SynthReport#tiny()})
   * gets tiny files. {@link Changes#DEFAULT} is the delta scenario, byte for byte.
   *
   * @throws IOException if the library has no report or a change fails
   * @throws IllegalStateException if the JVM does not encode file names as UTF-8
   */
  public static Manifest mutate(Path dir, long seed, Instant now, Changes changes) throws IOException {
    checkFileNameEncoding();
    SynthReport report = SynthReport.read(dir);
    boolean tiny = report.tiny();
    SplittableRandom r = new SplittableRandom(TrackCodec.hash(seed, "mutate " + report.seed()));
    FileTime fresh = FileTime.from(Instant.ofEpochSecond(now.getEpochSecond()));

    List<SynthTrack> candidates = report.tracks();
    int deleteCount = Math.min(changes.deleted(), candidates.size() / 10);
    int modifyCount = Math.min(changes.modified(), candidates.size() / 2);
    int[] order = new int[candidates.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = 0; i < deleteCount + modifyCount; i++) {
      int j = i + r.nextInt(order.length - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    Map<String, SynthTrack> byPath = new TreeMap<>();
    candidates.forEach(t -> byPath.put(t.path(), t));
    Map<String, FileTime> mtimes = new TreeMap<>();
    List<String> deleted = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    for (int i = 0; i < deleteCount; i++) {
      SynthTrack t = candidates.get(order[i]);
      Files.delete(dir.resolve(t.path()));
      byPath.remove(t.path());
      deleted.add(t.path());
    }
    for (int i = deleteCount; i < deleteCount + modifyCount; i++) {
      SynthTrack t = candidates.get(order[i]);
      TrackTags tags = i % 2 == 0 ? t.tags().withTitle(t.tags().title() + " (Remastered)")
          : t.tags().withYear(t.tags().year() < 9000 ? t.tags().year() + 1 + r.nextInt(5) : 1999);
      SynthTrack changed = new SynthTrack(t.path(), t.format(), tags, t.coverBytes());
      Path file = dir.resolve(t.path());
      write(file, TrackCodec.encode(changed, report.seed(), tiny), StandardOpenOption.TRUNCATE_EXISTING);
      Files.setLastModifiedTime(file, fresh);
      byPath.put(t.path(), changed);
      modified.add(t.path());
      mtimes.put(t.path(), fresh);
    }

    Planner plan = new Planner(report.seed(), r, report.folders());
    Map<String, Planner.Artist> existing = new HashMap<>();
    for (SynthTrack t : candidates) {
      String artistDir = t.path().substring(0, t.path().indexOf('/'));
      if (!t.tags().albumArtist().equals(Planner.VARIOUS_ARTISTS)) {
        existing.putIfAbsent(artistDir, new Planner.Artist(artistDir, t.tags().albumArtist(), t.tags().genre()));
      }
    }
    List<Planner.Artist> artists = new ArrayList<>(new TreeMap<>(existing).values());
    List<Planner.Album> albums = new ArrayList<>();
    plan.tiny = tiny;
    for (int n : changes.added() == 0 ? List.<Integer>of() : Planner.albumSizes(r, changes.added())) {
      TrackFormat format = plan.nextFormat(n);
      plan.countFormat(format, n);
      Planner.Artist artist = null;
      if (!artists.isEmpty() && r.nextBoolean()) {
        artist = artists.get(r.nextInt(artists.size()));
      }
      while (artist == null) {
        artist = plan.newArtist(r, false);
      }
      long base = Planner.BASE_EPOCH_SECOND + r.nextLong(Planner.SPAN_SECONDS - 86_400);
      albums.add(plan.newAlbum(artist, format, n, 1, 0, base, null, null));
    }
    List<Planner.PlannedFile> added = new ArrayList<>();
    int index = 0;
    for (Planner.Album album : albums) {
      for (int i = 0; i < album.tracks.size(); i++) {
        SynthTrack t = album.tracks.get(i);
        boolean old = index++ < changes.added() / 2;
        long mtime = old ? album.mtimes.get(i) : fresh.toInstant().getEpochSecond();
        long librarySeed = report.seed();
        added.add(new Planner.PlannedFile(t.path(), mtime, () -> TrackCodec.encode(t, librarySeed, tiny)));
        mtimes.put(t.path(), FileTime.from(Instant.ofEpochSecond(mtime)));
        byPath.put(t.path(), t);
      }
    }
    Set<String> oldFolders = new HashSet<>(report.folders());
    List<String> newFolders = plan.folders.stream().filter(f -> !oldFolders.contains(f)).toList();
    for (String folder : newFolders) {
      // A library mutated many times (the scenario runner's, run after run) can hold a folder the
      // report no longer lists (emptied by earlier deletes): new tracks go into it all the same.
      Files.createDirectories(dir.resolve(folder));
    }
    writeAll(dir, added, 2);
    Map<String, Long> folderMtimes = folderMtimes(added, plan.folders);
    folderMtimes.keySet().retainAll(newFolders);
    setFolderMtimes(dir, folderMtimes);

    List<String> folders = new ArrayList<>(report.folders());
    folders.addAll(newFolders);
    new SynthReport(report.seed(), tiny, new ArrayList<>(byPath.values()), report.trashedTracks(), report.junk(),
        report.hidden(), report.sideFiles(), folders).write(dir);
    Manifest manifest = new Manifest(added.stream().map(Planner.PlannedFile::path).toList(), modified, deleted, mtimes);
    Path manifestFile = dir.resolve(Manifest.fileName(seed));
    manifest.write(manifestFile);
    Files.setLastModifiedTime(manifestFile, fresh);
    Files.setLastModifiedTime(dir.resolve(SynthReport.FILE_NAME), fresh);
    return manifest;
  }

  private static void checkFileNameEncoding() {
    String encoding = System.getProperty("sun.jnu.encoding", "");
    if (!encoding.equalsIgnoreCase("UTF-8") && !encoding.equalsIgnoreCase("UTF8")) {
      throw new IllegalStateException("file names would be written as " + encoding
          + ", not UTF-8: run the JVM with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
    }
  }

  private static void writeAll(Path dir, List<Planner.PlannedFile> files, int threads) throws IOException {
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
        Planner.PlannedFile f = files.get(i);
        Path path = dir.resolve(f.path());
        try {
          write(path, f.content().get(), StandardOpenOption.CREATE_NEW);
          Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(f.mtimeSecond())));
        } catch (IOException e) {
          throw new UncheckedIOException("writing " + path, e);
        }
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread t = new Thread(runnable, "synth-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(worker));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          next.set(files.size()); // stop the other workers
          if (e.getCause() instanceof UncheckedIOException u) {
            throw u.getCause();
          }
          throw new IllegalStateException("writer failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while writing " + dir);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes a whole file with as few write calls as the kernel allows (Files.write uses 8 KiB). */
  private static void write(Path path, byte[] bytes, StandardOpenOption mode) throws IOException {
    try (FileChannel channel = FileChannel.open(path, mode, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /** Each folder's mtime: the newest mtime of any file below it ("" is the root). */
  private static Map<String, Long> folderMtimes(List<Planner.PlannedFile> files, Set<String> folders) {
    Map<String, Long> mtimes = new TreeMap<>();
    mtimes.put("", Planner.BASE_EPOCH_SECOND);
    folders.forEach(f -> mtimes.put(f, Planner.BASE_EPOCH_SECOND));
    for (Planner.PlannedFile f : files) {
      String path = f.path();
      for (int slash = path.lastIndexOf('/'); ; slash = path.lastIndexOf('/', slash - 1)) {
        mtimes.merge(slash < 0 ? "" : path.substring(0, slash), f.mtimeSecond(), Math::max);
        if (slash < 0) {
          break;
        }
      }
    }
    return mtimes;
  }

  /** Sets folder mtimes, deepest first (a reverse path order visits children before parents). */
  private static void setFolderMtimes(Path dir, Map<String, Long> mtimes) throws IOException {
    List<String> order = new ArrayList<>(mtimes.keySet());
    order.sort(java.util.Comparator.reverseOrder());
    for (String folder : order) {
      Files.setLastModifiedTime(folder.isEmpty() ? dir : dir.resolve(folder),
          FileTime.from(Instant.ofEpochSecond(mtimes.get(folder))));
    }
  }
}
