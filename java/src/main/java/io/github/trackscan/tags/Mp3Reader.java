package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagNotFoundException;
import org.jaudiotagger.tag.id3.ID3v11Tag;
import org.jaudiotagger.tag.id3.ID3v1Tag;

/*
 * MPEG audio (Layers I, II and III, MPEG-1, 2 and 2.5). The ID3v2 tag's fields come from Id3Text
 * (every version and shape of tag; one it cannot take counts as none); then the first frame
 * header whose successor also parses, and its Xing/Info or VBRI header, give the stream:
 *  - with a Xing/Info frame count: frames x samples a frame (1152, or 576 for MPEG-2/2.5 Layer III,
 *    384 for Layer I), less the encoder delay and padding of a LAME header, as mutagen does;
 *  - with a VBRI header: its frame count;
 *  - otherwise the bytes from the first frame to the end at the first frame's bitrate (mutagen's
 *    estimate too, so a VBR file without a header reports what mutagen reports).
 * An ID3v1 tag is read (one more pread of 128 bytes) only when there is no ID3v2 tag. A tag that
 * runs past the end of the file, or no frame sync, sends the file to jaudiotagger (a Fallback).
 */
/** Reads MPEG audio (MP3, MP2) from memory. */
final class Mp3Reader {
  private Mp3Reader() {}

  /** How far past the ID3v2 tag the first MPEG frame is looked for. */
  static final int SYNC_SEARCH_BYTES = 8 * 1024;

