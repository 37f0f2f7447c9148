package io.github.trackscan.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/*
 * The schema, its version and its migrations.
 *
 * Version history (PRAGMA user_version):
 *   0  the original Python design: library(id, path, title, artist, album, ..., mtime REAL seconds),
 *      no fingerprint in nanoseconds, no size, no device/inode; or an empty file.
 *   1  library with nanosecond fingerprints, device and inode; the scan table.
 *   2  adds the fingerprint_snapshot and fingerprint_dirty tables and the triggers that note in
 *      fingerprint_dirty every row whose id, path or fingerprint changes (see FingerprintSnapshot).
 *   3  this schema: adds library.checked_at, when the scan that last read the file's content
 *      began, and the partial index library_recheck of the rows whose fingerprint cannot be
 *      trusted yet (see RECHECK_WHERE). Rows from version 2 have none and are trusted.
 *   4  this schema: adds library.missing_since (a row whose file is gone is kept and marked, never
 *      deleted by a scan) with the partial index library_missing, library.content_key (a hash of
 *      the file's first and last KiB, to recognise a moved file with a new inode), the table
 *      library_root (the device each root was on at its last scan, to tell an unmounted share
 *      from an emptied folder), and the scan table's missing and restored counts. Rows from
 *      version 3 have no content key (they are matched by tags when moved) and are present.
 *   5  this schema: adds the fields a player needs (composer, comment, compilation, sort names,
 *      MusicBrainz ids, ReplayGain, BPM, ISRC, label, disc subtitle), artists_json and genres_json
 *      beside the joined artist and genre, and the embedded cover's place (has_cover, cover_mime,
 *      cover_bytes, cover_offset). They are tag columns. The migration marks every row that was
 *      read for a recheck (REREAD_FOR_PLAYER_FIELDS), so the next scan reads each file once more
 *      and fills them; until then they are NULL.
 *   6  this schema: drops the index library_fingerprint (path, mtime, size, device, inode). It
 *      covered the diff's read of the fingerprints in path order, which the fingerprint snapshot
 *      has served in every full scan since version 2; what was left of its work was a second
 *      B-tree keyed by path to update for every row added or changed (1 MB written per 250 rows
 *      at a million rows: 40% of a 1% delta's writing, and a quarter of the file). Reads by path
 *      (a folder of a quick scan, the SQL read when there is no snapshot) use library_path.
 *
 * Migration only ever adds: missing columns with ALTER TABLE ADD COLUMN, missing indexes and tables
 * with IF NOT EXISTS (the one exception, version 6's dropped index, held no data). The library
 * table is never recreated, so columns a host added for itself (play counts, ratings) survive,
 * and columns of the old design stay where they were. Rows migrated from version 0 have no
 * nanosecond fingerprint (NULL), so the next scan reads them again and fills the new columns;
 * their ids and host columns are kept, since that is an UPDATE by id.
 */
final class Schema {
  private Schema() {}

  /** The schema version this code writes. */
  static final int VERSION = 6;

