package io.github.trackscan.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything {@link SynthLibrary#generate} wrote, by kind, with exact relative paths ('/'-separated,
 * the exact Unicode form written on disk, NFD where the name is NFD). Immutable; every list is sorted
 * by path. The report and manifest files themselves ({@link #FILE_NAME}, {@link Manifest}) are not
 * listed.
 *
 * <p>{@link #generate} also saves it as the hidden file {@link #FILE_NAME} in the library root and
 * {@link SynthLibrary#mutate} keeps that file up to date, so {@link #read(Path)} recomputes the
 * expected catalogue of an existing library.
 */
public final class SynthReport {
  /** The report's file name in the library root (hidden, so scanners skip it). */
  public static final String FILE_NAME = ".trackscan-synth.tsv";
  private static final String HEADER = "# trackscan synthetic library report v1";
  private static final Comparator<SynthTrack> BY_PATH = Comparator.comparing(SynthTrack::path);

  private final long seed;
  private final boolean tiny;
  private final List<SynthTrack> tracks;
  private final List<SynthTrack> trashedTracks;
  private final List<JunkFile> junk;
  private final List<HiddenFile> hidden;
  private final List<SideFile> sideFiles;
  private final List<String> folders;
  private final Map<String, SynthTrack> byPath = new java.util.HashMap<>();

  /**
   * A report; the lists are copied and sorted by path.
   *
   * @param seed the library's seed
   * @param tracks valid audio files at visible paths
   * @param trashedTracks valid audio files at hidden paths (also listed in {@code hidden})
   * @param junk broken files with audio extensions at visible paths
   * @param hidden every file with a hidden path component
   * @param sideFiles visible non-audio files
   * @param folders every folder below the root, visible or hidden
   */
  public SynthReport(long seed, List<SynthTrack> tracks, List<SynthTrack> trashedTracks,
      List<JunkFile> junk, List<HiddenFile> hidden, List<SideFile> sideFiles, List<String> folders) {
    this(seed, false, tracks, trashedTracks, junk, hidden, sideFiles, folders);
  }

  /**
   * A report of a library written with {@link SynthOptions#tiny()} or not; otherwise as
   * {@link #SynthReport(long, List, List, List, List, List, List)}.
   */
  public SynthReport(long seed, boolean tiny, List<SynthTrack> tracks, List<SynthTrack> trashedTracks,
      List<JunkFile> junk, List<HiddenFile> hidden, List<SideFile> sideFiles, List<String> folders) {
    this.seed = seed;
    this.tiny = tiny;
    this.tracks = sorted(tracks, BY_PATH);
    this.trashedTracks = sorted(trashedTracks, BY_PATH);
    this.junk = sorted(junk, Comparator.comparing(JunkFile::path));
    this.hidden = sorted(hidden, Comparator.comparing(HiddenFile::path));
    this.sideFiles = sorted(sideFiles, Comparator.comparing(SideFile::path));
    this.folders = sorted(folders, Comparator.naturalOrder());
    this.trashedTracks.forEach(t -> byPath.put(t.path(), t));
    this.tracks.forEach(t -> byPath.put(t.path(), t));
  }

  private static <T> List<T> sorted(List<T> list, Comparator<? super T> order) {
    List<T> copy = new ArrayList<>(list);
    copy.sort(order);
    return Collections.unmodifiableList(copy);
  }

  /** The seed the library was generated from. */
  public long seed() {
    return seed;
  }

  /** Whether the library's files are tiny ({@link SynthOptions#tiny()}); its mutations are too. */
  public boolean tiny() {
    return tiny;
  }

  /** Valid, tagged audio files at visible paths: what a scanner should parse successfully. */
  public List<SynthTrack> tracks() {
    return tracks;
  }

  /** The visible tracks of one format. */
  public List<SynthTrack> tracks(TrackFormat format) {
    return tracks.stream().filter(t -> t.format() == format).toList();
  }

  /** Visible track counts by format (every format present as a key). */
  public Map<TrackFormat, Integer> trackCounts() {
    Map<TrackFormat, Integer> counts = new EnumMap<>(TrackFormat.class);
    for (TrackFormat f : TrackFormat.values()) {
      counts.put(f, 0);
    }
    tracks.forEach(t -> counts.merge(t.format(), 1, Integer::sum));
    return Collections.unmodifiableMap(counts);
  }

  /** Valid, tagged audio files in the trash ({@code .Trash-1000/files/}); hidden, so not catalogued. */
  public List<SynthTrack> trashedTracks() {
    return trashedTracks;
  }

  /** Broken files with audio extensions at visible paths: catalogued, and expected to fail parsing. */
  public List<JunkFile> junk() {
    return junk;
  }

  /** Every file with a hidden path component, including {@link #trashedTracks()}. */
  public List<HiddenFile> hidden() {
    return hidden;
  }

  /** The hidden files of one kind. */
  public List<HiddenFile> hidden(HiddenKind kind) {
    return hidden.stream().filter(h -> h.kind() == kind).toList();
  }

  /** The AppleDouble {@code ._x} twins beside tracks. */
  public List<HiddenFile> appleDoubleTwins() {
    return hidden(HiddenKind.APPLE_DOUBLE_TWIN);
  }

  /** Visible non-audio files (images, cue sheets, logs, playlists, nfo). */
  public List<SideFile> sideFiles() {
    return sideFiles;
  }

  /** Every folder below the root (artist, album, and hidden ones such as {@code .AppleDouble}). */
  public List<String> folders() {
    return folders;
  }

  /** The paths a scanner walking visible files with audio extensions should catalogue: tracks and junk. */
  public SortedSet<String> expectedCatalogue() {
    SortedSet<String> paths = new TreeSet<>();
    tracks.forEach(t -> paths.add(t.path()));
    junk.forEach(j -> paths.add(j.path()));
    return Collections.unmodifiableSortedSet(paths);
  }

  /** The catalogued paths whose parsing should fail: the junk. */
  public SortedSet<String> expectedParseFailures() {
    SortedSet<String> paths = new TreeSet<>();
    junk.forEach(j -> paths.add(j.path()));
    return Collections.unmodifiableSortedSet(paths);
  }

  /** Every file listed: tracks, junk, hidden (with trashed tracks) and side files. */
  public SortedSet<String> allFiles() {
    SortedSet<String> paths = new TreeSet<>(expectedCatalogue());
    hidden.forEach(h -> paths.add(h.path()));
    sideFiles.forEach(s -> paths.add(s.path()));
    return Collections.unmodifiableSortedSet(paths);
  }

  /** The track listed at {@code path}, visible or trashed, or null. */
  public SynthTrack track(String path) {
    return byPath.get(path);
  }

  /** How many files are listed ({@link #allFiles()}), not counting the report itself. */
  public int fileCount() {
    return tracks.size() + junk.size() + hidden.size() + sideFiles.size();
  }

  /** How many folders are listed, not counting the root. */
  public int folderCount() {
    return folders.size();
  }

  /**
   * Reads the report saved in a library's root.
   *
   * @param root the library root given to {@link SynthLibrary#generate}
   * @throws IOException if the file cannot be read or is not a report
   */
  public static SynthReport read(Path root) throws IOException {
    Path file = root.resolve(FILE_NAME);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IOException("not a synthetic library report: " + file);
    }
    Long seed = null;
    boolean tiny = false;
    List<SynthTrack> tracks = new ArrayList<>();
    List<SynthTrack> trashed = new ArrayList<>();
    List<JunkFile> junk = new ArrayList<>();
    List<HiddenFile> hidden = new ArrayList<>();
    List<SideFile> side = new ArrayList<>();
    List<String> folders = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      String[] f = lines.get(n).split("\t", -1);
      try {
        switch (f[0]) {
          case "SEED" -> seed = Long.parseLong(f[1]);
          case "TINY" -> tiny = Boolean.parseBoolean(f[1]);
          case "FOLDER" -> folders.add(f[1]);
          case "TRACK" -> tracks.add(parseTrack(f));
          case "TRASHED" -> trashed.add(parseTrack(f));
          case "JUNK" -> junk.add(new JunkFile(f[1], JunkKind.valueOf(f[2])));
          case "HIDDEN" -> hidden.add(new HiddenFile(f[1], HiddenKind.valueOf(f[2])));
          case "SIDE" -> side.add(new SideFile(f[1], SideKind.valueOf(f[2])));
          default -> throw new IllegalArgumentException("unknown record " + f[0]);
        }
      } catch (RuntimeException e) {
        throw new IOException(file + ":" + (n + 1) + ": bad line: " + e.getMessage(), e);
      }
    }
    if (seed == null) {
      throw new IOException("no SEED line in " + file);
    }
    return new SynthReport(seed, tiny, tracks, trashed, junk, hidden, side, folders);
  }

  private static SynthTrack parseTrack(String[] f) {
    if (f.length != 14) {
      throw new IllegalArgumentException("expected 14 fields, got " + f.length);
    }
    TrackTags tags = new TrackTags(f[4], f[5], f[6], f[7], Integer.parseInt(f[8]),
        Integer.parseInt(f[9]), Integer.parseInt(f[10]), Integer.parseInt(f[11]),
        Integer.parseInt(f[12]), f[13]);
    return new SynthTrack(f[1], TrackFormat.valueOf(f[2]), tags, Integer.parseInt(f[3]));
  }

  /**
   * Saves this report as {@link #FILE_NAME} in {@code root} (UTF-8, one tab-separated record a line).
   *
   * @throws IOException if it cannot be written
   */
  public void write(Path root) throws IOException {
    StringBuilder s = new StringBuilder(256 * (tracks.size() + 16));
    s.append(HEADER).append('\n').append("SEED\t").append(seed).append('\n');
    if (tiny) {
      s.append("TINY\ttrue\n");
    }
    folders.forEach(f -> s.append("FOLDER\t").append(f).append('\n'));
    tracks.forEach(t -> appendTrack(s, "TRACK", t));
    trashedTracks.forEach(t -> appendTrack(s, "TRASHED", t));
    junk.forEach(j -> s.append("JUNK\t").append(j.path()).append('\t').append(j.kind()).append('\n'));
    hidden.forEach(h -> s.append("HIDDEN\t").append(h.path()).append('\t').append(h.kind()).append('\n'));
    sideFiles.forEach(f -> s.append("SIDE\t").append(f.path()).append('\t').append(f.kind()).append('\n'));
    Files.writeString(root.resolve(FILE_NAME), s, StandardCharsets.UTF_8);
  }

  private static void appendTrack(StringBuilder s, String record, SynthTrack t) {
    TrackTags g = t.tags();
    s.append(record).append('\t').append(t.path()).append('\t').append(t.format()).append('\t')
        .append(t.coverBytes()).append('\t').append(g.title()).append('\t').append(g.artist())
        .append('\t').append(g.album()).append('\t').append(g.albumArtist()).append('\t')
        .append(g.track()).append('\t').append(g.trackTotal()).append('\t').append(g.disc())
        .append('\t').append(g.discTotal()).append('\t').append(g.year()).append('\t')
        .append(g.genre()).append('\n');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SynthReport r && seed == r.seed && tiny == r.tiny && tracks.equals(r.tracks)
        && trashedTracks.equals(r.trashedTracks) && junk.equals(r.junk) && hidden.equals(r.hidden)
        && sideFiles.equals(r.sideFiles) && folders.equals(r.folders);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(seed, tiny, tracks, trashedTracks, junk, hidden, sideFiles, folders);
  }

  @Override
  public String toString() {
    return "SynthReport{seed=" + seed + ", tiny=" + tiny + ", tracks=" + trackCounts() + ", trashed=" + trashedTracks.size()
        + ", junk=" + junk.size() + ", hidden=" + hidden.size() + ", side=" + sideFiles.size()
        + ", folders=" + folders.size() + '}';
  }
}
