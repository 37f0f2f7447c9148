package io.github.trackscan.synth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The content of side files, hidden files and junk. */
final class Extras {
  private static final byte[] APPLE_DOUBLE = appleDouble("Mac OS X        ", 4096);
  private static final byte[] NETATALK = appleDouble("Netatalk        ", 741);
  private static final byte[] DS_STORE = dsStore();
  private static final DateTimeFormatter LOCAL_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private Extras() {}

  /** An AppleDouble v2 header file: Finder info then an empty resource fork, {@code size} bytes. */
  private static byte[] appleDouble(String filler, int size) {
    Bytes b = new Bytes(size);
    b.u32be(0x00051607).u32be(0x00020000).ascii(filler).u16be(2);
    int finderOffset = 26 + 2 * 12;
    int finderLength = 32;
    int forkOffset = finderOffset + finderLength;
    b.u32be(9).u32be(finderOffset).u32be(finderLength);
    b.u32be(2).u32be(forkOffset).u32be(size - forkOffset);
    b.ascii("MPG3").ascii("hook").zeros(finderLength - 8);
    b.u32be(0x100).u32be(0x100).u32be(0).u32be(0x1E);
    b.zeros(size - b.size());
    return b.toArray();
  }

  private static byte[] dsStore() {
    Bytes b = new Bytes(6148);
    b.u32be(1).ascii("Bud1").u32be(0x1000).u32be(0x800).u32be(0x1000).u32be(0x0000100C);
    b.zeros(6148 - b.size());
    return b.toArray();
  }

  static byte[] appleDoubleTwin() {
    return APPLE_DOUBLE;
  }

  static byte[] netatalkEntry() {
    return NETATALK;
  }

  static byte[] dsStoreFile() {
    return DS_STORE;
  }

  static byte[] junk(JunkKind kind, TrackTags tags) {
    return switch (kind) {
      case ZERO_BYTE_MP3 -> new byte[0];
      case TEXT_AS_MP3 -> ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
          + "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
          + "<p>" + tags.artist() + " - " + tags.title() + "</p>\r\n</body>\r\n</html>\r\n")
          .getBytes(StandardCharsets.UTF_8);
      case BAD_ID3_SIZE_MP3 -> {
        byte[] mp3 = Mp3Encoder.encode(TrackFormat.MP3_ID3V23, tags, null);
        mp3[6] = 0x7F; // the tag claims 256 MiB
        mp3[7] = 0x7F;
        mp3[8] = 0x7F;
        mp3[9] = 0x7F;
        yield mp3;
      }
      case TRUNCATED_M4A -> {
        byte[] m4a = Mp4Encoder.encode(tags, null);
        int moov = u32be(m4a, 0);
        yield java.util.Arrays.copyOf(m4a, moov + u32be(m4a, moov) / 2);
      }
      case TRUNCATED_FLAC -> {
        byte[] flac = FlacEncoder.encode(tags, null);
        int comment = 4 + 4 + 34;
        int length = u32be(flac, comment) & 0xFFFFFF;
        yield java.util.Arrays.copyOf(flac, comment + 4 + length / 2);
      }
    };
  }

  static int u32be(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  /** The file names of an album's tracks, in order, with their tags. */
  record Listing(String fileName, TrackTags tags) {}

  static byte[] cue(String albumArtist, String album, int year, String genre, String audioFile, List<Listing> tracks) {
    StringBuilder s = new StringBuilder();
    s.append("REM GENRE \"").append(genre).append("\"\r\nREM DATE ").append(year).append("\r\n")
        .append("REM COMMENT \"ExactAudioCopy v1.6\"\r\nPERFORMER \"").append(quote(albumArtist))
        .append("\"\r\nTITLE \"").append(quote(album)).append("\"\r\nFILE \"").append(quote(audioFile))
        .append("\" WAVE\r\n");
    int seconds = 0;
    for (int i = 0; i < tracks.size(); i++) {
      TrackTags t = tracks.get(i).tags();
      s.append(String.format("  TRACK %02d AUDIO\r\n    TITLE \"%s\"\r\n    PERFORMER \"%s\"\r\n"
          + "    INDEX 01 %02d:%02d:00\r\n", i + 1, quote(t.title()), quote(t.artist()),
          seconds / 60, seconds % 60));
      seconds += 181 + 17 * i;
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return s.replace('"', '\'');
  }

  static byte[] log(String albumArtist, String album, List<Listing> tracks) {
    StringBuilder s = new StringBuilder();
    s.append("Exact Audio Copy V1.6 from 23. October 2020\r\n\r\nEAC extraction logfile from 4. May 2021, 21:14\r\n\r\n")
        .append(albumArtist).append(" / ").append(album).append("\r\n\r\n")
        .append("Used drive  : PLEXTOR DVDR   PX-716A   Adapter: 1  ID: 0\r\n\r\n")
        .append("Read mode               : Secure\r\nUtilize accurate stream : Yes\r\n")
        .append("Defeat audio cache      : Yes\r\nMake use of C2 pointers : No\r\n\r\n");
    for (int i = 0; i < tracks.size(); i++) {
      s.append(String.format("Track %2d\r\n\r\n     Filename %s\r\n\r\n     Peak level 98.2 %%\r\n"
          + "     Copy CRC %08X\r\n     Accurately ripped (confidence 12)  [%08X]  (AR v2)\r\n"
          + "     Copy OK\r\n\r\n", i + 1, tracks.get(i).fileName(),
          tracks.get(i).fileName().hashCode(), tracks.get(i).tags().title().hashCode()));
    }
    s.append("No errors occurred\r\n\r\nEnd of status report\r\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] m3u(List<Listing> tracks) {
    StringBuilder s = new StringBuilder("#EXTM3U\n");
    for (Listing l : tracks) {
      s.append("#EXTINF:1,").append(l.tags().artist()).append(" - ").append(l.tags().title()).append('\n')
          .append(l.fileName()).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] nfo(String albumArtist, String album, int year, String genre, List<Listing> tracks) {
    StringBuilder s = new StringBuilder();
    s.append("  ________________________________________\r\n\r\n")
        .append("  Artist..: ").append(albumArtist).append("\r\n  Album...: ").append(album)
        .append("\r\n  Year....: ").append(year).append("\r\n  Genre...: ").append(genre)
        .append("\r\n  Tracks..: ").append(tracks.size()).append("\r\n\r\n  Tracklist:\r\n");
    for (Listing l : tracks) {
      s.append(String.format("    %02d. %s\r\n", l.tags().track(), l.tags().title()));
    }
    s.append("  ________________________________________\r\n");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] trashInfo(String originalPath, long deletedEpochSecond) {
    String encoded = URLEncoder.encode(originalPath, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    return ("[Trash Info]\nPath=/home/user/Music/" + encoded + "\nDeletionDate="
        + LOCAL_SECONDS.format(Instant.ofEpochSecond(deletedEpochSecond)) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
