package io.github.trackscan.tags;

import java.util.List;

/*
 * Where each field comes from, per tag format (Picard's mappings, which mutagen's users write and
 * read back as these raw keys; the full table is in docs/DATABASES.md):
 *
 *   field               ID3v2                         Vorbis comment      MP4                         APEv2               ASF
 *   composer            TCOM                          COMPOSER            ©wrt                        Composer            WM/Composer
 *   comment             COMM (empty description       COMMENT             ©cmt                        Comment             Description
 *                       first, any language)
 *   compilation         TCMP                          COMPILATION         cpil                        Compilation         WM/IsCompilation
 *   sort names          TSOT TSOP TSOA TSO2           TITLESORT ...       sonm soar soal soaa         TitleSort ...       WM/TitleSortOrder ...
 *   MB recording        UFID:http://musicbrainz.org   MUSICBRAINZ_TRACKID ----:..:MusicBrainz Track Id  MUSICBRAINZ_TRACKID  MusicBrainz/Track Id
 *   MB track            TXXX:MusicBrainz Release Track Id, MUSICBRAINZ_RELEASETRACKID, ...
 *   ReplayGain          TXXX:REPLAYGAIN_TRACK_GAIN ... (any case; else RVA2 "track"/"album", its
 *                       master channel, as mutagen's EasyID3), REPLAYGAIN_* everywhere else
 *   BPM                 TBPM                          BPM                 tmpo (an integer)           BPM                 WM/BeatsPerMinute
 *   ISRC, label,        TSRC TPUB TSST                ISRC LABEL          ----:com.apple.iTunes:ISRC  ISRC Label          WM/ISRC WM/Publisher
 *   disc subtitle                                     DISCSUBTITLE        LABEL DISCSUBTITLE          DiscSubtitle        WM/SetSubTitle
 *
 * RIFF INFO (a WAV without an id3 chunk) gives only the comment (ICMT) and composer (IMUS).
 *
 * A field given twice keeps its first non-blank value, stripped, as the core fields do. ReplayGain
 * text ("-6.48 dB") keeps its leading number; BPM its leading integer ("120.5" is 120); the
 * compilation flag is true for a leading non-zero integer (mutagen gives "1", MP4's cpil a byte).
 */
/**
 * The fields a player needs beyond {@link TrackTags}' core ones: credits, sort names, MusicBrainz
 * ids, ReplayGain, and where the embedded cover is. Any field may be {@code null} when the file
 * does not say; the lists are never null (empty when the file names none).
 *
 * @param composer the composer
 * @param comment the comment (ID3: the first COMM frame with an empty description, else the first)
 * @param compilation whether the album is a compilation of several artists
 * @param titleSort the title to sort by
 * @param artistSort the artist to sort by
 * @param albumSort the album to sort by
 * @param albumArtistSort the album artist to sort by
 * @param musicBrainzRecordingId the MusicBrainz recording id (Picard's "MusicBrainz Track Id" in
 *     Vorbis, MP4, APEv2 and ASF; ID3's UFID frame)
 * @param musicBrainzTrackId the MusicBrainz release track id
 * @param musicBrainzReleaseId the MusicBrainz release id ("Album Id")
 * @param musicBrainzReleaseGroupId the MusicBrainz release group id
 * @param musicBrainzArtistId the first MusicBrainz artist id
 * @param musicBrainzAlbumArtistId the first MusicBrainz album artist id
 * @param replayGainTrackGainDb the track gain in decibels
 * @param replayGainTrackPeak the track peak, 1.0 being full scale
 * @param replayGainAlbumGainDb the album gain in decibels
 * @param replayGainAlbumPeak the album peak, 1.0 being full scale
 * @param bpm beats per minute, the integer part
 * @param isrc the International Standard Recording Code
 * @param label the record label
 * @param discSubtitle the disc's subtitle
 * @param artists every artist value, in the file's order (ID3v2.4 NUL-separated values, repeated
 *     Vorbis fields, several MP4 data atoms)
 * @param genres every genre value, in the file's order
 * @param cover the embedded cover, or null when there is none
 */
public record PlayerFields(
    String composer,
    String comment,
    Boolean compilation,
    String titleSort,
    String artistSort,
    String albumSort,
    String albumArtistSort,
    String musicBrainzRecordingId,
    String musicBrainzTrackId,
    String musicBrainzReleaseId,
    String musicBrainzReleaseGroupId,
    String musicBrainzArtistId,
    String musicBrainzAlbumArtistId,
    Double replayGainTrackGainDb,
    Double replayGainTrackPeak,
    Double replayGainAlbumGainDb,
    Double replayGainAlbumPeak,
    Integer bpm,
    String isrc,
    String label,
    String discSubtitle,
    List<String> artists,
    List<String> genres,
    Cover cover) {

  /** No field: what a file without these tags gives. */
  public static final PlayerFields NONE = new PlayerFields(null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, List.of(), List.of(), null);

  /** The lists, made unmodifiable; null lists become empty. */
  public PlayerFields {
    artists = artists == null ? List.of() : List.copyOf(artists);
    genres = genres == null ? List.of() : List.copyOf(genres);
  }

  /**
   * Where a file's embedded picture is, so a host can read it later: trackscan never reads or
   * copies the picture's bytes. When a file has several pictures, the first front cover (ID3 and
   * FLAC picture type 3), else the first picture.
   *
   * @param mimeType the picture's MIME type as the tag gives it ({@code image/jpeg}); for MP4 from
   *     the data atom's type (13 JPEG, 14 PNG, 27 BMP), for APEv2 (which names none) from the
   *     picture's first bytes; null when unknown
   * @param sizeBytes the picture's length in bytes, or null when the tag does not say
   * @param offset the absolute offset within the file of the picture's first byte, or null when
   *     the picture is stored encoded (an Ogg METADATA_BLOCK_PICTURE is base64 text: its bytes are
   *     not in the file as such) or its ID3v2 frame is compressed or its picture was changed by
   *     unsynchronisation
   */
  public record Cover(String mimeType, Long sizeBytes, Long offset) {}
}
