package io.github.trackscan.synth;

import java.nio.charset.StandardCharsets;

/*
 * An M4A here is ftyp, moov, mdat, in that order (moov first, as "fast start" files have it):
 *   moov/mvhd, moov/trak/{tkhd, mdia/{mdhd, hdlr soun, minf/{smhd, dinf/dref, stbl}}}
 *   stbl: stsd with one mp4a sample entry and its esds (AAC-LC, 44.1 kHz, mono), stts, stsc,
 *         stsz (constant sample size), stco pointing at the first byte of mdat's payload
 *   moov/udta/meta/{hdlr mdir, ilst} with iTunes items (©nam, ©ART, ©alb, aART, trkn, disk, ©day,
 *         ©gen, covr)
 * mdat holds FRAMES copies of a 4-byte AAC-LC mono frame of silence, the payload ffmpeg's AAC
 * encoder writes for silent input
 * (`ffmpeg -f lavfi -i anullsrc=r=44100:cl=mono -t 0.3 -c:a aac -b:a 32k -f adts silence.aac`,
 * read after each 7-byte ADTS header).
 */
/** Encodes tracks as M4A (MPEG-4 audio) files. */
final class Mp4Encoder {
  static final int FRAMES = 22;
  static final byte[] SILENT_FRAME = {0x01, 0x18, 0x20, 0x07};
  /** AudioSpecificConfig: object type 2 (AAC-LC), frequency index 4 (44.1 kHz), 1 channel. */
  static final byte[] AUDIO_SPECIFIC_CONFIG = {0x12, 0x08};
  static final int SAMPLE_RATE = 44100;
  static final int SAMPLES_PER_FRAME = 1024;
  /** 2021-01-01T00:00:00Z in seconds since 1904, for the creation and modification times. */
  private static final long MAC_TIME = 3_692_304_000L;
  private static final int[] MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

  private Mp4Encoder() {}

