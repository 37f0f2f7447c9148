package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
 * ("(17)", "17"), and v2.3 dates split over TYER/TDAT/TIME. Frames it does not want are stepped over
 * by their headers, never read; of a picture (APIC) only the header up to the description is read,
 * to note its MIME type, size and offset (PlayerFields.Cover). The PlayerFields frames are picked
 * in a switch as they come: no map of every frame is built. ReplayGain comes from TXXX frames; where
 * a tag has none for a pair (track or album), from an RVA2 frame of that name, its master channel,
 * as mutagen's EasyID3 reads it (and writes it: its replaygain_* keys are RVA2 frames).
 * Used for MP3 and for the ID3v2 tags that WAV, AIFF, DSF and DSDIFF carry in a chunk.
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
    FieldSink sink = new FieldSink();
    String[] volume = new String[4]; // RVA2's track gain, track peak, album gain, album peak
    String comment = null;
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
      boolean transformed = major == 3 ? (frameFlags & 0x00E0) != 0 : (frameFlags & 0x004F) != 0;
      if (id.equals("RVA2")) {
        // Read only where the ReplayGain TXXX frames are missing (after the loop); a compressed one
        // is skipped, not a reason to hand the whole tag to jaudiotagger, which reads no RVA2.
        if (!transformed) {
          rva2(in.slice(base + at + 10, size), volume);
        }
      } else if (id.equals("APIC")) {
        // A compressed or unsynchronised picture is noted without its place: its bytes in the file
        // are not the picture's.
        if (transformed) {
          sink.cover(null, null, null, false);
        } else {
          picture(in, base + at + 10, size, sink);
        }
      } else if (isWanted(id)) {
        if (transformed || (major == 3 && (id.equals("TDAT") || id.equals("TIME")))) {
          return null;
        }
        ByteBuffer body = in.slice(base + at + 10, size);
        switch (id) {
          case "TPE1", "TCON" -> {
            List<String> values = values(body);
            if (values == null) {
              return null;
            }
            for (String value : values) {
              if (id.equals("TPE1")) {
                sink.artist(value);
              } else {
                sink.genre(value);
              }
            }
          }
          case "COMM" -> {
            String[] parts = commentFrame(body);
            if (parts == null) {
              return null;
            }
            // The comment a player shows: the first with an empty description (any language), else
            // the first other one but iTunes' technical ones (iTunNORM, iTunSMPB...).
            if (parts[0].isEmpty()) {
              sink.put(FieldSink.COMMENT, parts[1]);
            } else if (comment == null && !parts[0].startsWith("iTun")) {
              comment = Numbers.blankToNull(parts[1]);
            }
          }
          case "TXXX" -> {
            List<String> values = values(body);
            if (values == null) {
              return null;
            }
            if (values.size() >= 2) {
              sink.put(FieldSink.descriptiveSlot(values.get(0).toUpperCase(Locale.ROOT)), values.get(1));
            }
          }
          case "UFID" -> {
            int owner = 0;
            while (owner < body.limit() && body.get(owner) != 0) {
              owner++;
            }
            if (owner < body.limit() && owner == MUSICBRAINZ_OWNER.length()
                && Source.matches(body, 0, MUSICBRAINZ_OWNER)) {
              byte[] ident = new byte[body.limit() - owner - 1];
              body.get(owner + 1, ident);
              sink.put(FieldSink.MB_RECORDING, new String(ident, StandardCharsets.ISO_8859_1));
            }
          }
          default -> {
            int slot = slot(id);
            if (slot != FieldSink.NONE) {
              if (!sink.has(slot)) {
                String value = decode(body);
                if (value == null) {
                  return null;
                }
                sink.put(slot, value);
              }
            } else if (!frames.containsKey(id)) {
              String value = decode(body);
              if (value == null) {
                return null;
              }
              frames.put(id, value);
            }
          }
        }
      }
      at += 10 + size;
    }
    // RVA2 stands in for a pair (gain and peak) that no TXXX frame gave: one source a pair, so a
    // gain and a peak measured by two tools are never mixed.
    if (!sink.has(FieldSink.RG_TRACK_GAIN) && !sink.has(FieldSink.RG_TRACK_PEAK)) {
      sink.put(FieldSink.RG_TRACK_GAIN, volume[0]);
      sink.put(FieldSink.RG_TRACK_PEAK, volume[1]);
    }
    if (!sink.has(FieldSink.RG_ALBUM_GAIN) && !sink.has(FieldSink.RG_ALBUM_PEAK)) {
      sink.put(FieldSink.RG_ALBUM_GAIN, volume[2]);
      sink.put(FieldSink.RG_ALBUM_PEAK, volume[3]);
    }
    if (!sink.has(FieldSink.COMMENT) && comment != null) {
      sink.put(FieldSink.COMMENT, comment);
    }
    String genre = sink.genreDisplay();
    if (genre != null) {
      for (String g : sink.genres()) {
        if (g.charAt(0) == '(' || g.chars().allMatch(Character::isDigit)) {
          return null; // ID3v1 genre numbers: jaudiotagger names them
        }
      }
    }
    String date = Numbers.blankToNull(frames.get(major == 4 ? "TDRC" : "TYER"));
    String track = frames.get("TRCK");
    String disc = frames.get("TPOS");
    return new TrackTags(Numbers.blankToNull(frames.get("TIT2")), sink.artistDisplay(),
        Numbers.blankToNull(frames.get("TALB")), Numbers.blankToNull(frames.get("TPE2")),
        Numbers.leadingInt(track), total(track), Numbers.leadingInt(disc), total(disc),
        Numbers.year(date), date, genre, null, null, null, null, null, sink.build());
  }

  /** The owner Picard gives the UFID frame that holds the MusicBrainz recording id. */
  private static final String MUSICBRAINZ_OWNER = "http://musicbrainz.org";

  private static boolean isWanted(String id) {
    return switch (id) {
      case "TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TYER", "TDRC", "TCON", "TDAT", "TIME",
          "COMM", "TXXX", "UFID" -> true;
      default -> slot(id) != FieldSink.NONE;
    };
  }

  /** The PlayerFields slot of a single-valued text frame, or NONE. */
  private static int slot(String id) {
    return switch (id) {
      case "TCOM" -> FieldSink.COMPOSER;
      case "TCMP" -> FieldSink.COMPILATION;
      case "TSOT" -> FieldSink.TITLE_SORT;
      case "TSOP" -> FieldSink.ARTIST_SORT;
      case "TSOA" -> FieldSink.ALBUM_SORT;
      case "TSO2" -> FieldSink.ALBUM_ARTIST_SORT;
      case "TBPM" -> FieldSink.BPM;
      case "TSRC" -> FieldSink.ISRC;
      case "TPUB" -> FieldSink.LABEL;
      case "TSST" -> FieldSink.DISC_SUBTITLE;
      default -> FieldSink.NONE;
    };
  }

  /** Bytes of an APIC frame read to find where its picture starts: MIME type and description. */
  private static final int PICTURE_HEADER_BYTES_MAX = 1024;

  /**
   * Notes the picture of the APIC frame whose body ({@code size} bytes) starts at {@code at}:
   * encoding, MIME type (Latin-1, NUL-ended), picture type, description (ended as its encoding
   * ends strings), then the picture. Only the header is read, never the picture.
   */
  private static void picture(Source in, long at, int size, FieldSink sink) throws IOException, Fallback {
    ByteBuffer b = in.slice(at, Math.min(size, PICTURE_HEADER_BYTES_MAX));
    if (b.limit() < 2) {
      return;
    }
    int encoding = b.get(0);
    int mimeEnd = end(b, 1, 0);
    if (mimeEnd + 2 > b.limit()) {
      sink.cover(null, null, null, false);
      return;
    }
    String mime = string(b, 1, mimeEnd, 0);
    boolean front = b.get(mimeEnd + 1) == 3;
    int description = mimeEnd + 2;
    int descriptionEnd = end(b, description, encoding);
    int data = descriptionEnd + terminatorBytes(encoding);
    if (descriptionEnd >= b.limit() || data > size) {
      sink.cover(mime, null, null, front); // a description longer than what was read
      return;
    }
    sink.cover(mime, (long) size - data, at + data, front);
  }

  /** RVA2's channel type for the master volume, the one ReplayGain writers fill. */
  private static final int RVA2_MASTER = 1;

  /**
   * Notes the master-volume adjustment of an RVA2 frame identified "track" or "album" (any case)
   * in {@code volume} (track gain, track peak, album gain, album peak), as text the way mutagen's
   * EasyID3 gives it: the gain "%+f dB", the peak "%f". A frame cut short anywhere before the
   * master channel's peak ends is skipped whole, as mutagen drops it; so is a second frame of the
   * same identification. The layout: identification (Latin-1, NUL-ended), then for each channel
   * its type, the adjustment (signed 16 bits, big-endian, in 1/512 dB), the peak's width in bits
   * and the peak in that many bits, rounded up to bytes.
   */
  static void rva2(ByteBuffer body, String[] volume) {
    int nul = 0;
    while (nul < body.limit() && body.get(nul) != 0) {
      nul++;
    }
    if (nul == body.limit()) {
      return;
    }
    String identification = new String(bytes(body, 0, nul), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int gainAt = identification.equals("track") ? 0 : identification.equals("album") ? 2 : -1;
    if (gainAt < 0 || volume[gainAt] != null) {
      return;
    }
    int at = nul + 1;
    while (at + 4 <= body.limit()) {
      int channel = body.get(at) & 0xFF;
      int bits = body.get(at + 3) & 0xFF;
      int peakBytes = (bits + 7) >>> 3;
      if (at + 4 + peakBytes > body.limit()) {
        return;
      }
      if (channel == RVA2_MASTER) {
        double gainDb = (short) ((body.get(at + 1) & 0xFF) << 8 | (body.get(at + 2) & 0xFF)) / 512.0;
        volume[gainAt] = sixDecimals(gainDb, true) + " dB";
        volume[gainAt + 1] = sixDecimals(peak(body, at + 4, bits), false);
        return;
      }
      at += 4 + peakBytes;
    }
  }

  /**
   * The peak as mutagen computes it: the first (up to) four bytes of the field, a big-endian
   * number of {@code bits} bits left-aligned in 32, over 2^31 - 1 (so a 16-bit 0x8000 is 1.0).
   */
  private static double peak(ByteBuffer body, int at, int bits) {
    int bytes = Math.min(4, (bits + 7) >>> 3);
    long peak = 0;
    for (int i = 0; i < bytes; i++) {
      peak = peak << 8 | (body.get(at + i) & 0xFF);
    }
    int shift = ((8 - (bits & 7)) & 7) + (4 - bytes) * 8;
    return (double) (peak << shift) / Integer.MAX_VALUE;
  }

  /**
   * The number with six decimals, rounded half to even from its exact binary value, as Python's
   * "%f" does (Java's Formatter rounds half up: 4/512 dB would read 0.007813, mutagen 0.007812).
   */
  private static String sixDecimals(double value, boolean sign) {
    String text = new java.math.BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    return sign && !text.startsWith("-") ? "+" + text : text;
  }

  private static byte[] bytes(ByteBuffer b, int from, int to) {
    byte[] out = new byte[to - from];
    b.get(from, out);
    return out;
  }

  /** A COMM frame's description and text, or null for an encoding this does not decode. */
  private static String[] commentFrame(ByteBuffer body) {
    if (body.limit() < 4) {
      return new String[] {"", ""};
    }
    int encoding = body.get(0);
    if (encoding < 0 || encoding > 3) {
      return null;
    }
    int descriptionEnd = end(body, 4, encoding);
    String description = string(body, 4, descriptionEnd, encoding);
    int text = Math.min(body.limit(), descriptionEnd + terminatorBytes(encoding));
    String value = string(body, text, end(body, text, encoding), encoding);
    return description == null || value == null ? null : new String[] {description, value};
  }

  /** Every value of a text frame (ID3v2.4 separates them with NULs), or null for an encoding this does not decode. */
  static List<String> values(ByteBuffer body) {
    if (body.limit() < 1) {
      return List.of();
    }
    int encoding = body.get(0);
    if (encoding < 0 || encoding > 3) {
      return null;
    }
    List<String> out = new ArrayList<>(1);
    int at = 1;
    while (at < body.limit()) {
      int end = end(body, at, encoding);
      String value = string(body, at, end, encoding);
      if (value == null) {
        return null;
      }
      out.add(value);
      at = end + terminatorBytes(encoding);
    }
    return out;
  }

  private static int terminatorBytes(int encoding) {
    return encoding == 1 || encoding == 2 ? 2 : 1;
  }

  /** Where the string starting at {@code from} ends (its terminator), or the limit when it has none. */
  private static int end(ByteBuffer b, int from, int encoding) {
    int i = from;
    if (encoding == 1 || encoding == 2) {
      while (i + 1 < b.limit() && (b.get(i) != 0 || b.get(i + 1) != 0)) {
        i += 2;
      }
      return i + 1 < b.limit() ? i : b.limit();
    }
    while (i < b.limit() && b.get(i) != 0) {
      i++;
    }
    return i;
  }

  /** The string in [from, to), or null for UTF-16 without a byte-order mark (not decoded like jaudiotagger). */
  private static String string(ByteBuffer b, int from, int to, int encoding) {
    int n = Math.max(0, to - from);
    byte[] bytes = new byte[n];
    b.get(from, bytes);
    switch (encoding) {
      case 0 -> {
        return new String(bytes, StandardCharsets.ISO_8859_1);
      }
      case 3 -> {
        return new String(bytes, StandardCharsets.UTF_8);
      }
      case 2 -> {
        return new String(bytes, StandardCharsets.UTF_16BE);
      }
      default -> {
        if (n == 0) {
          return "";
        }
        if (n < 2) {
          return null;
        }
        boolean bigEndian = (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF;
        boolean littleEndian = (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE;
        if (!bigEndian && !littleEndian) {
          return null;
        }
        return new String(bytes, 2, n - 2, bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
      }
    }
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
