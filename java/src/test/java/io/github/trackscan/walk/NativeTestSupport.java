package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Gives tests the native walker, or skips them with the reason it cannot load here. When the
 * environment variable {@code TRACKSCAN_REQUIRE_NATIVE} is set (CI sets it, as {@code ./dev test}
 * reads it), a missing native walker fails the test instead: there the library must have been built.
 */
final class NativeTestSupport {
  static final String REQUIRE_NATIVE = "TRACKSCAN_REQUIRE_NATIVE";

  private NativeTestSupport() {}

  static NativeWalker nativeWalker() {
    Optional<String> reason = Walkers.nativeUnavailableReason();
    if (reason.isPresent()) {
      String message = "native walker unavailable: " + reason.get();
      String required = System.getenv(REQUIRE_NATIVE);
      if (required != null && !required.isEmpty()) {
        fail(REQUIRE_NATIVE + " is set, so native tests must run; " + message);
      }
      Assumptions.abort(message);
    }
    return (NativeWalker) Walkers.create(Backend.NATIVE);
  }
}
