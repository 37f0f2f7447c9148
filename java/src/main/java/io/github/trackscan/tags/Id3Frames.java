package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/*
 * The frames of one ID3v2.2, 2.3 or 2.4 tag, found as mutagen finds them, and each frame's body
 * undone of its transformations:
 *  - Where the frames are. Usually in the file itself: headers and bodies are read where they
 *    lie (from the head already in memory, else one pread each; a header beyond the head once,
 *    however many walks pass it), and a frame the reader does not want is stepped over unread; a
 *    body larger than Source.TAG_BYTES_MAX is not read into memory (the frame is skipped). Before ID3v2.4 the unsynchronisation flag applies to the whole
 *    tag and frame sizes count the decoded bytes, so such a tag is read once, whole, and decoded
 *    (an FF 00 pair loses its 00); the places of the dropped bytes are kept, so a picture that no
 *    drop touched still has its offset in the file.
 *  - Frame headers: 6 bytes and three-character ids in ID3v2.2 (mapped to their ID3v2.4 ids, as
 *    mutagen upgrades them), 10 bytes otherwise. ID3v2.4 sizes are syncsafe, but iTunes once wrote
 *    plain integers: as mutagen does, both walks are made and the one finding more known frames
 *    wins. A frame whose size runs past the tag keeps the bytes there; a zero size is skipped;
 *    a header of NULs is padding and ends the walk.
 *  - Bodies: the flags' extra bytes (grouping identity, encryption method, data length or
 *    decompressed size) are stepped over; an ID3v2.4 unsynchronised frame is decoded (kept as it is
 *    when not validly unsynchronised, as mutagen does); an encrypted frame is skipped; a compressed
 *    one is inflated with java.util.zip, as zlib.decompress would (a stream that does not end is
 *    junk; ID3v2.4 retries with the data-length bytes, for a writer that left them out). Mutagen
 *    ignores the grouping flag and reads the identity byte as text; this follows the specification.
 *  - The frames end where the tag ends. Mutagen, given an extended header, reads as many bytes
 *    past the tag as that header takes, which only a frame whose size runs past the tag can see.
 * Bounds: a compressed frame's declared size is ignored (mutagen ignores it; a flipped bit would
 * make it 4 GB): inflating stops at INFLATED_TEXT_BYTES_MAX for a frame kept in memory, a tag keeps
 * at most its own size plus KEPT_SLACK_BYTES of inflated text in all, and inflates at most
 * INFLATED_BYTES_MAX in all (a picture's bytes are counted, never kept).
 */
/** Finds the frames of an ID3v2 tag and gives their bodies. */
final class Id3Frames implements AutoCloseable {
  static final int FRAMES_MAX = 4096;
  /** Inflated bytes one frame read into memory may have; more and the frame is junk. */
  static final int INFLATED_TEXT_BYTES_MAX = 1 << 20;
  /** Inflated bytes kept in memory for a whole tag, beyond its own size. */
  static final long KEPT_SLACK_BYTES = 1 << 20;
  /** Bytes inflated for a whole tag, kept or only counted. */
  static final long INFLATED_BYTES_MAX = 64L << 20;
  /** Bytes of a picture frame's body read for its header (encoding, MIME type, type, description). */
  static final int PICTURE_HEADER_BYTES_MAX = 1024;

  /** mutagen's known ID3v2.3/2.4 frame ids: the ones that count in telling syncsafe sizes from plain ones. */
  private static final Set<String> KNOWN = Set.of("AENC", "APIC", "ASPI", "CHAP", "COMM", "COMR", "CTOC", "ENCR",
      "EQU2", "ETCO", "GEOB", "GRID", "GRP1", "IPLS", "LINK", "MCDI", "MLLT", "MVIN", "MVNM", "OWNE", "PCNT", "PCST",
      "POPM", "POSS", "PRIV", "RBUF", "RVA2", "RVAD", "RVRB", "SEEK", "SIGN", "SYLT", "SYTC", "TALB", "TBPM", "TCAT",
      "TCMP", "TCOM", "TCON", "TCOP", "TDAT", "TDEN", "TDES", "TDLY", "TDOR", "TDRC", "TDRL", "TDTG", "TENC", "TEXT",
      "TFLT", "TGID", "TIME", "TIPL", "TIT1", "TIT2", "TIT3", "TKEY", "TKWD", "TLAN", "TLEN", "TMCL", "TMED", "TMOO",
      "TOAL", "TOFN", "TOLY", "TOPE", "TORY", "TOWN", "TPE1", "TPE2", "TPE3", "TPE4", "TPOS", "TPRO", "TPUB", "TRCK",
      "TRDA", "TRSN", "TRSO", "TSIZ", "TSO2", "TSOA", "TSOC", "TSOP", "TSOT", "TSRC", "TSSE", "TSST", "TXXX", "TYER",
      "UFID", "USER", "USLT", "WCOM", "WCOP", "WFED", "WOAF", "WOAR", "WOAS", "WORS", "WPAY", "WPUB", "WXXX");

