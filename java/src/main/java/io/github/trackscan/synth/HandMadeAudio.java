package io.github.trackscan.synth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/*
 * No Debian package encodes Monkey's Audio, DSF or DSDIFF, so the tests and the mixed-format
 * benchmark write them from the formats' descriptions. Readers (ours and mutagen) never decode the
 * audio, so the payload is filler; it is sized as real files of that length are, because a scan's
 * cost depends on where in a file the tags are and how much it walks past, not on the samples.
 */
/**
 * Header-valid Monkey's Audio, DSF and DSDIFF files, written byte by byte: real headers and tags
 * (APEv2 for Monkey's Audio, ID3v2.4 for DSF and DSDIFF), an audio payload of filler the size a
 * real file of that duration has. Stereo throughout: Monkey's Audio 3.99 at 44.1 kHz, 16 bits,
 * about 50 KB a second (0.5 MB for 10 s, a tonal track's compression); DSF and DSDIFF at DSD64
 * (2.8224 MHz, 1 bit), 705,600 bytes a second.
 */
public final class HandMadeAudio {
  private HandMadeAudio() {}

  /** DSD64's sample rate: 64 times 44.1 kHz. */
  public static final int DSD64_RATE_HZ = 2_822_400;
  /** Monkey's Audio's sample rate here. */
  public static final int APE_RATE_HZ = 44_100;
  /** Channels of every file here. */
  public static final int CHANNELS = 2;

  private static final int APE_VERSION = 3990;
  private static final int APE_COMPRESSION = 2000; // "normal"
  /** Monkey's Audio 3.95 and later: 73728 x 4 blocks a frame. */
  private static final int APE_BLOCKS_PER_FRAME = 73728 * 4;
  private static final int APE_BYTES_PER_SECOND = 50_000;
  private static final int APE_DESCRIPTOR_BYTES = 52;
  private static final int APE_HEADER_BYTES = 24;
  /** Bytes of a DSF block, per channel: the value the format's description fixes. */
  private static final int DSF_BLOCK_BYTES = 4096;
  /** What a DSD stream of silence repeats (alternating bits average to zero). */
  private static final byte DSD_SILENCE = 0x69;

  /**
   * A Monkey's Audio 3.99 file: descriptor, header, seek table, {@code durationMs} of 16-bit
   * stereo at 44.1 kHz in frames of filler, then an APEv2 tag of {@code tags}.
   *
   * @param durationMs the duration the header declares, in milliseconds (at least 1)
   * @throws IllegalArgumentException when {@code durationMs} is not positive
   */
  public static byte[] monkeysAudio(TrackTags tags, int durationMs) {
    requirePositive(durationMs);
    long blocks = (long) APE_RATE_HZ * durationMs / 1000;
    int frames = (int) ((blocks + APE_BLOCKS_PER_FRAME - 1) / APE_BLOCKS_PER_FRAME);
    long finalFrameBlocks = blocks - (long) (frames - 1) * APE_BLOCKS_PER_FRAME;
    int frameData = (int) ((long) APE_BYTES_PER_SECOND * durationMs / 1000);
    int seekTable = 4 * frames;
    int audioStart = APE_DESCRIPTOR_BYTES + APE_HEADER_BYTES + seekTable;
    ByteBuffer b = ByteBuffer.allocate(audioStart + frameData).order(ByteOrder.LITTLE_ENDIAN);
    // Descriptor: version, padding, the lengths of each part (no WAV header, no trailer), MD5.
    b.put(ascii("MAC ")).putShort((short) APE_VERSION).putShort((short) 0).putInt(APE_DESCRIPTOR_BYTES)
        .putInt(APE_HEADER_BYTES).putInt(seekTable).putInt(0).putInt(frameData).putInt(0).putInt(0).put(new byte[16]);
    b.putShort((short) APE_COMPRESSION).putShort((short) 0).putInt(APE_BLOCKS_PER_FRAME).putInt((int) finalFrameBlocks)
        .putInt(frames).putShort((short) 16).putShort((short) CHANNELS).putInt(APE_RATE_HZ);
    for (int f = 0; f < frames; f++) {
      b.putInt(audioStart + (int) ((long) frameData * f / frames));
    }
    return concat(b.array(), apev2("Title", tags.title(), "Artist", tags.artist(), "Album", tags.album(),
        "Album Artist", tags.albumArtist(), "Track", tags.track() + "/" + tags.trackTotal(),
        "Disc", tags.disc() + "/" + tags.discTotal(), "Year", Integer.toString(tags.year()), "Genre", tags.genre()));
  }

