package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/*
 * MP4 (m4a, m4b): top-level boxes are stepped over by their headers to the moov box, which is read
 * whole (one pread when it is not in the head: ffmpeg and iTunes often put it after the audio);
 * mvhd/mdhd, the audio sample entry and the ilst items are parsed from it. Any audio sample entry
 * is read (AAC, ALAC, FLAC, Opus, AC-3, E-AC-3...): jaudiotagger throws a NullPointerException on
 * all but AAC and ALAC. Channels come from the ALAC and AC-3 configuration boxes as mutagen reads
 * them, else from the sample entry.
 */
/** Reads MP4 audio from memory. */
final class Mp4Reader {
  private Mp4Reader() {}

  private static final int BOXES_MAX = 4096;

  static TrackTags read(Source in) throws IOException, Fallback {
    ByteBuffer head = in.head.order(ByteOrder.BIG_ENDIAN);
    long size = in.size;
    if (head.limit() < 8 || head.getInt(4) != type("ftyp")) {
      throw Fallback.INSTANCE;
    }
    ByteBuffer moov = null;
    long moovAt = 0;
    long at = 0;
    for (int box = 0; box < BOXES_MAX && at + 8 <= size; box++) {
      ByteBuffer header = in.slice(at, (int) Math.min(16, size - at));
      long length = header.getInt(0) & 0xFFFFFFFFL;
      int headerBytes = 8;
      if (length == 1) {
        length = header.getLong(8);
        headerBytes = 16;
      } else if (length == 0) {
        length = size - at;
      }
      if (length < headerBytes || at + length > size) {
        throw Fallback.INSTANCE;
      }
      if (header.getInt(4) == type("moov")) {
        moovAt = at + headerBytes;
        moov = in.slice(moovAt, (int) Math.min(Integer.MAX_VALUE, length - headerBytes));
        break;
      }
      at += length;
    }
    if (moov == null) {
      throw Fallback.INSTANCE;
    }
    return parse(moov, moovAt, size);
  }

  /**
   * The boxes after an AudioSampleEntry's fields (36 bytes; QuickTime's version 1 adds 16, version
   * 2 adds 36), or null.
   */
  static ByteBuffer boxes(ByteBuffer entry) {
    int entryBytes = entry.getInt(0);
    int version = entry.getShort(16);
    int fields = 36 + (version == 1 ? 16 : version == 2 ? 36 : 0);
    return entryBytes >= fields && entryBytes <= entry.limit() ? entry.slice(fields, entryBytes - fields) : null;
  }

  /** Channels by AC-3 audio coding mode (acmod), before the LFE channel. */
  private static final int[] AC3_CHANNELS = {2, 1, 2, 3, 3, 4, 4, 5};

