package io.github.trackscan.tags;

import java.io.IOException;

/** The ID3v2 tag a chunk or another container carries, read leniently. */
final class LeadingId3 {
  private LeadingId3() {}

  /** The text fields of the ID3v2 tag at the start of the file, or null when it is unreadable. */
  static TrackTags read(Source in) throws IOException {
    return at(in, 0);
  }

  /**
   * The fields of the ID3v2 tag at {@code offset}, or null when there is none or it is unreadable
   * (not a tag mutagen would read, or cut short by the file's end): a damaged tag costs the tags,
   * not the file's stream properties.
   */
  static TrackTags at(Source in, long offset) throws IOException {
    try {
      return Id3Text.read(in, offset);
    } catch (Fallback e) {
      return null;
    }
  }
}
