package io.github.trackscan.scan;

/**
 * A problem with one file or folder: a file that could not be parsed, a folder that could not be
 * read, a root that could not be walked.
 *
 * @param path the absolute path concerned
 * @param message what went wrong, one line, without the path
 */
public record FileError(String path, String message) {
  /** The path and the message on one line. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
