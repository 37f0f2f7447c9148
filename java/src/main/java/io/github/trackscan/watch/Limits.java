package io.github.trackscan.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's inotify limits, for messages that say which one to raise. */
final class Limits {
  private Limits() {}

  /** The value of /proc/sys/fs/inotify/{@code name}, or "unknown". */
  static String read(String name) {
    try {
      return Files.readString(Path.of("/proc/sys/fs/inotify", name)).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
