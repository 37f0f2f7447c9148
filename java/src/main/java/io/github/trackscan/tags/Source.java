package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/*
 * Every in-memory reader sees the file through this: its size, its first HEAD_BYTES already in
 * memory (one pread), and positional reads of anything beyond. A read never allocates more than
 * the file holds from that position: a size declared past the end fails before any allocation.
 */
/** One open audio file: its length, its head in memory, positional reads beyond the head. */
final class Source {
  /** Bytes read up front: an ID3v2 tag without a cover and the first frames fit easily. */
  static final int HEAD_BYTES = 32 * 1024;
  /** Beyond this a tag or metadata block is not read into memory. */
  static final int TAG_BYTES_MAX = 16 * 1024 * 1024;

  final Path file;
  /** The file name's extension, lower case, without the dot ("" when none). */
  final String extension;
  final FileChannel channel;
  /** The file's first bytes (position 0, limit the bytes read); callers set its byte order. */
  final ByteBuffer head;
  /** The file's length in bytes when it was opened. */
  final long size;

  Source(Path file, String extension, FileChannel channel, ByteBuffer head, long size) {
    this.file = file;
    this.extension = extension;
    this.channel = channel;
    this.head = head;
    this.size = size;
  }

  /**
   * {@code length} bytes at {@code position}, from the head when they are in it, for the readers
   * that fall back to jaudiotagger: a truncated or oversized read is a {@link Fallback}.
   */
  ByteBuffer slice(long position, int length) throws IOException, Fallback {
    if (length < 0 || length > TAG_BYTES_MAX || position < 0) {
      throw Fallback.INSTANCE;
    }
    ByteBuffer b = bytes(position, length);
    if (b == null) {
      throw Fallback.INSTANCE; // Truncated.
    }
    return b;
  }

  /**
   * {@code length} bytes at {@code position} in little- or big-endian order, for the readers that
   * own their format: a read past the end of the file, or of more than {@link #TAG_BYTES_MAX}, is
   * a {@link TagReadException} saying what {@code format} was reading ({@code what}).
   */
  ByteBuffer read(long position, long length, ByteOrder order, String format, String what)
      throws IOException, TagReadException {
    if (length < 0 || position < 0 || position + length > size) {
      throw fail(format, what + " (" + length + " bytes at " + position + ") runs past the end of the file ("
          + size + " bytes)");
    }
    if (length > TAG_BYTES_MAX) {
      throw fail(format, what + " declares " + length + " bytes, more than " + TAG_BYTES_MAX + " read into memory");
    }
    ByteBuffer b = bytes(position, (int) length);
    if (b == null) {
      throw fail(format, what + " is truncated: the file shrank while it was read");
    }
    return b.order(order);
  }

  /** The bytes, or null when the file ends first. */
  private ByteBuffer bytes(long position, int length) throws IOException {
    if (position + length <= head.limit()) {
      return head.slice((int) position, length).order(head.order());
    }
    if (position + length > size) {
      return null;
    }
    ByteBuffer more = ByteBuffer.allocate(length);
    readFully(channel, more, position);
    if (more.hasRemaining()) {
      return null;
    }
    return more.flip().order(head.order());
  }

  /** A one-line failure: "{format}: {problem}". */
  TagReadException fail(String format, String problem) {
    return new TagReadException(file, format + ": " + problem, null);
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
  }

  /** Whether {@code b} holds the ASCII {@code magic} at {@code at}. */
  static boolean matches(ByteBuffer b, int at, String magic) {
    if (at < 0 || at + magic.length() > b.limit()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (b.get(at + i) != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