  static byte[] encode(TrackTags tags, byte[] cover) {
    long duration = (long) FRAMES * SAMPLES_PER_FRAME;
    Bytes b = new Bytes(4096 + (cover == null ? 0 : cover.length));
    int ftyp = b.openBox("ftyp");
    b.ascii("M4A ").u32be(0x200).ascii("M4A ").ascii("isom").ascii("iso2").ascii("mp41");
    b.closeBox(ftyp);

    int moov = b.openBox("moov");
    int mvhd = b.openBox("mvhd");
    b.u32be(0).u32be(MAC_TIME).u32be(MAC_TIME).u32be(SAMPLE_RATE).u32be(duration);
    b.u32be(0x00010000).u16be(0x0100).zeros(10);
    matrix(b);
    b.zeros(24).u32be(2);
    b.closeBox(mvhd);

    int trak = b.openBox("trak");
    int tkhd = b.openBox("tkhd");
    b.u32be(0x00000007).u32be(MAC_TIME).u32be(MAC_TIME).u32be(1).u32be(0).u32be(duration);
    b.zeros(8).u16be(0).u16be(0).u16be(0x0100).u16be(0);
    matrix(b);
    b.u32be(0).u32be(0);
    b.closeBox(tkhd);

    int mdia = b.openBox("mdia");
    int mdhd = b.openBox("mdhd");
    b.u32be(0).u32be(MAC_TIME).u32be(MAC_TIME).u32be(SAMPLE_RATE).u32be(duration);
    b.u16be(0x55C4).u16be(0); // language "und"
    b.closeBox(mdhd);
    int hdlr = b.openBox("hdlr");
    b.u32be(0).u32be(0).ascii("soun").zeros(12).ascii("SoundHandler").u8(0);
    b.closeBox(hdlr);

    int minf = b.openBox("minf");
    int smhd = b.openBox("smhd");
    b.u32be(0).u16be(0).u16be(0);
    b.closeBox(smhd);
    int dinf = b.openBox("dinf");
    int dref = b.openBox("dref");
    b.u32be(0).u32be(1);
    int url = b.openBox("url ");
    b.u32be(1);
    b.closeBox(url);
    b.closeBox(dref);
    b.closeBox(dinf);

    int stbl = b.openBox("stbl");
    int stsd = b.openBox("stsd");
    b.u32be(0).u32be(1);
    int mp4a = b.openBox("mp4a");
    b.zeros(6).u16be(1).zeros(8).u16be(1).u16be(16).u16be(0).u16be(0).u32be((long) SAMPLE_RATE << 16);
    int esds = b.openBox("esds");
    b.u32be(0);
    int asc = AUDIO_SPECIFIC_CONFIG.length;
    int decoderConfig = 13 + 2 + asc;
    b.u8(0x03).u8(3 + 2 + decoderConfig + 3).u16be(0).u8(0);
    b.u8(0x04).u8(decoderConfig).u8(0x40).u8(0x15).u24be(0).u32be(8000).u32be(1400);
    b.u8(0x05).u8(asc).bytes(AUDIO_SPECIFIC_CONFIG);
    b.u8(0x06).u8(1).u8(0x02);
    b.closeBox(esds);
    b.closeBox(mp4a);
    b.closeBox(stsd);
    int stts = b.openBox("stts");
    b.u32be(0).u32be(1).u32be(FRAMES).u32be(SAMPLES_PER_FRAME);
    b.closeBox(stts);
    int stsc = b.openBox("stsc");
    b.u32be(0).u32be(1).u32be(1).u32be(FRAMES).u32be(1);
    b.closeBox(stsc);
    int stsz = b.openBox("stsz");
    b.u32be(0).u32be(SILENT_FRAME.length).u32be(FRAMES);
    b.closeBox(stsz);
    int stco = b.openBox("stco");
    b.u32be(0).u32be(1);
    int chunkOffset = b.size();
    b.u32be(0);
    b.closeBox(stco);
    b.closeBox(stbl);
    b.closeBox(minf);
    b.closeBox(mdia);
    b.closeBox(trak);

    int udta = b.openBox("udta");
    int meta = b.openBox("meta");
    b.u32be(0);
    int metaHdlr = b.openBox("hdlr");
    b.u32be(0).u32be(0).ascii("mdir").ascii("appl").zeros(8).u8(0);
    b.closeBox(metaHdlr);
    int ilst = b.openBox("ilst");
    text(b, "\u00A9nam", tags.title());
    text(b, "\u00A9ART", tags.artist());
    text(b, "\u00A9alb", tags.album());
    text(b, "aART", tags.albumArtist());
    int trkn = item(b, "trkn", 0);
    b.u16be(0).u16be(tags.track()).u16be(tags.trackTotal()).u16be(0);
    closeItem(b, trkn);
    int disk = item(b, "disk", 0);
    b.u16be(0).u16be(tags.disc()).u16be(tags.discTotal());
    closeItem(b, disk);
    text(b, "\u00A9day", Integer.toString(tags.year()));
    text(b, "\u00A9gen", tags.genre());
    if (cover != null) {
      int covr = item(b, "covr", 13);
      b.bytes(cover);
      closeItem(b, covr);
    }
    b.closeBox(ilst);
    b.closeBox(meta);
    b.closeBox(udta);
    b.closeBox(moov);

    b.u32be(8 + (long) FRAMES * SILENT_FRAME.length).ascii("mdat");
    b.putU32be(chunkOffset, b.size());
    for (int i = 0; i < FRAMES; i++) {
      b.bytes(SILENT_FRAME);
    }
    return b.toArray();
  }

  private static void matrix(Bytes b) {
    for (int m : MATRIX) {
      b.u32be(m);
    }
  }

  /** Opens an ilst item and its data atom of the given well-known type; returns the item's start. */
  private static int item(Bytes b, String name, int type) {
    int start = b.size();
    b.u32be(0).bytes(name.getBytes(StandardCharsets.ISO_8859_1));
    b.u32be(0).ascii("data").u32be(type).u32be(0);
    return start;
  }

  private static void closeItem(Bytes b, int start) {
    b.closeBox(start);
    b.closeBox(start + 8);
  }

  private static void text(Bytes b, String name, String value) {
    int start = item(b, name, 1);
    b.utf8(value);
    closeItem(b, start);
  }
}
