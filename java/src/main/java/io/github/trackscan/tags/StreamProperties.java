package io.github.trackscan.tags;

/** Joins the text fields a tag gave with the stream properties a container or header gave. */
final class StreamProperties {
  private StreamProperties() {}

  private static final TrackTags EMPTY =
      new TrackTags(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /**
   * {@code text}'s tag fields (none when it is null) with these stream properties; a duration of
   * zero or less, and a bitrate, rate or channel count of zero or less, become null.
   *
   * @param seconds the duration in seconds
   * @param kbps the bitrate in kilobits per second, or null
   */
  static TrackTags of(TrackTags text, double seconds, Integer kbps, Integer sampleRateHz, Integer channels, String codec) {
    TrackTags t = text == null ? EMPTY : text;
    return new TrackTags(t.title(), t.artist(), t.album(), t.albumArtist(), t.trackNumber(), t.trackTotal(),
        t.discNumber(), t.discTotal(), t.year(), t.date(), t.genre(),
        seconds > 0 && Double.isFinite(seconds) ? Math.round(seconds * 1000) : null, positive(kbps),
        positive(sampleRateHz), positive(channels), codec, t.player());
  }

  /** The bitrate of {@code bytes} over {@code seconds}, in kb/s, or null. */
  static Integer kbps(long bytes, double seconds) {
    return seconds > 0 && bytes > 0 ? (int) Math.round(bytes * 8 / seconds / 1000) : null;
  }

  private static Integer positive(Integer n) {
    return n == null || n <= 0 ? null : n;
  }
}