  static final String LIBRARY = "library";
  static final String ID = "id";
  static final String PATH = "path";
  static final String TITLE = "title";
  static final String ARTIST = "artist";
  static final String ALBUM = "album";
  static final String ALBUM_ARTIST = "album_artist";
  static final String TRACK_NUMBER = "track_number";
  static final String TRACK_TOTAL = "track_total";
  static final String DISC_NUMBER = "disc_number";
  static final String DISC_TOTAL = "disc_total";
  static final String YEAR = "year";
  static final String DATE = "date";
  static final String GENRE = "genre";
  static final String DURATION_MS = "duration_ms";
  static final String BITRATE_KBPS = "bitrate_kbps";
  static final String SAMPLE_RATE_HZ = "sample_rate_hz";
  static final String CHANNELS = "channels";
  static final String CODEC = "codec";
  static final String COMPOSER = "composer";
  static final String COMMENT = "comment";
  static final String COMPILATION = "compilation";
  static final String TITLE_SORT = "title_sort";
  static final String ARTIST_SORT = "artist_sort";
  static final String ALBUM_SORT = "album_sort";
  static final String ALBUM_ARTIST_SORT = "album_artist_sort";
  static final String MUSICBRAINZ_RECORDING_ID = "musicbrainz_recording_id";
  static final String MUSICBRAINZ_TRACK_ID = "musicbrainz_track_id";
  static final String MUSICBRAINZ_RELEASE_ID = "musicbrainz_release_id";
  static final String MUSICBRAINZ_RELEASE_GROUP_ID = "musicbrainz_release_group_id";
  static final String MUSICBRAINZ_ARTIST_ID = "musicbrainz_artist_id";
  static final String MUSICBRAINZ_ALBUM_ARTIST_ID = "musicbrainz_album_artist_id";
  static final String REPLAYGAIN_TRACK_GAIN_DB = "replaygain_track_gain_db";
  static final String REPLAYGAIN_TRACK_PEAK = "replaygain_track_peak";
  static final String REPLAYGAIN_ALBUM_GAIN_DB = "replaygain_album_gain_db";
  static final String REPLAYGAIN_ALBUM_PEAK = "replaygain_album_peak";
  static final String BPM = "bpm";
  static final String ISRC = "isrc";
  static final String LABEL = "label";
  static final String DISC_SUBTITLE = "disc_subtitle";
  static final String ARTISTS_JSON = "artists_json";
  static final String GENRES_JSON = "genres_json";
  static final String HAS_COVER = "has_cover";
  static final String COVER_MIME = "cover_mime";
  static final String COVER_BYTES = "cover_bytes";
  static final String COVER_OFFSET = "cover_offset";
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
  /** When the scan that found the file gone began, epoch ms; NULL while the file is there. */
  static final String MISSING_SINCE = "missing_since";
  /** ContentKey of the file as last read: its first and last KiB hashed; NULL if never read (v3 rows). */
  static final String CONTENT_KEY = "content_key";
  /** The rows whose file is missing: usually few; every scan reads them (move candidates). */
  static final String INDEX_MISSING = "library_missing";
  static final String INDEX_PATH = "library_path";
  /** Dropped in version 6 (see above). */
  static final String INDEX_FINGERPRINT_DROPPED = "library_fingerprint";
  static final String INDEX_RECHECK = "library_recheck";

  /**
   * A row whose file may have changed since without its fingerprint changing ("racily clean", as
   * git calls it): its mtime is no older than the scan that read its content, less the coarsest
   * timestamp granularity of a file system one may keep music on (FAT's 2 s), so another write in
   * the same clock tick, at the same size, would leave (mtime, size) as recorded. Such rows are read
   * again by the next scan. An mtime more than a day after that scan began is not a tick shared
   * with it (a clock set wrong, or a tool that set it), so it does not make a row suspect forever.
   * The partial index holds only these rows: usually none, and the scan's query reads just them.
   */
  static final String RECHECK_WHERE = FILE_MTIME_NS + " >= (" + CHECKED_AT + " - 2000) * 1000000 AND "
      + FILE_MTIME_NS + " <= (" + CHECKED_AT + " + 86400000) * 1000000";

  static final String SNAPSHOT = "fingerprint_snapshot";
  static final String SNAPSHOT_CHUNK = "chunk";
  static final String SNAPSHOT_FORMAT = "format";
  static final String SNAPSHOT_CHUNKS = "chunks";
  static final String SNAPSHOT_DATA = "data";
  static final String DIRTY = "fingerprint_dirty";

  /** Each root scanned, with the device it was on: an unmounted share shows another device. */
  static final String ROOT = "library_root";
  static final String ROOT_DEVICE = "device";
  static final String ROOT_SCANNED_AT = "scanned_at";
  /** The columns whose change makes the snapshot stale: what a snapshot row carries. */
  static final List<String> SNAPSHOT_SOURCE_COLUMNS = List.of(ID, PATH, FILE_MTIME_NS, FILE_SIZE, DEVICE, INODE);

