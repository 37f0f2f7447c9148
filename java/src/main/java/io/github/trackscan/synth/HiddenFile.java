package io.github.trackscan.synth;

import java.util.Objects;

/**
 * A file a scanner should skip because its path is hidden.
 *
 * @param path the path relative to the library root, '/'-separated
 * @param kind what it is
 */
public record HiddenFile(String path, HiddenKind kind) {
  /** @throws NullPointerException for a null argument */
  public HiddenFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
  }

  /** Whether the file's name has an audio extension (so only its hidden path keeps it out). */
  public boolean hasAudioExtension() {
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') + 1
        && io.github.trackscan.walk.WalkOptions.AUDIO_EXTENSIONS.contains(path.substring(dot + 1));
  }
}
