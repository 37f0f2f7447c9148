package io.github.trackscan.walk;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a walk reports. Immutable; made by {@link #builder()}. Both walkers honour every option
 * identically.
 */
public final class WalkOptions {
  /** Longest path, relative to the root, that a walk reports (bytes of UTF-8). */
  public static final int PATH_BYTES_MAX = 4096;
  /** Most worker threads a walk may use. */
  public static final int THREADS_MAX = 64;
  /** Unlimited depth. */
  public static final int DEPTH_UNLIMITED = Integer.MAX_VALUE;

  /** The common audio extensions, lower case, without the dot. */
  public static final Set<String> AUDIO_EXTENSIONS = Set.of(
      "mp3", "mp2", "flac", "m4a", "m4b", "mp4", "aac", "alac", "ogg", "oga", "opus", "spx", "wav", "aiff",
      "aif", "aifc", "wma", "ape", "wv", "mpc", "tta", "dsf", "dff", "mka", "webm");

  private static final WalkOptions DEFAULTS = builder().build();

  private final Set<String> extensions;
  private final boolean includeHidden;
  private final boolean followSymlinks;
  private final int depthMax;
  private final int threads;
  private final boolean reportFolders;

  private WalkOptions(Builder builder) {
    this.extensions = Set.copyOf(builder.extensions);
    this.includeHidden = builder.includeHidden;
    this.followSymlinks = builder.followSymlinks;
    this.depthMax = builder.depthMax;
    this.threads = builder.threads;
    this.reportFolders = builder.reportFolders;
  }

  /** Audio files only, hidden names skipped, symlinks not followed, any depth, threads from cores. */
  public static WalkOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .extensions(extensions)
        .includeHidden(includeHidden)
        .followSymlinks(followSymlinks)
        .depthMax(depthMax)
        .threads(threads)
        .reportFolders(reportFolders);
  }

  /** Extensions reported, lower case without the dot; empty means every regular file. */
  public Set<String> extensions() {
    return extensions;
  }

  /** Whether names starting with '.' (including AppleDouble {@code ._x}) are walked. */
  public boolean includeHidden() {
    return includeHidden;
  }

  /** Whether symlinks to files and folders are followed (with loop detection). */
  public boolean followSymlinks() {
    return followSymlinks;
  }

  /** The deepest level reported: the root's own files are at depth 1. */
  public int depthMax() {
    return depthMax;
  }

  /**
   * Whether every folder listed to the end is reported too ({@link WalkVisitor#folder}: its own
   * mtime, device and inode, taken before its listing, and how many entries the listing held).
   * Off by default; a folder cache asks for it.
   */
  public boolean reportFolders() {
    return reportFolders;
  }

  /** Worker threads; 0 means one per available processor (capped at {@link #THREADS_MAX}). */
  public int threads() {
    return threads;
  }

  /** {@link #threads()} with 0 resolved to this machine's processors. */
  public int effectiveThreads() {
    if (threads > 0) {
      return threads;
    }
    return Math.min(THREADS_MAX, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /** Whether {@code name} (a file name, not a path) has one of the reported extensions. */
  public boolean matchesExtension(String name) {
    if (extensions.isEmpty()) {
      return true;
    }
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return false;
    }
    // ASCII-only lower-casing, as the native walker does: toLowerCase would map the Kelvin sign
    // (U+212A) to 'k' and match a name the native walker does not.
    String extension = name.substring(dot + 1);
    if (extension.length() > 32) {
      return false;
    }
    char[] lower = new char[extension.length()];
    for (int i = 0; i < lower.length; i++) {
      char c = extension.charAt(i);
      lower[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
    return extensions.contains(new String(lower));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WalkOptions other
        && extensions.equals(other.extensions)
        && includeHidden == other.includeHidden
        && followSymlinks == other.followSymlinks
        && depthMax == other.depthMax
        && threads == other.threads
        && reportFolders == other.reportFolders;
  }

  @Override
  public int hashCode() {
    return Objects.hash(extensions, includeHidden, followSymlinks, depthMax, threads, reportFolders);
  }

  @Override
  public String toString() {
    return "WalkOptions{extensions=" + new TreeSet<>(extensions) + ", includeHidden=" + includeHidden
        + ", followSymlinks=" + followSymlinks + ", depthMax=" + depthMax + ", threads=" + threads + ", reportFolders=" + reportFolders + '}';
  }

  /** Builds {@link WalkOptions}; every setter validates its argument at once. */
  public static final class Builder {
    private Set<String> extensions = AUDIO_EXTENSIONS;
    private boolean includeHidden;
    private boolean followSymlinks;
    private int depthMax = DEPTH_UNLIMITED;
    private int threads;
    private boolean reportFolders;

    private Builder() {}

    /**
     * The extensions to report (case-insensitive, with or without a leading dot); empty for every
     * regular file.
     *
     * @throws IllegalArgumentException for an extension that is empty or not ASCII letters and digits
     */
    public Builder extensions(Set<String> extensions) {
      Set<String> normalized = new TreeSet<>();
      for (String extension : Objects.requireNonNull(extensions, "extensions")) {
        String e = extension.startsWith(".") ? extension.substring(1) : extension;
        if (e.isEmpty() || e.length() > 32 || !e.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
          throw new IllegalArgumentException("not a file extension: '" + extension + "'");
        }
        normalized.add(e.toLowerCase(Locale.ROOT));
      }
      this.extensions = normalized;
      return this;
    }

    public Builder includeHidden(boolean includeHidden) {
      this.includeHidden = includeHidden;
      return this;
    }

    public Builder followSymlinks(boolean followSymlinks) {
      this.followSymlinks = followSymlinks;
      return this;
    }

    /** @throws IllegalArgumentException if negative */
    public Builder depthMax(int depthMax) {
      if (depthMax < 0) {
        throw new IllegalArgumentException("depthMax must be >= 0, got " + depthMax);
      }
      this.depthMax = depthMax;
      return this;
    }

    /** @throws IllegalArgumentException unless 0 (automatic) to {@link #THREADS_MAX} */
    public Builder threads(int threads) {
      if (threads < 0 || threads > THREADS_MAX) {
        throw new IllegalArgumentException("threads must be 0 (automatic) to " + THREADS_MAX + ", got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Whether folders are reported too (see {@link WalkOptions#reportFolders()}). */
    public Builder reportFolders(boolean reportFolders) {
      this.reportFolders = reportFolders;
      return this;
    }

    public WalkOptions build() {
      return new WalkOptions(this);
    }
  }
}
