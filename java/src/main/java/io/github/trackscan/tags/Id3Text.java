package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/*
 * The fields trackscan keeps, from an ID3v2.2, 2.3 or 2.4 tag, with the values mutagen 1.46 gives
 * for them (Id3DifferentialTest and PlayerFieldsDifferentialTest hold them to mutagen field by
 * field). Every ID3v2 tag is read here; none goes to jaudiotagger. Id3Frames finds the frames
 * (ID3v2.2's 6-byte headers, tag-level and frame-level unsynchronisation, the extended header,
 * compressed, encrypted and grouped frames, iTunes' plain ID3v2.4 sizes) and Id3Values decodes what
 * is in them (UTF-16 without a byte-order mark, ID3v1 genre numbers, time stamps); here each frame
 * wanted is picked in a switch as it comes, no map of every frame is built, and frames not wanted
 * are stepped over by their headers, never read. Of a picture (APIC, ID3v2.2's PIC) only the head
 * of the body is read, to note its MIME type, size and offset (PlayerFields.Cover); the offset only
 * where the picture's bytes are in the file as they are (not compressed, not changed by
 * unsynchronisation). A frame mutagen drops as junk (an unknown encoding, text that does not
 * decode, a compression that does not inflate) is dropped here, the others kept.
 *
 * Which values, as mutagen has them after its upgrade to ID3v2.4: a text field is the first value
 * of its first frame; a later frame of the same id adds its values (artists, genres); the date is
 * TDRC, else TYER, TDAT and TIME combined, written back as mutagen's time stamps are; the comment
 * is the first COMM with an empty description (any language), else the first but iTunes' technical
 * ones (iTunNORM...); ReplayGain comes from TXXX frames, and where a tag has none for a pair (track
 * or album) from an RVA2 frame of that name, its master channel, as mutagen's EasyID3 reads it (and
 * writes it: its replaygain_* keys are RVA2 frames). Used for MP3 and for the ID3v2 tags that WAV,
 * AIFF, DSF, DSDIFF and TTA carry.
 */
/** Reads the fields of an ID3v2 tag. */
final class Id3Text {
  private Id3Text() {}

  /** The length of the ID3v2 tag whose header starts at {@code at} in {@code b}, footer included. */
  static long tagBytes(ByteBuffer b, int at) {
    boolean footer = (b.get(at + 5) & 0x10) != 0;
    return 10L + syncsafe(b, at + 6) + (footer ? 10 : 0);
  }

  static int syncsafe(ByteBuffer b, int at) {
    return ((b.get(at) & 0x7F) << 21) | ((b.get(at + 1) & 0x7F) << 14) | ((b.get(at + 2) & 0x7F) << 7) | (b.get(at + 3) & 0x7F);
  }

  /**
   * The fields of the ID3v2 tag at {@code base}, or null when there is no tag mutagen would read
   * there: no "ID3", a version other than 2.2 to 2.4, a size that is not syncsafe, flags the
   * version does not define, an extended header past the tag, or a tag that runs past the end.
   *
   * @throws Fallback when the file shrank while it was read
   */
  static TrackTags read(Source in, long base) throws IOException, Fallback {
    if (base + 10 > in.size) {
      return null;
    }
    ByteBuffer header = in.slice(base, 10).order(ByteOrder.BIG_ENDIAN);
    if (!Source.matches(header, 0, "ID3")) {
      return null;
    }
    long tagBytes = tagBytes(header, 0);
    int major = header.get(3);
    int flags = header.get(5) & 0xFF;
    if (base + tagBytes > in.size || major < 2 || major > 4 || (header.getInt(6) & 0x80808080) != 0
        || (major == 4 && (flags & 0x0F) != 0) || (major == 3 && (flags & 0x1F) != 0)) {
      return null;
    }
    int size = syncsafe(header, 6);
    long start = base + 10;
    if ((flags & 0x40) != 0) {
      // The extended header (any version, as mutagen reads the flag): its size, unless its first
      // four bytes are a frame id (a writer that set the flag and wrote none).
      if (size < 4) {
        return null;
      }
      ByteBuffer ext = in.slice(start, 4).order(ByteOrder.BIG_ENDIAN);
      String id = Id3Values.latin1(ext, 0, 4);
      if (!Id3Frames.isKnown(id)) {
        long extBytes;
        if (major == 4) {
          if ((ext.getInt(0) & 0x80808080) != 0) {
            return null;
          }
          extBytes = syncsafe(ext, 0); // counts its own four bytes
        } else {
          extBytes = 4 + (ext.getInt(0) & 0xFFFFFFFFL); // excludes them
        }
        if (extBytes < 4 || extBytes > size) {
          return null;
        }
        start += extBytes;
        size -= (int) extBytes;
      }
    }
    try (Id3Frames frames = Id3Frames.of(in, major, (flags & 0x80) != 0, start, size)) {
      return fields(frames);
    }
  }

