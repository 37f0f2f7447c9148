package io.github.trackscan.store;

import static io.github.trackscan.store.Schema.*;

import io.github.trackscan.tags.PlayerFields;
import io.github.trackscan.tags.TrackTags;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds trackscan's own columns to a writer's statements, the same way for every engine (SQLite's
 * {@link LibraryWriter}, PostgreSQL's writer): the tag columns in the order of the schema's tag
 * columns, then the file's format and fingerprint. Nulls are typed (SQLite ignores the type,
 * PostgreSQL needs it). {@code noNuls}: PostgreSQL text holds no NUL character, so a tag with one
 * (junk files have them) keeps the rest of its text there.
 */
public final class Binding {
  private Binding() {}

  /** The file columns {@link #file} binds, in its order (the names are the same in every engine). */
  public static final java.util.List<String> FILE_COLUMNS = java.util.List.of(FORMAT, FILE_SIZE, FILE_MTIME_NS, DEVICE,
      INODE);

  /**
   * The insert of a new row: id, path, the tag columns ({@link #tags}), the file columns
   * ({@link #file}), then parse status, parse error, added, updated and checked times and the
   * content key. The same statement in every engine: the column names are the same.
   */
  public static String insertSql() {
    return insertSql(true);
  }

  /**
   * The insert of a new row; without {@code full}, SQLite's short insert, which leaves out the
   * sparse player columns (composer ... disc subtitle: NULL on a new row) and makes the artist and
   * genre arrays from the display columns' parameters with json_array (numbered parameters: SQLite
   * numbers the plain ones after them as before): for a file with none of the sparse fields and
   * at most one artist and one genre ({@link #full}), as most files of a library not tagged by
   * Picard. Every column bound costs sqlite-jdbc a few JNI calls a row, a string more (its UTF-8
   * copy): binding all 27 new columns added about 15-20% to the writer's CPU time on an import of
   * the 41k reference library.
   */
  public static String insertSql(boolean full) {
    StringBuilder columns = new StringBuilder(ID).append(", ").append(PATH);
    StringBuilder values = new StringBuilder("?, ?");
    for (Column column : TAG_COLUMNS) {
      if (!full && SPARSE_COLUMNS.contains(column.name())) {
        continue;
      }
      columns.append(", ").append(column.name());
      if (!full && isArray(column.name())) {
        values.append(", ").append(arrayOfDisplay(column.name(), 3));
      } else {
        values.append(", ?");
      }
    }
    for (String column : FILE_COLUMNS) {
      columns.append(", ").append(column);
      values.append(", ?");
    }
    for (String column : new String[] {PARSE_STATUS, PARSE_ERROR, ADDED_AT, UPDATED_AT, CHECKED_AT, CONTENT_KEY}) {
      columns.append(", ").append(column);
      values.append(", ?");
    }
    return "INSERT INTO " + LIBRARY + " (" + columns + ") VALUES (" + values + ")";
  }

  /** Whether {@code column} is the artist or genre array, which a short statement makes from its display column. */
  static boolean isArray(String column) {
    return column.equals(ARTISTS_JSON) || column.equals(GENRES_JSON);
  }

  /**
   * A short statement's value for an array column: the one value is the display column's, and SQLite
   * makes the array from that parameter. Its number is {@code firstTagParam} plus the display column's
   * place among the tag columns: it comes before every column a short statement leaves unbound.
   */
  static String arrayOfDisplay(String arrayColumn, int firstTagParam) {
    int display = firstTagParam + TAG_COLUMNS.indexOf(new Column(arrayColumn.equals(ARTISTS_JSON) ? ARTIST : GENRE,
        "TEXT"));
    return "CASE WHEN ?" + display + " IS NULL THEN NULL ELSE json_array(?" + display + ") END";
  }

  /** Closes a writer's statements (null ones are skipped); a failure is ignored, as the connection closes next. */
  public static void closeQuietly(PreparedStatement... statements) {
    for (PreparedStatement s : statements) {
      if (s != null) {
        try {
          s.close();
        } catch (SQLException ignored) {
          // The connection closes next and frees it anyway.
        }
      }
    }
  }

