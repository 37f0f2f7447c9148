package io.github.trackscan.store.postgres;

import io.github.trackscan.store.Catalog;
import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.StoreException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A trackscan catalogue in a PostgreSQL database: the same tables, change kinds, missing state and
 * host-column rules as the SQLite {@code Library}, for hosts that already run a server (a music
 * server with several users, a scanner per file server feeding one catalogue).
 *
 * <p>{@link #source(String, boolean)} takes {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?PARAMS]}
 * (also {@code postgres://}) or a {@code jdbc:postgresql:} URL; without a password in the URL,
 * {@code PGPASSWORD} is used. The tables live in the connection's
 * current schema ({@code ?currentSchema=NAME} picks another).
 *
 * <p>Several scanners may write one catalogue at once when their roots are disjoint: a scan holds,
 * from its first read to its end, a PostgreSQL advisory lock on each of its roots (exclusive) and
 * on each folder above them (shared), so two scans of the same root, or of a root and a folder
 * inside it, never interleave. The second one fails at once with a clear error, or waits, as asked.
 */
public final class PostgresCatalog {
  private PostgresCatalog() {}

  /** The schema version this code reads and writes (table {@code trackscan_schema}). */
  public static int schemaVersion() {
    return PgSchema.VERSION;
  }

  private static final Pattern URL = Pattern.compile(
      "(?i)(?:postgresql|postgres)://(?:([^:@/]*)(?::([^@/]*))?@)?([^/:?]*)(?::(\\d+))?(?:/([^?]*))?(?:\\?(.*))?",
      Pattern.DOTALL);
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");

  /**
   * A catalogue at {@code url}.
   *
   * @param waitForLockedRoots whether a scan waits for another scanner of one of its roots to
   *     finish (true) or fails at once with a {@link StoreException} naming the root (false)
   * @throws IllegalArgumentException when {@code url} is not one of the accepted forms
   */
  public static CatalogSource source(String url, boolean waitForLockedRoots) {
    Parsed parsed = parse(url);
    PgCatalog.Connector connector = () -> DriverManager.getConnection(parsed.jdbcUrl(), parsed.properties());
    return new Source(connector, parsed.described(), waitForLockedRoots);
  }

  /**
   * A plain JDBC connection to the database {@code url} names, as the catalogue makes them (for a
   * host's own SQL, or a benchmark's).
   *
   * @throws IllegalArgumentException when {@code url} is not one of the accepted forms
   * @throws SQLException when the connection fails
   */
  public static Connection connect(String url) throws SQLException {
    Parsed parsed = parse(url);
    return DriverManager.getConnection(parsed.jdbcUrl(), parsed.properties());
  }

  /** A URL as the driver takes it, with the user and password as properties, and how messages name it. */
  private record Parsed(String jdbcUrl, Properties properties, String described) {}

  private static Parsed parse(String url) {
    Objects.requireNonNull(url, "url");
    String jdbcUrl;
    Properties properties = new Properties();
    String described;
    if (url.regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length())) {
      jdbcUrl = url;
      described = redact(url);
    } else {
      Matcher m = URL.matcher(url);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a PostgreSQL URL: '" + redact(url)
            + "'; expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME");
      }
      String host = m.group(3).isEmpty() ? "localhost" : m.group(3);
      int port = m.group(4) == null ? 5432 : Integer.parseInt(m.group(4));
      String dbname = m.group(5) == null ? "" : decode(m.group(5));
      if (m.group(1) != null && !m.group(1).isEmpty()) {
        properties.setProperty("user", decode(m.group(1)));
      }
      if (m.group(2) != null) {
        properties.setProperty("password", decode(m.group(2)));
      }
      jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + dbname + (m.group(6) == null ? "" : "?" + m.group(6));
      described = "postgresql://" + (m.group(1) == null || m.group(1).isEmpty() ? "" : m.group(1) + "@") + host + ":"
          + port + "/" + dbname + (m.group(6) == null ? "" : "?" + redact(m.group(6)));
    }
    if (!properties.containsKey("password") && !jdbcUrl.toLowerCase().contains("password=")) {
      String env = System.getenv("PGPASSWORD");
      if (env != null) {
        properties.setProperty("password", env);
      }
    }
    properties.setProperty("ApplicationName", "trackscan");
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("tcpKeepAlive", "true");
    return new Parsed(jdbcUrl, properties, described);
  }

  /**
   * A catalogue reached through a host's {@code dataSource}. Connections are taken for a scan and
   * returned at its end (with the advisory locks released).
   *
   * @param description how messages name it (no password)
   * @param waitForLockedRoots as for {@link #source(String, boolean)}
   */
  public static CatalogSource source(DataSource dataSource, String description, boolean waitForLockedRoots) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(description, "description");
    return new Source(dataSource::getConnection, description, waitForLockedRoots);
  }

  /** {@code url} with any password replaced by {@code ***}, for messages. */
  public static String redact(String url) {
    String redacted = url.replaceFirst("(?i)^([a-z][a-z0-9+.-]*://[^:@/]*):[^@/]*@", "$1:***@");
    return PASSWORD_PARAM.matcher(redacted).replaceAll("$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private record Source(PgCatalog.Connector connector, String description, boolean waitForLockedRoots) implements CatalogSource {
    @Override
    public Catalog open() {
      return PgCatalog.open(connector, description, waitForLockedRoots);
    }

    @Override
    public String describe() {
      return description;
    }

    @Override
    public boolean exists() {
      try (Connection c = checkedConnection(connector, description)) {
        return PgSchema.version(c) > 0;
      } catch (SQLException e) {
        throw new StoreException(description, "looking for trackscan's tables", e);
      }
    }

    @Override
    public Optional<Path> file() {
      return Optional.empty();
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** One sentence for a failed connection attempt, by SQLSTATE. */
  static StoreException connectFailure(String catalogue, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String doing;
    if (state.startsWith("08")) {
      doing = "cannot connect to the PostgreSQL server (is it running, and is the host and port right?)";
    } else if (state.equals("28P01") || state.equals("28000")) {
      doing = "the server refused the login (wrong user or password?)";
    } else if (state.equals("3D000")) {
      doing = "no such database on the server (create it first: createdb NAME)";
    } else {
      doing = "connecting to the PostgreSQL server";
    }
    return new StoreException(catalogue, doing + "; nothing was written", e);
  }

  static Connection checkedConnection(PgCatalog.Connector connector, String catalogue) {
    try {
      return connector.connect();
    } catch (SQLException e) {
      throw connectFailure(catalogue, e);
    }
  }
}