  /** Indexes of the core text fields a tag's first frame of each id gives. */
  private static final int TITLE = 0;
  private static final int ALBUM = 1;
  private static final int ALBUM_ARTIST = 2;
  private static final int TRACK = 3;
  private static final int DISC = 4;
  private static final int DATE = 5;

  private static int core(String id) {
    return switch (id) {
      case "TIT2" -> TITLE;
      case "TALB" -> ALBUM;
      case "TPE2" -> ALBUM_ARTIST;
      case "TRCK" -> TRACK;
      case "TPOS" -> DISC;
      case "TDRC" -> DATE;
      default -> -1;
    };
  }

  /** Whether trackscan reads frames of this (ID3v2.3/2.4) id. */
  static boolean isWanted(String id) {
    return switch (id) {
      case "TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TYER", "TDRC", "TCON", "TDAT", "TIME",
          "COMM", "TXXX", "UFID", "APIC", "RVA2" -> true;
      default -> slot(id) != FieldSink.NONE;
    };
  }

  private static TrackTags fields(Id3Frames frames) throws IOException, Fallback {
    Fields fields = new Fields(frames.major == 4);
    for (int i = 0; i < frames.count(); i++) {
      String id = frames.id(i);
      if (id.equals("APIC")) {
        picture(frames, i, fields.sink);
        continue;
      }
      Id3Frames.Body body = frames.body(i, false);
      if (body != null) { // else encrypted, or a compression that does not inflate
        fields.frame(id, body.bytes());
      }
    }
    return fields.build();
  }

  /** What a tag's frames give, collected as they come. */
  private static final class Fields {
    final boolean v24;
    final FieldSink sink = new FieldSink();
    /** The first value of the first frame of each core id (TITLE...), and whether there was one. */
    final String[] core = new String[6];
    final boolean[] coreSeen = new boolean[6];
    /** ID3v2.3's date frames' values, each frame's added to the first's, as mutagen merges them. */
    final List<String> years = new ArrayList<>(1);
    final List<String> dates = new ArrayList<>(1);
    final List<String> times = new ArrayList<>(1);
    /** RVA2's track gain, track peak, album gain, album peak. */
    final String[] volume = new String[4];
    /** TXXX slots and values, applied after the frames: a frame's own field (TSRC...) wins. */
    final List<Object> described = new ArrayList<>();
    String comment;
    String otherComment;
    String recording;
    final int[] next = new int[1];

    Fields(boolean v24) {
      this.v24 = v24;
    }

    void frame(String id, ByteBuffer b) {
      switch (id) {
        case "RVA2" -> rva2(b, volume);
        case "UFID" -> ufid(b);
        case "COMM" -> comment(b);
        case "TXXX" -> described(b);
        default -> text(id, b);
      }
    }

