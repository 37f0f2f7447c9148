package io.github.trackscan.watch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Lists the folders of a tree, each before its subfolders (so a watch is on a folder before the
 * folders below it are listed), without following symbolic links, skipping hidden names unless
 * asked, as the walkers do.
 *
 * <p>It stats as little as it can: on the usual Linux file systems a folder's link count is 2
 * plus its subfolders, so a folder with a link count of 2 (an album: files only) is not listed at
 * all, and the names of one with subfolders are stat'ed only until that many are found. Where the
 * count says nothing (btrfs and many FUSE file systems report 1), every name is checked.
 */
final class Folders {
  /** File systems whose folders' link counts are 2 plus their subfolders. */
  static final java.util.Set<String> LINK_COUNTING = java.util.Set.of("ext2", "ext3", "ext4", "xfs", "tmpfs");

  private Folders() {}

  /**
   * Calls {@code visit} with {@code top} and every folder below it. Unreadable folders are skipped.
   *
   * @param linkCounts whether the file system's link counts can be trusted (see LINK_COUNTING)
   */
  static void forEach(Path top, boolean includeHidden, boolean linkCounts, Consumer<Path> visit) {
    Deque<Path> stack = new ArrayDeque<>();
    stack.push(top);
    while (!stack.isEmpty()) {
      Path folder = stack.pop();
      visit.accept(folder);
      long subfolders = linkCounts ? subfolders(folder) : -1;
      if (subfolders == 0) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
        long found = 0;
        for (Path entry : entries) {
          if (!includeHidden && entry.getFileName().toString().startsWith(".")) {
            if (subfolders > 0 && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
              found++; // Still one of the links counted.
            }
          } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            stack.push(entry);
            found++;
          }
          if (subfolders > 0 && found == subfolders) {
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // Unreadable or gone: the scan reports it; there is nothing below to watch.
      }
    }
  }

  /** The subfolders the link count promises, or -1 when it promises nothing. */
  private static long subfolders(Path folder) {
    try {
      long links = ((Number) Files.getAttribute(folder, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
      return links >= 2 ? links - 2 : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
