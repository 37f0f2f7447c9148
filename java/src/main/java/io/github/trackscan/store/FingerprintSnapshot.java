package io.github.trackscan.store;

import static io.github.trackscan.store.Schema.*;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/*
 * A packed copy of every row's (id, path, fingerprint), kept in the fingerprint_snapshot table so
 * that a no-op rescan reads a handful of blobs instead of stepping through one JDBC row per track:
 * for 41k tracks, about 10 ms instead of 45-70 ms, on a 2-core machine where every millisecond of
 * CPU the store read takes is taken from the walk it overlaps.
 *
 * It is never trusted alone. Triggers on the library table (Schema) put the id of every row that
 * is inserted or deleted, or whose id, path or fingerprint is updated, into fingerprint_dirty, in
 * the same transaction as the change, whoever makes it: trackscan, a host, the sqlite3 shell. A
 * read takes, in one read transaction, the snapshot's rows minus the dirty ids, then the dirty rows
 * as they are now, read with SQL; by path, so that a row a REPLACE deleted without firing a trigger
 * is overridden by the row that took its path. A delta scan of a few hundred files leaves a few
 * hundred dirty ids, which the next scan reads in a millisecond; the snapshot is rewritten only
 * when there is none, when it is unusable, or past DIRTY_ROWS_MAX dirty ids (and an eighth of its rows), so most scans write
 * no snapshot at all (LibraryWriter.refreshSnapshot). A missing snapshot, one of another format,
 * or one that does not parse only means the slow path: every row is read with SQL.
 *
 * Layout: chunks of at most ROWS_PER_CHUNK rows in path order, numbered 0..chunks-1 (so memory
 * stays bounded on any library size). Each chunk is a varint row count, then per row: id, then the
 * zigzag difference of mtime_ns, size, device and inode from the row before (neighbours in path
 * order are files of one album: small numbers), then the path front-coded against the row before
 * (bytes shared, then the rest with its length), all in LEB128 varints, paths in UTF-8 as SQLite
 * stores them. Every chunk starts from zero, so each one decodes alone. 41k tracks take about 1.7
 * MB instead of 5.5 MB packed plainly: less for SQLite to write into the WAL and checkpoint.
 * Absent fingerprint fields are StoredFile.UNKNOWN, as the SQL read makes them.
 */
final class FingerprintSnapshot {
  private FingerprintSnapshot() {}

  /** Bumped when the blob layout changes; a snapshot of another format is ignored and rebuilt. */
  static final int FORMAT = 1;
  static final int ROWS_PER_CHUNK = 4096;
  /** Dirty ids beyond which the snapshot is rewritten: reading them costs about a microsecond each. */
  static final int DIRTY_ROWS_MAX = 4096;
  /**
   * And past this share of the snapshot's rows, whichever is more: a rewrite reads and writes every
   * row, so on a million rows a fixed limit made every 1% delta rewrite all of them (seconds);
   * proportional, the rewrite's cost stays in proportion to the changes it absorbs.
   */
  static final int DIRTY_SHARE_DIVISOR = 8;

  /** Rows as the snapshot holds them: id, path as UTF-8 bytes, fingerprint with UNKNOWN for NULL. */
  static final String SELECT_ROWS = "SELECT " + ID + ", CAST(" + PATH + " AS BLOB), " + unknownIfNull(FILE_MTIME_NS)
      + ", " + unknownIfNull(FILE_SIZE) + ", " + unknownIfNull(DEVICE) + ", " + unknownIfNull(INODE) + " FROM "
      + LIBRARY;

  private static String unknownIfNull(String column) {
    return "COALESCE(" + column + ", " + StoredFile.UNKNOWN + ")";
  }