  static final String STATUS_OK = "OK";
  static final String STATUS_FAILED = "FAILED";

  static final String SCAN = "scan";
  static final String STARTED_AT = "started_at";
  static final String FINISHED_AT = "finished_at";
  static final String ROOTS = "roots";
  static final String OUTCOME = "outcome";
  static final String FILES_WALKED = "files_walked";
  static final String ADDED = "added";
  static final String MODIFIED = "modified";
  static final String MOVED = "moved";
  static final String DELETED = "deleted";
  static final String MISSING = "missing";
  static final String RESTORED = "restored";
  static final String UNCHANGED = "unchanged";
  static final String FAILED = "failed";
  static final String WALK_ERRORS = "walk_errors";
  static final String TOTAL_NS = "total_ns";

  /** Scans kept in the scan table; older ones are pruned. */
  static final int SCANS_KEPT_MAX = 1000;

  record Column(String name, String type) {}

  /**
   * Run once when a library of version 1 to 4 is migrated: every row that was read marks itself
   * as read in its own mtime's clock tick (RECHECK_WHERE), so the next scan reads each file once
   * more, through the recheck path, and fills the player-field columns; rows keep their ids and
   * host columns (an UPDATE by id). Without this an unchanged file would never get them.
   */
  static final String REREAD_FOR_PLAYER_FIELDS = "UPDATE " + LIBRARY + " SET " + CHECKED_AT + " = " + FILE_MTIME_NS
      + " / 1000000 WHERE " + FILE_MTIME_NS + " IS NOT NULL AND " + PARSE_STATUS + " = '" + STATUS_OK + "'";

  /** The tag columns, in the order {@link LibraryWriter} binds them. */
  static final List<Column> TAG_COLUMNS = List.of(
      new Column(TITLE, "TEXT"),
      new Column(ARTIST, "TEXT"),
      new Column(ALBUM, "TEXT"),
      new Column(ALBUM_ARTIST, "TEXT"),
      new Column(TRACK_NUMBER, "INTEGER"),
      new Column(TRACK_TOTAL, "INTEGER"),
      new Column(DISC_NUMBER, "INTEGER"),
      new Column(DISC_TOTAL, "INTEGER"),
      new Column(YEAR, "INTEGER"),
      new Column(DATE, "TEXT"),
      new Column(GENRE, "TEXT"),
      new Column(DURATION_MS, "INTEGER"),
      new Column(BITRATE_KBPS, "INTEGER"),
      new Column(SAMPLE_RATE_HZ, "INTEGER"),
      new Column(CHANNELS, "INTEGER"),
      new Column(CODEC, "TEXT"),
      new Column(COMPOSER, "TEXT"),
      new Column(COMMENT, "TEXT"),
      new Column(COMPILATION, "INTEGER"),
      new Column(TITLE_SORT, "TEXT"),
      new Column(ARTIST_SORT, "TEXT"),
      new Column(ALBUM_SORT, "TEXT"),
      new Column(ALBUM_ARTIST_SORT, "TEXT"),
      new Column(MUSICBRAINZ_RECORDING_ID, "TEXT"),
      new Column(MUSICBRAINZ_TRACK_ID, "TEXT"),
      new Column(MUSICBRAINZ_RELEASE_ID, "TEXT"),
      new Column(MUSICBRAINZ_RELEASE_GROUP_ID, "TEXT"),
      new Column(MUSICBRAINZ_ARTIST_ID, "TEXT"),
      new Column(MUSICBRAINZ_ALBUM_ARTIST_ID, "TEXT"),
      new Column(REPLAYGAIN_TRACK_GAIN_DB, "REAL"),
      new Column(REPLAYGAIN_TRACK_PEAK, "REAL"),
      new Column(REPLAYGAIN_ALBUM_GAIN_DB, "REAL"),
      new Column(REPLAYGAIN_ALBUM_PEAK, "REAL"),
      new Column(BPM, "INTEGER"),
      new Column(ISRC, "TEXT"),
      new Column(LABEL, "TEXT"),
      new Column(DISC_SUBTITLE, "TEXT"),
      new Column(ARTISTS_JSON, "TEXT"),
      new Column(GENRES_JSON, "TEXT"),
      new Column(HAS_COVER, "INTEGER"),
      new Column(COVER_MIME, "TEXT"),
      new Column(COVER_BYTES, "INTEGER"),
      new Column(COVER_OFFSET, "INTEGER"));

