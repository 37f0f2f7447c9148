package io.github.trackscan.tags;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/*
 * What recognises a file's content when its inode does not: a copy restored from a backup, a
 * folder moved to another disk or re-copied by a sync tool. Never a hash of the whole file: a
 * rescan of a reorganised library must cost a few KiB per file, not the library's gigabytes.
 *
 * The key is CRC-32C of the first EDGE_BYTES (the tag, whose text differs from track to track)
 * in its high half and CRC-32C of the last EDGE_BYTES (the end of the audio, or an ID3v1 or APE
 * tag) in its low half, compared together with the size: two different files of the same size
 * share it with a chance of about 2^-64, and a shared key is never trusted alone (see
 * MoveMatcher: two candidates are ambiguous and are not guessed). CRC-32C is a JDK intrinsic.
 * A file of at most 2 * EDGE_BYTES is hashed whole, head and tail without overlap.
 *
 * It lives with the tag readers because it is read with them: MemoryTagReader takes the head from
 * the bytes it reads anyway and the tail with one more positional read on the same open file (none
 * for a file that fits its head buffer), so an import pays no extra open.
 */
public final class ContentKey {
  private ContentKey() {}

  /** Bytes hashed at each end of the file. */
  public static final int EDGE_BYTES = 4096;

  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(EDGE_BYTES));
  private static final ThreadLocal<byte[]> ARRAY = ThreadLocal.withInitial(() -> new byte[EDGE_BYTES]);

  /**
   * The key of {@code file} as it is now, read with two positional reads.
   *
   * @param sizeBytes the size the walk saw; a file of another size now has another key
   * @return the key, or {@code null} when the file cannot be read or is no longer that size
   */
  public static Long read(Path file, long sizeBytes) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != sizeBytes) {
        return null;
      }
      ByteBuffer buffer = BUFFER.get();
      return key(sizeBytes, (position, length) -> crc(channel, buffer, position, length));
    } catch (IOException | RuntimeException e) {
      return null; // Unreadable or gone: no key, so the file is never matched by content.
    }
  }

  /**
   * The key of the file {@code path} names as Java text names files (a path whose name bytes are
   * not UTF-8 needs {@link #read(Path, long)}), as {@link #read(Path, long)} reads it, opened as a
   * RandomAccessFile: a FileChannel and its Path cost 600 bytes of heap an open, 25 MB for the 41k
   * files of a reorganised library (the largest part of what such a rescan allocated after its
   * paths), this about 200.
   */
  public static Long read(String path, long sizeBytes) {
    try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
      if (file.length() != sizeBytes) {
        return null;
      }
      byte[] buffer = ARRAY.get();
      return key(sizeBytes, (position, length) -> crc(file, buffer, position, length));
    } catch (IOException | RuntimeException e) {
      return null; // Unreadable or gone: no key, so the file is never matched by content.
    }
  }

  /** The CRC-32C of {@code length} bytes of a file from {@code position}. */
  private interface Edge {
    long crc(long position, int length) throws IOException;
  }

  /** The key of a file of {@code size} bytes: its first EDGE_BYTES, and its last ones that are not among them. */
  private static long key(long size, Edge edge) throws IOException {
    int head = (int) Math.min(EDGE_BYTES, size);
    long tailStart = Math.max(head, size - EDGE_BYTES);
    return edge.crc(0, head) << 32 | edge.crc(tailStart, (int) (size - tailStart));
  }

  private static long crc(RandomAccessFile file, byte[] buffer, long position, int length) throws IOException {
    file.seek(position);
    file.readFully(buffer, 0, length); // Shorter than the size it had a moment ago: EOFException, no key.
    CRC32C crc = new CRC32C();
    crc.update(buffer, 0, length);
    return crc.getValue();
  }

  /**
   * The key of an open file of {@code size} bytes whose first bytes are in {@code head} (from
   * position 0 to its limit): the head is hashed from there, the tail read only if it is not in it.
   */
  static long of(FileChannel channel, ByteBuffer head, long size) throws IOException {
    return key(size, (position, length) -> {
      if (position + length <= head.limit()) {
        CRC32C crc = new CRC32C();
        crc.update(head.duplicate().position((int) position).limit((int) (position + length)));
        return crc.getValue();
      }
      if (position == 0) {
        throw new IOException("the head read is shorter than the file's first " + length + " bytes");
      }
      return crc(channel, BUFFER.get(), position, length);
    });
  }

  private static long crc(FileChannel channel, ByteBuffer buffer, long position, int length) throws IOException {
    buffer.clear().limit(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("the file ended early");
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(buffer.flip());
    return crc.getValue();
  }
}
