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
        Numbers.year(date), date, genre, durationMs, bitrate, sampleRate, channels, codec);
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