  /**
   * The player-field columns most files leave NULL (all but the artist and genre arrays and the
   * cover's): the short insert leaves them out (see Binding.insertSql).
   */
  static final java.util.Set<String> SPARSE_COLUMNS = java.util.Set.of(COMPOSER, COMMENT, COMPILATION, TITLE_SORT,
      ARTIST_SORT, ALBUM_SORT, ALBUM_ARTIST_SORT, MUSICBRAINZ_RECORDING_ID, MUSICBRAINZ_TRACK_ID,
      MUSICBRAINZ_RELEASE_ID, MUSICBRAINZ_RELEASE_GROUP_ID, MUSICBRAINZ_ARTIST_ID, MUSICBRAINZ_ALBUM_ARTIST_ID,
      REPLAYGAIN_TRACK_GAIN_DB, REPLAYGAIN_TRACK_PEAK, REPLAYGAIN_ALBUM_GAIN_DB, REPLAYGAIN_ALBUM_PEAK, BPM, ISRC, LABEL,
      DISC_SUBTITLE);

  /** Every column trackscan owns besides id and path, in creation order. */
  static final List<Column> OWN_COLUMNS = concat(TAG_COLUMNS, List.of(
      new Column(FORMAT, "TEXT"),
      new Column(FILE_SIZE, "INTEGER"),
      new Column(FILE_MTIME_NS, "INTEGER"),
      new Column(DEVICE, "INTEGER"),
      new Column(INODE, "INTEGER"),
      new Column(ADDED_AT, "INTEGER"),
      new Column(UPDATED_AT, "INTEGER"),
      new Column(PARSE_STATUS, "TEXT"),
      new Column(PARSE_ERROR, "TEXT"),
      new Column(CHECKED_AT, "INTEGER"),
      new Column(MISSING_SINCE, "INTEGER"),
      new Column(CONTENT_KEY, "INTEGER")));

