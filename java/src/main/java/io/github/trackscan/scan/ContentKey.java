package io.github.trackscan.scan;

import java.io.IOException;
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
 */
final class ContentKey {
  private ContentKey() {}

  static final int EDGE_BYTES = 4096;

  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(EDGE_BYTES));

  /**
   * The key of {@code file} as it is now, read with two positional reads.
   *
   * @param sizeBytes the size the walk saw; a file of another size now has another key
   * @return the key, or {@code null} when the file cannot be read or is no longer that size
   */
  static Long read(Path file, long sizeBytes) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() != sizeBytes) {
        return null;
      }
      ByteBuffer buffer = BUFFER.get();
      int head = (int) Math.min(EDGE_BYTES, sizeBytes);
      long tailStart = Math.max(head, sizeBytes - EDGE_BYTES);
      long high = crc(channel, buffer, 0, head);
      long low = crc(channel, buffer, tailStart, (int) (sizeBytes - tailStart));
      return (high << 32) | low;
    } catch (IOException | RuntimeException e) {
      return null; // Unreadable or gone: no key, so the file is never matched by content.
    }
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