    /** A later UFID of Picard's owner replaces the earlier, as in mutagen. */
    private void ufid(ByteBuffer b) {
      int owner = 0;
      while (owner < b.limit() && b.get(owner) != 0) {
        owner++;
      }
      if (b.limit() > 0 && Id3Values.latin1(b, 0, owner).equals(MUSICBRAINZ_OWNER)) {
        recording = Id3Values.latin1(b, Math.min(owner + 1, b.limit()), b.limit());
      }
    }

    /** COMM: encoding, a three-letter language (ASCII), then description and text. */
    private void comment(ByteBuffer b) {
      int at = Math.min(4, b.limit());
      if (at >= b.limit() || !asciiOnly(b, 1, at)) {
        return;
      }
      int encoding = b.get(0);
      String description = Id3Values.value(b, at, encoding, v24, next);
      List<String> values = description == null ? null : Id3Values.values(b, next[0], encoding, v24);
      String text = values == null ? null : firstNonBlank(values);
      if (text != null && description.isEmpty() && comment == null) {
        comment = text;
      } else if (text != null && otherComment == null && !description.startsWith("iTun")) {
        otherComment = text;
      }
    }

    /** TXXX: encoding, description, values. */
    private void described(ByteBuffer b) {
      if (b.limit() < 2) {
        return;
      }
      int encoding = b.get(0);
      String description = Id3Values.value(b, 1, encoding, v24, next);
      List<String> values = description == null ? null : Id3Values.values(b, next[0], encoding, v24);
      int slot = values == null ? FieldSink.NONE : FieldSink.descriptiveSlot(description.toUpperCase(Locale.ROOT));
      if (slot != FieldSink.NONE) {
        for (String value : values) {
          described.add(slot);
          described.add(value);
        }
      }
    }

    /** A text frame: encoding, values; junk (no value decodes) dropped, as mutagen drops it. */
    private void text(String id, ByteBuffer b) {
      List<String> values = b.limit() < 1 ? null : Id3Values.values(b, 1, b.get(0), v24);
      if (values == null) {
        return;
      }
      int c = core(id);
      if (c >= 0) {
        if (!coreSeen[c]) {
          coreSeen[c] = true;
          core[c] = values.get(0);
        }
        return;
      }
      switch (id) {
        case "TPE1" -> values.forEach(sink::artist);
        case "TCON" -> {
          List<String> genres = new ArrayList<>(values.size());
          for (String value : values) {
            Id3Values.genres(value, genres);
          }
          genres.forEach(sink::genre);
        }
        case "TYER" -> addNew(years, values);
        case "TDAT" -> addNew(dates, values);
        case "TIME" -> addNew(times, values);
        default -> values.forEach(v -> sink.put(slot(id), v));
      }
    }

    TrackTags build() {
      for (int i = 0; i < described.size(); i += 2) {
        sink.put((Integer) described.get(i), (String) described.get(i + 1));
      }
      sink.put(FieldSink.MB_RECORDING, recording);
      // RVA2 stands in for a pair (gain and peak) that no TXXX frame gave: one source a pair, so a
      // gain and a peak measured by two tools are never mixed.
      if (!sink.has(FieldSink.RG_TRACK_GAIN) && !sink.has(FieldSink.RG_TRACK_PEAK)) {
        sink.put(FieldSink.RG_TRACK_GAIN, volume[0]);
        sink.put(FieldSink.RG_TRACK_PEAK, volume[1]);
      }
      if (!sink.has(FieldSink.RG_ALBUM_GAIN) && !sink.has(FieldSink.RG_ALBUM_PEAK)) {
        sink.put(FieldSink.RG_ALBUM_GAIN, volume[2]);
        sink.put(FieldSink.RG_ALBUM_PEAK, volume[3]);
      }
      sink.put(FieldSink.COMMENT, comment != null ? comment : otherComment);
      // TDRC, else (mutagen's upgrade) TYER, TDAT and TIME: each as a time stamp.
      String date = Numbers.blankToNull(coreSeen[DATE] ? Id3Values.timeStamp(core[DATE])
          : Id3Values.upgradedDate(years, dates, times));
      String track = core[TRACK];
      String disc = core[DISC];
      return new TrackTags(Numbers.blankToNull(core[TITLE]), sink.artistDisplay(), Numbers.blankToNull(core[ALBUM]),
          Numbers.blankToNull(core[ALBUM_ARTIST]), Numbers.leadingInt(track), total(track), Numbers.leadingInt(disc),
          total(disc), Numbers.year(date), date, sink.genreDisplay(), null, null, null, null, null, sink.build());
    }
  }

