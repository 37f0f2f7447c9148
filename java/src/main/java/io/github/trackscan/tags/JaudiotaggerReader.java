package io.github.trackscan.tags;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.audio.AudioHeader;
import org.jaudiotagger.audio.mp3.MP3AudioHeader;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;

/*
 * jaudiotagger's file readers (AudioFileIO.readAs, which skips its extension lookup by file name
 * twice). jaudiotagger logs every oddity through java.util.logging at WARNING and SEVERE; the
 * loggers are silenced once, and kept strongly reachable here, since java.util.logging holds
 * loggers weakly and a collected logger would come back with the default level.
 */
final class JaudiotaggerReader implements TagReader {
  static final JaudiotaggerReader INSTANCE = new JaudiotaggerReader();

  private static final Logger[] SILENCED = silence("org.jaudiotagger");

  private JaudiotaggerReader() {}

  static Logger[] silence(String... names) {
    Logger[] loggers = new Logger[names.length];
    for (int i = 0; i < names.length; i++) {
      loggers[i] = Logger.getLogger(names[i]);
      loggers[i].setLevel(Level.OFF);
    }
    return loggers;
  }

  /** Makes sure jaudiotagger's loggers are off before any of its classes log. */
  static void ensureSilenced() {
    if (SILENCED.length == 0) {
      throw new AssertionError();
    }
  }

  @Override
  public TrackTags read(Path file, long sizeBytes) throws TagReadException {
    return read(file, extensionOf(file));
  }

  /** Reads {@code file} as the format jaudiotagger knows by {@code extension}. */
  TrackTags read(Path file, String extension) throws TagReadException {
    DeclaredSizes.check(file, extension);
    try {
      AudioFile audio = AudioFileIO.readAs(new File(file.toString()), extension);
      return toTags(audio.getTag(), audio.getAudioHeader());
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      throw Failures.of(file, e);
    }
  }

  static String extensionOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static TrackTags toTags(Tag tag, AudioHeader header) {
    String title = null, artist = null, album = null, albumArtist = null, date = null, genre = null;
    Integer track = null, trackTotal = null, disc = null, discTotal = null;
    if (tag != null) {
      title = field(tag, FieldKey.TITLE);
      artist = field(tag, FieldKey.ARTIST);
      album = field(tag, FieldKey.ALBUM);
      albumArtist = field(tag, FieldKey.ALBUM_ARTIST);
      date = field(tag, FieldKey.YEAR);
      genre = field(tag, FieldKey.GENRE);
      track = Numbers.leadingInt(field(tag, FieldKey.TRACK));
      trackTotal = Numbers.leadingInt(field(tag, FieldKey.TRACK_TOTAL));
      disc = Numbers.leadingInt(field(tag, FieldKey.DISC_NO));
      discTotal = Numbers.leadingInt(field(tag, FieldKey.DISC_TOTAL));
    }
    Long durationMs = null;
    Integer bitrate = null, sampleRate = null, channels = null;
    String codec = null;
    if (header != null) {
      double seconds = header.getPreciseTrackLength();
      durationMs = seconds > 0 ? Math.round(seconds * 1000) : null;
      long kbps = header.getBitRateAsNumber();
      bitrate = kbps > 0 ? (int) kbps : null;
      int rate = header.getSampleRateAsNumber();
      sampleRate = rate > 0 ? rate : null;
      channels = Numbers.channels(header.getChannels());
      codec = header instanceof MP3AudioHeader mp3
          ? mp3.getMpegVersion().replace("Version ", "MPEG-").replace("MPEG-2.5", "MPEG-2.5") + " " + mp3.getMpegLayer()
          : Numbers.blankToNull(header.getEncodingType());
    }
    return new TrackTags(title, artist, album, albumArtist, track, trackTotal, disc, discTotal,
        Numbers.year(date), date, genre, durationMs, bitrate, sampleRate, channels, codec, player(tag, artist, genre));
  }

  /** jaudiotagger's names for the PlayerFields text slots, by slot. */
  private static final FieldKey[] PLAYER_KEYS = new FieldKey[21];

  static {
    PLAYER_KEYS[FieldSink.COMPOSER] = FieldKey.COMPOSER;
    PLAYER_KEYS[FieldSink.COMMENT] = FieldKey.COMMENT;
    PLAYER_KEYS[FieldSink.COMPILATION] = FieldKey.IS_COMPILATION;
    PLAYER_KEYS[FieldSink.TITLE_SORT] = FieldKey.TITLE_SORT;
    PLAYER_KEYS[FieldSink.ARTIST_SORT] = FieldKey.ARTIST_SORT;
    PLAYER_KEYS[FieldSink.ALBUM_SORT] = FieldKey.ALBUM_SORT;
    PLAYER_KEYS[FieldSink.ALBUM_ARTIST_SORT] = FieldKey.ALBUM_ARTIST_SORT;
    PLAYER_KEYS[FieldSink.MB_RECORDING] = FieldKey.MUSICBRAINZ_TRACK_ID;
    PLAYER_KEYS[FieldSink.MB_TRACK] = FieldKey.MUSICBRAINZ_RELEASE_TRACK_ID;
    PLAYER_KEYS[FieldSink.MB_RELEASE] = FieldKey.MUSICBRAINZ_RELEASEID;
    PLAYER_KEYS[FieldSink.MB_RELEASE_GROUP] = FieldKey.MUSICBRAINZ_RELEASE_GROUP_ID;
    PLAYER_KEYS[FieldSink.MB_ARTIST] = FieldKey.MUSICBRAINZ_ARTISTID;
    PLAYER_KEYS[FieldSink.MB_ALBUM_ARTIST] = FieldKey.MUSICBRAINZ_RELEASEARTISTID;
    PLAYER_KEYS[FieldSink.BPM] = FieldKey.BPM;
    PLAYER_KEYS[FieldSink.ISRC] = FieldKey.ISRC;
    PLAYER_KEYS[FieldSink.LABEL] = FieldKey.RECORD_LABEL;
    PLAYER_KEYS[FieldSink.DISC_SUBTITLE] = FieldKey.DISC_SUBTITLE;
  }

  /**
   * The PlayerFields jaudiotagger gives for a file it read (an MP3 whose frames the in-memory
   * reader could not find, an ID3v1 tag, a damaged FLAC or MP4): its field keys for the text slots (it has none for ReplayGain), the first
   * artist and genre only, and the cover's MIME type and size from the picture it already parsed;
   * the cover's offset is unknown (null).
   */
  private static PlayerFields player(Tag tag, String artist, String genre) {
    FieldSink sink = new FieldSink();
    sink.artist(artist);
    sink.genre(genre);
    if (tag != null) {
      for (int slot = 0; slot < PLAYER_KEYS.length; slot++) {
        if (PLAYER_KEYS[slot] != null) {
          sink.put(slot, field(tag, PLAYER_KEYS[slot]));
        }
      }
      try {
        for (org.jaudiotagger.tag.images.Artwork art : tag.getArtworkList()) {
          byte[] data = art.getBinaryData();
          sink.cover(art.getMimeType(), data == null ? null : (long) data.length, null, art.getPictureType() == 3);
        }
      } catch (RuntimeException e) {
        // A tag type without pictures (ID3v1), or one jaudiotagger could not decode: no cover noted.
      }
    }
    return sink.build();
  }

  private static String field(Tag tag, FieldKey key) {
    try {
      return Numbers.blankToNull(tag.getFirst(key));
    } catch (RuntimeException e) {
      // Some tag types do not support every key (UnsupportedOperationException, KeyNotFoundException).
      return null;
    }
  }
}
