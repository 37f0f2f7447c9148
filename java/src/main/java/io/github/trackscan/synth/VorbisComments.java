package io.github.trackscan.synth;

import java.nio.charset.StandardCharsets;

/** Writes a Vorbis comment list (FLAC's VORBIS_COMMENT body, Ogg's comment header body). */
final class VorbisComments {
  private VorbisComments() {}

  static void write(Bytes b, String vendor, TrackTags t) {
    byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
    b.u32le(v.length).bytes(v);
    String[] fields = {
      "TITLE=" + t.title(), "ARTIST=" + t.artist(), "ALBUM=" + t.album(),
      "ALBUMARTIST=" + t.albumArtist(), "TRACKNUMBER=" + t.track(), "TRACKTOTAL=" + t.trackTotal(),
      "DISCNUMBER=" + t.disc(), "DISCTOTAL=" + t.discTotal(), "DATE=" + t.year(), "GENRE=" + t.genre()
    };
    b.u32le(fields.length);
    for (String field : fields) {
      byte[] f = field.getBytes(StandardCharsets.UTF_8);
      b.u32le(f.length).bytes(f);
    }
  }
}
