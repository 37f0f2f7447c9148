package io.github.trackscan.scan;

import io.github.trackscan.tags.AudioFixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** A small music folder of tiny MP3s and FLACs, and SQL helpers to look at the database. */
final class TestLibrary {
  private TestLibrary() {}

  /**
   * {@code albums} albums of {@code tracks} tracks, alternating MP3 and FLAC albums, settled (an old
   * mtime, see AudioFixtures.settle); returns the files made.
   */
  static Map<Path, String> albums(Path root, int albums, int tracks) {
    Map<Path, String> files = new TreeMap<>();
    for (int a = 0; a < albums; a++) {
      String artist = "Artist " + (a % 3);
      String album = "Album " + a;
      boolean flac = a % 2 == 1;
      for (int t = 1; t <= tracks; t++) {
        AudioFixtures.Meta meta = AudioFixtures.Meta.of(artist, album, t);
        Path file = root.resolve(artist).resolve(album + " (2003)").resolve(String.format("%02d - Track %d.%s", t, t, flac ? "flac" : "mp3"));
        AudioFixtures.write(file, flac ? AudioFixtures.flac(meta, 3) : AudioFixtures.mp3(meta, 20));
        files.put(file, meta.title());
      }
    }
    AudioFixtures.settle(root);
    return files;
  }

  static <T> T query(Path db, String sql, Function<ResultSet, T> reader) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return reader.apply(rs);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  static void execute(Path db, String... sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(String.join("; ", sql), e);
    }
  }

  static long count(Path db, String where) {
    return query(db, "SELECT count(*) FROM library WHERE " + where, rs -> {
      try {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Column {@code column} of every row, by path. */
  static Map<String, String> column(Path db, String column) {
    return query(db, "SELECT path, " + column + " FROM library", rs -> {
      Map<String, String> values = new HashMap<>();
      try {
        while (rs.next()) {
          values.put(rs.getString(1), rs.getString(2));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return values;
    });
  }

  /** Every row as text, by id: a snapshot to compare before and after. */
  static Map<Long, String> snapshot(Path db) {
    return query(db, "SELECT * FROM library ORDER BY id", rs -> {
      Map<Long, String> rows = new TreeMap<>();
      try {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append('|');
          }
          rows.put(rs.getLong("id"), row.toString());
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return rows;
    });
  }
}