  /** Adds the values not in {@code list} yet, as mutagen merges a second frame of an id into the first. */
  private static void addNew(List<String> list, List<String> values) {
    for (String v : values) {
      if (!list.contains(v)) {
        list.add(v);
      }
    }
  }

  private static String firstNonBlank(List<String> values) {
    for (String v : values) {
      if (Numbers.blankToNull(v) != null) {
        return v;
      }
    }
    return null;
  }

  private static boolean asciiOnly(ByteBuffer b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b.get(i) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The owner Picard gives the UFID frame that holds the MusicBrainz recording id. */
  private static final String MUSICBRAINZ_OWNER = "http://musicbrainz.org";

  /** The PlayerFields slot of a single-valued text frame, or NONE. */
  private static int slot(String id) {
    return switch (id) {
      case "TCOM" -> FieldSink.COMPOSER;
      case "TCMP" -> FieldSink.COMPILATION;
      case "TSOT" -> FieldSink.TITLE_SORT;
      case "TSOP" -> FieldSink.ARTIST_SORT;
      case "TSOA" -> FieldSink.ALBUM_SORT;
      case "TSO2" -> FieldSink.ALBUM_ARTIST_SORT;
      case "TBPM" -> FieldSink.BPM;
      case "TSRC" -> FieldSink.ISRC;
      case "TPUB" -> FieldSink.LABEL;
      case "TSST" -> FieldSink.DISC_SUBTITLE;
      default -> FieldSink.NONE;
    };
  }

  /**
   * Notes the picture of APIC frame {@code frame} (ID3v2.2: PIC): encoding, MIME type (Latin-1,
   * NUL-ended; PIC: three letters), picture type, description (ended as its encoding ends
   * strings), then the picture. Only the head of the body is read, never the picture (a
   * compressed one is inflated and counted, not kept). "PNG" and "JPG" become image/png and
   * image/jpeg, as mutagen's upgrade makes them. A frame mutagen drops as junk gives no cover.
   */
  private static void picture(Id3Frames frames, int frame, FieldSink sink) throws IOException, Fallback {
    Id3Frames.Body body = frames.body(frame, true);
    if (body == null || body.bytes().limit() < 1) {
      return;
    }
    ByteBuffer b = body.bytes();
    int encoding = b.get(0);
    if (encoding < 0 || encoding > 3) {
      return;
    }
    String mime;
    int type;
    if (frames.major == 2) {
      if (b.limit() < 5 || !asciiOnly(b, 1, 4)) {
        return;
      }
      mime = Id3Values.latin1(b, 1, 4);
      type = 4;
    } else {
      int mimeEnd = 1;
      while (mimeEnd < b.limit() && b.get(mimeEnd) != 0) {
        mimeEnd++;
      }
      if (mimeEnd + 1 >= b.limit()) {
        if (!body.whole()) {
          sink.cover(null, null, null, false); // a MIME type longer than what was read
        }
        return;
      }
      mime = Id3Values.latin1(b, 1, mimeEnd);
      type = mimeEnd + 1;
    }
    mime = mime.equals("PNG") ? "image/png" : mime.equals("JPG") ? "image/jpeg" : mime;
    boolean front = b.get(type) == 3;
    if (type + 1 >= b.limit()) {
      if (!body.whole()) {
        sink.cover(mime, null, null, front);
      }
      return; // no description: junk
    }
    int[] next = new int[1];
    String description = Id3Values.value(b, type + 1, encoding, frames.major == 4, next);
    if (!body.whole() && (description == null || next[0] >= b.limit())) {
      sink.cover(mime, null, null, front); // a description longer than what was read
      return;
    }
    if (description == null) {
      return;
    }
    int data = next[0];
    long size = body.length() - data;
    long position = body.framesAt() < 0 ? -1 : frames.filePosition(body.framesAt() + data, (int) size);
    sink.cover(mime, size, position < 0 ? null : position, front);
  }

  /** RVA2's channel type for the master volume, the one ReplayGain writers fill. */
  private static final int RVA2_MASTER = 1;

  /**
   * Notes the master-volume adjustment of an RVA2 frame identified "track" or "album" (any case)
   * in {@code volume} (track gain, track peak, album gain, album peak), as text the way mutagen's
   * EasyID3 gives it: the gain "%+f dB", the peak "%f". A frame cut short anywhere before the
   * master channel's peak ends is skipped whole, as mutagen drops it; so is a second frame of the
   * same identification. The layout: identification (Latin-1, NUL-ended), then for each channel
   * its type, the adjustment (signed 16 bits, big-endian, in 1/512 dB), the peak's width in bits
   * and the peak in that many bits, rounded up to bytes.
   */
  static void rva2(ByteBuffer body, String[] volume) {
    int nul = 0;
    while (nul < body.limit() && body.get(nul) != 0) {
      nul++;
    }
    if (nul == body.limit()) {
      return;
    }
    String identification = new String(bytes(body, 0, nul), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int gainAt = identification.equals("track") ? 0 : identification.equals("album") ? 2 : -1;
    if (gainAt < 0 || volume[gainAt] != null) {
      return;
    }
    int at = nul + 1;
    while (at + 4 <= body.limit()) {
      int channel = body.get(at) & 0xFF;
      int bits = body.get(at + 3) & 0xFF;
      int peakBytes = (bits + 7) >>> 3;
      if (at + 4 + peakBytes > body.limit()) {
        return;
      }
      if (channel == RVA2_MASTER) {
        double gainDb = (short) ((body.get(at + 1) & 0xFF) << 8 | (body.get(at + 2) & 0xFF)) / 512.0;
        volume[gainAt] = sixDecimals(gainDb, true) + " dB";
        volume[gainAt + 1] = sixDecimals(peak(body, at + 4, bits), false);
        return;
      }
      at += 4 + peakBytes;
    }
  }

  /**
   * The peak as mutagen computes it: the first (up to) four bytes of the field, a big-endian
   * number of {@code bits} bits left-aligned in 32, over 2^31 - 1 (so a 16-bit 0x8000 is 1.0).
   */
  private static double peak(ByteBuffer body, int at, int bits) {
    int bytes = Math.min(4, (bits + 7) >>> 3);
    long peak = 0;
    for (int i = 0; i < bytes; i++) {
      peak = peak << 8 | (body.get(at + i) & 0xFF);
    }
    int shift = ((8 - (bits & 7)) & 7) + (4 - bytes) * 8;
    return (double) (peak << shift) / Integer.MAX_VALUE;
  }

  /**
   * The number with six decimals, rounded half to even from its exact binary value, as Python's
   * "%f" does (Java's Formatter rounds half up: 4/512 dB would read 0.007813, mutagen 0.007812).
   */
  private static String sixDecimals(double value, boolean sign) {
    String text = new java.math.BigDecimal(value).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    return sign && !text.startsWith("-") ? "+" + text : text;
  }

  private static byte[] bytes(ByteBuffer b, int from, int to) {
    byte[] out = new byte[to - from];
    b.get(from, out);
    return out;
  }

  /** The n of "k/n", or null. */
  static Integer total(String position) {
    int slash = position == null ? -1 : position.indexOf('/');
    return slash < 0 ? null : Numbers.leadingInt(position.substring(slash + 1));
  }
}