  /** The codec a sample entry names: jaudiotagger's names for AAC and ALAC, so both readers agree. */
  static String codec(int format) {
    if (format == type("mp4a")) {
      return "Aac";
    } else if (format == type("alac")) {
      return "Alac";
    } else if (format == type("fLaC")) {
      return "FLAC";
    } else if (format == type("Opus")) {
      return "Opus";
    } else if (format == type("ac-3")) {
      return "AC-3";
    } else if (format == type("ec-3")) {
      return "E-AC-3";
    }
    StringBuilder name = new StringBuilder();
    for (int shift = 24; shift >= 0; shift -= 8) {
      int c = (format >>> shift) & 0xFF;
      name.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return name.toString().strip();
  }

  static int type(String fourcc) {
    return (fourcc.charAt(0) & 0xFF) << 24 | (fourcc.charAt(1) & 0xFF) << 16 | (fourcc.charAt(2) & 0xFF) << 8
        | (fourcc.charAt(3) & 0xFF);
  }

  /** The body of the first child box of {@code type} in {@code parent}'s body, or null. */
  static ByteBuffer child(ByteBuffer parent, String type) throws Fallback {
    int wanted = type(type);
    int at = 0;
    for (int i = 0; i < BOXES_MAX && at + 8 <= parent.limit(); i++) {
      long length = parent.getInt(at) & 0xFFFFFFFFL;
      int headerBytes = 8;
      if (length == 1) {
        if (at + 16 > parent.limit()) {
          throw Fallback.INSTANCE;
        }
        length = parent.getLong(at + 8);
        headerBytes = 16;
      } else if (length == 0) {
        length = parent.limit() - at;
      }
      if (length < headerBytes || at + length > parent.limit()) {
        throw Fallback.INSTANCE;
      }
      if (parent.getInt(at + 4) == wanted) {
        return parent.slice(at + headerBytes, (int) length - headerBytes);
      }
      at += (int) length;
    }
    return null;
  }

  private static TrackTags parse(ByteBuffer moov, long moovAt, long size) throws Fallback {
    ByteBuffer sound = null;
    for (ByteBuffer rest = moov; sound == null; ) {
      ByteBuffer trak = child(rest, "trak");
      if (trak == null) {
        throw Fallback.INSTANCE;
      }
      ByteBuffer mdia = child(trak, "mdia");
      ByteBuffer hdlr = mdia == null ? null : child(mdia, "hdlr");
      if (hdlr != null && hdlr.limit() >= 12 && hdlr.getInt(8) == type("soun")) {
        sound = mdia;
      } else {
        int next = trak.arrayOffset() - rest.arrayOffset() + trak.limit();
        rest = rest.slice(next, rest.limit() - next);
      }
    }
    ByteBuffer mdhd = child(sound, "mdhd");
    ByteBuffer minf = child(sound, "minf");
    ByteBuffer stbl = minf == null ? null : child(minf, "stbl");
    ByteBuffer stsd = stbl == null ? null : child(stbl, "stsd");
    if (mdhd == null || stsd == null || stsd.limit() < 8 + 36) {
      throw Fallback.INSTANCE;
    }
    long timescale;
    long duration;
    if (mdhd.get(0) == 1) {
      timescale = mdhd.getInt(20) & 0xFFFFFFFFL;
      duration = mdhd.getLong(24);
    } else {
      timescale = mdhd.getInt(12) & 0xFFFFFFFFL;
      duration = mdhd.getInt(16) & 0xFFFFFFFFL;
    }
    // stsd: version/flags, entry count, then the first sample entry (an AudioSampleEntry).
    ByteBuffer entry = stsd.slice(8, stsd.limit() - 8);
    int format = entry.getInt(4);
    int channels = entry.getShort(8 + 16) & 0xFFFF;
    int sampleRate = entry.getInt(8 + 24) >>> 16;
    String codec = codec(format);
    ByteBuffer boxes = boxes(entry);
    try {
      if (boxes != null && format == type("alac")) {
        // alac: version/flags, frame length, compatible version, bit depth, pb, mb, kb, channels,
        // max run, max frame bytes, average bitrate, sample rate.
        ByteBuffer alac = child(boxes, "alac");
        if (alac != null && alac.limit() >= 28) {
          channels = alac.get(13) & 0xFF;
          sampleRate = alac.getInt(24);
        }
      } else if (boxes != null && format == type("ac-3")) {
        // dac3: fscod(2) bsid(5) bsmod(3) acmod(3) lfeon(1) bit_rate_code(5)...
        ByteBuffer dac3 = child(boxes, "dac3");
        if (dac3 != null && dac3.limit() >= 3) {
          int bits = (dac3.get(0) & 0xFF) << 16 | (dac3.get(1) & 0xFF) << 8 | (dac3.get(2) & 0xFF);
          channels = AC3_CHANNELS[(bits >>> 11) & 7] + ((bits >>> 10) & 1);
        }
      }
    } catch (Fallback e) {
      // A malformed configuration box: the sample entry's own values stand.
    }
    if (timescale == 0 || sampleRate == 0) {
      throw Fallback.INSTANCE;
    }
    double seconds = duration / (double) timescale;
    Integer kbps = null;
    if (format == type("mp4a")) {
      ByteBuffer config = decoderConfig(entry);
      ByteBuffer asc = config == null ? null : audioSpecificConfig(config);
      kbps = config == null ? null : averageKbps(config);
      AacConfig aac = asc == null ? null : AacConfig.parse(asc);
      if (aac != null) {
        // As mutagen reads it: the output rate of HE-AAC (SBR) when the config signals it.
        sampleRate = aac.sampleRateHz() > 0 ? aac.sampleRateHz() : sampleRate;
        channels = aac.channels() > 0 ? aac.channels() : channels;
      }
    }
    if (kbps == null && seconds > 0) {
      kbps = (int) Math.round(size * 8 / seconds / 1000);
    }
    ByteBuffer udta = child(moov, "udta");
    ByteBuffer meta = udta == null ? null : child(udta, "meta");
    ByteBuffer ilst = meta == null || meta.limit() < 4 ? null : child(meta.slice(4, meta.limit() - 4), "ilst");
    String title = null, artist = null, album = null, albumArtist = null, date = null, genre = null;
    Integer track = null, trackTotal = null, disc = null, discTotal = null;
    FieldSink sink = new FieldSink();
    if (ilst != null) {
      items(ilst, moov, moovAt, sink);
      title = text(ilst, "\u00A9nam");
      artist = sink.artistDisplay();
      album = text(ilst, "\u00A9alb");
      albumArtist = text(ilst, "aART");
      date = text(ilst, "\u00A9day");
      genre = sink.genreDisplay();
      if (genre == null) {
        ByteBuffer gnre = data(ilst, "gnre");
        if (gnre != null && gnre.limit() >= 2) {
          genre = org.jaudiotagger.tag.reference.GenreTypes.getInstanceOf().getValueForId((gnre.getShort(0) & 0xFFFF) - 1);
        }
      }
      ByteBuffer trkn = data(ilst, "trkn");
      if (trkn != null && trkn.limit() >= 6) {
        track = positive(trkn.getShort(2));
        trackTotal = positive(trkn.getShort(4));
      }
      ByteBuffer disk = data(ilst, "disk");
      if (disk != null && disk.limit() >= 6) {
        disc = positive(disk.getShort(2));
        discTotal = positive(disk.getShort(4));
      }
    }
    return new TrackTags(title, artist, album, albumArtist, track, trackTotal, disc, discTotal, Numbers.year(date),
        date, genre, seconds > 0 ? Math.round(seconds * 1000) : null, kbps, sampleRate, channels, codec, sink.build());
  }

  private static final int ARTIST = type("\u00A9ART");
  private static final int GENRE = type("\u00A9gen");
  private static final int COMPOSER = type("\u00A9wrt");
  private static final int COMMENT = type("\u00A9cmt");
  private static final int TITLE_SORT = type("sonm");
  private static final int ARTIST_SORT = type("soar");
  private static final int ALBUM_SORT = type("soal");
  private static final int ALBUM_ARTIST_SORT = type("soaa");
  private static final int COMPILATION = type("cpil");
  private static final int TEMPO = type("tmpo");
  private static final int COVER = type("covr");
  private static final int FREEFORM = type("----");
  private static final int DATA = type("data");
  /** The freeform namespace iTunes and Picard write their extra fields in. */
  private static final String ITUNES = "com.apple.iTunes";

  /**
   * Walks the ilst items once for the PlayerFields and every artist and genre: each item's type
   * is matched in a switch, its data atoms read as they come. A cover's picture is in the moov
   * already read, but only its place is noted: its offset in the file is the moov's plus where its
   * data lies in the moov's buffer (both are slices of one array, so arrayOffset tells).
   */
  private static void items(ByteBuffer ilst, ByteBuffer moov, long moovAt, FieldSink sink) throws Fallback {
    int at = 0;
    for (int i = 0; i < BOXES_MAX && at + 8 <= ilst.limit(); i++) {
      long length = ilst.getInt(at) & 0xFFFFFFFFL;
      if (length < 8 || at + length > ilst.limit()) {
        throw Fallback.INSTANCE;
      }
      int item = ilst.getInt(at + 4);
      ByteBuffer body = ilst.slice(at + 8, (int) length - 8);
      at += (int) length;
      int slot = FieldSink.NONE;
      if (item == COMPOSER) {
        slot = FieldSink.COMPOSER;
      } else if (item == COMMENT) {
        slot = FieldSink.COMMENT;
      } else if (item == TITLE_SORT) {
        slot = FieldSink.TITLE_SORT;
      } else if (item == ARTIST_SORT) {
        slot = FieldSink.ARTIST_SORT;
      } else if (item == ALBUM_SORT) {
        slot = FieldSink.ALBUM_SORT;
      } else if (item == ALBUM_ARTIST_SORT) {
        slot = FieldSink.ALBUM_ARTIST_SORT;
      } else if (item == FREEFORM) {
        slot = freeformSlot(body);
      } else if (item != ARTIST && item != GENRE && item != COMPILATION && item != TEMPO && item != COVER) {
        continue;
      }
      // The item's data atoms: 4 bytes of type (the low 24 bits), 4 of locale, then the value.
      int d = 0;
      for (int j = 0; j < BOXES_MAX && d + 8 <= body.limit(); j++) {
        long dataLength = body.getInt(d) & 0xFFFFFFFFL;
        if (dataLength < 8 || d + dataLength > body.limit()) {
          throw Fallback.INSTANCE;
        }
        boolean isData = body.getInt(d + 4) == DATA && dataLength >= 16;
        int valueAt = d + 16;
        int valueBytes = (int) dataLength - 16;
        int dataType = isData ? body.getInt(d + 8) & 0xFFFFFF : -1;
        d += (int) dataLength;
        if (!isData) {
          continue;
        }
        if (item == COVER) {
          ByteBuffer picture = body.slice(valueAt, valueBytes);
          Long offset = picture.hasArray() && moov.hasArray()
              ? moovAt + picture.arrayOffset() - moov.arrayOffset() : null;
          sink.cover(dataType == 13 ? "image/jpeg" : dataType == 14 ? "image/png" : dataType == 27 ? "image/bmp" : null,
              (long) valueBytes, offset, true);
          break;
        } else if (item == COMPILATION) {
          if (valueBytes >= 1) {
            sink.put(FieldSink.COMPILATION, body.get(valueAt) != 0 ? "1" : "0");
          }
          break;
        } else if (item == TEMPO) {
          if (valueBytes >= 2) {
            sink.put(FieldSink.BPM, Integer.toString(body.getShort(valueAt) & 0xFFFF));
          }
          break;
        }
        String value = utf8(body, valueAt, valueBytes);
        if (item == ARTIST) {
          sink.artist(value);
        } else if (item == GENRE) {
          sink.genre(value);
        } else {
          sink.put(slot, value);
          break;
        }
      }
    }
  }

  /** The slot of a freeform (----) item: its mean must be iTunes', its name one Picard writes. */
  private static int freeformSlot(ByteBuffer body) throws Fallback {
    ByteBuffer mean = child(body, "mean");
    ByteBuffer name = child(body, "name");
    if (mean == null || name == null || mean.limit() < 4 || name.limit() < 4
        || !utf8(mean, 4, mean.limit() - 4).equals(ITUNES)) {
      return FieldSink.NONE;
    }
    return FieldSink.descriptiveSlot(utf8(name, 4, name.limit() - 4).toUpperCase(java.util.Locale.ROOT));
  }

  private static String utf8(ByteBuffer b, int at, int length) {
    byte[] bytes = new byte[length];
    b.get(at, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The DecoderConfigDescriptor of an AAC sample entry's esds box, from its object type on, or
   * null. esds: version/flags, then an ES descriptor (tag 3) holding a decoder config (tag 4):
   * object type, stream type, buffer size (3 bytes), max bitrate, average bitrate, then the
   * decoder-specific info (tag 5, the AudioSpecificConfig).
   */
  static ByteBuffer decoderConfig(ByteBuffer entry) throws Fallback {
    ByteBuffer boxes = boxes(entry);
    if (boxes == null) {
      return null;
    }
    ByteBuffer esds = child(boxes, "esds");
    if (esds == null || esds.limit() < 4) {
      return null;
    }
    int at = 4;
    if (at >= esds.limit() || esds.get(at) != 3) {
      return null;
    }
    at = skipLength(esds, at + 1);
    if (at < 0 || at + 3 > esds.limit()) {
      return null;
    }
    int flags = esds.get(at + 2) & 0xFF;
    at += 3;
    if ((flags & 0x80) != 0) {
      at += 2; // depends-on ES id
    }
    if ((flags & 0x40) != 0 && at < esds.limit()) {
      at += 1 + (esds.get(at) & 0xFF); // URL
    }
    if ((flags & 0x20) != 0) {
      at += 2; // OCR ES id
    }
    if (at >= esds.limit() || esds.get(at) != 4) {
      return null;
    }
    at = skipLength(esds, at + 1);
    if (at < 0 || at + 13 > esds.limit()) {
      return null;
    }
    return esds.slice(at, esds.limit() - at);
  }

  /** The average bitrate a decoder config declares (as jaudiotagger reports it), or null. */
  static Integer averageKbps(ByteBuffer decoderConfig) {
    long average = decoderConfig.getInt(9) & 0xFFFFFFFFL;
    return average > 0 ? (int) (average / 1000) : null;
  }

  /** The AudioSpecificConfig bytes in a decoder config (tag 5 after its 13 bytes), or null. */
  static ByteBuffer audioSpecificConfig(ByteBuffer decoderConfig) {
    int at = 13;
    if (at >= decoderConfig.limit() || decoderConfig.get(at) != 5) {
      return null;
    }
    int length = 0;
    at++;
    for (int i = 0; i < 4 && at < decoderConfig.limit(); i++) {
      int b = decoderConfig.get(at++) & 0xFF;
      length = length << 7 | (b & 0x7F);
      if ((b & 0x80) == 0) {
        return at + length <= decoderConfig.limit() ? decoderConfig.slice(at, length) : null;
      }
    }
    return null;
  }

  /** Skips a descriptor's length (1 to 4 bytes, 7 bits each); returns the position after it, or -1. */
  private static int skipLength(ByteBuffer b, int at) {
    for (int i = 0; i < 4 && at < b.limit(); i++) {
      if ((b.get(at++) & 0x80) == 0) {
        return at;
      }
    }
    return -1;
  }

  private static Integer positive(short n) {
    return n > 0 ? (int) n : null;
  }

  /** The payload of an ilst item's first data box (after type and locale), or null. */
  private static ByteBuffer data(ByteBuffer ilst, String item) throws Fallback {
    ByteBuffer box = child(ilst, item);
    ByteBuffer data = box == null ? null : child(box, "data");
    return data == null || data.limit() < 8 ? null : data.slice(8, data.limit() - 8);
  }

  private static String text(ByteBuffer ilst, String item) throws Fallback {
    ByteBuffer payload = data(ilst, item);
    if (payload == null) {
      return null;
    }
    byte[] bytes = new byte[payload.limit()];
    payload.get(0, bytes);
    return Numbers.blankToNull(new String(bytes, StandardCharsets.UTF_8));
  }
}
