package io.github.trackscan.synth;

import java.util.Objects;

/**
 * A visible non-audio file in an album folder; a scanner looking for audio extensions skips it.
 *
 * @param path the path relative to the library root, '/'-separated
 * @param kind what it is
 */
public record SideFile(String path, SideKind kind) {
  /** @throws NullPointerException for a null argument */
  public SideFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }
}
