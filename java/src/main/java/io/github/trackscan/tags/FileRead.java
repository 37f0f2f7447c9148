package io.github.trackscan.tags;

/**
 * What one read of a file found: its tags or why they could not be read, and its content key.
 *
 * @param tags the tags, or {@code null} when reading them failed
 * @param failure why the tags could not be read, or {@code null}
 * @param contentKey the file's {@link ContentKey}, or {@code null} when the file could not be read
 */
public record FileRead(TrackTags tags, TagReadException failure, Long contentKey) {}
