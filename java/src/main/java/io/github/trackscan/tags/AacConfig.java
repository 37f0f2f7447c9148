package io.github.trackscan.tags;

import java.nio.ByteBuffer;

/*
 * An MPEG-4 AudioSpecificConfig (the decoder-specific info of an AAC track in MP4), read as
 * mutagen reads it, for the two values it changes: the output sample rate of HE-AAC (SBR doubles
 * the core rate) and the channels (HE-AAC v2's parametric stereo makes a mono core stereo). SBR is
 * found when signalled explicitly (object type 5 or 29 first) or by the backward-compatible sync
 * extension (0x2b7) after the core config. A config whose channels come from a program config
 * element is not followed further (the sample entry's values stand), nor one with reserved bits.
 */
/** The sample rate and channels an AudioSpecificConfig gives; 0 where it does not say. */
record AacConfig(int sampleRateHz, int channels) {
  private static final int[] RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
      7350};

  /** Reads MSB first from a buffer; past its end, {@link #bits} returns -1 for good. */
  private static final class Bits {
    private final ByteBuffer b;
    private long position;

    Bits(ByteBuffer b) {
      this.b = b;
    }

    long left() {
      return b.limit() * 8L - position;
    }

    int bits(int n) {
      if (n > left()) {
        position = b.limit() * 8L;
        return -1;
      }
      int value = 0;
      for (int i = 0; i < n; i++) {
        int bit = (b.get((int) (position >>> 3)) >>> (7 - (int) (position & 7))) & 1;
        value = value << 1 | bit;
        position++;
      }
      return value;
    }
  }

  /** The config in {@code asc}, or null when it is too short to say anything. */
  static AacConfig parse(ByteBuffer asc) {
    Bits r = new Bits(asc);
    int objectType = objectType(r);
    int rate = rate(r);
    int channelConfig = r.bits(4);
    if (objectType < 0 || rate < 0 || channelConfig < 0) {
      return null;
    }
    int sbr = -1;
    int ps = -1;
    int extensionRate = 0;
    int extensionChannelConfig = -1;
    int extensionObjectType = 0;
    if (objectType == 5 || objectType == 29) {
      extensionObjectType = 5;
      sbr = 1;
      ps = objectType == 29 ? 1 : -1;
      extensionRate = rate(r);
      objectType = objectType(r);
      if (objectType == 22) {
        extensionChannelConfig = r.bits(4);
      }
    }
    boolean complete = switch (objectType) {
      case 1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23 -> gaSpecificConfig(r, objectType, channelConfig);
      default -> false;
    };
    if (complete && switch (objectType) {
      case 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 39 -> {
        int epConfig = r.bits(2);
        yield epConfig == 2 || epConfig == 3;
      }
      default -> false;
    }) {
      complete = false;
    }
    if (complete && extensionObjectType != 5 && r.left() >= 16 && r.bits(11) == 0x2B7) {
      extensionObjectType = objectType(r);
      if (extensionObjectType == 5) {
        sbr = r.bits(1);
        if (sbr == 1) {
          extensionRate = rate(r);
          if (r.left() >= 12 && r.bits(11) == 0x548) {
            ps = r.bits(1);
          }
        }
      } else if (extensionObjectType == 22) {
        sbr = r.bits(1);
        if (sbr == 1) {
          extensionRate = rate(r);
        }
        extensionChannelConfig = r.bits(4);
      }
    }
    return new AacConfig(sampleRate(sbr, objectType, rate, extensionRate),
        channels(extensionChannelConfig >= 0 ? extensionChannelConfig : channelConfig, ps));
  }

  private static int sampleRate(int sbr, int objectType, int rate, int extensionRate) {
    if (sbr == 1) {
      return Math.max(0, extensionRate);
    } else if (sbr == 0) {
      return rate;
    }
    boolean canSbr = switch (objectType) {
      case 1, 2, 3, 4, 6, 17, 19, 20, 22 -> true;
      default -> false;
    };
    return !canSbr || rate > 24000 ? rate : 0; // a low rate may be an SBR core: the entry's rate stands
  }

  private static int channels(int config, int ps) {
    if (config == 1) {
      return ps == 1 ? 2 : ps == -1 ? 0 : 1;
    }
    return config == 7 ? 8 : config > 7 || config < 0 ? 0 : config;
  }

  /**
   * Steps over a GASpecificConfig; false when it cannot be followed (channels from a program config
   * element, reserved bits, or the end of the config).
   */
  private static boolean gaSpecificConfig(Bits r, int objectType, int channelConfig) {
    r.bits(1); // frameLengthFlag
    if (r.bits(1) == 1) { // dependsOnCoreCoder
      r.bits(14);
    }
    int extensionFlag = r.bits(1);
    if (channelConfig == 0) {
      return false;
    }
    if (objectType == 6 || objectType == 20) {
      r.bits(3);
    }
    if (extensionFlag == 1) {
      if (objectType == 22) {
        r.bits(5 + 11);
      }
      if (objectType == 17 || objectType == 19 || objectType == 20 || objectType == 23) {
        r.bits(3);
      }
      if (r.bits(1) != 0) {
        return false;
      }
    }
    return extensionFlag >= 0 && r.left() >= 0;
  }

  private static int objectType(Bits r) {
    int type = r.bits(5);
    if (type == 31) {
      int extension = r.bits(6);
      return extension < 0 ? -1 : 32 + extension;
    }
    return type;
  }

  private static int rate(Bits r) {
    int index = r.bits(4);
    if (index == 15) {
      return r.bits(24);
    }
    return index < 0 ? -1 : index < RATES.length ? RATES[index] : 0;
  }
}
