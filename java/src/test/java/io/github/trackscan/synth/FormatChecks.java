package io.github.trackscan.synth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/*
 * Structural checks written from the format specifications, independent of the encoders: they share
 * no code with main (their own CRC tables, their own parsers). Each throws AssertionError with the
 * reason when a file is not a well-formed file of its format.
 */
/** Independent structural validation of MP3, FLAC, MP4 and Ogg Vorbis files. */
final class FormatChecks {
  private FormatChecks() {}

  /** Checks {@code file} as a file of the format its extension names. */
  static void check(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    String name = file.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1);
    try {
      switch (ext) {
        case "mp3" -> mp3(b);
        case "flac" -> flac(b);
        case "m4a" -> mp4(b);
        case "ogg" -> ogg(b);
        default -> throw new AssertionError("no check for ." + ext);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new AssertionError("ran off the end: " + e.getMessage(), e);
    }
  }

  /** Whether {@link #check} rejects the file. */
  static boolean fails(Path file) throws IOException {
    try {
      check(file);
      return false;
    } catch (AssertionError e) {
      return true;
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private static int u8(byte[] b, int at) {
    return b[at] & 0xFF;
  }

  private static int u16be(byte[] b, int at) {
    return u8(b, at) << 8 | u8(b, at + 1);
  }

  private static int u24be(byte[] b, int at) {
    return u8(b, at) << 16 | u16be(b, at + 1);
  }

  private static long u32be(byte[] b, int at) {
    return (long) u8(b, at) << 24 | u24be(b, at + 1);
  }

  private static String ascii(byte[] b, int at, int n) {
    return new String(b, at, n, StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- MP3

  /** Result of an MP3 check. */
  record Mp3Info(int id3v2Version, Set<String> frameIds, int mpegFrames, boolean id3v1) {}

  static Mp3Info mp3(byte[] b) {
    require(b.length >= 10, "shorter than an ID3v2 header");
    require(ascii(b, 0, 3).equals("ID3"), "no ID3v2 tag");
    int version = u8(b, 3);
    require(version == 3 || version == 4, "ID3v2 version " + version);
    require(u8(b, 5) == 0, "unexpected ID3 flags");
    for (int i = 6; i < 10; i++) {
      require(u8(b, i) < 0x80, "ID3 size is not syncsafe");
    }
    int tagSize = syncsafe(b, 6);
    int end = 10 + tagSize;
    require(end <= b.length, "ID3 tag size " + tagSize + " runs past the end of a " + b.length + "-byte file");
    Set<String> ids = new java.util.TreeSet<>();
    int at = 10;
    while (at + 10 <= end && b[at] != 0) {
      String id = ascii(b, at, 4);
      require(id.matches("[A-Z0-9]{4}"), "bad frame id '" + id + "'");
      int size = version == 4 ? syncsafe(b, at + 4) : (int) u32be(b, at + 4);
      require(size > 0 && at + 10 + size <= end, "frame " + id + " overruns the tag");
      ids.add(id);
      at += 10 + size;
    }
    for (int i = at; i < end; i++) {
      require(b[i] == 0, "padding is not zero");
    }
    boolean id3v1 = b.length >= end + 128 && ascii(b, b.length - 128, 3).equals("TAG");
    int audioEnd = id3v1 ? b.length - 128 : b.length;
    int frames = 0;
    at = end;
    int[] bitrates = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    int[] rates = {44100, 48000, 32000};
    while (at < audioEnd) {
      require(at + 4 <= audioEnd, "partial MPEG header");
      int h = (int) u32be(b, at);
      require((h >>> 21) == 0x7FF, "no frame sync at " + at);
      require(((h >>> 19) & 3) == 3, "not MPEG-1");
      require(((h >>> 17) & 3) == 1, "not Layer III");
      int bitrate = (h >>> 12) & 0xF;
      int rate = (h >>> 10) & 3;
      require(bitrate != 0 && bitrate != 15 && rate != 3, "bad bitrate or sample rate index");
      int length = 144 * bitrates[bitrate] * 1000 / rates[rate] + ((h >>> 9) & 1);
      require(at + length <= audioEnd, "frame runs past the audio");
      frames++;
      at += length;
    }
    require(frames >= 10, "only " + frames + " MPEG frames");
    return new Mp3Info(version, ids, frames, id3v1);
  }

  private static int syncsafe(byte[] b, int at) {
    return u8(b, at) << 21 | u8(b, at + 1) << 14 | u8(b, at + 2) << 7 | u8(b, at + 3);
  }

  // ---------------------------------------------------------------- FLAC

  /** Result of a FLAC check. */
  record FlacInfo(List<Integer> blockTypes, long totalSamples, int frames) {}

  static FlacInfo flac(byte[] b) {
    require(ascii(b, 0, 4).equals("fLaC"), "no fLaC marker");
    int at = 4;
    List<Integer> types = new ArrayList<>();
    boolean last = false;
    long totalSamples = -1;
    int sampleRate = 0;
    while (!last) {
      require(at + 4 <= b.length, "metadata block header past the end");
      last = (u8(b, at) & 0x80) != 0;
      int type = u8(b, at) & 0x7F;
      int length = u24be(b, at + 1);
      require(at + 4 + length <= b.length, "metadata block " + type + " runs past the end");
      if (types.isEmpty()) {
        require(type == 0 && length == 34, "first block is not STREAMINFO");
        long packed = u32be(b, at + 14) << 32 | u32be(b, at + 18);
        sampleRate = (int) (packed >>> 44);
        totalSamples = packed & 0xFFFFFFFFFL;
        require(sampleRate > 0, "sample rate 0");
      }
      require(type <= 6, "unknown block type " + type);
      types.add(type);
      at += 4 + length;
    }
    require(types.contains(4), "no VORBIS_COMMENT");
    long samples = 0;
    int frames = 0;
    int[] blockSizes = {0, 192, 576, 1152, 2304, 4608, -1, -2, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
    while (at < b.length) {
      require(at + 6 <= b.length && u8(b, at) == 0xFF && (u8(b, at + 1) & 0xFE) == 0xF8, "no frame sync at " + at);
      int code = u8(b, at + 2) >>> 4;
      int header = at + 4 + utf8Length(u8(b, at + 4));
      int size = blockSizes[code];
      if (size == -1) {
        size = u8(b, header) + 1;
        header += 1;
      } else if (size == -2) {
        size = u16be(b, header) + 1;
        header += 2;
      }
      int rateCode = u8(b, at + 2) & 0xF;
      header += rateCode == 12 ? 1 : rateCode == 13 || rateCode == 14 ? 2 : 0;
      require(crc8(b, at, header - at) == u8(b, header), "frame header CRC-8 mismatch at " + at);
      int end = nextFrame(b, at, header + 1);
      require(crc16(b, at, end - 2 - at) == u16be(b, end - 2), "frame CRC-16 mismatch at " + at);
      samples += size;
      frames++;
      at = end;
    }
    require(frames > 0, "no audio frames");
    require(samples == totalSamples, "STREAMINFO says " + totalSamples + " samples, frames hold " + samples);
    return new FlacInfo(types, totalSamples, frames);
  }

  private static int utf8Length(int first) {
    if (first < 0x80) return 1;
    if ((first & 0xE0) == 0xC0) return 2;
    if ((first & 0xF0) == 0xE0) return 3;
    if ((first & 0xF8) == 0xF0) return 4;
    if ((first & 0xFC) == 0xF8) return 5;
    return (first & 0xFE) == 0xFC ? 6 : 7;
  }

  /**
   * Where the frame starting at {@code start} ends: the first frame sync from {@code from} on that
   * the two bytes before it close with a valid CRC-16, or the end of the file.
   */
  private static int nextFrame(byte[] b, int start, int from) {
    for (int i = from + 2; i + 1 < b.length; i++) {
      if (u8(b, i) == 0xFF && (u8(b, i + 1) & 0xFE) == 0xF8 && crc16(b, start, i - 2 - start) == u16be(b, i - 2)) {
        return i;
      }
    }
    return b.length;
  }

  static int crc8(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= b[i] & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
      }
    }
    return crc;
  }

  static int crc16(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= (b[i] & 0xFF) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8005) & 0xFFFF : (crc << 1) & 0xFFFF;
      }
    }
    return crc;
  }