  static boolean isKnown(String id) {
    return KNOWN.contains(id);
  }

  /**
   * The ID3v2.4 id of an ID3v2.2 frame trackscan reads (mutagen's upgrade: PIC becomes APIC,
   * TYE, TDA and TIM the ID3v2.3 date frames), or null.
   */
  static String upgraded(String id) {
    return switch (id) {
      case "TT2" -> "TIT2";
      case "TP1" -> "TPE1";
      case "TP2" -> "TPE2";
      case "TAL" -> "TALB";
      case "TCO" -> "TCON";
      case "TRK" -> "TRCK";
      case "TPA" -> "TPOS";
      case "TYE" -> "TYER";
      case "TDA" -> "TDAT";
      case "TIM" -> "TIME";
      case "TCM" -> "TCOM";
      case "TCP" -> "TCMP";
      case "TST" -> "TSOT";
      case "TSP" -> "TSOP";
      case "TSA" -> "TSOA";
      case "TS2" -> "TSO2";
      case "TBP" -> "TBPM";
      case "TRC" -> "TSRC";
      case "TPB" -> "TPUB";
      case "COM" -> "COMM";
      case "TXX" -> "TXXX";
      case "UFI" -> "UFID";
      case "PIC" -> "APIC";
      default -> null;
    };
  }

  final Source in;
  /** 2, 3 or 4. */
  final int major;
  /** The tag's unsynchronisation flag. */
  private final boolean unsynchronised;
  /** The file position of the frames' first byte. */
  private final long start;
  /** The frames' bytes (decoded ones when {@link #decoded} is set). */
  private final int length;
  /** The frames decoded of the tag's unsynchronisation (before ID3v2.4), else null. */
  private final byte[] decoded;
  /** Where in the decoded bytes a 00 was dropped, ascending; the first removedCount count. */
  private int[] removed = new int[0];
  private int removedCount;

  /** The frames wanted: per frame its body's place among the frames' bytes, its length, its ID3v2.4 id and its flags. */
  private int[] bodyAt = new int[16];
  private int[] bodyLength = new int[16];
  private String[] ids = new String[16];
  private int[] flags = new int[16];
  private int count;

  private Inflater inflater;
  private long inflated;
  private long keptBudget;

  private Id3Frames(Source in, int major, boolean unsynchronised, long start, int length, byte[] decoded) {
    this.in = in;
    this.major = major;
    this.unsynchronised = unsynchronised;
    this.start = start;
    this.length = length;
    this.decoded = decoded;
    this.keptBudget = KEPT_SLACK_BYTES + length;
  }

  /**
   * The frames of the tag of version {@code major} whose frames occupy {@code length} bytes from
   * file position {@code start}.
   */
  static Id3Frames of(Source in, int major, boolean unsynchronised, long start, int length) throws IOException, Fallback {
    Id3Frames frames;
    if (unsynchronised && major < 4) {
      // Past TAG_BYTES_MAX (a huge picture) only the frames before it are read.
      ByteBuffer raw = in.slice(start, Math.min(length, Source.TAG_BYTES_MAX));
      frames = new Id3Frames(in, major, true, start, length, null).decode(raw);
    } else {
      frames = new Id3Frames(in, major, unsynchronised, start, length, null);
    }
    frames.walk();
    return frames;
  }

  /** A copy of this over the tag decoded of its unsynchronisation, or this when it is not validly unsynchronised. */
  private Id3Frames decode(ByteBuffer raw) {
    int[] drops = new int[16];
    int dropCount = 0;
    byte[] out = new byte[raw.limit()];
    int n = 0;
    for (int i = 0; i < raw.limit(); i++) {
      byte b = raw.get(i);
      out[n++] = b;
      if ((b & 0xFF) == 0xFF) {
        if (i + 1 == raw.limit() || (raw.get(i + 1) & 0xFF) >= 0xE0) {
          return plain(raw); // mutagen keeps such a tag as it is
        }
        if (raw.get(i + 1) == 0) {
          if (dropCount == drops.length) {
            drops = Arrays.copyOf(drops, dropCount * 2);
          }
          drops[dropCount++] = n;
          i++;
        }
      }
    }
    Id3Frames frames = new Id3Frames(in, major, true, start, n, out);
    frames.removed = drops;
    frames.removedCount = dropCount;
    return frames;
  }

