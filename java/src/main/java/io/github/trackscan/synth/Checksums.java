package io.github.trackscan.synth;

/** The checksums the formats need: FLAC's CRC-8 and CRC-16, Ogg's CRC-32. */
final class Checksums {
  private static final int[] CRC8 = new int[256];
  private static final int[] CRC16 = new int[256];
  private static final int[] OGG = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c8 = i;
      for (int b = 0; b < 8; b++) {
        c8 = (c8 & 0x80) != 0 ? ((c8 << 1) ^ 0x07) & 0xFF : (c8 << 1) & 0xFF;
      }
      CRC8[i] = c8;
      int c16 = i << 8;
      for (int b = 0; b < 8; b++) {
        c16 = (c16 & 0x8000) != 0 ? ((c16 << 1) ^ 0x8005) & 0xFFFF : (c16 << 1) & 0xFFFF;
      }
      CRC16[i] = c16;
      int c32 = i << 24;
      for (int b = 0; b < 8; b++) {
        c32 = (c32 & 0x80000000) != 0 ? (c32 << 1) ^ 0x04C11DB7 : c32 << 1;
      }
      OGG[i] = c32;
    }
  }

  private Checksums() {}

  /** FLAC frame-header CRC-8 (polynomial 0x07, initial 0). */
  static int crc8(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc = CRC8[(crc ^ b[i]) & 0xFF];
    }
    return crc;
  }

  /** FLAC frame CRC-16 (polynomial 0x8005, initial 0, not reflected). */
  static int crc16(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc = ((crc << 8) ^ CRC16[((crc >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
    }
    return crc;
  }

  /** Ogg page CRC-32 (polynomial 0x04C11DB7, initial 0, not reflected, no final xor). */
  static int ogg(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc = (crc << 8) ^ OGG[((crc >>> 24) ^ b[i]) & 0xFF];
    }
    return crc;
  }
}
