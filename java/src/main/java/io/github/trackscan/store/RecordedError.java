package io.github.trackscan.store;

/**
 * A file recorded as unparseable. It is not read again until its fingerprint changes.
 *
 * @param id the row's id
 * @param path the absolute path
 * @param message why it could not be parsed
 */
public record RecordedError(long id, String path, String message) {}