  /**
   * An APEv2 tag (header, UTF-8 text items, footer).
   *
   * @param keysAndValues item keys (ASCII) and values, alternately
   * @throws IllegalArgumentException when a key has no value
   */
  public static byte[] apev2(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("a key without a value: " + keysAndValues[keysAndValues.length - 1]);
    }
    ByteArrayOutputStream items = new ByteArrayOutputStream();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      byte[] value = keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
      items.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length).putInt(0).array());
      items.writeBytes(ascii(keysAndValues[i]));
      items.write(0);
      items.writeBytes(value);
    }
    int count = keysAndValues.length / 2;
    int size = items.size() + 32; // the size counts the items and the footer, not the header
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(apeHeader(size, count, 0xA0000000)); // has a header, is the header
    out.writeBytes(items.toByteArray());
    out.writeBytes(apeHeader(size, count, 0x80000000)); // has a header, is the footer
    return out.toByteArray();
  }

  private static byte[] apeHeader(int size, int count, int flags) {
    return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).put(ascii("APETAGEX")).putInt(2000).putInt(size)
        .putInt(count).putInt(flags).putLong(0).array();
  }

  /**
   * A DSF file: the DSD chunk (pointing at the tag), fmt (DSD64 stereo, 1 bit, {@code durationMs}
   * of samples), a data chunk of silence in whole 4096-byte blocks a channel, then an ID3v2.4 tag
   * of {@code tags}.
   *
   * @param durationMs the duration the fmt chunk declares, in milliseconds (at least 1)
   * @throws IllegalArgumentException when {@code durationMs} is not positive
   */
  public static byte[] dsf(TrackTags tags, int durationMs) {
    requirePositive(durationMs);
    long samples = (long) DSD64_RATE_HZ * durationMs / 1000;
    int blocksPerChannel = (int) ((samples / 8 + DSF_BLOCK_BYTES - 1) / DSF_BLOCK_BYTES);
    int dataBytes = blocksPerChannel * DSF_BLOCK_BYTES * CHANNELS;
    byte[] id3 = id3v24(tags);
    long metadata = 28 + 52 + 12 + dataBytes;
    ByteBuffer b = ByteBuffer.allocate((int) metadata + id3.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("DSD ")).putLong(28).putLong(b.capacity()).putLong(metadata);
    // fmt: version 1, DSD raw, channel type 2 (stereo), channels, rate, bits, samples, block size.
    b.put(ascii("fmt ")).putLong(52).putInt(1).putInt(0).putInt(2).putInt(CHANNELS).putInt(DSD64_RATE_HZ).putInt(1)
        .putLong(samples).putInt(DSF_BLOCK_BYTES).putInt(0);
    b.put(ascii("data")).putLong(12 + dataBytes);
    Arrays.fill(b.array(), b.position(), b.position() + dataBytes, DSD_SILENCE);
    b.position(b.position() + dataBytes);
    b.put(id3);
    return b.array();
  }

  /**
   * A DSDIFF file: FRM8 of type DSD with FVER, PROP/SND (FS at DSD64, CHNL stereo, CMPR
   * uncompressed), a DSD chunk of {@code durationMs} of silence, and an "ID3 " chunk of
   * {@code tags} in ID3v2.4 (DSDIFF defines no tag chunk of its own; the ID3 chunk is what
   * mutagen and players read).
   *
   * @param durationMs the duration of the DSD chunk, in milliseconds (at least 1)
   * @throws IllegalArgumentException when {@code durationMs} is not positive
   */
  public static byte[] dff(TrackTags tags, int durationMs) {
    requirePositive(durationMs);
    long samples = (long) DSD64_RATE_HZ * durationMs / 1000;
    int dsdBytes = (int) (samples / 8 * CHANNELS);
    ByteArrayOutputStream prop = new ByteArrayOutputStream();
    prop.writeBytes(ascii("SND "));
    prop.writeBytes(dffChunk("FS  ", ByteBuffer.allocate(4).putInt(DSD64_RATE_HZ).array()));
    prop.writeBytes(dffChunk("CHNL", concat(new byte[] {0, CHANNELS}, ascii("SLFTSRGT"))));
    prop.writeBytes(dffChunk("CMPR", concat(ascii("DSD "), concat(new byte[] {14}, ascii("not compressed")))));
    byte[] silence = new byte[dsdBytes];
    Arrays.fill(silence, DSD_SILENCE);
    ByteArrayOutputStream body = new ByteArrayOutputStream(dsdBytes + 4096);
    body.writeBytes(ascii("DSD "));
    body.writeBytes(dffChunk("FVER", new byte[] {1, 5, 0, 0}));
    body.writeBytes(dffChunk("PROP", prop.toByteArray()));
    body.writeBytes(dffChunk("DSD ", silence));
    body.writeBytes(dffChunk("ID3 ", id3v24(tags)));
    return concat(ascii("FRM8"), concat(ByteBuffer.allocate(8).putLong(body.size()).array(), body.toByteArray()));
  }

  /** A DSDIFF chunk: id, 64-bit big-endian size, data, a pad byte to even. */
  private static byte[] dffChunk(String id, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length + (data.length & 1)).order(ByteOrder.BIG_ENDIAN);
    return b.put(ascii(id)).putLong(data.length).put(data).array();
  }

  private static byte[] id3v24(TrackTags tags) {
    Bytes b = new Bytes(1024);
    Mp3Encoder.writeId3v2(b, 4, tags, null);
    return b.toArray();
  }

  private static void requirePositive(int durationMs) {
    if (durationMs <= 0) {
      throw new IllegalArgumentException("duration " + durationMs + " ms; must be positive");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
