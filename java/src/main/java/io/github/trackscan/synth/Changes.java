package io.github.trackscan.synth;

/**
 * How many tracks {@link SynthLibrary#mutate(java.nio.file.Path, long, java.time.Instant, Changes)}
 * adds, rewrites the tags of and deletes. Immutable.
 *
 * @param added tracks added in new album folders, at least 0
 * @param modified tracks whose tags are rewritten, at least 0 (at most half the library is)
 * @param deleted tracks deleted, at least 0 (at most a tenth of the library is)
 */
public record Changes(int added, int modified, int deleted) {
  /** The delta scenario of FACTS.md: 200 added, 200 rewritten, 10 deleted (about 1% of 41,000). */
  public static final Changes DEFAULT = new Changes(200, 200, 10);

  /**
   * @throws IllegalArgumentException if a count is negative
   */
  public Changes {
    if (added < 0 || modified < 0 || deleted < 0) {
      throw new IllegalArgumentException("change counts must be >= 0, got " + added + "/" + modified + "/" + deleted);
    }
  }

  /**
   * {@code percent} of a library's {@code tracks} changed in the proportions of {@link #DEFAULT}
   * (20:20:1): half of them added, half rewritten, and a twentieth of that many deleted on top
   * (rounded; 1% of 41,000 is 205 / 205 / 10, 1% of 1,000,000 is 5,000 / 5,000 / 250).
   *
   * @param percent more than 0, at most 100
   * @param tracks the library's visible tracks, at least 0
   * @throws IllegalArgumentException if {@code percent} is out of range or not a number
   */
  public static Changes percent(double percent, int tracks) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("changes must be more than 0 and at most 100 percent, got " + percent);
    }
    if (tracks < 0) {
      throw new IllegalArgumentException("tracks must be >= 0, got " + tracks);
    }
    long half = Math.round(tracks * percent / 200);
    long deleted = Math.round(tracks * percent / 4000);
    return new Changes((int) half, (int) half, (int) deleted);
  }
}
