package io.github.trackscan.tags;

import java.util.ArrayList;
import java.util.List;

/*
 * What a tag reader collects for PlayerFields while it walks a tag once: a reader maps each key it
 * meets to a slot in a switch (no map of every frame or field is built) and hands the value here.
 * Text slots keep their first non-blank value, stripped; artists and genres keep every distinct
 * non-blank value, in order. The arrays are made on the first value, so a file with only the core tags allocates
 * nothing beyond this object.
 */
/** Collects a file's PlayerFields while its tag is parsed. */
final class FieldSink {
  static final int COMPOSER = 0;
  static final int COMMENT = 1;
  static final int COMPILATION = 2;
  static final int TITLE_SORT = 3;
  static final int ARTIST_SORT = 4;
  static final int ALBUM_SORT = 5;
  static final int ALBUM_ARTIST_SORT = 6;
  static final int MB_RECORDING = 7;
  static final int MB_TRACK = 8;
  static final int MB_RELEASE = 9;
  static final int MB_RELEASE_GROUP = 10;
  static final int MB_ARTIST = 11;
  static final int MB_ALBUM_ARTIST = 12;
  static final int RG_TRACK_GAIN = 13;
  static final int RG_TRACK_PEAK = 14;
  static final int RG_ALBUM_GAIN = 15;
  static final int RG_ALBUM_PEAK = 16;
  static final int BPM = 17;
  static final int ISRC = 18;
  static final int LABEL = 19;
  static final int DISC_SUBTITLE = 20;
  /** Not a field: the key is not one trackscan keeps. */
  static final int NONE = -1;
  private static final int SLOTS = 21;

  /**
   * How several artists or genres show in the one-value columns: "; ", as Picard joins them for
   * tags that hold one value (ID3v2.3) and as most players show them; the values themselves are in
   * the JSON array columns.
   */
  static final String JOIN = "; ";

  private String[] text;
  private List<String> artists;
  private List<String> genres;
  private PlayerFields.Cover cover;
  private boolean coverIsFront;

  /** Keeps {@code value} in {@code slot} unless the slot has a value already or it is blank. */
  void put(int slot, String value) {
    if (slot < 0) {
      return;
    }
    if (text == null) {
      text = new String[SLOTS];
    }
    if (text[slot] == null) {
      text[slot] = Numbers.blankToNull(value);
    }
  }

  /** Whether {@code slot} has a value. */
  boolean has(int slot) {
    return text != null && text[slot] != null;
  }

  void artist(String value) {
    artists = add(artists, value);
  }

  void genre(String value) {
    genres = add(genres, value);
  }

  private static List<String> add(List<String> list, String value) {
    String v = Numbers.blankToNull(value);
    if (v == null) {
      return list;
    }
    if (list == null) {
      return List.of(v); // the usual one value: PlayerFields keeps this list as it is, no copy
    }
    if (list.contains(v)) {
      return list; // the same value twice (ffmpeg writes a WMA's author in two places): once
    }
    List<String> l = list.size() == 1 ? new ArrayList<>(list) : list;
    l.add(v);
    return l;
  }

  /** The artists joined for display ({@link #JOIN}), or null when there are none. */
  String artistDisplay() {
    return join(artists);
  }

  /** The genres joined for display, or null when there are none. */
  String genreDisplay() {
    return join(genres);
  }

  /** The genres so far (empty when none). */
  List<String> genres() {
    return genres == null ? List.of() : genres;
  }

  private static String join(List<String> values) {
    return values == null ? null : values.size() == 1 ? values.get(0) : String.join(JOIN, values);
  }

  /**
   * Notes a picture: the first front cover wins, else the first picture.
   *
   * @param front whether the tag calls it the front cover (picture type 3); pass true where the
   *     format has no picture types
   */
  void cover(String mimeType, Long sizeBytes, Long offset, boolean front) {
    if (cover == null || (front && !coverIsFront)) {
      cover = new PlayerFields.Cover(Numbers.blankToNull(mimeType), sizeBytes, offset);
      coverIsFront = front;
    }
  }

  boolean hasCover() {
    return cover != null;
  }

  /** What was collected; {@link PlayerFields#NONE} when nothing was. */
  PlayerFields build() {
    if (text == null && artists == null && genres == null && cover == null) {
      return PlayerFields.NONE;
    }
    String[] t = text == null ? new String[SLOTS] : text;
    return new PlayerFields(t[COMPOSER], t[COMMENT], flag(t[COMPILATION]), t[TITLE_SORT], t[ARTIST_SORT],
        t[ALBUM_SORT], t[ALBUM_ARTIST_SORT], t[MB_RECORDING], t[MB_TRACK], t[MB_RELEASE], t[MB_RELEASE_GROUP],
        t[MB_ARTIST], t[MB_ALBUM_ARTIST], Numbers.leadingDouble(t[RG_TRACK_GAIN]),
        Numbers.leadingDouble(t[RG_TRACK_PEAK]), Numbers.leadingDouble(t[RG_ALBUM_GAIN]),
        Numbers.leadingDouble(t[RG_ALBUM_PEAK]), Numbers.leadingInt(t[BPM]), t[ISRC], t[LABEL], t[DISC_SUBTITLE],
        artists, genres, cover);
  }

