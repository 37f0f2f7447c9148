package io.github.trackscan.bench.db;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.stream.Stream;

/**
 * Each engine of the evaluation with its idiomatic best: how it is opened, made as durable as
 * SQLite's WAL with synchronous=NORMAL (committed data survives a crash of the process; a crash of
 * the machine may lose the last commits, never leaves half of one), its column types, and its bulk
 * path (batched prepared inserts, the DuckDB appender, PostgreSQL's COPY).
 */
enum Dialect {
  /** sqlite-jdbc, WAL, synchronous=NORMAL: trackscan's settings. */
  SQLITE("WAL, synchronous=NORMAL (trackscan's own)") {
    @Override
    Connection open(Path dir, String url) throws SQLException {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalogue.db"));
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = NORMAL");
        s.execute("PRAGMA cache_size = -32768");
      }
      return c;
    }

    @Override
    long sizeBytes(Connection c, Path dir) throws IOException, SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      return filesSize(dir);
    }
  },
  /** H2 2.x, MVStore, embedded file. */
  H2("MVStore, default write delay (commits reach the file within about 0.5 s; the file stays consistent)") {
    @Override
    Connection open(Path dir, String url) throws SQLException {
      return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("catalogue") + ";DB_CLOSE_ON_EXIT=FALSE;NON_KEYWORDS=YEAR", "sa", "");
    }

    @Override
    String text() {
      return "varchar";
    }
  },
  /** DuckDB, embedded file; the appender for bulk loads. */
  DUCKDB("WAL, fsync at each commit (DuckDB's default; stronger than NORMAL)") {
    @Override
    Connection open(Path dir, String url) throws SQLException {
      return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("catalogue.duckdb"));
    }

    @Override
    String text() {
      return "varchar";
    }

    @Override
    Connection reader(Connection writer, Path dir, String url) throws SQLException {
      return ((org.duckdb.DuckDBConnection) writer).duplicate(); // One database instance, a second connection.
    }

    @Override
    void bulkInsert(Connection c, List<Row> rows, int batch) throws SQLException {
      c.setAutoCommit(false);
      for (int from = 0; from < rows.size(); from += batch) {
        try (org.duckdb.DuckDBAppender appender = ((org.duckdb.DuckDBConnection) c).createAppender("main", "library")) {
          for (Row row : rows.subList(from, Math.min(rows.size(), from + batch))) {
            appender.beginRow();
            Object[] values = row.values();
            for (int i = 0; i < values.length; i++) {
              Object v = values[i];
              if (v == null) {
                appender.appendNull();
              } else if (v instanceof String str) {
                appender.append(str);
              } else if (v instanceof Integer n) {
                appender.append(n.intValue());
              } else {
                appender.append(((Long) v).longValue());
              }
            }
            appender.appendNull(); // missing_since
            appender.endRow();
          }
        }
        c.commit();
      }
      c.setAutoCommit(true);
    }
  },
  /** A PostgreSQL server on this machine (TCP on loopback), synchronous_commit=off; COPY for bulk loads. */
  POSTGRESQL("synchronous_commit=off (the counterpart of NORMAL; a server on this machine, over loopback TCP)") {
    @Override
    Connection open(Path dir, String url) throws SQLException {
      Connection c = io.github.trackscan.store.postgres.PostgresCatalog.connect(url);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        s.execute("SET search_path = " + SCHEMA);
        s.execute("SET synchronous_commit = off");
      }
      return c;
    }

    @Override
    String pathType() {
      return "text COLLATE \"C\"";
    }

    @Override
    void reset(Path dir, String url) throws SQLException {
      try (Connection c = io.github.trackscan.store.postgres.PostgresCatalog.connect(url);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
    }

    @Override
    void bulkInsert(Connection c, List<Row> rows, int batch) throws SQLException {
      org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      c.setAutoCommit(false);
      StringBuilder text = new StringBuilder(1 << 20);
      for (int from = 0; from < rows.size(); from += batch) {
        text.setLength(0);
        for (Row row : rows.subList(from, Math.min(rows.size(), from + batch))) {
          Object[] values = row.values();
          for (int i = 0; i < values.length; i++) {
            if (i > 0) {
              text.append('\t');
            }
            appendCopyValue(text, values[i]);
          }
          text.append('\n');
        }
        try {
          copy.copyIn("COPY library (" + String.join(", ", Row.COLUMNS) + ") FROM STDIN", new StringReader(text.toString()));
        } catch (IOException e) {
          throw new SQLException(e);
        }
        c.commit();
      }
      c.setAutoCommit(true);
    }

    @Override
    long sizeBytes(Connection c, Path dir) throws SQLException {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + SCHEMA + ".library')")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  };

  static final String SCHEMA = "trackscan_eval";

  final String durability;

  Dialect(String durability) {
    this.durability = durability;
  }

  /** Opens (creating if needed) the catalogue, configured for the same guarantee as SQLite's. */
  abstract Connection open(Path dir, String url) throws SQLException;

  /** A second connection for a reader running while this one writes. */
  Connection reader(Connection writer, Path dir, String url) throws SQLException {
    return open(dir, url);
  }

  /** Removes what an earlier run left (files are in a fresh folder anyway). */
  void reset(Path dir, String url) throws SQLException {}

  String text() {
    return "text";
  }

  String pathType() {
    return text();
  }

  /** The library table, shaped like trackscan's, with its unique path index. */
  void create(Connection c) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE library (");
    for (int i = 0; i < Row.COLUMNS.size(); i++) {
      String column = Row.COLUMNS.get(i);
      char type = Row.TYPES.charAt(i);
      ddl.append(i == 0 ? "" : ", ").append(column).append(' ')
          .append(i == 0 ? "bigint PRIMARY KEY" : i == 1 ? pathType() + " NOT NULL"
              : type == 't' ? text() : type == 'i' ? "integer" : "bigint");
    }
    ddl.append(", missing_since bigint)");
    try (Statement s = c.createStatement()) {
      s.execute(ddl.toString());
      s.execute("CREATE UNIQUE INDEX library_path ON library (path)");
    }
  }

  /** The initial import: rows in transactions of {@code batch}, by the engine's bulk path. */
  void bulkInsert(Connection c, List<Row> rows, int batch) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement insert = c.prepareStatement(insertSql())) {
      for (int from = 0; from < rows.size(); from += batch) {
        for (Row row : rows.subList(from, Math.min(rows.size(), from + batch))) {
          bind(insert, row);
          insert.addBatch();
        }
        insert.executeBatch();
        c.commit();
      }
    }
    c.setAutoCommit(true);
  }

  static String insertSql() {
    return "INSERT INTO library (" + String.join(", ", Row.COLUMNS) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(Row.COLUMNS.size(), "?")) + ")";
  }

  static void bind(PreparedStatement s, Row row) throws SQLException {
    Object[] values = row.values();
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      char type = Row.TYPES.charAt(i);
      if (v == null) {
        s.setNull(i + 1, type == 't' ? Types.VARCHAR : type == 'i' ? Types.INTEGER : Types.BIGINT);
      } else if (v instanceof String str) {
        s.setString(i + 1, str);
      } else if (v instanceof Integer n) {
        s.setInt(i + 1, n);
      } else {
        s.setLong(i + 1, (Long) v);
      }
    }
  }

  private static void appendCopyValue(StringBuilder text, Object v) {
    if (v == null) {
      text.append("\\N");
      return;
    }
    if (!(v instanceof String s)) {
      text.append(v);
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\0' -> { } // PostgreSQL text holds no NUL.
        default -> text.append(ch);
      }
    }
  }

  /** Bytes the catalogue takes on disk (files in {@code dir}, or the server's relation size). */
  long sizeBytes(Connection c, Path dir) throws IOException, SQLException {
    return filesSize(dir);
  }

  static long filesSize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }
}
