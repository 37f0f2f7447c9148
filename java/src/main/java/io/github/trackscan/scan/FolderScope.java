package io.github.trackscan.scan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A folder for {@link Scanner#scanFolders} to scan: alone (its own files, as after a file in it
 * changed) or with everything below it (as after a folder was created, moved in or deleted).
 *
 * @param folder an absolute folder at or below one of the scanner's roots
 * @param recursive whether the folders below it are scanned too
 */
public record FolderScope(Path folder, boolean recursive) {
  public FolderScope {
    folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
  }

  /** The folder's own files. */
  public static FolderScope of(Path folder) {
    return new FolderScope(folder, false);
  }

  /** The folder and everything below it. */
  public static FolderScope below(Path folder) {
    return new FolderScope(folder, true);
  }

  /** Whether this scope covers {@code other} entirely. */
  public boolean covers(FolderScope other) {
    if (recursive) {
      return other.folder.startsWith(folder);
    }
    return !other.recursive && other.folder.equals(folder);
  }
}
