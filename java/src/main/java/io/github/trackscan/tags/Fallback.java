package io.github.trackscan.tags;

/**
 * Signals "not the common case" from an in-memory reader of MP3, FLAC, Ogg Vorbis or MP4: the file
 * goes to jaudiotagger's file reader instead. Readers of formats jaudiotagger cannot read never
 * throw it; they throw a {@link TagReadException} naming the format and the problem.
 */
final class Fallback extends Exception {
  private static final long serialVersionUID = 1L;

  static final Fallback INSTANCE = new Fallback();

  private Fallback() {
    super(null, null, false, false);
  }
}
