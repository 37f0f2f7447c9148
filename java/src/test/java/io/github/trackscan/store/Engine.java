package io.github.trackscan.store;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.trackscan.scan.Databases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The catalogue engines a contract test runs against: SQLite (a file in the test's folder) and
 * PostgreSQL (a fresh schema on the server in {@code TRACKSCAN_POSTGRES_URL}, which {@code .ci/run}
 * starts). Without that variable PostgreSQL cases are skipped with the reason, unless
 * {@code TRACKSCAN_REQUIRE_POSTGRES} is set (CI), where they fail.
 */
public enum Engine {
  SQLITE,
  POSTGRES;

  /** The environment variable holding the test server's URL ({@code postgresql://USER:PASSWORD@HOST:PORT/DB}). */
  public static final String URL_VARIABLE = "TRACKSCAN_POSTGRES_URL";
  private static final Pattern URL = Pattern.compile("postgres(?:ql)?://([^:@/]+)(?::([^@/]*))?@([^/]+)/([^?]+)");
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  /** Skips (or, in CI, fails) a PostgreSQL case when no server was given. */
  public void assume() {
    if (this == POSTGRES && System.getenv(URL_VARIABLE) == null) {
      if (System.getenv("TRACKSCAN_REQUIRE_POSTGRES") != null) {
        fail(URL_VARIABLE + " is not set, and TRACKSCAN_REQUIRE_POSTGRES is: CI must start a PostgreSQL server"
            + " (.ci/postgres.sh)");
      }
      Assumptions.abort("no PostgreSQL server: set " + URL_VARIABLE + " (.ci/postgres.sh start DIR prints one)");
    }
  }

  /** Skips this case unless the engine is SQLite, saying why (a test of SQLite's files, or one that needs no second run). */
  public void onlySqlite(String why) {
    Assumptions.assumeTrue(this == SQLITE, "SQLite only: " + why);
  }

  /** A new, empty catalogue of this engine: {@code dir}/library.db, or a new schema on the server. */
  public Fresh fresh(Path dir) {
    assume();
    if (this == SQLITE) {
      Path file = dir.resolve("library.db");
      return new Fresh(this, file.toString(), "jdbc:sqlite:" + file, null, null, null);
    }
    String schema = "ts_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000_000L + "_"
        + SCHEMAS.incrementAndGet();
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("creating schema " + schema, e);
    }
    String base = System.getenv(URL_VARIABLE);
    Matcher m = url();
    return new Fresh(this, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
        "jdbc:postgresql://" + m.group(3) + "/" + m.group(4) + "?currentSchema=" + schema, m.group(1), m.group(2),
        schema);
  }

  private static Matcher url() {
    Matcher m = URL.matcher(System.getenv(URL_VARIABLE));
    if (!m.lookingAt()) {
      throw new IllegalStateException(URL_VARIABLE + " is not postgresql://USER:PASSWORD@HOST:PORT/DB");
    }
    return m;
  }

  /** A connection to the test server's database as its owner (PostgreSQL only). */
  public static Connection admin() throws SQLException {
    Matcher m = url();
    return DriverManager.getConnection("jdbc:postgresql://" + m.group(3) + "/" + m.group(4), m.group(1), m.group(2));
  }

  /** The server's host:port/db part (PostgreSQL only), for URLs a test makes up. */
  public static String serverPart() {
    Matcher m = url();
    return m.group(3) + "/" + m.group(4);
  }

  /**
   * One fresh catalogue.
   *
   * @param url what {@code --db} and {@code Scanner.Builder.database(String)} take
   * @param jdbcUrl a JDBC URL to look at it directly
   * @param schema the PostgreSQL schema, or null
   */
  public record Fresh(Engine engine, String url, String jdbcUrl, String user, String password, String schema) {
    /** The catalogue as a source. */
    public CatalogSource source() {
      return Databases.parse(url, false);
    }

    /** A direct connection (SQL by hand, as a host would). */
    public Connection connect() throws SQLException {
      return user == null ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Runs statements. */
    public void execute(String... sql) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        for (String q : sql) {
          s.execute(q);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(String.join("; ", sql), e);
      }
    }

    /** The first column of the first row, as a long. */
    public long longValue(String sql) {
      try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(sql, e);
      }
    }

    /** Rows of {@code library} matching {@code where}. */
    public long count(String where) {
      return longValue("SELECT count(*) FROM library WHERE " + where);
    }

    /** Column values of every row, by path ({@code columns} comma-separated), as text joined by '|'. */
    public Map<String, String> rows(String columns) {
      String sql = "SELECT path, " + columns + " FROM library";
      try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        Map<String, String> rows = new TreeMap<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 2; i <= n; i++) {
            values.add(rs.getString(i));
          }
          rows.put(rs.getString(1), String.join("|", values));
        }
        return rows;
      } catch (SQLException e) {
        throw new IllegalStateException(sql, e);
      }
    }

    @Override
    public String toString() {
      return engine.name().toLowerCase(Locale.ROOT);
    }
  }
}
