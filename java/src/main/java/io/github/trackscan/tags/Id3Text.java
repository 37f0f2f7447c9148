package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.ID3v22Tag;
import org.jaudiotagger.tag.id3.ID3v23Tag;
import org.jaudiotagger.tag.id3.ID3v24Tag;

/*
 * The text frames trackscan keeps, from an ID3v2.3 or 2.4 tag, with the values jaudiotagger's
 * Tag.getFirst gives for them (checked field by field in the tests and on the synthetic library).
 * Anything this does not handle exactly like jaudiotagger goes to jaudiotagger's own ID3v2 parsers,
 * still from memory: ID3v2.2, tag-level unsynchronisation or an extended header, compressed,
 * encrypted, grouped or unsynchronised frames, text without a byte-order mark, numeric genres
 * ("(17)", "17"), and v2.3 dates split over TYER/TDAT/TIME. Frames it does not want (a cover) are
 * stepped over by their headers, never read. Used for MP3 and for the ID3v2 tags that WAV, AIFF and
 * DSF carry in a chunk.
 */
/** Reads the text fields of an ID3v2 tag. */
final class Id3Text {
  private Id3Text() {}

  private static final int FRAMES_MAX = 4096;

  /** The length of the ID3v2 tag whose header starts at {@code at} in {@code b}, footer included. */
  static long tagBytes(ByteBuffer b, int at) {
    boolean footer = (b.get(at + 5) & 0x10) != 0;
    return 10L + syncsafe(b, at + 6) + (footer ? 10 : 0);
  }

  static int syncsafe(ByteBuffer b, int at) {
    return ((b.get(at) & 0x7F) << 21) | ((b.get(at + 1) & 0x7F) << 14) | ((b.get(at + 2) & 0x7F) << 7) | (b.get(at + 3) & 0x7F);
  }

  /**
   * The text fields of the ID3v2 tag at {@code base}: parsed here, else by jaudiotagger's ID3v2
   * parser from memory.
   *
   * @throws Fallback when the tag is not one jaudiotagger's parsers accept, or runs past the end
   */
  static TrackTags read(Source in, long base) throws IOException, Fallback {
    ByteBuffer header = in.slice(base, 10).order(ByteOrder.BIG_ENDIAN);
    if (!Source.matches(header, 0, "ID3")) {
      throw Fallback.INSTANCE;
    }
    long tagBytes = tagBytes(header, 0);
    if (base + tagBytes > in.size) {
      throw Fallback.INSTANCE;
    }
    boolean footer = (header.get(5) & 0x10) != 0;
    TrackTags text = parse(in, base, header.get(3), header.get(5), (int) (footer ? tagBytes - 10 : tagBytes));
    if (text != null) {
      return text;
    }
    if (!boundedForJaudiotagger(in, base, header.get(3), (int) tagBytes)) {
      throw Fallback.INSTANCE;
    }
    ByteBuffer tag = in.slice(base, (int) tagBytes);
    String name = in.file.toString();
    try {
      AbstractID3v2Tag parsed = switch (header.get(3)) {
        case 2 -> new ID3v22Tag(tag, name);
        case 3 -> new ID3v23Tag(tag, name);
        case 4 -> new ID3v24Tag(tag, name);
        default -> throw Fallback.INSTANCE;
      };
      return JaudiotaggerReader.toTags(parsed, null);
    } catch (org.jaudiotagger.tag.TagException | RuntimeException e) {
      throw Fallback.INSTANCE;
    }
  }

  /**
   * Whether jaudiotagger's ID3v2 parser may have the tag: false when a compressed frame declares a
   * decompressed size beyond what zlib can make of it (1032 times) or beyond TAG_BYTES_MAX, which
   * that parser would allocate before inflating (a flipped flag and a size of 2^28 took 220 MB).
   */
  static boolean boundedForJaudiotagger(Source in, long base, byte major, int end) throws IOException, Fallback {
    if (major != 3 && major != 4) {
      return true; // ID3v2.2 frames declare no decompressed size
    }
    long at = 10;
    for (int n = 0; n < FRAMES_MAX && at + 14 <= end; n++) {
      ByteBuffer header = in.slice(base + at, 14).order(ByteOrder.BIG_ENDIAN);
      if (header.get(0) == 0) {
        break;
      }
      long size = major == 4 ? syncsafe(header, 4) : header.getInt(4) & 0xFFFFFFFFL;
      int flags = header.getShort(8) & 0xFFFF;
      long declared = -1;
      if (major == 3 && (flags & 0x0080) != 0) {
        declared = header.getInt(10) & 0xFFFFFFFFL;
      } else if (major == 4 && (flags & 0x0001) != 0) {
        int skip = ((flags & 0x0040) != 0 ? 1 : 0) + ((flags & 0x0004) != 0 ? 1 : 0);
        if (at + 14 + skip > end) {
          return false;
        }
        declared = syncsafe(in.slice(base + at + 10 + skip, 4), 0);
      }
      if (declared > Source.TAG_BYTES_MAX || declared > 1032 * size + 1024) {
        return false;
      }
      at += 10 + size;
    }
    return true;
  }

