package io.github.trackscan.scan;

import io.github.trackscan.store.CatalogSource;
import io.github.trackscan.store.Library;
import io.github.trackscan.store.postgres.PostgresCatalog;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the catalogue a user names ({@code --db}): an SQLite file, or a PostgreSQL URL. What looks
 * like a URL (a scheme followed by {@code //}, or {@code jdbc:}) must be one of the accepted forms;
 * a typo in the scheme is refused with the list rather than taken as a file name.
 */
public final class Databases {
  private Databases() {}

  /** The accepted forms, for messages and help. */
  public static final String ACCEPTED_FORMS = "FILE (an SQLite database file, e.g. library.db), "
      + "postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME, postgres://USER@HOST[:PORT]/DBNAME, "
      + "jdbc:postgresql://HOST[:PORT]/DBNAME[?user=USER]";

  private static final Pattern URL_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*|^jdbc:.*", Pattern.DOTALL);

  /**
   * The catalogue {@code spec} names.
   *
   * @param waitForLockedRoots for PostgreSQL: whether a scan waits for another scanner of one of its
   *     roots to finish (true) or fails at once (false)
   * @throws IllegalArgumentException when {@code spec} is empty, or looks like a URL whose scheme is
   *     not accepted (the message lists the accepted forms)
   */
  public static CatalogSource parse(String spec, boolean waitForLockedRoots) {
    if (spec.isBlank()) {
      throw new IllegalArgumentException("an empty database name; accepted forms: " + ACCEPTED_FORMS);
    }
    String lower = spec.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://") || lower.startsWith("jdbc:postgresql:")) {
      return PostgresCatalog.source(spec, waitForLockedRoots);
    }
    if (URL_LIKE.matcher(spec).matches()) {
      String scheme = lower.startsWith("jdbc:") ? spec.substring(0, spec.indexOf(':', 5) < 0 ? spec.length()
          : spec.indexOf(':', 5)) : spec.substring(0, spec.indexOf(':'));
      throw new IllegalArgumentException("unknown database URL scheme '" + scheme + "' in '" + PostgresCatalog.redact(spec)
          + "'; accepted forms: " + ACCEPTED_FORMS);
    }
    return Library.source(Path.of(spec));
  }
}
