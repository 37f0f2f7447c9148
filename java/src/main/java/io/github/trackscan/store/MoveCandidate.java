package io.github.trackscan.store;

/**
 * A row that a file found at a new path may be: one whose file is gone (missing from an earlier
 * scan, or just now), with what recognises its content.
 *
 * @param row the row, with its absolute path
 * @param contentKey the content key recorded when the file was last read, or {@code null} for a
 *     row that has none (written by a schema before version 4)
 * @param tagKey the row's identity by tags ({@link io.github.trackscan.tags.TrackTags#identityKey}),
 *     or {@code null} when its tags do not say enough
 */
public record MoveCandidate(StoredFile row, Long contentKey, Long tagKey) {}
