package io.github.trackscan.walk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/*
 * A file's device and inode for the pure-Java walker, taken from the BasicFileAttributes its one
 * stat already returned. java.nio hands them out only through the "unix:" view, and every read of
 * that view parses its attribute list and fills a HashMap of boxed values: in a JFR profile of a
 * no-op rescan of a million files, about a third of the NIO walk threads' samples. The JDK's file
 * key on Unix (sun.nio.fs.UnixFileKey, the same st_dev and st_ino) prints as
 * "(dev=<hex>,ino=<decimal>)", unchanged since Java 7; that text is read here. A key that does not
 * read exactly so (another JDK, another platform) sends the file to the unix view, with a stat of
 * its own, so the records are the same either way (FileIdsTest holds both to each other).
 */
final class FileIds {
  private FileIds() {}

  private static final String UNIX_IDS = "unix:dev,ino";
  private static final String DEV = "(dev=";
  private static final String INO = ",ino=";

  /**
   * The record of {@code file}, a regular file whose attributes are {@code attributes}.
   *
   * @param follow whether {@code attributes} were read following a symbolic link
   * @throws IOException only when the file key does not parse and the unix view's read fails
   */
  static WalkEntry entry(String relative, Path file, BasicFileAttributes attributes, boolean follow, EntryKind kind)
      throws IOException {
    long[] ids = ids(file, attributes, follow);
    return new WalkEntry(relative, attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size(), ids[0],
        ids[1], kind);
  }

  /** Device and inode of {@code path} (a file or a folder) whose attributes are {@code attributes}. */
  static long[] ids(Path path, BasicFileAttributes attributes, boolean follow) throws IOException {
    String key = String.valueOf(attributes.fileKey());
    int ino = inoAt(key);
    if (ino > 0) {
      try {
        return new long[] {device(key, ino), inode(key, ino)};
      } catch (NumberFormatException e) {
        // Not the text expected after all: the unix view below.
      }
    }
    return unixIds(path, follow);
  }

  /** Device and inode through the unix view: a stat and a map, for keys that do not tell them. */
  private static long[] unixIds(Path path, boolean follow) throws IOException {
    Map<String, Object> ids = follow ? Files.readAttributes(path, UNIX_IDS)
        : Files.readAttributes(path, UNIX_IDS, LinkOption.NOFOLLOW_LINKS);
    return new long[] {(Long) ids.get("dev"), (Long) ids.get("ino")};
  }

  /** Where ",ino=" starts in a key of the form "(dev=H,ino=D)", or -1 for any other key. */
  static int inoAt(String key) {
    int ino = key.indexOf(INO);
    return key.startsWith(DEV) && ino > DEV.length() && key.endsWith(")") && ino + INO.length() < key.length() - 1
        ? ino : -1;
  }

  private static long device(String key, int ino) {
    return Long.parseUnsignedLong(key, DEV.length(), ino, 16);
  }

  private static long inode(String key, int ino) {
    return Long.parseLong(key, ino + INO.length(), key.length() - 1, 10);
  }
}
