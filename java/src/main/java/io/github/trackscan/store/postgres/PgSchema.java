package io.github.trackscan.store.postgres;

import io.github.trackscan.store.SchemaTooNewException;
import io.github.trackscan.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/*
 * The PostgreSQL schema, its version and its migrations: the same tables, columns and meaning as
 * SQLite's (store.Schema), in PostgreSQL's types, in the connection's current schema.
 *
 * Version history (the one row of table trackscan_schema, PostgreSQL's PRAGMA user_version):
 *   1  library, scan and library_root as in SQLite schema 4 (missing_since, content_key,
 *      checked_at, the recheck and missing partial indexes); ids from the sequence library_id_seq,
 *      so scanners writing at once never hand out the same id. No fingerprint snapshot: one
 *      covering index (path INCLUDE fingerprint) answers the scan's read in path order.
 *   2  the player fields of SQLite schema 5 (composer ... cover_offset), added to library with
 *      ADD COLUMN IF NOT EXISTS; ReplayGain as double precision, the JSON arrays as text (a host
 *      casts them: artists_json::jsonb), so one insert statement serves both engines. Every row
 *      that was read is marked for a recheck, so the next scan reads its file once more and
 *      fills them.
 *
 * Migration only adds (CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT EXISTS), in one transaction,
 * under a transaction-level advisory lock so two scanners starting on an empty database do not
 * both create it. A host's own columns survive. path is COLLATE "C": byte order, so the range
 * [root + '/', root + '0') holds exactly the rows below a root, as in SQLite.
 */
final class PgSchema {
  private PgSchema() {}

  /** The schema version this code writes. */
  static final int VERSION = 2;

  static final String VERSION_TABLE = "trackscan_schema";
  static final String VERSION_COLUMN = "version";
  static final String LIBRARY = "library";
  static final String ID_SEQUENCE = "library_id_seq";
  static final String ID = "id";
  static final String PATH = "path";
  static final String TITLE = "title";
  static final String ARTIST = "artist";
  static final String ALBUM = "album";
  static final String ALBUM_ARTIST = "album_artist";
  static final String TRACK_NUMBER = "track_number";
  static final String DISC_NUMBER = "disc_number";
  static final String DURATION_MS = "duration_ms";
  static final String FORMAT = "format";
  static final String FILE_SIZE = "file_size";
  static final String FILE_MTIME_NS = "file_mtime_ns";
  static final String DEVICE = "device";
  static final String INODE = "inode";
  static final String ADDED_AT = "added_at";
  static final String UPDATED_AT = "updated_at";
  static final String PARSE_STATUS = "parse_status";
  static final String PARSE_ERROR = "parse_error";
  static final String CHECKED_AT = "checked_at";
  static final String MISSING_SINCE = "missing_since";
  static final String CONTENT_KEY = "content_key";
  static final String STATUS_OK = "OK";
  static final String STATUS_FAILED = "FAILED";

  static final String ROOT = "library_root";
  static final String ROOT_DEVICE = "device";
  static final String ROOT_SCANNED_AT = "scanned_at";

  static final String SCAN = "scan";
  static final List<String> SCAN_COLUMNS = List.of("started_at", "finished_at", "roots", "outcome", "files_walked",
      "added", "modified", "moved", "deleted", "unchanged", "failed", "walk_errors", "total_ns", "missing", "restored");
  static final int SCANS_KEPT_MAX = 1000;

  /** As SQLite's Schema.RECHECK_WHERE: a row whose mtime is as recent as the scan that read it. */
  static final String RECHECK_WHERE = FILE_MTIME_NS + " >= (" + CHECKED_AT + " - 2000) * 1000000 AND "
      + FILE_MTIME_NS + " <= (" + CHECKED_AT + " + 86400000) * 1000000";

  /** A column: its name and its PostgreSQL type. */
  record Column(String name, String type) {}

  /** The tag columns, in the order the writer binds them (as SQLite's). */
  static final List<Column> TAG_COLUMNS = List.of(
      new Column(TITLE, "text"),
      new Column(ARTIST, "text"),
      new Column(ALBUM, "text"),
      new Column(ALBUM_ARTIST, "text"),
      new Column(TRACK_NUMBER, "integer"),
      new Column("track_total", "integer"),
      new Column(DISC_NUMBER, "integer"),
      new Column("disc_total", "integer"),
      new Column("year", "integer"),
      new Column("date", "text"),
      new Column("genre", "text"),
      new Column(DURATION_MS, "bigint"),
      new Column("bitrate_kbps", "integer"),
      new Column("sample_rate_hz", "integer"),
      new Column("channels", "integer"),
      new Column("codec", "text"),
      new Column("composer", "text"),
      new Column("comment", "text"),
      new Column("compilation", "integer"),
      new Column("title_sort", "text"),
      new Column("artist_sort", "text"),
      new Column("album_sort", "text"),
      new Column("album_artist_sort", "text"),
      new Column("musicbrainz_recording_id", "text"),
      new Column("musicbrainz_track_id", "text"),
      new Column("musicbrainz_release_id", "text"),
      new Column("musicbrainz_release_group_id", "text"),
      new Column("musicbrainz_artist_id", "text"),
      new Column("musicbrainz_album_artist_id", "text"),
      new Column("replaygain_track_gain_db", "double precision"),
      new Column("replaygain_track_peak", "double precision"),
      new Column("replaygain_album_gain_db", "double precision"),
      new Column("replaygain_album_peak", "double precision"),
      new Column("bpm", "integer"),
      new Column("isrc", "text"),
      new Column("label", "text"),
      new Column("disc_subtitle", "text"),
      new Column("artists_json", "text"),
      new Column("genres_json", "text"),
      new Column("has_cover", "integer"),
      new Column("cover_mime", "text"),
      new Column("cover_bytes", "bigint"),
      new Column("cover_offset", "bigint"));