  /**
   * Adds each row whose path starts with {@code prefixes[i]} (UTF-8, disjoint) to {@code into[i]},
   * keyed by the rest of its path, with that relative path in the StoredFile: the snapshot's rows
   * whose ids are not dirty, then the dirty rows as they are now. One read transaction.
   *
   * @return false, with every map left empty, when there is no usable snapshot
   */
  static boolean read(Connection connection, List<byte[]> prefixes, List<Map<String, StoredFile>> into)
      throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("BEGIN");
      try {
        long[] dirty = dirtyIds(s);
        if (!readChunks(s, dirty, prefixes, into)) {
          into.forEach(Map::clear);
          return false;
        }
        try (ResultSet rs = s.executeQuery(SELECT_ROWS + " WHERE " + ID + " IN (SELECT " + ID + " FROM " + DIRTY + ")")) {
          addRows(rs, prefixes, into);
        }
        return true;
      } finally {
        s.execute("COMMIT");
      }
    }
  }

  /** The dirty ids, sorted. */
  private static long[] dirtyIds(Statement s) throws SQLException {
    long[] ids = new long[16];
    int count = 0;
    try (ResultSet rs = s.executeQuery("SELECT " + ID + " FROM " + DIRTY + " ORDER BY " + ID)) {
      while (rs.next()) {
        if (count == ids.length) {
          ids = java.util.Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = rs.getLong(1);
      }
    }
    return java.util.Arrays.copyOf(ids, count);
  }

  private static boolean readChunks(Statement s, long[] dirty, List<byte[]> prefixes,
      List<Map<String, StoredFile>> into) throws SQLException {
    int expected = 0;
    long chunks = -1;
    try (ResultSet rs = s.executeQuery("SELECT " + SNAPSHOT_CHUNK + ", " + SNAPSHOT_FORMAT + ", " + SNAPSHOT_CHUNKS
        + ", " + SNAPSHOT_DATA + " FROM " + SNAPSHOT + " ORDER BY " + SNAPSHOT_CHUNK)) {
      while (rs.next()) {
        if (rs.getLong(1) != expected || rs.getLong(2) != FORMAT || (chunks >= 0 && rs.getLong(3) != chunks)) {
          return false;
        }
        if (chunks < 0 && into.size() == 1 && into.get(0) instanceof PackedFileMap packed) {
          packed.ensureCapacity((int) Math.min(Integer.MAX_VALUE / 2, rs.getLong(3) * ROWS_PER_CHUNK));
        }
        chunks = rs.getLong(3);
        byte[] data = rs.getBytes(4);
        if (data == null || !parse(data, dirty, prefixes, into)) {
          return false;
        }
        expected++;
      }
    }
    return expected > 0 && expected == chunks;
  }

  /** Parses one chunk, leaving out the rows whose ids are in {@code dirty} (sorted); false when it is malformed. */
  static boolean parse(byte[] data, long[] dirty, List<byte[]> prefixes, List<Map<String, StoredFile>> into) {
    Cursor in = new Cursor(data);
    long rows = in.varint();
    byte[] path = new byte[0];
    int pathBytes = 0;
    long mtimeNs = 0;
    long sizeBytes = 0;
    long device = 0;
    long inode = 0;
    for (long i = 0; i < rows && in.ok(); i++) {
      long id = in.varint();
      mtimeNs += zigzagDecode(in.varint());
      sizeBytes += zigzagDecode(in.varint());
      device += zigzagDecode(in.varint());
      inode += zigzagDecode(in.varint());
      long shared = in.varint();
      long rest = in.varint();
      if (!in.ok() || shared > pathBytes || rest > in.remaining()) {
        return false;
      }
      pathBytes = (int) (shared + rest);
      if (pathBytes > path.length) {
        path = java.util.Arrays.copyOf(path, Math.max(pathBytes, path.length * 2));
      }
      in.copy(path, (int) shared, (int) rest);
      if (dirty.length == 0 || java.util.Arrays.binarySearch(dirty, id) < 0) {
        add(path, pathBytes, id, mtimeNs, sizeBytes, device, inode, prefixes, into);
      }
    }
    return in.ok() && in.remaining() == 0;
  }

  /** Adds every row of {@code rs}, whose columns are those of {@link #SELECT_ROWS}, as {@link #read} does. */
  static void addRows(ResultSet rs, List<byte[]> prefixes, List<Map<String, StoredFile>> into) throws SQLException {
    while (rs.next()) {
      byte[] path = rs.getBytes(2);
      add(path, path.length, rs.getLong(1), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), prefixes, into);
    }
  }

  /** Adds a row to the map of the root its path lies below, keyed by the rest of its path; below none, nothing. */
  private static void add(byte[] path, int pathBytes, long id, long mtimeNs, long sizeBytes, long device, long inode,
      List<byte[]> prefixes, List<Map<String, StoredFile>> into) {
    int root = rootOf(path, pathBytes, prefixes);
    if (root >= 0) {
      int start = prefixes.get(root).length;
      if (into.get(root) instanceof PackedFileMap packed) {
        packed.put(path, start, pathBytes - start, id, mtimeNs, sizeBytes, device, inode);
        return;
      }
      String relative = new String(path, start, pathBytes - start, StandardCharsets.UTF_8);
      into.get(root).put(relative, new StoredFile(id, relative, mtimeNs, sizeBytes, device, inode));
    }
  }

  /** The index of the prefix {@code path[0, length)} starts with, or -1. */
  private static int rootOf(byte[] path, int length, List<byte[]> prefixes) {
    for (int i = 0; i < prefixes.size(); i++) {
      byte[] prefix = prefixes.get(i);
      if (length >= prefix.length && java.util.Arrays.equals(path, 0, prefix.length, prefix, 0, prefix.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Reads LEB128 varints from a byte array; turns not-ok, never throws, when the data runs out. */
  private static final class Cursor {
    private final byte[] data;
    private int at;
    private boolean ok = true;

    Cursor(byte[] data) {
      this.data = data;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= data.length) {
          ok = false;
          return 0;
        }
        byte b = data[at++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      ok = false;
      return 0;
    }

    void copy(byte[] to, int offset, int length) {
      System.arraycopy(data, at, to, offset, length);
      at += length;
    }

    int remaining() {
      return data.length - at;
    }

    boolean ok() {
      return ok;
    }
  }

  static long zigzagEncode(long value) {
    return (value << 1) ^ (value >> 63);
  }

  static long zigzagDecode(long value) {
    return (value >>> 1) ^ -(value & 1);
  }

  /**
   * Whether the snapshot should be rewritten: there is no complete one of the current format, or
   * more than DIRTY_ROWS_MAX rows, and more than an eighth of its rows, changed since it was written. Call inside a transaction.
   */
  static boolean needsRewrite(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), min(" + SNAPSHOT_CHUNK + "), max(" + SNAPSHOT_CHUNK + "), min("
            + SNAPSHOT_FORMAT + "), max(" + SNAPSHOT_FORMAT + "), min(" + SNAPSHOT_CHUNKS + "), max(" + SNAPSHOT_CHUNKS
            + "), (SELECT count(*) FROM " + DIRTY + ") FROM " + SNAPSHOT)) {
      rs.next();
      long count = rs.getLong(1);
      boolean complete = count > 0 && rs.getLong(2) == 0 && rs.getLong(3) == count - 1 && rs.getLong(4) == FORMAT
          && rs.getLong(5) == FORMAT && rs.getLong(6) == count && rs.getLong(7) == count;
      return !complete || rs.getLong(8) > Math.max(DIRTY_ROWS_MAX, count * ROWS_PER_CHUNK / DIRTY_SHARE_DIVISOR);
    }
  }

  /** Replaces the snapshot with one of the rows as they are now. Call inside a write transaction. */
  static void write(Connection connection) throws SQLException {
    // Each chunk is inserted as soon as it is full, so a million rows never sit in memory at once;
    // every chunk carries the count of chunks, known from the row count of this same transaction.
    long rows;
    try (Statement s = connection.createStatement()) {
      s.executeUpdate("DELETE FROM " + SNAPSHOT);
      s.executeUpdate("DELETE FROM " + DIRTY);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + LIBRARY)) {
        rs.next();
        rows = rs.getLong(1);
      }
    }
    // An empty library still gets one (empty) chunk, so "no snapshot" and "no rows" stay apart.
    long chunks = Math.max(1, (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK);
    int written = 0;
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + SNAPSHOT + " (" + SNAPSHOT_CHUNK + ", "
            + SNAPSHOT_FORMAT + ", " + SNAPSHOT_CHUNKS + ", " + SNAPSHOT_DATA + ") VALUES (?, ?, ?, ?)");
        Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(SELECT_ROWS + " ORDER BY " + PATH)) {
      Encoder chunk = new Encoder();
      while (rs.next()) {
        if (chunk.rows == ROWS_PER_CHUNK) {
          insertChunk(insert, written++, chunks, chunk.finish());
          chunk = new Encoder();
        }
        chunk.add(rs.getLong(1), rs.getBytes(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
      }
      if (chunk.rows > 0 || written == 0) {
        insertChunk(insert, written++, chunks, chunk.finish());
      }
    }
    if (written != chunks) {
      throw new SQLException("the snapshot came out as " + written + " chunks, expected " + chunks);
    }
  }

  private static void insertChunk(PreparedStatement insert, int index, long chunks, byte[] data) throws SQLException {
    insert.setInt(1, index);
    insert.setInt(2, FORMAT);
    insert.setLong(3, chunks);
    insert.setBytes(4, data);
    insert.executeUpdate();
  }

  /** Builds one chunk: a row count, then rows (see the layout above). */
  private static final class Encoder {
    /** Room for the row count's varint ahead of the rows, filled in by finish(). */
    private static final int COUNT_BYTES_MAX = 5;

    private byte[] out = new byte[1 << 18];
    private int end = COUNT_BYTES_MAX;
    private byte[] path = new byte[0];
    private long mtimeNs;
    private long sizeBytes;
    private long device;
    private long inode;
    int rows;

    void add(long id, byte[] nextPath, long nextMtimeNs, long nextSizeBytes, long nextDevice, long nextInode) {
      int shared = java.util.Arrays.mismatch(path, nextPath);
      if (shared < 0) {
        shared = path.length; // two equal paths cannot happen (the index is unique), but would still decode
      }
      int rest = nextPath.length - shared;
      ensure(7 * 10 + rest);
      end = varint(out, end, id);
      end = varint(out, end, zigzagEncode(nextMtimeNs - mtimeNs));
      end = varint(out, end, zigzagEncode(nextSizeBytes - sizeBytes));
      end = varint(out, end, zigzagEncode(nextDevice - device));
      end = varint(out, end, zigzagEncode(nextInode - inode));
      end = varint(out, end, shared);
      end = varint(out, end, rest);
      System.arraycopy(nextPath, shared, out, end, rest);
      end += rest;
      path = nextPath;
      mtimeNs = nextMtimeNs;
      sizeBytes = nextSizeBytes;
      device = nextDevice;
      inode = nextInode;
      rows++;
    }

    private void ensure(int bytes) {
      if (out.length - end < bytes) {
        out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, end + bytes));
      }
    }

    byte[] finish() {
      byte[] count = new byte[COUNT_BYTES_MAX];
      int countBytes = varint(count, 0, rows);
      int start = COUNT_BYTES_MAX - countBytes;
      System.arraycopy(count, 0, out, start, countBytes);
      return java.util.Arrays.copyOfRange(out, start, end);
    }

    /** Writes {@code value} as an unsigned LEB128 varint at {@code at}; returns the end. */
    private static int varint(byte[] to, int at, long value) {
      while ((value & ~0x7FL) != 0) {
        to[at++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      to[at++] = (byte) value;
      return at;
    }
  }
}
