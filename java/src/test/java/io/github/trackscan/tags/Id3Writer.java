package io.github.trackscan.tags;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes ID3v2.2, 2.3 and 2.4 tags byte by byte from the specification, in the shapes mutagen
 * reads but does not write (ID3v2.2, unsynchronisation, extended headers, compressed, encrypted,
 * grouped and data-length frames, iTunes' plain ID3v2.4 sizes), for {@link Id3DifferentialTest}.
 */
final class Id3Writer {
  /** Frame options: compressed (zlib), encrypted, grouped, a data-length indicator, unsynchronised (ID3v2.4). */
  static final int COMPRESS = 1;
  static final int ENCRYPT = 2;
  static final int GROUP = 4;
  static final int DATA_LENGTH = 8;
  static final int UNSYNC = 16;

  private final int version;
  private final List<byte[]> frames = new ArrayList<>();
  private boolean unsynchronised;
  private byte[] extended;
  private boolean plainSizes;
  private int padding = 64;
  private java.util.function.UnaryOperator<byte[]> damage = b -> b;
  private java.util.function.UnaryOperator<byte[]> damageStored = b -> b;

  Id3Writer(int version) {
    this.version = version;
  }

  int version() {
    return version;
  }

  /** Tag-level unsynchronisation (ID3v2.2/2.3: the whole tag; ID3v2.4: every frame). */
  Id3Writer unsynchronised() {
    unsynchronised = true;
    return this;
  }

  /** An extended header (ID3v2.3: 6 bytes after its size, CRC flag off; ID3v2.4: 6 bytes in all). */
  Id3Writer extendedHeader() {
    extended = version == 4 ? new byte[] {0, 0, 0, 6, 1, 0} : new byte[] {0, 0, 0, 6, 0, 0, 0, 0, 0, 0};
    return this;
  }

  /** ID3v2.4 frame sizes as plain integers, as iTunes once wrote them. */
  Id3Writer plainSizes() {
    plainSizes = true;
    return this;
  }

  /** Changes each frame's body before the frame is written (its size, flags and encodings follow the changed body). */
  Id3Writer damage(java.util.function.UnaryOperator<byte[]> bodies) {
    damage = bodies;
    return this;
  }

  /** Changes each frame's stored bytes (compressed, unsynchronised) before the frame is written. */
  Id3Writer damageStored(java.util.function.UnaryOperator<byte[]> stored) {
    damageStored = stored;
    return this;
  }

  Id3Writer padding(int bytes) {
    padding = bytes;
    return this;
  }

  Id3Writer frame(String id, byte[] body) {
    return frame(id, body, 0);
  }

  /** A frame with {@code options} (COMPRESS, ENCRYPT, GROUP, DATA_LENGTH, UNSYNC). */
  Id3Writer frame(String id, byte[] original, int options) {
    byte[] body = damage.apply(original);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
    if (version == 2) {
      out.writeBytes(new byte[] {(byte) (body.length >> 16), (byte) (body.length >> 8), (byte) body.length});
      out.writeBytes(body);
      frames.add(out.toByteArray());
      return this;
    }
    byte[] data = (options & COMPRESS) != 0 ? deflate(body) : body;
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    int flags = 0;
    if (version == 3) {
      if ((options & COMPRESS) != 0) {
        flags |= 0x0080;
        extra.writeBytes(be32(body.length));
      }
      if ((options & ENCRYPT) != 0) {
        flags |= 0x0040;
        extra.write(0x80);
      }
      if ((options & GROUP) != 0) {
        flags |= 0x0020;
        extra.write(0x81);
      }
    } else {
      if ((options & GROUP) != 0) {
        flags |= 0x0040;
        extra.write(0x81);
      }
      if ((options & ENCRYPT) != 0) {
        flags |= 0x0004;
        extra.write(0x80);
      }
      if ((options & COMPRESS) != 0) {
        flags |= 0x0008;
      }
      if ((options & (COMPRESS | DATA_LENGTH)) != 0) {
        flags |= 0x0001;
        extra.writeBytes(syncsafe(body.length));
      }
      if ((options & UNSYNC) != 0 || unsynchronised) {
        flags |= (options & UNSYNC) != 0 ? 0x0002 : 0;
        data = unsynchronise(data);
      }
    }
    data = damageStored.apply(data);
    int size = extra.size() + data.length;
    out.writeBytes(version == 4 && !plainSizes ? syncsafe(size) : be32(size));
    out.writeBytes(new byte[] {(byte) (flags >> 8), (byte) flags});
    out.writeBytes(extra.toByteArray());
    out.writeBytes(data);
    frames.add(out.toByteArray());
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (extended != null) {
      body.writeBytes(extended);
    }
    for (byte[] f : frames) {
      body.writeBytes(f);
    }
    byte[] content = body.toByteArray();
    if (unsynchronised && version < 4) {
      content = unsynchronise(content);
    }
    int flags = (unsynchronised ? 0x80 : 0) | (extended != null ? 0x40 : 0);
    ByteArrayOutputStream tag = new ByteArrayOutputStream();
    tag.writeBytes(new byte[] {'I', 'D', '3', (byte) version, 0, (byte) flags});
    tag.writeBytes(syncsafe(content.length + padding));
    tag.writeBytes(content);
    tag.writeBytes(new byte[padding]);
    return tag.toByteArray();
  }

  /** This tag in front of 60 frames of MPEG-1 Layer III (about 1.6 s). */
  byte[] mp3() {
    return concat(build(), frames(60));
  }

  static byte[] frames(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int f = 0; f < count; f++) {
      byte[] frame = new byte[AudioFixtures.FRAME_BYTES];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xFB;
      frame[2] = (byte) 0x90;
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  /** The specification's unsynchronisation: a 00 after every FF followed by 00, by E0 or more, or by nothing. */
  static byte[] unsynchronise(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < data.length; i++) {
      out.write(data[i]);
      if ((data[i] & 0xFF) == 0xFF && (i + 1 == data.length || data[i + 1] == 0 || (data[i + 1] & 0xFF) >= 0xE0)) {
        out.write(0);
      }
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    byte[] out = new byte[data.length * 2 + 64];
    int n = deflater.deflate(out);
    deflater.end();
    return java.util.Arrays.copyOf(out, n);
  }

  static byte[] syncsafe(int n) {
    return new byte[] {(byte) ((n >> 21) & 0x7F), (byte) ((n >> 14) & 0x7F), (byte) ((n >> 7) & 0x7F), (byte) (n & 0x7F)};
  }

  static byte[] be32(int n) {
    return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(n).array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Text encodings: 0 Latin-1, 1 UTF-16 with a little-endian mark, 2 UTF-16BE, 3 UTF-8; -1 UTF-16 (1) without a mark, -2 UTF-16 (1) with a big-endian mark. */
  static byte[] encoded(int encoding, String s, boolean terminated) {
    byte[] text = switch (encoding) {
      case 0 -> s.getBytes(StandardCharsets.ISO_8859_1);
      case 1 -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, s.getBytes(StandardCharsets.UTF_16LE));
      case -2 -> concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, s.getBytes(StandardCharsets.UTF_16BE));
      case -1 -> s.getBytes(StandardCharsets.UTF_16LE);
      case 2 -> s.getBytes(StandardCharsets.UTF_16BE);
      default -> s.getBytes(StandardCharsets.UTF_8);
    };
    boolean wide = encoding == 1 || encoding == 2 || encoding < 0;
    return terminated ? concat(text, wide ? new byte[2] : new byte[1]) : text;
  }

  private static byte encodingByte(int encoding) {
    return (byte) (encoding < 0 ? 1 : encoding);
  }

  /** A text frame's body: the values, each ended but the last. */
  static byte[] text(int encoding, String... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(encodingByte(encoding));
    for (int i = 0; i < values.length; i++) {
      out.writeBytes(encoded(encoding, values[i], i < values.length - 1));
    }
    return out.toByteArray();
  }

  /** A TXXX body: description, then value. */
  static byte[] txxx(int encoding, String description, String value) {
    return concat(new byte[] {encodingByte(encoding)}, encoded(encoding, description, true), encoded(encoding, value, false));
  }

  /** A COMM body: language, description, text. */
  static byte[] comm(int encoding, String language, String description, String text) {
    return concat(new byte[] {encodingByte(encoding)}, language.getBytes(StandardCharsets.US_ASCII),
        encoded(encoding, description, true), encoded(encoding, text, false));
  }

  /** An APIC body (ID3v2.2's PIC: {@code mime} is the three-letter format). */
  static byte[] picture(int version, int encoding, String mime, int type, String description, byte[] data) {
    byte[] format = version == 2 ? mime.getBytes(StandardCharsets.US_ASCII)
        : concat(mime.getBytes(StandardCharsets.ISO_8859_1), new byte[1]);
    return concat(new byte[] {encodingByte(encoding)}, format, new byte[] {(byte) type},
        encoded(encoding, description, true), data);
  }

  /** A UFID body. */
  static byte[] ufid(String owner, String id) {
    return concat(owner.getBytes(StandardCharsets.ISO_8859_1), new byte[1], id.getBytes(StandardCharsets.ISO_8859_1));
  }
}
