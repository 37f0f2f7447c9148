package io.github.trackscan.tags;

import io.github.trackscan.synth.HandMadeAudio;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Small audio files written byte by byte from the formats' descriptions, for the formats no Debian
 * package encodes (Monkey's Audio, DSF, DSDIFF: written by {@link HandMadeAudio}, which the
 * mixed-format benchmark uses too) and, so that tests need no encoder, for every format the
 * in-memory readers own. Headers and tags are real; the audio payload is a placeholder (readers
 * and mutagen never decode it). Each is 1.5 s long (DSF and DSDIFF 0.5 s) and carries the tags of
 * {@link #META}.
 */
final class HandMade {
  private HandMade() {}

  static final AudioFixtures.Meta META = MutagenDifferentialTest.META;
  private static final int RATE = 44100;
  private static final int SAMPLES = 66150; // 1.5 s at 44.1 kHz

  /** Monkey's Audio 3.97 (the header before 3.98's descriptor): 1.5 s, 16-bit stereo, APEv2 tag. */
  static byte[] monkeysAudio3970() {
    ByteBuffer b = ByteBuffer.allocate(32 + 44 + 4 + 1024).order(ByteOrder.LITTLE_ENDIAN);
    // version, compression level, format flags, channels, rate, WAV header bytes, terminating
    // bytes, total frames, final frame blocks (1.5 s in one frame of 73728 x 4 blocks).
    b.put(ascii("MAC ")).putShort((short) 3970).putShort((short) 2000).putShort((short) 0).putShort((short) 2)
        .putInt(44100).putInt(44).putInt(0).putInt(1).putInt(SAMPLES);
    b.put(MutagenDifferentialTest.wav(44100, 2, 0), 0, 44); // the WAV header 3.97 stores
    return concat(b.array(), HandMadeAudio.apev2(apeFields()));
  }

  /** {@link #META} as the synthetic library's tags, for the writers in main code. */
  static io.github.trackscan.synth.TrackTags synthTags() {
    return new io.github.trackscan.synth.TrackTags(META.title(), META.artist(), META.album(), META.albumArtist(),
        META.track(), META.trackTotal(), META.disc(), META.discTotal(), Integer.parseInt(META.date()), META.genre());
  }

  /** DSDIFF with the tags of {@link #META} in an ID3 chunk, 0.5 s or (short) 20 ms of DSD64 stereo silence. */
  static byte[] dff(boolean short_) {
    return HandMadeAudio.dff(synthTags(), short_ ? 20 : 500);
  }

  static String[] apeFields() {
    return new String[] {"Title", META.title(), "Artist", META.artist(), "Album", META.album(), "Album Artist",
        META.albumArtist(), "Track", "3/12", "Disc", "1/2", "Year", META.date(), "Genre", META.genre()};
  }

  /** Monkey's Audio 3.99 with the tags of {@link #META}: 1.5 s, one frame. */
  static byte[] monkeysAudio() {
    return HandMadeAudio.monkeysAudio(synthTags(), 1500);
  }

  /** DSF with the tags of {@link #META}, 0.5 s or (short) 20 ms. */
  static byte[] dsf(boolean short_) {
    return HandMadeAudio.dsf(synthTags(), short_ ? 20 : 500);
  }

  /** WavPack 4: one block of 16-bit stereo at 44.1 kHz (a channel-info sub-block, no audio), APEv2 tag. */
  static byte[] wavPack() {
    ByteBuffer b = ByteBuffer.allocate(32 + 4 + 512).order(ByteOrder.LITTLE_ENDIAN);
    int flags = 1 | (9 << 23); // 2 bytes a sample, stereo, rate index 9 (44.1 kHz)
    b.put(ascii("wvpk")).putInt(b.capacity() - 8).putShort((short) 0x410).put((byte) 0).put((byte) 0)
        .putInt(SAMPLES).putInt(0).putInt(SAMPLES).putInt(flags).putInt(0);
    b.put((byte) 0x0D).put((byte) 1).put((byte) 2).put((byte) 3); // ID_CHANNEL_INFO: 2 channels, mask 3
    return concat(b.array(), HandMadeAudio.apev2(apeFields()));
  }

  /** Musepack SV8: MPCK, stream header, replay gain, stream end, APEv2 tag. */
  static byte[] musepackSv8() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii("MPCK"));
    ByteArrayOutputStream sh = new ByteArrayOutputStream();
    sh.writeBytes(new byte[4]); // CRC
    sh.write(8); // stream version
    sh.writeBytes(varint(SAMPLES));
    sh.writeBytes(varint(0)); // samples to skip
    sh.write(0 << 5 | 31); // rate index 0 (44.1 kHz), max band
    sh.write((2 - 1) << 4 | 1 << 3 | 1); // channels - 1, mid-side, frames per packet
    packet(out, "SH", sh.toByteArray());
    packet(out, "RG", new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0});
    packet(out, "AP", new byte[256]);
    packet(out, "SE", new byte[0]);
    out.writeBytes(HandMadeAudio.apev2(apeFields()));
    return out.toByteArray();
  }

  /** Musepack SV7: the 32-byte MP+ header, placeholder frames, APEv2 tag. */
  static byte[] musepackSv7() {
    ByteBuffer b = ByteBuffer.allocate(32 + 512).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("MP+")).put((byte) 0x17).putInt(58).putInt(0); // 58 frames of 1152, rate index 0
    return concat(b.array(), HandMadeAudio.apev2(apeFields()));
  }

  private static void packet(ByteArrayOutputStream out, String key, byte[] body) {
    // The size counts the key, itself and the body; its own length depends on it.
    int size = 2 + 1 + body.length;
    if (size >= 128) {
      size++;
    }
    out.writeBytes(ascii(key));
    out.writeBytes(varint(size));
    out.writeBytes(body);
  }

  /** Musepack SV8's variable-length number: 7 bits a byte, most significant first, high bit "more". */
  static byte[] varint(long n) {
    int bytes = 1;
    while (n >>> (7 * bytes) != 0) {
      bytes++;
    }
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (((n >>> (7 * (bytes - 1 - i))) & 0x7F) | (i < bytes - 1 ? 0x80 : 0));
    }
    return out;
  }

  /** True Audio: the 22-byte TTA1 header, placeholder frames, APEv2 tag. */
  static byte[] tta() {
    ByteBuffer b = ByteBuffer.allocate(22 + 512).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("TTA1")).putShort((short) 1).putShort((short) 2).putShort((short) 16).putInt(RATE).putInt(SAMPLES).putInt(0);
    return concat(b.array(), HandMadeAudio.apev2(apeFields()));
  }

  /**
   * ASF (WMA): a Header Object with File Properties (4.5 s of play duration, 3 s of it preroll:
   * 1.5 s long), an audio Stream Properties (WMA v2, stereo 44.1 kHz), a Content Description
   * (title, author) and an Extended Content Description (album, album artist, track "3/12", disc,
   * year, genre, all strings), then a Data Object with no packets.
   */
  static byte[] asf() {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(asfObject("8CABDCA1-A947-11CF-8EE4-00C00C205365", le(new byte[16], 0L, 0L, 0L,
        (long) (4.5e7), (long) (4.5e7), 3000L).array(), 4, 4, 4, 4));
    ByteBuffer wave = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x161).putShort((short) 2)
        .putInt(RATE).putInt(16000).putShort((short) 2973).putShort((short) 16).putShort((short) 0);
    ByteBuffer stream = ByteBuffer.allocate(54 + 18).order(ByteOrder.LITTLE_ENDIAN)
        .put(AsfReader.guid("F8699E40-5B4D-11CF-A8FD-00805F5C442B")).put(new byte[16]).putLong(0).putInt(18).putInt(0)
        .putShort((short) 1).putInt(0).put(wave.array());
    file.writeBytes(asfObject("B7DC0791-A9B7-11CF-8EE6-00C00C205365", stream.array()));
    byte[] title = utf16z(META.title());
    byte[] author = utf16z(META.artist());
    ByteBuffer content = ByteBuffer.allocate(10 + title.length + author.length).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) title.length).putShort((short) author.length).putShort((short) 0).putShort((short) 0)
        .putShort((short) 0).put(title).put(author);
    file.writeBytes(asfObject("75B22633-668E-11CF-A6D9-00AA0062CE6C", content.array()));
    ByteArrayOutputStream attributes = new ByteArrayOutputStream();
    String[][] named = {{"WM/AlbumTitle", META.album()}, {"WM/AlbumArtist", META.albumArtist()},
        {"WM/TrackNumber", META.track() + "/" + META.trackTotal()}, {"WM/PartOfSet", META.disc() + "/" + META.discTotal()},
        {"WM/Year", META.date()}, {"WM/Genre", META.genre()}};
    for (String[] attribute : named) {
      byte[] name = utf16z(attribute[0]);
      byte[] value = utf16z(attribute[1]);
      attributes.writeBytes(ByteBuffer.allocate(6 + name.length + value.length).order(ByteOrder.LITTLE_ENDIAN)
          .putShort((short) name.length).put(name).putShort((short) 0).putShort((short) value.length).put(value).array());
    }
    byte[] extended = concat(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) named.length).array(),
        attributes.toByteArray());
    file.writeBytes(asfObject("D2D0A440-E307-11D2-97F0-00A0C95EA850", extended));
    byte[] objects = file.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN).put(AsfReader.HEADER)
        .putLong(30 + objects.length).putInt(4).put((byte) 1).put((byte) 2);
    byte[] data = asfObject("75B22636-668E-11CF-A6D9-00AA0062CE6C", new byte[26]);
    return concat(concat(header.array(), objects), data);
  }

  private static byte[] asfObject(String guid, byte[] data, int... trailingInts) {
    ByteBuffer b = ByteBuffer.allocate(24 + data.length + 4 * trailingInts.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(AsfReader.guid(guid)).putLong(b.capacity()).put(data);
    for (int i : trailingInts) {
      b.putInt(i);
    }
    return b.array();
  }

  /** File Properties' fixed fields after the file id: size, date, packets, play and send duration, preroll. */
  private static ByteBuffer le(byte[] fileId, long... longs) {
    ByteBuffer b = ByteBuffer.allocate(fileId.length + 8 * longs.length).order(ByteOrder.LITTLE_ENDIAN).put(fileId);
    for (long v : longs) {
      b.putLong(v);
    }
    return b;
  }

  private static byte[] utf16z(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_16LE);
  }

  /** WAV: 16-bit stereo PCM (1.5 s, or 20 ms when short), a LIST/INFO chunk and an id3 chunk. */
  static byte[] wav(boolean short_) {
    byte[] pcm = MutagenDifferentialTest.wav(RATE, 2, short_ ? 0.02 : 1.5);
    return MutagenDifferentialTest.id3Chunk(withInfo(pcm, "INAM", META.title(), "IART", META.artist(),
        "IPRD", META.album()));
  }

  /** {@code riff} with a LIST/INFO chunk of {@code idsAndValues} (NUL-ended UTF-8, padded to even) appended. */
  static byte[] withInfo(byte[] riff, String... idsAndValues) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(ascii("INFO"));
    for (int i = 0; i < idsAndValues.length; i += 2) {
      infoItem(info, idsAndValues[i], idsAndValues[i + 1]);
    }
    byte[] list = info.toByteArray();
    ByteBuffer chunk = ByteBuffer.allocate(8 + list.length).order(ByteOrder.LITTLE_ENDIAN).put(ascii("LIST")).putInt(list.length).put(list);
    byte[] out = concat(riff, chunk.array());
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(4, out.length - 8);
    return out;
  }

  private static void infoItem(ByteArrayOutputStream out, String id, String value) {
    byte[] text = (value + "\0").getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ascii(id));
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(text.length).array());
    out.writeBytes(text);
    if ((text.length & 1) != 0) {
      out.write(0);
    }
  }

  /** AIFF: COMM (16-bit stereo, 44.1 kHz; 1.5 s, or 20 ms when short), SSND of silence, and an ID3 chunk. */
  static byte[] aiff(boolean short_) {
    int frames = short_ ? 882 : SAMPLES;
    byte[] id3 = AudioFixtures.id3v24(META, 32);
    int sound = 8 + frames * 4;
    int id3Chunk = 8 + id3.length + (id3.length & 1);
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + 18 + 8 + sound + id3Chunk).order(ByteOrder.BIG_ENDIAN);
    b.put(ascii("FORM")).putInt(b.capacity() - 8).put(ascii("AIFF"));
    b.put(ascii("COMM")).putInt(18).putShort((short) 2).putInt(frames).putShort((short) 16)
        .putShort((short) 0x400E).putLong(0xAC44000000000000L); // 44100 as an 80-bit extended float
    b.put(ascii("SSND")).putInt(sound).putInt(0).putInt(0);
    b.position(b.position() + frames * 4);
    b.put(ascii("ID3 ")).putInt(id3.length).put(id3);
    return b.array();
  }

  /** Raw AAC: 65 ADTS frames (LC, 44.1 kHz, stereo) of placeholder payload. */
  static byte[] adts() {
    int payload = 100;
    int length = 7 + payload;
    ByteBuffer b = ByteBuffer.allocate(65 * length);
    for (int f = 0; f < 65; f++) {
      // sync, MPEG-4, layer 0, no CRC | profile LC, rate index 4, channels 2 | length 13 bits, fullness 0x7FF, 1 block
      b.put((byte) 0xFF).put((byte) 0xF1).put((byte) (1 << 6 | 4 << 2 | 0)).put((byte) (2 << 6 | (length >>> 11)))
          .put((byte) (length >>> 3)).put((byte) ((length & 7) << 5 | 0x1F)).put((byte) 0xFC);
      b.position(b.position() + payload);
    }
    return b.array();
  }

  /** Ogg Opus: OpusHead (pre-skip 312), OpusTags, one audio page ending at 1.5 s after the pre-skip. */
  static byte[] opus() {
    ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
    head.put(ascii("OpusHead")).put((byte) 1).put((byte) 2).putShort((short) 312).putInt(RATE).putShort((short) 0).put((byte) 0);
    byte[] tags = concat(ascii("OpusTags"), vorbisComment());
    return ogg(head.array(), tags, 312 + 72000);
  }

  /** Ogg Speex: the 80-byte Speex header (16 kHz mono), a Vorbis comment, one audio page. */
  static byte[] speex() {
    ByteBuffer head = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
    head.put(ascii("Speex   ")).put(Arrays.copyOf(ascii("1.2"), 20)).putInt(1).putInt(80).putInt(16000)
        .putInt(1).putInt(4).putInt(1).putInt(-1).putInt(320).putInt(0).putInt(1).putInt(0).putInt(0).putInt(0);
    return ogg(head.array(), vorbisComment(), 24000);
  }

  /** Ogg FLAC: the 0x7F FLAC mapping header with STREAMINFO, a VORBIS_COMMENT block, one audio page. */
  static byte[] oggFlac() {
    ByteBuffer head = ByteBuffer.allocate(13 + 4 + 34).order(ByteOrder.BIG_ENDIAN);
    head.put((byte) 0x7F).put(ascii("FLAC")).put((byte) 1).put((byte) 0).putShort((short) 1).put(ascii("fLaC"));
    head.put(new byte[] {0, 0, 0, 34});
    head.putShort((short) 4096).putShort((short) 4096).put(new byte[6]);
    head.putLong((long) RATE << 44 | 1L << 41 | 15L << 36 | SAMPLES).put(new byte[16]);
    byte[] comment = vorbisComment();
    byte[] block = concat(new byte[] {(byte) 0x84, (byte) (comment.length >> 16), (byte) (comment.length >> 8),
        (byte) comment.length}, comment);
    return ogg(head.array(), block, SAMPLES);
  }

  static byte[] vorbisComment() {
    String[] fields = {"TITLE=" + META.title(), "ARTIST=" + META.artist(), "ALBUM=" + META.album(),
        "ALBUMARTIST=" + META.albumArtist(), "TRACKNUMBER=3/12", "DISCNUMBER=1/2", "DATE=" + META.date(),
        "GENRE=" + META.genre()};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] vendor = ascii("trackscan hand-made");
    out.writeBytes(le32(vendor.length));
    out.writeBytes(vendor);
    out.writeBytes(le32(fields.length));
    for (String f : fields) {
      byte[] b = f.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(le32(b.length));
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  /** Three Ogg pages: identification (BOS), comment, then 1 KB of placeholder audio (EOS) at {@code granule}. */
  static byte[] ogg(byte[] identification, byte[] comment, long granule) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(oggPage(identification, 2, 0, 0));
    out.writeBytes(oggPage(comment, 0, 0, 1));
    out.writeBytes(oggPage(new byte[1000], 4, granule, 2));
    return out.toByteArray();
  }

  /** One Ogg page holding one whole packet (under 64 KB), with its CRC. */
  static byte[] oggPage(byte[] packet, int type, long granule, int sequence) {
    int segments = packet.length / 255 + 1;
    ByteBuffer b = ByteBuffer.allocate(27 + segments + packet.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("OggS")).put((byte) 0).put((byte) type).putLong(granule).putInt(0x7A11).putInt(sequence).putInt(0)
        .put((byte) segments);
    for (int i = 0; i < segments - 1; i++) {
      b.put((byte) 255);
    }
    b.put((byte) (packet.length % 255)).put(packet);
    byte[] page = b.array();
    int crc = 0;
    for (byte x : page) {
      crc ^= (x & 0xFF) << 24;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
    }
    ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
    return page;
  }

  static byte[] le32(int n) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