  private Id3Frames plain(ByteBuffer raw) {
    return new Id3Frames(in, major, true, start, length, null);
  }

  int count() {
    return count;
  }

  String id(int frame) {
    return ids[frame];
  }

  /** Whether frame {@code frame} has the grouping flag (read differently by mutagen: the tests need to know). */
  boolean grouped(int frame) {
    return (flags[frame] & (major == 4 ? 0x0040 : 0x0020)) != 0 && major > 2;
  }

  /** {@code length} bytes of the frames at {@code at}, fewer where they end. */
  private ByteBuffer bytes(int at, int length) throws IOException, Fallback {
    int n = Math.max(0, Math.min(length, this.length - at));
    if (decoded != null) {
      return ByteBuffer.wrap(decoded, at, n).slice().order(ByteOrder.BIG_ENDIAN);
    }
    return in.slice(start + at, n).order(ByteOrder.BIG_ENDIAN);
  }

  /**
   * A frame header's bytes: as {@link #bytes}, but one beyond the head is read from the file once
   * however many walks pass it (ID3v2.4's two).
   */
  private ByteBuffer header(int at, int n) throws IOException, Fallback {
    if (decoded != null || start + at + n <= in.head.limit()) {
      return bytes(at, n);
    }
    if (headers == null) {
      headers = new java.util.HashMap<>();
    }
    ByteBuffer h = headers.get(at);
    if (h == null || h.limit() < n) {
      h = bytes(at, n);
      headers.put(at, h);
    }
    return h.duplicate().limit(n).order(ByteOrder.BIG_ENDIAN);
  }

  private java.util.Map<Integer, ByteBuffer> headers;

  /**
   * The file position of the frames' bytes [at, at + n), or -1 when the tag's unsynchronisation
   * dropped a byte among them (they are not the file's bytes).
   */
  long filePosition(int at, int n) {
    int droppedBefore = dropsBelow(at + 1); // a drop at p lies between decoded bytes p - 1 and p
    if (dropsBelow(at + n) > droppedBefore) {
      return -1;
    }
    return start + at + droppedBefore;
  }

  /** How many drops lie at positions below {@code p}. */
  private int dropsBelow(int p) {
    int i = Arrays.binarySearch(removed, 0, removedCount, p);
    return i >= 0 ? i : -i - 1;
  }

  private void walk() throws IOException, Fallback {
    if (major == 2) {
      walk22();
    } else {
      walk(major == 3 || plainSizesWin()); // ID3v2.3 sizes are plain integers
    }
  }

  private void walk22() throws IOException, Fallback {
    long at = 0;
    for (int n = 0; n < FRAMES_MAX && length - at >= 6; n++) {
      ByteBuffer h = header((int) at, 6);
      if (h.get(0) == 0 && h.get(1) == 0 && h.get(2) == 0) {
        break;
      }
      int size = (h.get(3) & 0xFF) << 16 | (h.get(4) & 0xFF) << 8 | (h.get(5) & 0xFF);
      long body = at + 6;
      at = body + size;
      if (size > 0 && ascii(h, 3)) {
        add(upgraded(string(h, 3)), (int) body, (int) Math.min(size, length - body), 0);
      }
    }
  }

  /** Walks the ID3v2.3/2.4 headers as mutagen's read_frames does, sizes plain or syncsafe, noting the frames wanted. */
  private void walk(boolean plainSizes) throws IOException, Fallback {
    long at = 0;
    for (int n = 0; n < FRAMES_MAX && length - at >= 10; n++) {
      ByteBuffer h = header((int) at, 10);
      if (h.getInt(0) == 0) {
        break;
      }
      long size = plainSizes ? h.getInt(4) & 0xFFFFFFFFL : syncsafe(h.getInt(4));
      long body = at + 10;
      at = body + size;
      if (size == 0 || !ascii(h, 4)) {
        continue;
      }
      String id = string(h, 4);
      if (id.charAt(3) == 0) {
        id = upgraded(id.substring(0, 3)); // an ID3v2.2 id in a later tag, as some writers do
      }
      add(id, (int) body, (int) Math.min(size, length - body), h.getShort(8) & 0xFFFF);
    }
  }

