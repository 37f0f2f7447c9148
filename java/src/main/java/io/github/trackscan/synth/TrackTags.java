package io.github.trackscan.synth;

import java.util.Objects;

/**
 * The tags written into one track, in every format's own frames or fields. Strings are NFC, never
 * empty, and free of tabs, newlines and NUL.
 *
 * @param title the track title
 * @param artist the track artist
 * @param album the album title
 * @param albumArtist the album artist (the artist folder's name, before any normalisation)
 * @param track the track number on its disc, from 1
 * @param trackTotal the number of tracks on the disc
 * @param disc the disc number, from 1
 * @param discTotal the number of discs in the album
 * @param year the release year, four digits
 * @param genre the genre name
 */
public record TrackTags(
    String title, String artist, String album, String albumArtist, int track, int trackTotal,
    int disc, int discTotal, int year, String genre) {

  /** @throws IllegalArgumentException for empty or multi-line strings or out-of-range numbers */
  public TrackTags {
    for (String s : new String[] {title, artist, album, albumArtist, genre}) {
      Objects.requireNonNull(s, "tag");
      if (s.isEmpty() || s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
          || s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("bad tag value: '" + s + "'");
      }
    }
    if (track < 1 || track > trackTotal || trackTotal > 999 || disc < 1 || disc > discTotal
        || discTotal > 99 || year < 1000 || year > 9999) {
      throw new IllegalArgumentException("bad numbers: track " + track + "/" + trackTotal + " disc "
          + disc + "/" + discTotal + " year " + year);
    }
  }

  /** A copy with another title. */
  public TrackTags withTitle(String newTitle) {
    return new TrackTags(newTitle, artist, album, albumArtist, track, trackTotal, disc, discTotal, year, genre);
  }

  /** A copy with another year. */
  public TrackTags withYear(int newYear) {
    return new TrackTags(title, artist, album, albumArtist, track, trackTotal, disc, discTotal, newYear, genre);
  }
}
