package io.github.trackscan.scan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a scan went over one root: in full, or quickly from its folder cache ({@link QuickMode}).
 *
 * @param root the root, absolute
 * @param mode full or quick
 * @param reason why, in a few words (for a full scan of a root that could have been quick: no
 *     cache yet, the forced full scan of {@code --full-every}, a root not as its cache has it...)
 * @param foldersChecked folders of the cache stat-ed (quick only; 0 for a full scan)
 * @param foldersListed folders listed again because they changed or are new (quick only)
 */
public record RootScan(Path root, Mode mode, String reason, long foldersChecked, long foldersListed) {
  public RootScan {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(reason, "reason");
  }

  /** Full or quick. */
  public enum Mode {
    /** Every folder listed, every file's fingerprint compared. */
    FULL,
    /** Only the folders whose own mtime changed since the folder cache recorded them listed. */
    QUICK
  }
}