  /**
   * Whether this ID3v2.4 tag's sizes are plain integers: mutagen's determine_bpi, which walks
   * both ways and counts the known frame ids each meets, preferring syncsafe sizes on a tie
   * unless only the plain walk ends within the frames.
   */
  private boolean plainSizesWin() throws IOException, Fallback {
    long[] syncsafe = countKnown(false);
    long[] plain = countKnown(true);
    return plain[0] > syncsafe[0] || (plain[0] == syncsafe[0] && syncsafe[1] >= 1 && plain[1] <= 1);
  }

  /** mutagen's count of known ids along one walk, and how far past the frames' end it stopped. */
  private long[] countKnown(boolean plainSizes) throws IOException, Fallback {
    long at = 0;
    long known = 0;
    for (int n = 0; n < FRAMES_MAX; n++) {
      if (at >= length - 10) {
        return new long[] {known, at - length};
      }
      ByteBuffer h = header((int) at, 10);
      if (h.getLong(0) == 0 && h.getShort(8) == 0) {
        return new long[] {known, -((length - at) % 10)};
      }
      long size = plainSizes ? h.getInt(4) & 0xFFFFFFFFL : syncsafe(h.getInt(4));
      at += 10 + size;
      if (ascii(h, 4) && KNOWN.contains(string(h, 4))) {
        known++;
      }
    }
    return new long[] {known, at - length};
  }

  private static long syncsafe(int word) {
    return (word & 0x7F) | (word >>> 8 & 0x7F) << 7 | (word >>> 16 & 0x7F) << 14 | (long) (word >>> 24 & 0x7F) << 21;
  }

