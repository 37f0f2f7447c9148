package io.github.trackscan.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

final class SynthOptionsTest {
  @Test
  void builder_defaultsToTheReferenceLibrary() {
    SynthOptions options = SynthOptions.builder().build();
    assertEquals(SynthOptions.REFERENCE_TRACKS, options.tracks());
    assertEquals(1, options.seed());
    assertEquals(0, options.threads());
  }

  @Test
  void builder_rejectsBadValues() {
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().tracks(0));
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().tracks(SynthOptions.TRACKS_MAX + 1));
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().threads(-1));
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.builder().threads(SynthOptions.THREADS_MAX + 1));
  }

  @Test
  void trackTags_rejectsTabsAndBadNumbers() {
    assertThrows(IllegalArgumentException.class,
        () -> new TrackTags("a\tb", "x", "x", "x", 1, 1, 1, 1, 2000, "Rock"));
    assertThrows(IllegalArgumentException.class,
        () -> new TrackTags("a", "x", "x", "x", 2, 1, 1, 1, 2000, "Rock"));
  }
}
