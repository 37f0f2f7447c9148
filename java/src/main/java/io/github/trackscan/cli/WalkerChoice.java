package io.github.trackscan.cli;

import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.Walker;
import io.github.trackscan.walk.Walkers;
import java.util.Locale;

/** Parses {@code --walker auto|native|nio} and turns an unloadable native walker into exit code 5. */
final class WalkerChoice {
  private WalkerChoice() {}

  static Backend parse(String value) {
    try {
      return Backend.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--walker must be auto, native or nio, not '" + value + "'");
    }
  }

  static Walker create(Backend backend) {
    try {
      return Walkers.create(backend);
    } catch (IllegalStateException e) {
      throw new CliException(ExitCode.NATIVE_UNAVAILABLE, e.getMessage(), e);
    }
  }
}