  private static boolean ascii(ByteBuffer h, int n) {
    for (int i = 0; i < n; i++) {
      if (h.get(i) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(ByteBuffer h, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = (char) h.get(i);
    }
    return new String(c);
  }

  private void add(String id, int at, int length, int frameFlags) {
    if (id == null || !Id3Text.isWanted(id)) {
      return;
    }
    if (count == ids.length) {
      int grown = count * 2;
      bodyAt = Arrays.copyOf(bodyAt, grown);
      bodyLength = Arrays.copyOf(bodyLength, grown);
      ids = Arrays.copyOf(ids, grown);
      flags = Arrays.copyOf(flags, grown);
    }
    bodyAt[count] = at;
    bodyLength[count] = length;
    ids[count] = id;
    flags[count] = frameFlags;
    count++;
  }

  /**
   * A frame's body as read: its bytes (all, or with {@code headOnly} its first ones), where they
   * start among the frames' bytes ({@code framesAt}, for {@link #filePosition}; -1 when the frame's
   * own flags transformed them), whether {@code bytes} holds all of it, and its whole length.
   */
  record Body(ByteBuffer bytes, int framesAt, boolean whole, long length) {}

  /**
   * The body of frame {@code frame}, undone of its flags, or null for a frame mutagen drops
   * (encrypted, a compression that does not inflate, or larger than is read into memory). With
   * {@code headOnly}, a body in the file as it is gives only its first {@code
   * PICTURE_HEADER_BYTES_MAX} bytes (and its length), and a compressed one is inflated only that
   * far (the rest counted).
   */
  Body body(int frame, boolean headOnly) throws IOException, Fallback {
    int at = bodyAt[frame];
    int n = bodyLength[frame];
    int f = flags[frame];
    boolean compressed;
    boolean frameUnsynchronised = false;
    if (major == 4) {
      int skip = ((f & 0x0040) != 0 ? 1 : 0);
      if ((f & 0x0004) != 0) {
        return null; // encrypted
      }
      compressed = (f & 0x0008) != 0;
      skip += compressed || (f & 0x0001) != 0 ? 4 : 0;
      frameUnsynchronised = (f & 0x0002) != 0 || unsynchronised;
      at += Math.min(skip, n);
      n -= Math.min(skip, n);
      if (frameUnsynchronised || compressed) {
        return transformed(at, n, compressed, frameUnsynchronised, headOnly);
      }
    } else if (major == 3) {
      if ((f & 0x0040) != 0) {
        return null; // encrypted
      }
      compressed = (f & 0x0080) != 0;
      if (compressed && n < 4) {
        return null;
      }
      int skip = (compressed ? 4 : 0) + ((f & 0x0020) != 0 ? 1 : 0);
      at += Math.min(skip, n);
      n -= Math.min(skip, n);
      if (compressed) {
        return transformed(at, n, true, false, headOnly);
      }
    }
    if (n > Source.TAG_BYTES_MAX && !headOnly) {
      return null;
    }
    ByteBuffer b = bytes(at, headOnly ? Math.min(n, PICTURE_HEADER_BYTES_MAX) : n);
    return new Body(b, at, b.limit() == n, n);
  }

  /** A body to decode of its frame's unsynchronisation and, or, to inflate. */
  private Body transformed(int at, int n, boolean compressed, boolean frameUnsynchronised, boolean headOnly)
      throws IOException, Fallback {
    if (n > Source.TAG_BYTES_MAX) {
      return null;
    }
    ByteBuffer raw = bytes(at, n);
    ByteBuffer b = raw;
    boolean changed = false;
    if (frameUnsynchronised) {
      b = unsynchronise(raw);
      changed = b != raw;
    }
    if (!compressed) {
      return new Body(b, changed ? -1 : at, true, b.limit());
    }
    Body body = inflate(b, headOnly);
    if (body == null && major == 4) {
      // A writer that set the data-length flag but wrote no length: the four bytes are the stream's.
      ByteBuffer whole = bytes(at - 4, n + 4);
      body = inflate(frameUnsynchronised ? unsynchronise(whole) : whole, headOnly);
    }
    return body;
  }

  /** The bytes decoded of their unsynchronisation, or the same buffer when they are not validly unsynchronised. */
  private static ByteBuffer unsynchronise(ByteBuffer raw) {
    byte[] out = null;
    int n = 0;
    for (int i = 0; i < raw.limit(); i++) {
      byte b = raw.get(i);
      if ((b & 0xFF) == 0xFF) {
        if (i + 1 == raw.limit() || (raw.get(i + 1) & 0xFF) >= 0xE0) {
          return raw;
        }
        if (raw.get(i + 1) == 0) {
          if (out == null) {
            out = new byte[raw.limit()];
            raw.get(0, out, 0, i);
            n = i;
          }
          out[n++] = b;
          i++;
          continue;
        }
      }
      if (out != null) {
        out[n++] = b;
      }
    }
    return out == null ? raw : ByteBuffer.wrap(out, 0, n).slice();
  }

  /**
   * The inflated body ({@code headOnly}: its first PICTURE_HEADER_BYTES_MAX bytes, the rest
   * counted), or null when the stream does not end within the bounds or is not zlib.
   */
  private Body inflate(ByteBuffer compressed, boolean headOnly) {
    if (inflater == null) {
      inflater = new Inflater();
    }
    inflater.reset();
    byte[] input = new byte[compressed.limit()];
    compressed.get(0, input);
    inflater.setInput(input);
    long keep = headOnly ? PICTURE_HEADER_BYTES_MAX : Math.min(INFLATED_TEXT_BYTES_MAX, keptBudget);
    byte[] kept = new byte[(int) Math.min(keep, Math.max(64, 4L * input.length))];
    byte[] scratch = headOnly ? new byte[8192] : null;
    int keptBytes = 0;
    long total = 0;
    try {
      while (!inflater.finished()) {
        int got;
        if (keptBytes < keep) {
          if (keptBytes == kept.length) {
            kept = Arrays.copyOf(kept, (int) Math.min(keep, kept.length * 2L));
          }
          got = inflater.inflate(kept, keptBytes, kept.length - keptBytes);
          keptBytes += got;
        } else if (headOnly) {
          got = inflater.inflate(scratch);
        } else {
          return null; // more text than is read into memory
        }
        total += got;
        if (inflated + total > INFLATED_BYTES_MAX) {
          return null;
        }
        if (got == 0 && !inflater.finished()) {
          return null; // the stream does not end (zlib's "incomplete or truncated stream"), or wants a dictionary
        }
      }
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflated += total;
    }
    if (!headOnly) {
      keptBudget -= keptBytes;
    }
    return new Body(ByteBuffer.wrap(kept, 0, keptBytes).slice().order(ByteOrder.BIG_ENDIAN), -1, keptBytes == total, total);
  }

  @Override
  public void close() {
    if (inflater != null) {
      inflater.end();
    }
  }
}
