package io.github.trackscan.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SynthLibrary#mutate} changed: relative paths ('/'-separated, as on disk) of tracks
 * added, modified (tags rewritten) and deleted, each list sorted. Immutable.
 *
 * <p>The file form ({@link #fileName(long)} in the library root, hidden) is UTF-8 with one line a
 * change, {@code ADDED|MODIFIED|DELETED}, a tab, then the path; added lines first, then modified,
 * then deleted. The mtimes mutate set are only in the returned object ({@link #mtimes()}); a
 * manifest read from a file has none, and equality ignores them.
 */
public final class Manifest {
  /** A kind of change. */
  public enum Change { ADDED, MODIFIED, DELETED }

  private final List<String> added;
  private final List<String> modified;
  private final List<String> deleted;
  private final Map<String, FileTime> mtimes;

  /**
   * A manifest; lists are copied and sorted.
   *
   * @param added paths of tracks added
   * @param modified paths of tracks whose tags were rewritten
   * @param deleted paths of tracks deleted
   * @param mtimes the mtime set on each added and modified path (may be empty)
   */
  public Manifest(List<String> added, List<String> modified, List<String> deleted, Map<String, FileTime> mtimes) {
    this.added = sortedCopy(added);
    this.modified = sortedCopy(modified);
    this.deleted = sortedCopy(deleted);
    this.mtimes = Collections.unmodifiableMap(new TreeMap<>(mtimes));
  }

  private static List<String> sortedCopy(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.sort(copy);
    return Collections.unmodifiableList(copy);
  }

  /** The manifest's file name for a mutation seed: {@code .trackscan-mutation-<seed>.tsv}. */
  public static String fileName(long seed) {
    return ".trackscan-mutation-" + seed + ".tsv";
  }

  /** Paths of added tracks, in new album folders. */
  public List<String> added() {
    return added;
  }

  /** Paths of tracks whose tags (so content) changed and whose mtime moved forward. */
  public List<String> modified() {
    return modified;
  }

  /** Paths of deleted tracks. */
  public List<String> deleted() {
    return deleted;
  }

  /** The paths of one kind of change. */
  public List<String> paths(Change change) {
    return switch (change) {
      case ADDED -> added;
      case MODIFIED -> modified;
      case DELETED -> deleted;
    };
  }

  /** The mtime mutate gave each added and modified path; empty for a manifest read from a file. */
  public Map<String, FileTime> mtimes() {
    return mtimes;
  }

  /**
   * Reads a manifest file.
   *
   * @throws IOException if it cannot be read or has a malformed line
   */
  public static Manifest read(Path file) throws IOException {
    List<String> a = new ArrayList<>();
    List<String> m = new ArrayList<>();
    List<String> d = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      int tab = line.indexOf('\t');
      Change change;
      try {
        change = Change.valueOf(tab < 0 ? line : line.substring(0, tab));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + (n + 1) + ": not a manifest line: " + line, e);
      }
      if (tab < 0 || tab == line.length() - 1) {
        throw new IOException(file + ":" + (n + 1) + ": no path: " + line);
      }
      String path = line.substring(tab + 1);
      switch (change) {
        case ADDED -> a.add(path);
        case MODIFIED -> m.add(path);
        case DELETED -> d.add(path);
      }
    }
    return new Manifest(a, m, d, Map.of());
  }

  /**
   * Writes this manifest to {@code file} in the form described above.
   *
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    StringBuilder s = new StringBuilder();
    for (Change change : Change.values()) {
      for (String path : paths(change)) {
        s.append(change).append('\t').append(path).append('\n');
      }
    }
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest other && added.equals(other.added) && modified.equals(other.modified)
        && deleted.equals(other.deleted);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(added, modified, deleted);
  }

  @Override
  public String toString() {
    return "Manifest{added=" + added.size() + ", modified=" + modified.size() + ", deleted=" + deleted.size() + '}';
  }
}