  /** The file columns the writer binds after the tags, in its order. */
  static final List<String> FILE_COLUMNS = io.github.trackscan.store.Binding.FILE_COLUMNS;

  /** Every column trackscan owns besides id and path. */
  static final List<Column> OWN_COLUMNS = concat(TAG_COLUMNS, List.of(
      new Column(FORMAT, "text"),
      new Column(FILE_SIZE, "bigint"),
      new Column(FILE_MTIME_NS, "bigint"),
      new Column(DEVICE, "bigint"),
      new Column(INODE, "bigint"),
      new Column(ADDED_AT, "bigint"),
      new Column(UPDATED_AT, "bigint"),
      new Column(PARSE_STATUS, "text"),
      new Column(PARSE_ERROR, "text"),
      new Column(CHECKED_AT, "bigint"),
      new Column(MISSING_SINCE, "bigint"),
      new Column(CONTENT_KEY, "bigint")));

  /** The advisory lock class migrations take (transaction level): 'trkm'. */
  private static final int MIGRATION_LOCK_CLASS = 0x74726B6D;

  private static List<Column> concat(List<Column> a, List<Column> b) {
    List<Column> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** The stored schema version: 0 when there is no version table (a new database). */
  static int version(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + VERSION_TABLE + "') IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return 0;
      }
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(" + VERSION_COLUMN + ") FROM " + VERSION_TABLE)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Brings the schema to {@link #VERSION} in one transaction, or leaves it untouched.
   *
   * @throws SchemaTooNewException when another trackscan wrote a newer version meanwhile
   * @throws StoreException when the role may not create tables, or anything else fails
   */
  static void migrate(Connection connection, String catalogue) {
    try {
      connection.setAutoCommit(false);
      boolean done = false;
      try (Statement s = connection.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_CLASS + ", 0)");
        int version = version(connection);
        if (version > VERSION) {
          throw new SchemaTooNewException(catalogue, version, VERSION);
        }
        if (version < VERSION) {
          upgrade(s);
          if (version == 1) {
            // As SQLite's Schema.REREAD_FOR_PLAYER_FIELDS: the next scan reads every file once more.
            s.execute("UPDATE " + LIBRARY + " SET " + CHECKED_AT + " = " + FILE_MTIME_NS + " / 1000000 WHERE "
                + FILE_MTIME_NS + " IS NOT NULL AND " + PARSE_STATUS + " = '" + STATUS_OK + "'");
          }
        }
        connection.commit();
        done = true;
      } finally {
        if (!done) {
          connection.rollback();
        }
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        throw new StoreException(catalogue, "the role may not create tables in this database's schema (GRANT CREATE"
            + " ON SCHEMA, or let an owner run trackscan once); nothing was written", e);
      }
      throw new StoreException(catalogue, "migrating the schema to version " + VERSION + "; nothing was written", e);
    }
  }

  private static void upgrade(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (" + VERSION_COLUMN + " integer NOT NULL)");
    s.execute("CREATE SEQUENCE IF NOT EXISTS " + ID_SEQUENCE);
    StringBuilder create = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(LIBRARY).append(" (")
        .append(ID).append(" bigint PRIMARY KEY DEFAULT nextval('").append(ID_SEQUENCE).append("'), ")
        .append(PATH).append(" text COLLATE \"C\" NOT NULL");
    for (Column column : OWN_COLUMNS) {
      create.append(", ").append(column.name()).append(' ').append(column.type());
    }
    s.execute(create.append(')').toString());
    for (Column column : OWN_COLUMNS) {
      s.execute("ALTER TABLE " + LIBRARY + " ADD COLUMN IF NOT EXISTS " + column.name() + ' ' + column.type());
    }
    s.execute("ALTER SEQUENCE " + ID_SEQUENCE + " OWNED BY " + LIBRARY + "." + ID);
    s.execute("CREATE UNIQUE INDEX IF NOT EXISTS library_path ON " + LIBRARY + " (" + PATH + ") INCLUDE (" + ID + ", "
        + FILE_MTIME_NS + ", " + FILE_SIZE + ", " + DEVICE + ", " + INODE + ")");
    s.execute("CREATE INDEX IF NOT EXISTS library_recheck ON " + LIBRARY + " (" + ID + ") WHERE " + RECHECK_WHERE);
    s.execute("CREATE INDEX IF NOT EXISTS library_missing ON " + LIBRARY + " (" + ID + ") WHERE " + MISSING_SINCE
        + " IS NOT NULL");
    StringBuilder scan = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(SCAN).append(" (").append(ID)
        .append(" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    for (String column : SCAN_COLUMNS) {
      scan.append(", ").append(column).append(column.equals("roots") || column.equals("outcome") ? " text" : " bigint");
    }
    s.execute(scan.append(')').toString());
    s.execute("CREATE TABLE IF NOT EXISTS " + ROOT + " (" + PATH + " text COLLATE \"C\" PRIMARY KEY, " + ROOT_DEVICE
        + " bigint, " + ROOT_SCANNED_AT + " bigint)");
    s.execute("DELETE FROM " + VERSION_TABLE);
    s.execute("INSERT INTO " + VERSION_TABLE + " VALUES (" + VERSION + ")");
  }
}
