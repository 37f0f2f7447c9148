package io.github.trackscan.scan;

import io.github.trackscan.store.Library;
import java.nio.file.Path;

/**
 * What one walk of a scan covers: a whole root (a full scan), or one folder of a root, alone or
 * with everything below it (Scanner.scanFolders). The diff keys rows by path relative to the unit.
 *
 * @param root the index of the scanner root the folder lies in
 * @param folder the folder walked
 * @param prefix the folder's path with a trailing '/'
 * @param relative the folder's path relative to its root, with a trailing '/' ("" for the root)
 * @param recursive whether the folders below are walked too
 */
record Unit(int root, Path folder, String prefix, String relative, boolean recursive) {
  static Unit of(int root, Path rootPath, Path folder, boolean recursive) {
    String relative = rootPath.equals(folder) ? "" : Library.prefixOf(rootPath.relativize(folder));
    return new Unit(root, folder, Library.prefixOf(folder), relative, recursive);
  }
}
