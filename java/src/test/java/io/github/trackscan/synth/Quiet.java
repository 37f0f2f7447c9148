package io.github.trackscan.synth;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Silences jaudiotagger's java.util.logging output in tests. */
final class Quiet {
  /** Held so the configured logger is not collected (and reset) by the GC. */
  private static final Logger JAUDIOTAGGER = Logger.getLogger("org.jaudiotagger");

  private Quiet() {}

  static void jaudiotagger() {
    JAUDIOTAGGER.setLevel(Level.OFF);
  }
}
