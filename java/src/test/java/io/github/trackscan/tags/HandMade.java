package io.github.trackscan.tags;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Audio files no Debian package encodes, written byte by byte from the formats' descriptions:
 * Monkey's Audio (a 3.99 descriptor and header, a seek table, placeholder frame data, an APEv2
 * tag) and DSF (DSD, fmt and data chunks of silence, an ID3v2.4 tag at the end).
 */
final class HandMade {
  private HandMade() {}

  /** Monkey's Audio 3.99: 1.5 s at 44.1 kHz, 16 bits, stereo, in one frame, with an APEv2 tag. */
  static byte[] monkeysAudio(String title, String artist, String album, String albumArtist, String genre, String date) {
    int blocks = 66150; // 1.5 s
    int frameData = 2048;
    ByteBuffer b = ByteBuffer.allocate(52 + 24 + 4 + frameData).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("MAC ")).putShort((short) 3990).putShort((short) 0);
    b.putInt(52).putInt(24).putInt(4).putInt(0).putInt(frameData).putInt(0).putInt(0).put(new byte[16]);
    b.putShort((short) 2000).putShort((short) 0).putInt(73728 * 4).putInt(blocks).putInt(1)
        .putShort((short) 16).putShort((short) 2).putInt(44100);
    b.putInt(52 + 24 + 4); // the seek table: the one frame's offset
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b.array());
    out.writeBytes(apev2(new String[] {"Title", title, "Artist", artist, "Album", album, "Album Artist", albumArtist,
        "Track", "3/12", "Disc", "1/2", "Year", date, "Genre", genre}));
    return out.toByteArray();
  }

  /** An APEv2 tag (header, items, footer) of {@code keysAndValues}. */
  static byte[] apev2(String[] keysAndValues) {
    ByteArrayOutputStream items = new ByteArrayOutputStream();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      byte[] value = keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
      ByteBuffer item = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length).putInt(0);
      items.writeBytes(item.array());
      items.writeBytes(ascii(keysAndValues[i]));
      items.write(0);
      items.writeBytes(value);
    }
    int count = keysAndValues.length / 2;
    int size = items.size() + 32;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(apeHeader(size, count, 0xA0000000));
    out.writeBytes(items.toByteArray());
    out.writeBytes(apeHeader(size, count, 0x80000000));
    return out.toByteArray();
  }

  private static byte[] apeHeader(int size, int count, int flags) {
    return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).put(ascii("APETAGEX")).putInt(2000).putInt(size)
        .putInt(count).putInt(flags).putLong(0).array();
  }

  /** DSF: 0.5 s of DSD64 stereo silence with an ID3v2.4 tag. */
  static byte[] dsf(String title, String artist, String album, String albumArtist, String genre, String date) {
    int rate = 2_822_400;
    long samples = rate / 2;
    int blockBytes = 4096;
    int blocksPerChannel = (int) ((samples / 8 + blockBytes - 1) / blockBytes);
    int dataBytes = blocksPerChannel * blockBytes * 2;
    byte[] id3 = AudioFixtures.id3v24(new AudioFixtures.Meta(title, artist, album, albumArtist, 3, 12, 1, 2, date, genre), 16);
    long metadata = 28 + 52 + 12 + dataBytes;
    long total = metadata + id3.length;
    ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("DSD ")).putLong(28).putLong(total).putLong(metadata);
    b.put(ascii("fmt ")).putLong(52).putInt(1).putInt(0).putInt(2).putInt(2).putInt(rate).putInt(1).putLong(samples)
        .putInt(blockBytes).putInt(0);
    b.put(ascii("data")).putLong(12 + dataBytes);
    for (int i = 0; i < dataBytes; i++) {
      b.put((byte) 0x69); // DSD silence
    }
    b.put(id3);
    return b.array();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
