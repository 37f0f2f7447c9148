package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/*
 * jaudiotagger trusts the sizes a file declares and allocates them before it reads: a 20 KB file
 * whose RIFF 'fmt ' chunk claims 687 MB made it reserve (and zero) 687 MB of direct memory, an AIFF
 * chunk 1.3 GB, a FLAC or Ogg Vorbis comment vendor length of 2^31 a byte[2^31] (the hostile-file
 * tests in io.github.trackscan.reliability). Under a small heap that is an OutOfMemoryError; under
 * a large one it is real memory taken from the host. So before a file reaches jaudiotagger, the
 * sizes those readers allocate from (the structures within the file's first HEAD_BYTES) are checked
 * against the file's length: one that runs past the end makes the file junk, with that reason.
 */
/** Refuses files whose declared chunk, block or comment sizes run past the end of the file. */
final class DeclaredSizes {
  static final int HEAD_BYTES = 64 * 1024;
  private static final int CHUNKS_MAX = 1024;

  private DeclaredSizes() {}

  /**
   * Checks {@code file} (by its extension) before jaudiotagger reads it.
   *
   * @throws TagReadException when a declared size runs past the end of the file
   */
  static void check(Path file, String extension) throws TagReadException {
    switch (extension) {
      case "wav", "aif", "aiff", "aifc", "flac", "ogg", "oga" -> {}
      default -> {
        return;
      }
    }
    ByteBuffer head;
    long size;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
      head = ByteBuffer.allocate((int) Math.min(size, HEAD_BYTES));
      Source.readFully(channel, head, 0);
      head.flip();
    } catch (IOException e) {
      return; // jaudiotagger will meet the same problem and name it.
    }
    String problem = switch (extension) {
      case "wav" -> chunks(head, size, "RIFF", ByteOrder.LITTLE_ENDIAN, "data");
      case "aif", "aiff", "aifc" -> chunks(head, size, "FORM", ByteOrder.BIG_ENDIAN, "SSND");
      case "flac" -> flac(head, size);
      default -> ogg(head, size);
    };
    if (problem != null) {
      throw new TagReadException(file, problem + ", past the end of the file (" + size + " bytes)", null);
    }
  }

  private static boolean magic(ByteBuffer b, int at, String magic) {
    if (at < 0 || at + magic.length() > b.limit()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (b.get(at + i) != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** RIFF/AIFF: every chunk but the audio one must fit in the file. */
  private static String chunks(ByteBuffer head, long size, String magic, ByteOrder order, String audio) {
    ByteBuffer b = head.duplicate().order(order);
    if (!magic(b, 0, magic)) {
      return null;
    }
    long at = 12;
    for (int i = 0; i < CHUNKS_MAX && at + 8 <= b.limit(); i++) {
      String id = new String(new byte[] {b.get((int) at), b.get((int) at + 1), b.get((int) at + 2), b.get((int) at + 3)},
          java.nio.charset.StandardCharsets.ISO_8859_1);
      long length = b.getInt((int) at + 4) & 0xFFFFFFFFL;
      if (!id.equals(audio) && at + 8 + length > size) {
        return "the '" + id + "' chunk declares " + length + " bytes";
      }
      at += 8 + length + (length & 1);
    }
    return null;
  }

  /** FLAC: metadata blocks, and the Vorbis comment's lengths within its block. */
  private static String flac(ByteBuffer head, long size) {
    ByteBuffer b = head.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (!magic(b, 0, "fLaC")) {
      return null;
    }
    long at = 4;
    for (int i = 0; i < CHUNKS_MAX && at + 4 <= b.limit(); i++) {
      int first = b.get((int) at) & 0xFF;
      int length = ((b.get((int) at + 1) & 0xFF) << 16) | ((b.get((int) at + 2) & 0xFF) << 8) | (b.get((int) at + 3) & 0xFF);
      if (at + 4 + length > size) {
        return "metadata block " + i + " declares " + length + " bytes";
      }
      if ((first & 0x7F) == 4 && at + 4 + length <= b.limit()) {
        String problem = vorbisComment(b.slice((int) at + 4, length), "the Vorbis comment");
        if (problem != null) {
          return problem;
        }
      }
      if ((first & 0x80) != 0) {
        break;
      }
      at += 4 + length;
    }
    return null;
  }

  /** Ogg: the Vorbis comment header's lengths within the file (the packet may span pages). */
  private static String ogg(ByteBuffer head, long size) {
    if (!magic(head, 0, "OggS") || head.limit() < 27) {
      return null;
    }
    int segments = head.get(26) & 0xFF;
    if (27 + segments > head.limit()) {
      return null;
    }
    int second = 27 + segments;
    for (int i = 0; i < segments; i++) {
      second += head.get(27 + i) & 0xFF;
    }
    if (!magic(head, second, "OggS") || second + 27 > head.limit()) {
      return null;
    }
    int body = second + 27 + (head.get(second + 26) & 0xFF);
    if (body + 7 > head.limit() || head.get(body) != 3 || !magic(head, body + 1, "vorbis")) {
      return null;
    }
    ByteBuffer comment = head.slice(body + 7, head.limit() - body - 7).order(ByteOrder.LITTLE_ENDIAN);
    if (comment.limit() < 4) {
      return null;
    }
    long vendor = comment.getInt(0) & 0xFFFFFFFFL;
    if (body + 7 + 4 + vendor > size) {
      return "the Vorbis comment's vendor string declares " + vendor + " bytes";
    }
    return null;
  }

  private static String vorbisComment(ByteBuffer block, String what) {
    ByteBuffer b = block.order(ByteOrder.LITTLE_ENDIAN);
    if (b.limit() < 4) {
      return null;
    }
    long vendor = b.getInt(0) & 0xFFFFFFFFL;
    if (4 + vendor > b.limit()) {
      return what + "'s vendor string declares " + vendor + " bytes";
    }
    return null;
  }
}