  private static final int[][] BITRATES_KBPS = {
      // MPEG-1 layers I, II, III
      {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
      {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
      // MPEG-2/2.5 layer I, then layers II and III
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
      {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
  private static final int[][] SAMPLE_RATES = {{44100, 48000, 32000}, {22050, 24000, 16000}, {11025, 12000, 8000}};

  /** One decoded frame header; version 0 = MPEG-1, 1 = MPEG-2, 2 = MPEG-2.5. */
  record Frame(int version, int layer, int bitrateKbps, int sampleRate, boolean padding, int channelMode) {
    int samplesPerFrame() {
      return layer == 1 ? 384 : layer == 2 || version == 0 ? 1152 : 576;
    }

    int lengthBytes() {
      int pad = padding ? (layer == 1 ? 4 : 1) : 0;
      if (layer == 1) {
        return (12 * bitrateKbps * 1000 / sampleRate) * 4 + pad;
      }
      return samplesPerFrame() / 8 * bitrateKbps * 1000 / sampleRate + pad;
    }

    int channels() {
      return channelMode == 3 ? 1 : 2;
    }

    String codec() {
      return "MPEG-" + (version == 0 ? "1" : version == 1 ? "2" : "2.5") + " Layer " + layer;
    }
  }

  /** The frame header {@code h}, or null when it is not one (reserved values, free format). */
  static Frame frame(int h) {
    if ((h & 0xFFE00000) != 0xFFE00000) {
      return null;
    }
    int versionBits = (h >>> 19) & 3;
    int layerBits = (h >>> 17) & 3;
    int bitrateIndex = (h >>> 12) & 15;
    int rateIndex = (h >>> 10) & 3;
    if (versionBits == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return null; // Reserved, or free format: let jaudiotagger judge.
    }
    int version = versionBits == 3 ? 0 : versionBits == 2 ? 1 : 2;
    int layer = 4 - layerBits;
    int table = version == 0 ? layer - 1 : layer == 1 ? 3 : 4;
    return new Frame(version, layer, BITRATES_KBPS[table][bitrateIndex], SAMPLE_RATES[version][rateIndex],
        ((h >>> 9) & 1) == 1, (h >>> 6) & 3);
  }

  static TrackTags read(Source in) throws IOException, Fallback {
    ByteBuffer head = in.head.order(ByteOrder.BIG_ENDIAN);
    long size = in.size;
    TrackTags text = null;
    long audioStart = 0;
    if (head.limit() >= 10 && Source.matches(head, 0, "ID3")) {
      long tagBytes = Id3Text.tagBytes(head, 0);
      if (tagBytes > size) {
        throw Fallback.INSTANCE;
      }
      text = Id3Text.read(in, 0);
      audioStart = tagBytes;
    }
    ByteBuffer audio;
    if (audioStart + SYNC_SEARCH_BYTES + 8 <= head.limit() || head.limit() == size) {
      audio = head.duplicate().position((int) Math.min(audioStart, head.limit())).slice();
    } else {
      long length = Math.min(SYNC_SEARCH_BYTES + 2048, size - audioStart);
      audio = in.slice(audioStart, (int) length);
    }
    // The first frame whose successor also parses: no false sync in junk after the tag.
    int limit = Math.min(audio.limit() - 4, SYNC_SEARCH_BYTES);
    for (int at = 0; at < limit; at++) {
      if ((audio.get(at) & 0xFF) != 0xFF) {
        continue;
      }
      Frame first = frame(audio.getInt(at));
      if (first == null) {
        continue;
      }
      int next = at + first.lengthBytes();
      if (next + 4 > audio.limit()) {
        break;
      }
      Frame second = frame(audio.getInt(next));
      if (second == null || second.version() != first.version() || second.layer() != first.layer()
          || second.sampleRate() != first.sampleRate()) {
        continue;
      }
      if (text == null) {
        text = JaudiotaggerReader.toTags(id3v1(in), null);
      }
      return stream(text, first, audio, at, audioStart + at, size);
    }
    throw Fallback.INSTANCE;
  }

  private static TrackTags stream(TrackTags text, Frame frame, ByteBuffer audio, int at, long frameStart, long size) {
    long frames = -1;
    long xingBytes = -1;
    long trimmed = 0;
    int sideInfo = frame.version() == 0 ? (frame.channels() == 1 ? 17 : 32) : (frame.channels() == 1 ? 9 : 17);
    int xing = at + 4 + sideInfo;
    int vbri = at + 4 + 32;
    if (frame.layer() == 3 && xing + 8 <= audio.limit() && (Source.matches(audio, xing, "Xing") || Source.matches(audio, xing, "Info"))) {
      int flags = audio.getInt(xing + 4);
      int field = xing + 8;
      if ((flags & 1) != 0 && field + 4 <= audio.limit()) {
        frames = audio.getInt(field) & 0xFFFFFFFFL;
        field += 4;
      }
      if ((flags & 2) != 0 && field + 4 <= audio.limit()) {
        xingBytes = audio.getInt(field) & 0xFFFFFFFFL;
        field += 4;
      }
      field += (flags & 4) != 0 ? 100 : 0;
      field += (flags & 8) != 0 ? 4 : 0;
      trimmed = lameDelayAndPadding(audio, field);
    } else if (frame.layer() == 3 && vbri + 18 <= audio.limit() && Source.matches(audio, vbri, "VBRI")) {
      frames = audio.getInt(vbri + 14) & 0xFFFFFFFFL;
    }
    double seconds;
    int kbps;
    if (frames > 0) {
      long samples = frames * frame.samplesPerFrame();
      seconds = Math.max(0, samples - trimmed) / (double) frame.sampleRate();
      long audioBytes = xingBytes > 0 ? Math.max(0, xingBytes - frame.lengthBytes()) : size - frameStart;
      kbps = (int) Math.round(audioBytes * 8.0 * frame.sampleRate() / samples / 1000);
    } else {
      kbps = frame.bitrateKbps();
      seconds = (size - frameStart) * 8.0 / (kbps * 1000.0);
    }
    return StreamProperties.of(text, seconds, kbps, frame.sampleRate(), frame.channels(), frame.codec());
  }

  /**
   * The encoder delay plus padding, in samples, of the LAME header whose version string starts at
   * {@code at} (after the Xing fields), or 0 when there is none (LAME before 3.90 wrote none).
   */
  static long lameDelayAndPadding(ByteBuffer audio, int at) {
    if (at + 20 + 15 > audio.limit() || !(Source.matches(audio, at, "LAME") || Source.matches(audio, at, "L3.99"))) {
      return 0;
    }
    int p = at;
    while (p < at + 4 && "EMAL".indexOf(audio.get(p)) >= 0) {
      p++;
    }
    int major = audio.get(p) - '0';
    p++;
    while (p < at + 20 && audio.get(p) == '.') {
      p++;
    }
    int minor = 0;
    int digits = 0;
    while (p < at + 20 && audio.get(p) >= '0' && audio.get(p) <= '9' && digits < 4) {
      minor = minor * 10 + audio.get(p) - '0';
      p++;
      digits++;
    }
    if (major < 0 || major > 9 || digits == 0 || major < 3 || (major == 3 && minor < 90)
        || (major == 3 && minor == 90 && audio.get(at + 20 - 11) == '(')) {
      return 0;
    }
    int lame = at + 9;
    if ((audio.get(lame) & 0xF0) != 0) {
      return 0; // An unknown header revision.
    }
    int b12 = audio.get(lame + 12) & 0xFF;
    int b13 = audio.get(lame + 13) & 0xFF;
    int b14 = audio.get(lame + 14) & 0xFF;
    int delay = (b12 << 4) | (b13 >>> 4);
    int padding = ((b13 & 0x0F) << 8) | b14;
    return delay + padding;
  }

  /** The ID3v1 tag in the last 128 bytes, or null. */
  static Tag id3v1(Source in) throws IOException {
    if (in.size < 128 + 4) {
      return null;
    }
    ByteBuffer tail = ByteBuffer.allocate(128);
    Source.readFully(in.channel, tail, in.size - 128);
    tail.flip();
    if (tail.limit() < 128 || tail.get(0) != 'T' || tail.get(1) != 'A' || tail.get(2) != 'G') {
      return null;
    }
    try {
      ID3v11Tag v11 = new ID3v11Tag();
      v11.read(tail.duplicate());
      return v11;
    } catch (TagNotFoundException e) {
      try {
        ID3v1Tag v1 = new ID3v1Tag();
        v1.read(tail.duplicate());
        return v1;
      } catch (TagNotFoundException again) {
        return null;
      }
    }
  }
}
