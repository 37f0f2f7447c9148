package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** Native tests skip, visibly, only where the library truly cannot load; CI makes that a failure. */
final class NativeSupport {
  private NativeSupport() {}

  static void assumeNative() {
    Walkers.nativeUnavailableReason().ifPresent(reason -> {
      if (System.getenv("TRACKSCAN_REQUIRE_NATIVE") != null) {
        fail("TRACKSCAN_REQUIRE_NATIVE is set but the native walker cannot load: " + reason);
      }
      Assumptions.abort("native walker unavailable: " + reason);
    });
  }
}
