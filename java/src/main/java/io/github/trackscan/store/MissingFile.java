package io.github.trackscan.store;

/**
 * A row whose file a scan found gone: kept, with its id and everything a host stored on it, until
 * the file comes back (restored) or is found elsewhere (moved), or an explicit purge deletes it.
 *
 * @param id the row's id
 * @param path the absolute path the file had
 * @param missingSinceMs when the scan that found it gone began, milliseconds since the Unix epoch
 */
public record MissingFile(long id, String path, long missingSinceMs) {}
