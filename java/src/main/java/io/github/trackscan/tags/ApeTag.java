package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jaudiotagger.tag.TagNotFoundException;
import org.jaudiotagger.tag.id3.ID3v11Tag;
import org.jaudiotagger.tag.id3.ID3v1Tag;

/*
 * The tags at the end of WavPack, Monkey's Audio, Musepack and TTA files: an APEv2 tag (its footer
 * in the last 32 bytes, or just before an ID3v1 tag), else an ID3v1 tag. One pread of the last 160
 * bytes finds both; a second reads the APEv2 items.
 * APEv2 keys are case-insensitive; the ones kept are those foobar2000, Mp3tag and mutagen's users
 * write: Title, Artist, Album, Album Artist, Track ("3/12"), Disc, Year, Genre; and the PlayerFields
 * under their Vorbis names (Composer, Comment, Label, MUSICBRAINZ_TRACKID...). Several values of an
 * item are NUL-separated. Of a "Cover Art (...)" item only its place is noted (its MIME type from
 * the picture's first bytes, as APEv2 names none); the front cover wins.
 */
/** Reads an APEv2 or ID3v1 tag at the end of a file. */
final class ApeTag {
  private ApeTag() {}

  private static final int FOOTER_BYTES = 32;
  private static final int ID3V1_BYTES = 128;
  private static final int ITEMS_MAX = 4096;
  /** Binary items whose key starts so hold a picture (foobar2000, Mp3tag, mutagen's users). */
  private static final String COVER_KEY = "Cover Art (";
  private static final String COVER_FRONT = "Cover Art (Front)";

  /**
   * The text fields of the file's APEv2 tag, else of its ID3v1 tag, else null.
   *
   * @param format the container's name, for messages
   * @throws TagReadException when an APEv2 tag is there but malformed
   */
  static TrackTags read(Source in, String format) throws IOException, TagReadException {
    int tailBytes = (int) Math.min(in.size, FOOTER_BYTES + ID3V1_BYTES);
    ByteBuffer tail = in.read(in.size - tailBytes, tailBytes, ByteOrder.LITTLE_ENDIAN, format, "the file's tail");
    boolean id3v1 = tailBytes >= ID3V1_BYTES && Source.matches(tail, tailBytes - ID3V1_BYTES, "TAG");
    int footer = tailBytes - FOOTER_BYTES - (id3v1 ? ID3V1_BYTES : 0);
    if (footer >= 0 && Source.matches(tail, footer, "APETAGEX")) {
      long footerAt = in.size - tailBytes + footer;
      return apev2(in, format, tail, footer, footerAt);
    }
    if (id3v1) {
      return id3v1(tail.slice(tailBytes - ID3V1_BYTES, ID3V1_BYTES));
    }
    return null;
  }

  private static TrackTags apev2(Source in, String format, ByteBuffer tail, int footer, long footerAt)
      throws IOException, TagReadException {
    long tagBytes = tail.getInt(footer + 12) & 0xFFFFFFFFL; // items and footer, not the header
    long items = tail.getInt(footer + 16) & 0xFFFFFFFFL;
    if (tagBytes < FOOTER_BYTES || tagBytes > footerAt + FOOTER_BYTES) {
      throw in.fail(format, "the APEv2 tag declares " + tagBytes + " bytes, more than the file holds before its footer");
    }
    if (tagBytes > Source.TAG_BYTES_MAX) {
      return null; // A cover this large: the stream properties still count, the tags are not read.
    }
    ByteBuffer body = in.read(footerAt + FOOTER_BYTES - tagBytes, tagBytes - FOOTER_BYTES, ByteOrder.LITTLE_ENDIAN,
        format, "the APEv2 tag");
    Map<String, String> fields = new HashMap<>();
    FieldSink sink = new FieldSink();
    long bodyAt = footerAt + FOOTER_BYTES - tagBytes;
    int at = 0;
    for (long i = 0; i < items && i < ITEMS_MAX && at + 8 < body.limit(); i++) {
      long valueBytes = body.getInt(at) & 0xFFFFFFFFL;
      int flags = body.getInt(at + 4);
      int key = at + 8;
      int keyEnd = key;
      while (keyEnd < body.limit() && body.get(keyEnd) != 0) {
        keyEnd++;
      }
      if (keyEnd >= body.limit() || keyEnd + 1 + valueBytes > body.limit()) {
        throw in.fail(format, "APEv2 item " + i + " runs past the end of the tag");
      }
      int value = keyEnd + 1;
      int kind = (flags >>> 1) & 3;
      if (kind == 0) { // UTF-8 text; external items are skipped
        byte[] keyBytes = new byte[keyEnd - key];
        body.get(key, keyBytes);
        byte[] valueBytesArray = new byte[(int) valueBytes];
        body.get(value, valueBytesArray);
        String text = new String(valueBytesArray, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0'); // several values: the first
        String name = new String(keyBytes, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        fields.putIfAbsent(name, nul < 0 ? text : text.substring(0, nul));
        switch (name) {
          case "ARTIST", "GENRE" -> {
            for (String one : text.split("\0", -1)) {
              if (name.equals("ARTIST")) {
                sink.artist(one);
              } else {
                sink.genre(one);
              }
            }
          }
          default -> sink.put(FieldSink.vorbisSlot(name), nul < 0 ? text : text.substring(0, nul));
        }
      } else if (kind == 1 && keyEnd - key > COVER_KEY.length() && Source.matches(body, key, COVER_KEY)) {
        // "Cover Art (Front)" and its kin: a file name, a NUL, then the picture, which is not read.
        int nul = value;
        while (nul < value + valueBytes && body.get(nul) != 0) {
          nul++;
        }
        if (nul < value + valueBytes) {
          int picture = nul + 1;
          int pictureBytes = (int) (value + valueBytes - picture);
          boolean front = keyEnd - key == COVER_FRONT.length() && Source.matches(body, key, COVER_FRONT);
          sink.cover(FieldSink.sniffImage(body, picture, pictureBytes), (long) pictureBytes, bodyAt + picture, front);
        }
      }
      at = value + (int) valueBytes;
    }
    String date = first(fields, "YEAR", "DATE");
    String track = first(fields, "TRACK", "TRACKNUMBER");
    String disc = first(fields, "DISC", "DISCNUMBER");
    String artist = sink.artistDisplay();
    String genre = sink.genreDisplay();
    return new TrackTags(first(fields, "TITLE"), artist != null ? artist : first(fields, "ARTIST"),
        first(fields, "ALBUM"),
        first(fields, "ALBUM ARTIST", "ALBUMARTIST", "ALBUM_ARTIST"), Numbers.leadingInt(track), Id3Text.total(track),
        Numbers.leadingInt(disc), Id3Text.total(disc), Numbers.year(date), date,
        genre != null ? genre : first(fields, "GENRE"), null, null, null, null, null, sink.build());
  }

  private static String first(Map<String, String> fields, String... keys) {
    for (String key : keys) {
      String value = Numbers.blankToNull(fields.get(key));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** An ID3v1 tag's fields, by jaudiotagger's ID3v1 parser, or null. */
  static TrackTags id3v1(ByteBuffer tag) {
    try {
      ID3v11Tag v11 = new ID3v11Tag();
      v11.read(tag.duplicate());
      return JaudiotaggerReader.toTags(v11, null);
    } catch (TagNotFoundException e) {
      try {
        ID3v1Tag v1 = new ID3v1Tag();
        v1.read(tag.duplicate());
        return JaudiotaggerReader.toTags(v1, null);
      } catch (TagNotFoundException again) {
        return null;
      }
    }
  }
}