  /** The fields, or null for a tag this does not read exactly like jaudiotagger. */
  static TrackTags parse(Source in, long base, byte major, byte flags, int end) throws IOException, Fallback {
    if ((major != 3 && major != 4) || (flags & 0xC0) != 0) {
      return null;
    }
    Map<String, String> frames = new HashMap<>();
    long at = 10;
    for (int n = 0; n < FRAMES_MAX && at + 10 <= end; n++) {
      ByteBuffer header = in.slice(base + at, 10).order(ByteOrder.BIG_ENDIAN);
      if (header.get(0) == 0) {
        break; // Padding.
      }
      for (int i = 0; i < 4; i++) {
        byte c = header.get(i);
        if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
          return null;
        }
      }
      String id = new String(new byte[] {header.get(0), header.get(1), header.get(2), header.get(3)}, StandardCharsets.US_ASCII);
      int size = major == 4 ? syncsafe(header, 4) : header.getInt(4);
      int frameFlags = header.getShort(8) & 0xFFFF;
      if (size < 0 || at + 10 + size > end) {
        return null;
      }
      if (isWanted(id)) {
        if (major == 3 && ((frameFlags & 0x00E0) != 0 || id.equals("TDAT") || id.equals("TIME"))) {
          return null;
        }
        if (major == 4 && (frameFlags & 0x004F) != 0) {
          return null;
        }
        if (!frames.containsKey(id)) {
          String value = decode(in.slice(base + at + 10, size));
          if (value == null) {
            return null;
          }
          frames.put(id, value);
        }
      }
      at += 10 + size;
    }
    String genre = Numbers.blankToNull(frames.get("TCON"));
    if (genre != null && (genre.charAt(0) == '(' || genre.chars().allMatch(Character::isDigit))) {
      return null;
    }
    String date = Numbers.blankToNull(frames.get(major == 4 ? "TDRC" : "TYER"));
    String track = frames.get("TRCK");
    String disc = frames.get("TPOS");
    return new TrackTags(Numbers.blankToNull(frames.get("TIT2")), Numbers.blankToNull(frames.get("TPE1")),
        Numbers.blankToNull(frames.get("TALB")), Numbers.blankToNull(frames.get("TPE2")),
        Numbers.leadingInt(track), total(track), Numbers.leadingInt(disc), total(disc),
        Numbers.year(date), date, genre, null, null, null, null, null);
  }

  private static boolean isWanted(String id) {
    return switch (id) {
      case "TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TYER", "TDRC", "TCON", "TDAT", "TIME" -> true;
      default -> false;
    };
  }

  /** The n of "k/n", or null. */
  static Integer total(String position) {
    int slash = position == null ? -1 : position.indexOf('/');
    return slash < 0 ? null : Numbers.leadingInt(position.substring(slash + 1));
  }

  /** A text frame's first value, or null for an encoding this does not decode like jaudiotagger. */
  static String decode(ByteBuffer body) {
    if (body.limit() < 1) {
      return "";
    }
    int encoding = body.get(0);
    byte[] bytes = new byte[body.limit() - 1];
    body.get(1, bytes);
    switch (encoding) {
      case 0, 3 -> {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
          length++;
        }
        return new String(bytes, 0, length, encoding == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      }
      case 1, 2 -> {
        int length = 0;
        while (length + 1 < bytes.length && (bytes[length] != 0 || bytes[length + 1] != 0)) {
          length += 2;
        }
        if (encoding == 1) {
          if (length < 2) {
            return length == 0 ? "" : null;
          }
          boolean bigEndian = (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF;
          boolean littleEndian = (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE;
          if (!bigEndian && !littleEndian) {
            return null;
          }
          return new String(bytes, 2, length - 2, bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_16BE);
      }
      default -> {
        return null;
      }
    }
  }
}
