package io.github.trackscan.synth;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/*
 * An MP3 here is an ID3v2 tag, FRAMES MPEG-1 Layer III frames of silence (64 kbit/s, 44.1 kHz,
 * mono, no padding: 208 bytes each, all-zero side information, so part2_3_length is 0 and every
 * granule decodes to silence) and optionally an ID3v1.1 tag.
 */
/** Encodes tracks as MP3 files with ID3v2.3 or ID3v2.4 tags. */
final class Mp3Encoder {
  static final int FRAMES = 20;
  /**
   * Frames of a tiny file ({@link SynthOptions#tiny()}): the fewest that readers and the structural
   * checks accept as a stream rather than a stray sync, and with the tags one 4 KiB block.
   */
  static final int TINY_FRAMES = 10;
  static final int FRAME_BYTES = 208;
  /** Frame header: sync, MPEG-1, Layer III, no CRC; 64 kbit/s, 44.1 kHz, no padding; mono. */
  static final byte[] FRAME_HEADER = {(byte) 0xFF, (byte) 0xFB, (byte) 0x50, (byte) 0xC0};
  static final int ID3_PADDING = 512;

  /** ID3v1 genre numbers for the genres the generator uses; others get 255 (none). */
  private static final Map<String, Integer> ID3V1_GENRES = Map.ofEntries(
      Map.entry("Blues", 0), Map.entry("Country", 2), Map.entry("Funk", 5), Map.entry("Hip-Hop", 7),
      Map.entry("Jazz", 8), Map.entry("Metal", 9), Map.entry("Pop", 13), Map.entry("Reggae", 16),
      Map.entry("Rock", 17), Map.entry("Soundtrack", 24), Map.entry("Ambient", 26),
      Map.entry("Classical", 32), Map.entry("Soul", 42), Map.entry("Punk", 43),
      Map.entry("Electronic", 52), Map.entry("Folk", 80));

  private Mp3Encoder() {}

  static byte[] encode(TrackFormat format, TrackTags tags, byte[] cover) {
    return encode(format, tags, cover, FRAMES);
  }

  static byte[] encode(TrackFormat format, TrackTags tags, byte[] cover, int frames) {
    if (!format.isMp3()) {
      throw new IllegalArgumentException("not MP3: " + format);
    }
    Bytes b = new Bytes(4096 + (cover == null ? 0 : cover.length) + frames * FRAME_BYTES);
    writeId3v2(b, format.id3v2Version(), tags, cover);
    writeFrames(b, frames);
    if (format.hasId3v1()) {
      writeId3v1(b, tags);
    }
    return b.toArray();
  }

  static void writeFrames(Bytes b, int frames) {
    for (int i = 0; i < frames; i++) {
      b.bytes(FRAME_HEADER).zeros(FRAME_BYTES - FRAME_HEADER.length);
    }
  }

  static void writeId3v2(Bytes b, int version, TrackTags t, byte[] cover) {
    int start = b.size();
    b.ascii("ID3").u8(version).u8(0).u8(0).u32be(0);
    text(b, version, "TIT2", t.title());
    text(b, version, "TPE1", t.artist());
    text(b, version, "TALB", t.album());
    text(b, version, "TPE2", t.albumArtist());
    text(b, version, "TRCK", t.track() + "/" + t.trackTotal());
    text(b, version, "TPOS", t.disc() + "/" + t.discTotal());
    text(b, version, version == 3 ? "TYER" : "TDRC", Integer.toString(t.year()));
    text(b, version, "TCON", t.genre());
    if (cover != null) {
      int frame = openFrame(b, "APIC");
      b.u8(0).ascii("image/jpeg").u8(0).u8(3).u8(0).bytes(cover);
      closeFrame(b, version, frame);
    }
    b.zeros(ID3_PADDING);
    int size = b.size() - start - 10;
    b.putU32be(start + 6, syncsafe(size));
  }

  private static void text(Bytes b, int version, String id, String value) {
    int frame = openFrame(b, id);
    if (version == 4) {
      b.u8(3).utf8(value);
    } else if (value.chars().allMatch(c -> c <= 0xFF)) {
      b.u8(0).bytes(value.getBytes(StandardCharsets.ISO_8859_1));
    } else {
      b.u8(1).u8(0xFF).u8(0xFE).bytes(value.getBytes(StandardCharsets.UTF_16LE));
    }
    closeFrame(b, version, frame);
  }

  private static int openFrame(Bytes b, String id) {
    int start = b.size();
    b.ascii(id).u32be(0).u16be(0);
    return start;
  }

  private static void closeFrame(Bytes b, int version, int start) {
    int size = b.size() - start - 10;
    b.putU32be(start + 4, version == 4 ? syncsafe(size) : size);
  }

  static int syncsafe(int v) {
    if (v >= 1 << 28) {
      throw new IllegalArgumentException("too large for a syncsafe integer: " + v);
    }
    return (v & 0x7F) | ((v << 1) & 0x7F00) | ((v << 2) & 0x7F0000) | ((v << 3) & 0x7F000000);
  }

  static void writeId3v1(Bytes b, TrackTags t) {
    b.ascii("TAG");
    latin1(b, t.title(), 30);
    latin1(b, t.artist(), 30);
    latin1(b, t.album(), 30);
    latin1(b, Integer.toString(t.year()), 4);
    b.zeros(28).u8(0).u8(Math.min(t.track(), 255)).u8(ID3V1_GENRES.getOrDefault(t.genre(), 255));
  }

  /** The value as ID3v1 stores it: Latin-1 ('?' for anything else), cut to {@code width} bytes. */
  static String id3v1Text(String value, int width) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < value.length() && s.length() < width; i++) {
      char c = value.charAt(i);
      s.append(c <= 0xFF && !Character.isSurrogate(c) ? c : '?');
      if (Character.isHighSurrogate(c)) {
        i++; // one '?' for a whole surrogate pair
      }
    }
    return s.toString();
  }

  private static void latin1(Bytes b, String value, int width) {
    byte[] bytes = id3v1Text(value, width).getBytes(StandardCharsets.ISO_8859_1);
    b.bytes(bytes).zeros(width - bytes.length);
  }
}
