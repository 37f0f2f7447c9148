package io.github.trackscan.synth;

import java.util.Objects;

/**
 * A broken file with an audio extension, in an album folder beside valid tracks. A scanner should
 * catalogue it (it is visible and has an audio extension) and fail to parse it.
 *
 * @param path the path relative to the library root, '/'-separated
 * @param kind how it is broken
 */
public record JunkFile(String path, JunkKind kind) {
  /** @throws NullPointerException for a null argument */
  public JunkFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }
}
