package io.github.trackscan.walk;

/**
 * Status codes shared by both walkers (and the native watch); the numeric codes are those of the native ABI
 * ({@code native/include/trackscan.h}, enum {@code ts_status_code}).
 */
public enum WalkStatus {
  OK(0, "ok"),
  DONE(1, "done"),
  INVALID_ARGUMENT(2, "invalid argument"),
  INVALID_HANDLE(3, "invalid or closed walk handle"),
  BUFFER_TOO_SMALL(4, "buffer too small"),
  OUT_OF_MEMORY(5, "out of memory"),
  TOO_MANY_WALKS(6, "too many walks open at once"),
  /** A missing root, or an entry that vanished during the walk. */
  NOT_FOUND(7, "no such file or directory"),
  NOT_DIRECTORY(8, "not a directory"),
  ACCESS_DENIED(9, "permission denied"),
  /** The path relative to the root would be longer than {@value WalkOptions#PATH_BYTES_MAX} bytes. */
  NAME_TOO_LONG(10, "name too long"),
  /**
   * A name that is not valid UTF-8. No longer reported: such names are walked, escaped (see
   * {@link PathNames}); kept so the code keeps its meaning in the ABI and in old records.
   */
  INVALID_NAME(11, "name is not valid UTF-8"),
  /** A followed symlink leads back to one of its own ancestor folders. */
  SYMLINK_LOOP(12, "symlink loop"),
  IO_ERROR(13, "input/output error"),
  THREAD_FAILED(14, "could not start a walker thread"),
  /** A watch: fs.inotify.max_user_watches is reached (walks never return it). */
  WATCH_LIMIT(15, "inotify watch limit reached"),
  /** A watch: fs.inotify.max_user_instances is reached (walks never return it). */
  WATCH_INSTANCE_LIMIT(16, "inotify instance limit reached");

  private static final WalkStatus[] BY_CODE = values();

  private final int code;
  private final String description;

  WalkStatus(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The ABI's numeric code. */
  public int code() {
    return code;
  }

  /** A short lower-case description, for messages. */
  public String description() {
    return description;
  }

  /**
   * The status with this ABI code.
   *
   * @throws IllegalArgumentException for a code the ABI does not define
   */
  public static WalkStatus ofCode(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown walk status code " + code);
    }
    return BY_CODE[code];
  }
}
