package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * Raw AAC in ADTS frames (after an ID3v2 tag if one leads): up to 100 frames from the first sync
 * with the same fixed header are walked in memory; their samples (1024 a raw data block) over their
 * bytes, scaled to the stream's length, give the duration, as mutagen estimates it. Tags: the
 * leading ID3v2 tag.
 */
/** Reads raw AAC (ADTS) from memory. */
final class AdtsReader {
  private AdtsReader() {}

  private static final String FORMAT = "AAC (ADTS)";
  private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
      7350};
  private static final int FRAMES_MAX = 100;
  private static final int SYNC_SEARCH_BYTES = 512;
  private static final int READ_BYTES = 64 * 1024;

  /** Whether {@code b} holds an ADTS frame header at {@code at}: sync, then layer 0. */
  static boolean isHeader(ByteBuffer b, int at) {
    return at + 7 <= b.limit() && (b.get(at) & 0xFF) == 0xFF && (b.get(at + 1) & 0xF6) == 0xF0;
  }

  static TrackTags read(Source in) throws IOException, TagReadException {
    long start = 0;
    TrackTags tags = null;
    ByteBuffer h = in.read(0, Math.min(in.size, 10), ByteOrder.BIG_ENDIAN, FORMAT, "the header");
    if (h.limit() >= 10 && Source.matches(h, 0, "ID3")) {
      start = Id3Text.tagBytes(h, 0);
      tags = LeadingId3.read(in);
    }
    if (start >= in.size) {
      throw in.fail(FORMAT, "no audio after the ID3v2 tag");
    }
    ByteBuffer audio = in.read(start, Math.min(in.size - start, READ_BYTES), ByteOrder.BIG_ENDIAN, FORMAT, "the first frames");
    int first = -1;
    for (int at = 0; at < Math.min(SYNC_SEARCH_BYTES, audio.limit() - 7); at++) {
      if (isHeader(audio, at)) {
        first = at;
        break;
      }
    }
    if (first < 0) {
      throw in.fail(FORMAT, "no ADTS frame sync in the first " + SYNC_SEARCH_BYTES + " bytes");
    }
    long fixed = fixedHeader(audio, first);
    int rateIndex = (int) ((fixed >>> 10) & 15);
    int channelConfig = (int) ((fixed >>> 6) & 7);
    long samples = 0;
    long bytes = 0;
    int frames = 0;
    int at = first;
    while (frames < FRAMES_MAX && isHeader(audio, at) && fixedHeader(audio, at) == fixed) {
      int length = ((audio.get(at + 3) & 0x03) << 11) | ((audio.get(at + 4) & 0xFF) << 3) | ((audio.get(at + 5) & 0xFF) >>> 5);
      if (length < 7 || at + length > audio.limit()) {
        break;
      }
      samples += 1024L * ((audio.get(at + 6) & 0x03) + 1);
      bytes += length;
      frames++;
      at += length;
    }
    if (frames == 0 || rateIndex >= RATES.length) {
      throw in.fail(FORMAT, rateIndex >= RATES.length ? "reserved sample rate index " + rateIndex : "no whole ADTS frame");
    }
    int rate = RATES[rateIndex];
    long streamBytes = in.size - start - first;
    double seconds = samples * (double) streamBytes / (bytes * (double) rate);
    int channels = channelConfig == 7 ? 8 : channelConfig;
    return StreamProperties.of(tags, seconds, (int) Math.round(bytes * 8.0 * rate / samples / 1000), rate, channels,
        "AAC (ADTS)");
  }

  /** The header bits that stay the same from frame to frame: id, layer, protection, profile, rate, channels... */
  private static long fixedHeader(ByteBuffer b, int at) {
    return ((b.get(at + 1) & 0x0FL) << 16) | ((b.get(at + 2) & 0xFFL) << 8) | (b.get(at + 3) & 0xF0L);
  }
}