  private static List<Column> concat(List<Column> a, List<Column> b) {
    List<Column> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  static int userVersion(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Brings the database to {@link #VERSION} in one write transaction. The caller has checked that
   * the version is not newer.
   */
  static void migrate(Connection connection, Path database) {
    try (Statement s = connection.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean done = false;
      try {
        // Another process may have migrated while we waited for the write lock.
        int version = userVersion(connection);
        if (version > VERSION) {
          throw new SchemaTooNewException(database, version, VERSION);
        }
        if (version < VERSION) {
          upgrade(s, connection, database);
          if (version >= 1 && version < 5) {
            s.execute(REREAD_FOR_PLAYER_FIELDS);
          }
          s.execute("PRAGMA user_version = " + VERSION);
        }
        s.execute("COMMIT");
        done = true;
      } finally {
        if (!done) {
          s.execute("ROLLBACK");
        }
      }
    } catch (SQLException e) {
      throw new StoreException(database, "migrating the schema to version " + VERSION, e);
    }
  }

  private static void upgrade(Statement s, Connection connection, Path database) throws SQLException {
    Set<String> existing = columns(connection, LIBRARY);
    if (existing.isEmpty()) {
      StringBuilder create = new StringBuilder("CREATE TABLE ").append(LIBRARY).append(" (")
          .append(ID).append(" INTEGER PRIMARY KEY, ").append(PATH).append(" TEXT NOT NULL");
      for (Column column : OWN_COLUMNS) {
        create.append(", ").append(column.name()).append(' ').append(column.type());
      }
      s.execute(create.append(')').toString());
    } else {
      if (!existing.contains(ID) || !existing.contains(PATH)) {
        throw new StoreException(database, "the table '" + LIBRARY + "' has no '" + ID + "' or '" + PATH
            + "' column: not a library this version can migrate; nothing was written", null);
      }
      for (Column column : OWN_COLUMNS) {
        if (!existing.contains(column.name())) {
          s.execute("ALTER TABLE " + LIBRARY + " ADD COLUMN " + column.name() + ' ' + column.type());
        }
      }
    }
    try {
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + INDEX_PATH + " ON " + LIBRARY + " (" + PATH + ")");
    } catch (SQLException e) {
      throw new StoreException(database, "the library holds the same path twice, so its path index cannot be"
          + " made unique; nothing was written", e);
    }
    s.execute("DROP INDEX IF EXISTS " + INDEX_FINGERPRINT_DROPPED);
    s.execute("CREATE INDEX IF NOT EXISTS " + INDEX_RECHECK + " ON " + LIBRARY + " (" + ID + ") WHERE " + RECHECK_WHERE);
    s.execute("CREATE TABLE IF NOT EXISTS " + SCAN + " (" + ID + " INTEGER PRIMARY KEY, "
        + STARTED_AT + " INTEGER, " + FINISHED_AT + " INTEGER, " + ROOTS + " TEXT, " + OUTCOME + " TEXT, "
        + FILES_WALKED + " INTEGER, " + ADDED + " INTEGER, " + MODIFIED + " INTEGER, " + MOVED + " INTEGER, "
        + DELETED + " INTEGER, " + UNCHANGED + " INTEGER, " + FAILED + " INTEGER, " + WALK_ERRORS + " INTEGER, "
        + TOTAL_NS + " INTEGER)");
    Set<String> scanColumns = columns(connection, SCAN);
    for (String column : List.of(MISSING, RESTORED)) {
      if (!scanColumns.contains(column)) {
        s.execute("ALTER TABLE " + SCAN + " ADD COLUMN " + column + " INTEGER");
      }
    }
    s.execute("CREATE INDEX IF NOT EXISTS " + INDEX_MISSING + " ON " + LIBRARY + " (" + ID + ") WHERE " + MISSING_SINCE
        + " IS NOT NULL");
    s.execute("CREATE TABLE IF NOT EXISTS " + ROOT + " (" + PATH + " TEXT PRIMARY KEY, " + ROOT_DEVICE + " INTEGER, "
        + ROOT_SCANNED_AT + " INTEGER)");
    s.execute("CREATE TABLE IF NOT EXISTS " + SNAPSHOT + " (" + SNAPSHOT_CHUNK + " INTEGER PRIMARY KEY, "
        + SNAPSHOT_FORMAT + " INTEGER NOT NULL, " + SNAPSHOT_CHUNKS + " INTEGER NOT NULL, " + SNAPSHOT_DATA
        + " BLOB NOT NULL)");
    s.execute("CREATE TABLE IF NOT EXISTS " + DIRTY + " (" + ID + " INTEGER PRIMARY KEY)");
    // Whoever changes a row (trackscan, a host, the sqlite3 shell), its id is noted in the same
    // transaction. A REPLACE deletes without firing the delete trigger; the row that takes its
    // place is noted, and the snapshot read lets it override the old row by path.
    String note = " ON " + LIBRARY + " BEGIN INSERT OR IGNORE INTO " + DIRTY + " VALUES (";
    s.execute("CREATE TRIGGER IF NOT EXISTS " + DIRTY + "_on_insert AFTER INSERT" + note + "NEW." + ID + "); END");
    s.execute("CREATE TRIGGER IF NOT EXISTS " + DIRTY + "_on_delete AFTER DELETE" + note + "OLD." + ID + "); END");
    s.execute("CREATE TRIGGER IF NOT EXISTS " + DIRTY + "_on_update AFTER UPDATE OF "
        + String.join(", ", SNAPSHOT_SOURCE_COLUMNS) + note + "OLD." + ID + "); INSERT OR IGNORE INTO " + DIRTY
        + " VALUES (NEW." + ID + "); END");
  }

  static Set<String> columns(Connection connection, String table) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        names.add(rs.getString("name").toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
