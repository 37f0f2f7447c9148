package io.github.trackscan.bench.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One catalogue row as trackscan writes it (the columns a scan writes and reads), and where the
 * evaluation gets them: the rows of a real trackscan SQLite catalogue (the 41k library after a
 * scan), or a deterministic synthetic catalogue of any size shaped like it (artist / album (year) /
 * NN - title.ext, 10-14 tracks an album, the same column widths).
 */
record Row(long id, String path, String title, String artist, String album, String albumArtist, Integer trackNumber,
    Integer discNumber, Integer year, String genre, Long durationMs, Integer bitrateKbps, Integer sampleRateHz,
    Integer channels, String codec, String format, long fileSize, long mtimeNs, long device, long inode, long addedAt,
    long updatedAt, String parseStatus, long checkedAt, Long contentKey) {

  /** Column names, in the order of the record's components (and of every insert). */
  static final List<String> COLUMNS = List.of("id", "path", "title", "artist", "album", "album_artist", "track_number",
      "disc_number", "year", "genre", "duration_ms", "bitrate_kbps", "sample_rate_hz", "channels", "codec", "format",
      "file_size", "file_mtime_ns", "device", "inode", "added_at", "updated_at", "parse_status", "checked_at",
      "content_key");

  /** Column types, in the order of {@link #COLUMNS}: 't' text, 'i' integer, 'l' bigint. */
  static final String TYPES = "ltttttiiitliiittllllllt" + "ll";

  /** The values, boxed, in column order. */
  Object[] values() {
    return new Object[] {id, path, title, artist, album, albumArtist, trackNumber, discNumber, year, genre, durationMs,
        bitrateKbps, sampleRateHz, channels, codec, format, fileSize, mtimeNs, device, inode, addedAt, updatedAt,
        parseStatus, checkedAt, contentKey};
  }

  private static final String[] GENRES = {"Rock", "Jazz", "Electronic", "Classical", "Hip-Hop", "Folk", "Ambient", "Pop"};
  private static final String[] WORDS = {"Love", "Night", "River", "Blue", "Fire", "Song", "Dream", "Light", "Road",
      "Heart", "Rain", "Gold", "Shadow", "Morning", "Echo", "Stone", "Wild", "Silver", "Ocean", "Time"};
  private static final String[] FORMATS = {"mp3", "mp3", "mp3", "mp3", "mp3", "flac", "flac", "flac", "m4a", "ogg"};

  /** {@code n} synthetic rows, ids from 1, under /music; the same for the same {@code n} and seed. */
  static List<Row> synthetic(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>(n);
    long now = 1_760_000_000_000L;
    int artist = 0;
    while (rows.size() < n) {
      artist++;
      String artistName = words(random, 2) + " " + artist;
      int albums = 1 + random.nextInt(4);
      for (int a = 0; a < albums && rows.size() < n; a++) {
        String album = words(random, 3);
        int year = 1960 + random.nextInt(65);
        int tracks = 10 + random.nextInt(5);
        String format = FORMATS[random.nextInt(FORMATS.length)];
        String genre = GENRES[random.nextInt(GENRES.length)];
        for (int t = 1; t <= tracks && rows.size() < n; t++) {
          String title = words(random, 1 + random.nextInt(3));
          long id = rows.size() + 1;
          String path = "/music/" + artistName + "/" + album + " (" + year + ")/" + String.format("%02d - %s.%s", t, title,
              format);
          rows.add(new Row(id, path, title, artistName, album, artistName, t, 1, year, genre,
              120_000L + random.nextInt(300_000), format.equals("flac") ? 900 : 256, 44_100, 2,
              format.equals("flac") ? "FLAC" : format.equals("m4a") ? "AAC" : format.equals("ogg") ? "Vorbis" : "MPEG-1 Layer 3",
              format, 3_000_000L + random.nextInt(30_000_000), 1_600_000_000_000_000_000L + random.nextLong(1L << 50),
              2049, 1_000_000 + id, now, now, "OK", now, random.nextLong()));
        }
      }
    }
    return rows;
  }

  private static String words(SplittableRandom random, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return s.toString();
  }

  /** The rows of a trackscan SQLite catalogue (missing rows left out). */
  static List<Row> fromCatalogue(Path db) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + String.join(", ", COLUMNS) + " FROM library WHERE missing_since IS NULL"
            + " ORDER BY id")) {
      while (rs.next()) {
        long id = rows.size() + 1; // Dense ids, as a fresh import would give.
        rows.add(new Row(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            integer(rs, 7), integer(rs, 8), integer(rs, 9), rs.getString(10), bigint(rs, 11), integer(rs, 12),
            integer(rs, 13), integer(rs, 14), rs.getString(15), rs.getString(16), rs.getLong(17), rs.getLong(18),
            rs.getLong(19), rs.getLong(20), rs.getLong(21), rs.getLong(22), rs.getString(23), rs.getLong(24),
            bigint(rs, 25)));
      }
    }
    return rows;
  }

  private static Integer integer(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }

  private static Long bigint(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }
}