  // ---------------------------------------------------------------- MP4

  private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "udta", "dinf", "ilst");

  /** Result of an MP4 check: every atom path found, '/'-joined. */
  record Mp4Info(Set<String> atoms) {}

  static Mp4Info mp4(byte[] b) {
    Set<String> atoms = new java.util.TreeSet<>();
    long[] chunkOffset = {-1};
    long[] sampleBytes = {-1};
    atoms(b, 0, b.length, "", atoms, chunkOffset, sampleBytes);
    for (String required : List.of("ftyp", "moov", "moov/mvhd", "moov/trak/tkhd", "moov/trak/mdia/mdhd",
        "moov/trak/mdia/minf/stbl/stsd", "moov/trak/mdia/minf/stbl/stco", "moov/trak/mdia/minf/stbl/stsz",
        "moov/udta/meta/ilst", "mdat")) {
      require(atoms.contains(required), "no " + required);
    }
    require(ascii(b, 4, 4).equals("ftyp"), "first atom is not ftyp");
    int mdat = findTop(b, "mdat");
    require(chunkOffset[0] == mdat + 8, "stco points at " + chunkOffset[0] + ", mdat payload starts at " + (mdat + 8));
    require(sampleBytes[0] == u32be(b, mdat) - 8, "stsz total differs from the mdat payload");
    return new Mp4Info(atoms);
  }

  private static int findTop(byte[] b, String type) {
    int at = 0;
    while (at < b.length) {
      if (ascii(b, at + 4, 4).equals(type)) {
        return at;
      }
      at += (int) u32be(b, at);
    }
    throw new AssertionError("no top-level " + type);
  }

  private static void atoms(byte[] b, int from, int to, String parent, Set<String> found, long[] chunkOffset,
      long[] sampleBytes) {
    int at = from;
    while (at < to) {
      require(at + 8 <= to, "atom header past its parent at " + at);
      long size = u32be(b, at);
      String type = ascii(b, at + 4, 4);
      require(size >= 8 && at + size <= to, "atom " + parent + type + " of size " + size + " overruns its parent");
      String path = parent + type;
      found.add(path);
      int body = at + 8;
      if (CONTAINERS.contains(type) || (type.equals("meta") && parent.endsWith("udta/"))) {
        atoms(b, type.equals("meta") ? body + 4 : body, at + (int) size, path + "/", found, chunkOffset, sampleBytes);
      } else if (parent.endsWith("ilst/")) {
        require(ascii(b, body + 4, 4).equals("data"), "ilst item " + type + " has no data atom");
        require(u32be(b, body) == size - 8, "ilst item " + type + " data size mismatch");
      } else if (type.equals("stco")) {
        require(u32be(b, body + 4) == 1, "expected one chunk");
        chunkOffset[0] = u32be(b, body + 8);
      } else if (type.equals("stsz")) {
        sampleBytes[0] = u32be(b, body + 4) * u32be(b, body + 8);
      } else if (type.equals("stsd")) {
        require(ascii(b, body + 12, 4).equals("mp4a"), "sample entry is not mp4a");
        require(ascii(b, body + 8 + 36 + 4, 4).equals("esds"), "mp4a has no esds");
      }
      at += (int) size;
    }
    require(at == to, "atoms do not fill their parent exactly");
  }

  // ---------------------------------------------------------------- Ogg

  private static final int[] OGG_CRC = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int k = 0; k < 8; k++) {
        r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
      }
      OGG_CRC[i] = r;
    }
  }

  /** Result of an Ogg check: the packets, in order. */
  record OggInfo(int pages, List<byte[]> packets) {}

  static OggInfo ogg(byte[] b) {
    int at = 0;
    int pages = 0;
    long serial = -1;
    List<byte[]> packets = new ArrayList<>();
    java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
    boolean eos = false;
    while (at < b.length) {
      require(!eos, "data after the end-of-stream page");
      require(ascii(b, at, 4).equals("OggS"), "no capture pattern at " + at);
      require(b[at + 4] == 0, "stream structure version " + b[at + 4]);
      int flags = u8(b, at + 5);
      require(((flags & 2) != 0) == (pages == 0), "BOS flag wrong on page " + pages);
      eos = (flags & 4) != 0;
      long pageSerial = le32(b, at + 14);
      require(serial == -1 || serial == pageSerial, "serial changes");
      serial = pageSerial;
      require(le32(b, at + 18) == pages, "page sequence " + le32(b, at + 18) + " where " + pages + " expected");
      int segments = u8(b, at + 26);
      int length = 27 + segments;
      for (int s = 0; s < segments; s++) {
        length += u8(b, at + 27 + s);
      }
      require(at + length <= b.length, "page runs past the end");
      byte[] page = java.util.Arrays.copyOfRange(b, at, at + length);
      long stored = le32(page, 22);
      page[22] = page[23] = page[24] = page[25] = 0;
      int crc = 0;
      for (byte x : page) {
        crc = (crc << 8) ^ OGG_CRC[((crc >>> 24) ^ x) & 0xFF];
      }
      require((crc & 0xFFFFFFFFL) == stored, "CRC mismatch on page " + pages);
      require(((flags & 1) != 0) == (packet.size() > 0), "continuation flag wrong on page " + pages);
      int body = at + 27 + segments;
      for (int s = 0; s < segments; s++) {
        int lace = u8(b, at + 27 + s);
        packet.write(b, body, lace);
        body += lace;
        if (lace < 255) {
          packets.add(packet.toByteArray());
          packet.reset();
        }
      }
      pages++;
      at += length;
    }
    require(eos, "no end-of-stream page");
    require(packets.size() >= 4, "fewer than 3 headers and one audio packet");
    String[] headers = {"\u0001vorbis", "\u0003vorbis", "\u0005vorbis"};
    for (int i = 0; i < 3; i++) {
      require(ascii(packets.get(i), 0, 7).equals(headers[i]), "Vorbis header " + i + " missing");
    }
    return new OggInfo(pages, packets);
  }

  private static long le32(byte[] b, int at) {
    return (u8(b, at) | u8(b, at + 1) << 8 | u8(b, at + 2) << 16 | (long) u8(b, at + 3) << 24);
  }
}
