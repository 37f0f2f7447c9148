package io.github.trackscan.synth;

import java.util.Objects;

/**
 * One valid audio file the generator wrote.
 *
 * @param path the path relative to the library root, '/'-separated, exactly as written on disk
 *     (the name may be NFD while the tags are NFC)
 * @param format how it is encoded
 * @param tags the tags it carries
 * @param coverBytes the size of the embedded cover image in bytes, 0 when there is none
 */
public record SynthTrack(String path, TrackFormat format, TrackTags tags, int coverBytes) {
  /** @throws IllegalArgumentException for a cover in a format that cannot carry one */
  public SynthTrack {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(tags, "tags");
    if (coverBytes < 0 || (coverBytes > 0 && !format.supportsCover())) {
      throw new IllegalArgumentException("bad cover size " + coverBytes + " for " + format);
    }
  }

  /** Whether the file has an embedded cover. */
  public boolean hasCover() {
    return coverBytes > 0;
  }
}