  /** "1" (or any leading non-zero integer) and "true" are true, "0" and "false" false, anything else null. */
  static Boolean flag(String s) {
    if ("true".equalsIgnoreCase(s) || "false".equalsIgnoreCase(s)) {
      return s.equalsIgnoreCase("true"); // jaudiotagger's and ASF's booleans
    }
    Integer n = Numbers.leadingInt(s);
    return n == null ? null : n != 0;
  }

  /** The MIME type of a picture by its first bytes (APEv2 names none), or null. */
  static String sniffImage(java.nio.ByteBuffer b, int at, int length) {
    if (length >= 3 && (b.get(at) & 0xFF) == 0xFF && (b.get(at + 1) & 0xFF) == 0xD8 && (b.get(at + 2) & 0xFF) == 0xFF) {
      return "image/jpeg";
    }
    if (length >= 8 && (b.get(at) & 0xFF) == 0x89 && Source.matches(b, at + 1, "PNG")) {
      return "image/png";
    }
    if (length >= 6 && Source.matches(b, at, "GIF8")) {
      return "image/gif";
    }
    if (length >= 2 && Source.matches(b, at, "BM")) {
      return "image/bmp";
    }
    if (length >= 12 && Source.matches(b, at, "RIFF") && Source.matches(b, at + 8, "WEBP")) {
      return "image/webp";
    }
    return null;
  }

  /** The slot of a Vorbis comment or APEv2 key, upper case (they share Picard's names), or NONE. */
  static int vorbisSlot(String key) {
    return switch (key) {
      case "COMPOSER" -> COMPOSER;
      case "COMMENT" -> COMMENT;
      case "COMPILATION" -> COMPILATION;
      case "TITLESORT" -> TITLE_SORT;
      case "ARTISTSORT" -> ARTIST_SORT;
      case "ALBUMSORT" -> ALBUM_SORT;
      case "ALBUMARTISTSORT" -> ALBUM_ARTIST_SORT;
      case "MUSICBRAINZ_TRACKID" -> MB_RECORDING;
      case "MUSICBRAINZ_RELEASETRACKID" -> MB_TRACK;
      case "MUSICBRAINZ_ALBUMID" -> MB_RELEASE;
      case "MUSICBRAINZ_RELEASEGROUPID" -> MB_RELEASE_GROUP;
      case "MUSICBRAINZ_ARTISTID" -> MB_ARTIST;
      case "MUSICBRAINZ_ALBUMARTISTID" -> MB_ALBUM_ARTIST;
      case "REPLAYGAIN_TRACK_GAIN" -> RG_TRACK_GAIN;
      case "REPLAYGAIN_TRACK_PEAK" -> RG_TRACK_PEAK;
      case "REPLAYGAIN_ALBUM_GAIN" -> RG_ALBUM_GAIN;
      case "REPLAYGAIN_ALBUM_PEAK" -> RG_ALBUM_PEAK;
      case "BPM" -> BPM;
      case "ISRC" -> ISRC;
      case "LABEL" -> LABEL;
      case "DISCSUBTITLE" -> DISC_SUBTITLE;
      default -> NONE;
    };
  }

  /**
   * The slot of an ID3v2 TXXX description, MP4 freeform (----:com.apple.iTunes:) name or ASF
   * attribute past "MusicBrainz/", upper case: Picard writes the MusicBrainz ids under these
   * descriptive names in all three, and ReplayGain under its Vorbis names.
   */
  static int descriptiveSlot(String name) {
    return switch (name) {
      case "MUSICBRAINZ TRACK ID" -> MB_RECORDING;
      case "MUSICBRAINZ RELEASE TRACK ID" -> MB_TRACK;
      case "MUSICBRAINZ ALBUM ID" -> MB_RELEASE;
      case "MUSICBRAINZ RELEASE GROUP ID" -> MB_RELEASE_GROUP;
      case "MUSICBRAINZ ARTIST ID" -> MB_ARTIST;
      case "MUSICBRAINZ ALBUM ARTIST ID" -> MB_ALBUM_ARTIST;
      case "REPLAYGAIN_TRACK_GAIN" -> RG_TRACK_GAIN;
      case "REPLAYGAIN_TRACK_PEAK" -> RG_TRACK_PEAK;
      case "REPLAYGAIN_ALBUM_GAIN" -> RG_ALBUM_GAIN;
      case "REPLAYGAIN_ALBUM_PEAK" -> RG_ALBUM_PEAK;
      case "ISRC" -> ISRC;
      case "LABEL" -> LABEL;
      case "DISCSUBTITLE" -> DISC_SUBTITLE;
      default -> NONE;
    };
  }
}
