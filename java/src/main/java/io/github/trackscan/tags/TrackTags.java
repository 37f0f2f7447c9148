package io.github.trackscan.tags;

/**
 * What a tag reader found in one audio file: its tags and its stream properties. Any field may be
 * {@code null} when the file does not say.
 *
 * @param title the track title
 * @param artist the track artist
 * @param album the album title
 * @param albumArtist the album artist
 * @param trackNumber the track number, from 1
 * @param trackTotal the number of tracks on the disc
 * @param discNumber the disc number, from 1
 * @param discTotal the number of discs
 * @param year the year, the first four digits of the date
 * @param date the date exactly as tagged ({@code 2003} or {@code 2003-05-01})
 * @param genre the genre
 * @param durationMs the duration in milliseconds
 * @param bitrateKbps the average bitrate in kilobits per second
 * @param sampleRateHz the sample rate in hertz
 * @param channels the number of channels
 * @param codec the encoding, as the parser names it ({@code MPEG-1 Layer 3}, {@code FLAC 16 bits},
 *     {@code AAC}, ...)
 * @param player the fields a player needs beyond these (composer, sort names, MusicBrainz ids,
 *     ReplayGain, the cover's place...), never null: {@link PlayerFields#NONE} when there are none
 */
public record TrackTags(
    String title,
    String artist,
    String album,
    String albumArtist,
    Integer trackNumber,
    Integer trackTotal,
    Integer discNumber,
    Integer discTotal,
    Integer year,
    String date,
    String genre,
    Long durationMs,
    Integer bitrateKbps,
    Integer sampleRateHz,
    Integer channels,
    String codec,
    PlayerFields player) {

  /** Null player fields become {@link PlayerFields#NONE}. */
  public TrackTags {
    player = player == null ? PlayerFields.NONE : player;
  }

  /** A track with only the core fields: no {@link PlayerFields}. */
  public TrackTags(String title, String artist, String album, String albumArtist, Integer trackNumber,
      Integer trackTotal, Integer discNumber, Integer discTotal, Integer year, String date, String genre,
      Long durationMs, Integer bitrateKbps, Integer sampleRateHz, Integer channels, String codec) {
    this(title, artist, album, albumArtist, trackNumber, trackTotal, discNumber, discTotal, year, date, genre,
        durationMs, bitrateKbps, sampleRateHz, channels, codec, PlayerFields.NONE);
  }

  /**
   * This track's identity by its tags, as music servers use it to recognise a file that was
   * moved and rewritten: a 64-bit hash of album artist (else artist), album, disc, track and title,
   * or {@code null} when the title or the album is missing (too little to tell tracks apart). A
   * hash, not the text: a reorganised library holds one per gone row, and two tracks that differ
   * share one with a chance of about 2^-64.
   */
  public Long identityKey() {
    return identityKey(albumArtist != null ? albumArtist : artist, album, discNumber, trackNumber, title);
  }

  /**
   * The identity key of a track with these tags (see {@link #identityKey()}): the same function
   * over a stored row's columns, so the two compare.
   */
  public static Long identityKey(String albumArtist, String album, Integer disc, Integer track, String title) {
    if (title == null || title.isBlank() || album == null || album.isBlank()) {
      return null;
    }
    long h = 0xcbf29ce484222325L; // FNV-1a over the fields, each ended by a separator
    h = fnv(h, albumArtist == null ? "" : albumArtist);
    h = fnv(h, album);
    h = (h ^ (disc == null ? -1 : disc)) * FNV_PRIME;
    h = (h ^ (track == null ? -1 : track)) * FNV_PRIME;
    return fnv(h, title);
  }

  private static final long FNV_PRIME = 0x100000001b3L;

  /** Folds {@code s} without its leading and trailing white space (as strip() would) into {@code h}. */
  private static long fnv(long h, String s) {
    int from = 0;
    int to = s.length();
    while (from < to && Character.isWhitespace(s.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
      to--;
    }
    for (int i = from; i < to; i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return (h ^ 0xffff) * FNV_PRIME;
  }
}
