package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NIO walker's device and inode: read from the file key, the same as the unix view's, whatever the key says. */
final class FileIdsTest {
  @TempDir Path dir;

  private static long[] unixView(Path path, LinkOption... options) throws IOException {
    Map<String, Object> ids = Files.readAttributes(path, "unix:dev,ino", options);
    return new long[] {(Long) ids.get("dev"), (Long) ids.get("ino")};
  }

  @Test
  void entry_fileFolderAndLinkHaveTheUnixViewsIds() throws IOException {
    Path file = Files.write(dir.resolve("a.flac"), new byte[] {1, 2, 3});
    Path other = Files.write(dir.resolve("b.flac"), new byte[] {4});
    Path link = Files.createSymbolicLink(dir.resolve("link.flac"), other);
    Path folder = Files.createDirectory(dir.resolve("album"));

    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    assertTrue(FileIds.inoAt(a.fileKey().toString()) > 0, "this JDK's key is read, not sent to the view: " + a.fileKey());
    WalkEntry e = FileIds.entry("a.flac", file, a, false, EntryKind.FILE);
    assertArrayEquals(unixView(file, LinkOption.NOFOLLOW_LINKS), new long[] {e.device(), e.inode()});
    assertEquals(3, e.sizeBytes());
    assertEquals(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), e.mtimeNs());

    BasicFileAttributes target = Files.readAttributes(link, BasicFileAttributes.class);
    WalkEntry l = FileIds.entry("link.flac", link, target, true, EntryKind.SYMLINK_FILE);
    assertArrayEquals(unixView(other), new long[] {l.device(), l.inode()}, "a followed link: its target's ids");

    assertArrayEquals(unixView(folder),
        FileIds.ids(folder, Files.readAttributes(folder, BasicFileAttributes.class), true));
  }

  @Test
  void entry_keyOfAnotherFormGoesToTheUnixView() throws IOException {
    Path file = Files.write(dir.resolve("a.flac"), new byte[] {1});
    long[] expected = unixView(file, LinkOption.NOFOLLOW_LINKS);
    for (String key : new String[] {"null", "", "(dev=,ino=5)", "(dev=1a,ino=)", "(dev=1a,ino=5", "dev=1a,ino=5)",
        "(dev=xyz,ino=5)", "(dev=1a,ino=5x)", "(dev=1a,ino=99999999999999999999)", "(ino=5,dev=1a)"}) {
      WalkEntry e = FileIds.entry("a.flac", file, withKey(key), false, EntryKind.FILE);
      assertArrayEquals(expected, new long[] {e.device(), e.inode()}, key);
    }
  }

  @Test
  void entry_keyTextIsReadAsUnsignedHexDeviceAndDecimalInode() throws IOException {
    Path file = dir.resolve("not-there.flac"); // Never read: the key is enough.
    WalkEntry e = FileIds.entry("x.flac", file, withKey("(dev=ffffffffffffffff,ino=-2)"), false, EntryKind.FILE);
    assertEquals(-1L, e.device());
    assertEquals(-2L, e.inode());
    WalkEntry f = FileIds.entry("x.flac", file, withKey("(dev=803,ino=1234567)"), false, EntryKind.FILE);
    assertEquals(0x803L, f.device());
    assertEquals(1234567L, f.inode());
  }

  /** Attributes whose file key prints as {@code text}: null prints "null", as String.valueOf has it. */
  private static BasicFileAttributes withKey(String text) {
    Object key = text.equals("null") ? null : new Object() {
      @Override
      public String toString() {
        return text;
      }
    };
    return new BasicFileAttributes() {
      @Override public FileTime lastModifiedTime() { return FileTime.fromMillis(1_000); }
      @Override public FileTime lastAccessTime() { return FileTime.fromMillis(1_000); }
      @Override public FileTime creationTime() { return FileTime.fromMillis(1_000); }
      @Override public boolean isRegularFile() { return true; }
      @Override public boolean isDirectory() { return false; }
      @Override public boolean isSymbolicLink() { return false; }
      @Override public boolean isOther() { return false; }
      @Override public long size() { return 1; }
      @Override public Object fileKey() { return key; }
    };
  }
}