  private static final TrackTags NONE =
      new TrackTags(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Binds {@code t}'s tags (all null when {@code t} is) from parameter {@code i}; returns the next parameter. */
  public static int tags(PreparedStatement s, int i, TrackTags t, boolean noNuls) throws SQLException {
    return tags(s, i, t, noNuls, true);
  }

  /**
   * Whether {@code t} needs the full insert: it has a player field among the sparse columns, or
   * several artists or genres. Otherwise the short insert ({@code insertSql(false)},
   * {@code tags(..., false)}) writes the same row.
   */
  public static boolean full(TrackTags t) {
    if (t == null) {
      return false;
    }
    PlayerFields p = t.player();
    if (p.artists().size() > 1 || p.genres().size() > 1
        || (p.artists().size() == 1 && !p.artists().get(0).equals(t.artist()))
        || (p.genres().size() == 1 && !p.genres().get(0).equals(t.genre()))) {
      return true; // arrays the short insert cannot make from the display columns
    }
    return p != PlayerFields.NONE && (p.composer() != null || p.comment() != null || p.compilation() != null
        || p.titleSort() != null || p.artistSort() != null || p.albumSort() != null || p.albumArtistSort() != null
        || p.musicBrainzRecordingId() != null || p.musicBrainzTrackId() != null || p.musicBrainzReleaseId() != null
        || p.musicBrainzReleaseGroupId() != null || p.musicBrainzArtistId() != null
        || p.musicBrainzAlbumArtistId() != null || p.replayGainTrackGainDb() != null
        || p.replayGainTrackPeak() != null || p.replayGainAlbumGainDb() != null || p.replayGainAlbumPeak() != null
        || p.bpm() != null || p.isrc() != null || p.label() != null || p.discSubtitle() != null);
  }

  /**
   * Binds {@code t}'s tags from parameter {@code i}, without the sparse player columns and the
   * arrays unless {@code full}; returns the next parameter.
   */
  public static int tags(PreparedStatement s, int i, TrackTags t, boolean noNuls, boolean full) throws SQLException {
    TrackTags v = t == null ? NONE : t;
    text(s, i++, v.title(), noNuls);
    text(s, i++, v.artist(), noNuls);
    text(s, i++, v.album(), noNuls);
    text(s, i++, v.albumArtist(), noNuls);
    int32(s, i++, v.trackNumber());
    int32(s, i++, v.trackTotal());
    int32(s, i++, v.discNumber());
    int32(s, i++, v.discTotal());
    int32(s, i++, v.year());
    text(s, i++, v.date(), noNuls);
    text(s, i++, v.genre(), noNuls);
    int64(s, i++, v.durationMs());
    int32(s, i++, v.bitrateKbps());
    int32(s, i++, v.sampleRateHz());
    int32(s, i++, v.channels());
    text(s, i++, v.codec(), noNuls);
    PlayerFields p = v.player();
    if (full) {
      text(s, i++, p.composer(), noNuls);
      text(s, i++, p.comment(), noNuls);
      int32(s, i++, p.compilation() == null ? null : p.compilation() ? 1 : 0);
      text(s, i++, p.titleSort(), noNuls);
      text(s, i++, p.artistSort(), noNuls);
      text(s, i++, p.albumSort(), noNuls);
      text(s, i++, p.albumArtistSort(), noNuls);
      text(s, i++, p.musicBrainzRecordingId(), noNuls);
      text(s, i++, p.musicBrainzTrackId(), noNuls);
      text(s, i++, p.musicBrainzReleaseId(), noNuls);
      text(s, i++, p.musicBrainzReleaseGroupId(), noNuls);
      text(s, i++, p.musicBrainzArtistId(), noNuls);
      text(s, i++, p.musicBrainzAlbumArtistId(), noNuls);
      float64(s, i++, p.replayGainTrackGainDb());
      float64(s, i++, p.replayGainTrackPeak());
      float64(s, i++, p.replayGainAlbumGainDb());
      float64(s, i++, p.replayGainAlbumPeak());
      int32(s, i++, p.bpm());
      text(s, i++, p.isrc(), noNuls);
      text(s, i++, p.label(), noNuls);
      text(s, i++, p.discSubtitle(), noNuls);
    }
    if (full) {
      // A reader that keeps one value (RIFF INFO) gives no list: the array holds the one value.
      text(s, i++, json(p.artists().isEmpty() && v.artist() != null ? java.util.List.of(v.artist()) : p.artists(),
          noNuls), false);
      text(s, i++, json(p.genres().isEmpty() && v.genre() != null ? java.util.List.of(v.genre()) : p.genres(),
          noNuls), false);
    }
    PlayerFields.Cover cover = p.cover();
    int32(s, i++, t == null ? null : cover != null ? 1 : 0);
    text(s, i++, cover == null ? null : cover.mimeType(), noNuls);
    int64(s, i++, cover == null ? null : cover.sizeBytes());
    int64(s, i++, cover == null ? null : cover.offset());
    return i;
  }

  /**
   * {@code values} as a JSON array of strings, or null when there are none (as the joined column
   * is null then). Quotes, backslashes and control characters are escaped; with {@code noNuls} a
   * NUL is dropped, as PostgreSQL's text holds none (nor does its jsonb).
   */
  static String json(java.util.List<String> values, boolean noNuls) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1 && plain(values.get(0))) {
      return "[\"" + values.get(0) + "\"]"; // the usual case: one allocation, no builder
    }
    StringBuilder b = new StringBuilder(2 + 16 * values.size()).append('[');
    for (int n = 0; n < values.size(); n++) {
      String v = values.get(n);
      b.append(n == 0 ? "\"" : ",\"");
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c == 0 && noNuls) {
              continue;
            }
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      b.append('"');
    }
    return b.append(']').toString();
  }

  /** Binds the format, then size, mtime, device and inode, from parameter {@code i}; returns the next. */
  public static int file(PreparedStatement s, int i, String format, Fingerprint f, boolean noNuls)
      throws SQLException {
    text(s, i++, format, noNuls);
    s.setLong(i++, f.sizeBytes());
    s.setLong(i++, f.mtimeNs());
    s.setLong(i++, f.device());
    s.setLong(i++, f.inode());
    return i;
  }

  public static void text(PreparedStatement s, int i, String value, boolean noNuls) throws SQLException {
    if (value == null) {
      s.setNull(i, Types.VARCHAR);
    } else {
      s.setString(i, !noNuls || value.indexOf('\0') < 0 ? value : value.replace("\0", ""));
    }
  }

  /** Whether {@code s} goes into JSON as it is: no quote, backslash or control character. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  public static void float64(PreparedStatement s, int i, Double value) throws SQLException {
    if (value == null) {
      s.setNull(i, Types.DOUBLE);
    } else {
      s.setDouble(i, value);
    }
  }

  public static void int64(PreparedStatement s, int i, Long value) throws SQLException {
    if (value == null) {
      s.setNull(i, Types.BIGINT);
    } else {
      s.setLong(i, value);
    }
  }

  public static void int32(PreparedStatement s, int i, Integer value) throws SQLException {
    if (value == null) {
      s.setNull(i, Types.INTEGER);
    } else {
      s.setInt(i, value);
    }
  }
}
