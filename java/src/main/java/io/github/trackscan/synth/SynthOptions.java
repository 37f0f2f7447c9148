package io.github.trackscan.synth;

/**
 * What {@link SynthLibrary#generate} makes. Immutable; made by {@link #builder()}. The library's
 * content, names and mtimes depend only on {@link #tracks()} and {@link #seed()}; {@link #threads()}
 * only changes how fast it is written.
 */
public final class SynthOptions {
  /** Tracks in the reference library of FACTS.md. */
  public static final int REFERENCE_TRACKS = 41_000;
  /** Most tracks one library may have. */
  public static final int TRACKS_MAX = 1_000_000;
  /** Most writer threads. */
  public static final int THREADS_MAX = 64;

  private final int tracks;
  private final long seed;
  private final int threads;
  private final boolean tiny;

  private SynthOptions(Builder builder) {
    this.tracks = builder.tracks;
    this.seed = builder.seed;
    this.threads = builder.threads;
    this.tiny = builder.tiny;
  }

  /** A builder starting from {@link #REFERENCE_TRACKS} tracks, seed 1 and automatic threads. */
  public static Builder builder() {
    return new Builder();
  }

  /** Valid tracks written (junk, hidden and trashed files come on top). */
  public int tracks() {
    return tracks;
  }

  /** The seed every name, byte and mtime derives from. */
  public long seed() {
    return seed;
  }

  /**
   * Whether files are as small as they can be while staying valid: every embedded cover and cover
   * image the smallest valid JPEG (at the same rate and in the same places), MP3s with a few audio
   * frames. Names, folders, tags, junk and mtimes are those of the full-size library of the same
   * tracks and seed, so a million-track library fits in a few GB.
   */
  public boolean tiny() {
    return tiny;
  }

  /** Writer threads; 0 means one per available processor (at most 8). */
  public int threads() {
    return threads;
  }

  /** {@link #threads()} with 0 resolved for this machine. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Math.min(8, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  @Override
  public String toString() {
    return "SynthOptions{tracks=" + tracks + ", seed=" + seed + ", threads=" + threads + ", tiny=" + tiny + '}';
  }

  /** Builds {@link SynthOptions}; every setter validates its argument at once. */
  public static final class Builder {
    private int tracks = REFERENCE_TRACKS;
    private long seed = 1;
    private int threads;
    private boolean tiny;

    private Builder() {}

    /** Smallest valid files (see {@link SynthOptions#tiny()}); default false. */
    public Builder tiny(boolean tiny) {
      this.tiny = tiny;
      return this;
    }

    /**
     * Valid tracks to write.
     *
     * @throws IllegalArgumentException unless 1 to {@link #TRACKS_MAX}
     */
    public Builder tracks(int tracks) {
      if (tracks < 1 || tracks > TRACKS_MAX) {
        throw new IllegalArgumentException("tracks must be 1 to " + TRACKS_MAX + ", got " + tracks);
      }
      this.tracks = tracks;
      return this;
    }

    /** The seed; any value. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Writer threads.
     *
     * @throws IllegalArgumentException unless 0 (automatic) to {@link #THREADS_MAX}
     */
    public Builder threads(int threads) {
      if (threads < 0 || threads > THREADS_MAX) {
        throw new IllegalArgumentException("threads must be 0 (automatic) to " + THREADS_MAX + ", got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** The options. */
    public SynthOptions build() {
      return new SynthOptions(this);
    }
  }
}
