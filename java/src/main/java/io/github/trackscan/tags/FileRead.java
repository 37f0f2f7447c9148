package io.github.trackscan.tags;

/**
 * What one read of a file found: its tags or why they could not be read, and its content key.
 *
 * @param tags the tags, or {@code null} when reading them failed
 * @param failure why the tags could not be read, or {@code null}
 * @param contentKey the file's {@link ContentKey}, or {@code null} when the file could not be read
 * @param format the format the file's content was read as, named by its usual lower-case extension
 *     ({@code mp3} for an MP3 named {@code .m4a}; the file's own extension when it fits the
 *     content), or {@code null} when the reader did not look at the content
 */
public record FileRead(TrackTags tags, TagReadException failure, Long contentKey, String format) {
  /** A read that did not look at the content for its format. */
  public FileRead(TrackTags tags, TagReadException failure, Long contentKey) {
    this(tags, failure, contentKey, null);
  }
}
