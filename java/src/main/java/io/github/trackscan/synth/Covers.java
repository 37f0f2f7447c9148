package io.github.trackscan.synth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/*
 * A cover is a valid 16x16 baseline JPEG (the committed resource cover-16x16.jpg, made with
 * `ffmpeg -f lavfi -i color=c=0x336699:s=16x16 -frames:v 1 -q:v 8 cover-16x16.jpg`) with COM
 * (comment) segments of incompressible noise inserted after SOI, so it has any size we ask for and
 * every JPEG reader still decodes it. The noise comes from one shared pool, sliced at an offset
 * derived from the cover's seed: cheap to make and deterministic.
 */
/** Makes JPEG images of an exact size. */
final class Covers {
  private static final byte[] TINY = resource("cover-16x16.jpg");
  private static final int POOL_BYTES = 1 << 20;
  private static final byte[] POOL = new byte[POOL_BYTES + 65536];
  private static final int SEGMENT_PAYLOAD_MAX = 65533;

  static {
    SplittableRandom random = new SplittableRandom(0x5EED_C0FEL);
    for (int i = 0; i + 8 <= POOL.length; i += 8) {
      long v = random.nextLong();
      for (int k = 0; k < 8; k++) {
        POOL[i + k] = (byte) (v >>> (8 * k));
      }
    }
  }

  private Covers() {}

  /** The smallest cover {@link #jpeg} can make. */
  static int minBytes() {
    return TINY.length + 8;
  }

  /** A valid JPEG of exactly {@code length} bytes whose padding is chosen by {@code seed}. */
  static byte[] jpeg(int length, long seed) {
    if (length < minBytes()) {
      throw new IllegalArgumentException("cover too small: " + length);
    }
    byte[] out = new byte[length];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    int at = 2;
    int filler = length - TINY.length;
    SplittableRandom random = new SplittableRandom(seed);
    while (filler > 0) {
      int payload = Math.min(filler - 4, SEGMENT_PAYLOAD_MAX);
      if (filler - 4 - payload > 0 && filler - 4 - payload < 4) {
        payload -= 4; // leave room for one more whole segment
      }
      out[at] = (byte) 0xFF;
      out[at + 1] = (byte) 0xFE;
      out[at + 2] = (byte) ((payload + 2) >>> 8);
      out[at + 3] = (byte) (payload + 2);
      System.arraycopy(POOL, random.nextInt(POOL_BYTES), out, at + 4, payload);
      at += 4 + payload;
      filler -= 4 + payload;
    }
    System.arraycopy(TINY, 2, out, at, TINY.length - 2);
    return out;
  }

  static byte[] resource(String name) {
    try (InputStream in = Covers.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading resource " + name, e);
    }
  }
}
