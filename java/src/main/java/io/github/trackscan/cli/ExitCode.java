package io.github.trackscan.cli;

/** The command line's exit codes, as documented in the README. */
public final class ExitCode {
  /** Done; per-file problems (junk, unreadable files) are counted in the summary, not failures. */
  public static final int OK = 0;
  /** An unexpected failure (a bug): the message and stack trace are on stderr. */
  public static final int INTERNAL = 1;
  /** Bad options or arguments. */
  public static final int USAGE = 2;
  /**
   * A root is offline: missing, not a folder, unreadable, or looking unmounted (an empty folder,
   * or another device with none of its files, while the library holds files below it); its rows
   * were left untouched, the other roots scanned.
   */
  public static final int ROOT = 3;
  /** The database cannot be used: unreadable, read-only, locked, full, or from a newer trackscan. */
  public static final int DATABASE = 4;
  /** {@code --walker native} was asked for but the native walker cannot load here. */
  public static final int NATIVE_UNAVAILABLE = 5;
  /** Interrupted (Ctrl-C); everything committed so far is kept and consistent. */
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
