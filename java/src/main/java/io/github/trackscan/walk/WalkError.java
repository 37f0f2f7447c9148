package io.github.trackscan.walk;

/**
 * A problem with one entry that the walk reported and went past: an unreadable folder, an entry
 * that vanished, a name too long, a symlink loop.
 *
 * @param path the path relative to the walk's root ('/'-separated; escaped as {@link WalkEntry#path()})
 * @param status what went wrong
 */
public record WalkError(String path, WalkStatus status) {
  /** A one-line message: the path and what went wrong. */
  public String message() {
    return path + ": " + status.description();
  }
}
