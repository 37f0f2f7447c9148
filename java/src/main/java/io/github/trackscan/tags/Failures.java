package io.github.trackscan.tags;

import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;

/** Turns whatever a parser threw into a one-line {@link TagReadException}. */
final class Failures {
  private Failures() {}

  static TagReadException of(Path file, Throwable e) {
    if (e instanceof TagReadException t) {
      return t;
    }
    if (e instanceof ClosedByInterruptException || e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new TagReadException(file, "interrupted", e);
    }
    String kind = e.getClass().getSimpleName();
    String message = e.getMessage();
    if (message != null) {
      // jaudiotagger puts the path in many messages; the exception adds it once already.
      message = message.replace(file.toString(), "").replace("  ", " ").strip();
      int newline = message.indexOf('\n');
      if (newline >= 0) {
        message = message.substring(0, newline);
      }
      if (message.length() > 300) {
        message = message.substring(0, 300) + "...";
      }
    }
    return new TagReadException(file, message == null || message.isEmpty() ? kind : kind + ": " + message, e);
  }
}
