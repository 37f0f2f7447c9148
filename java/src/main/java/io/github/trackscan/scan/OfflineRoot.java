package io.github.trackscan.scan;

import java.nio.file.Path;

/**
 * A root the scan could not trust to show the library: missing, unreadable, an empty folder while
 * the library holds files below it, or on another device than at its last scan with none of its
 * files there (a share or disk that is not mounted). No row below it was changed.
 *
 * @param root the root, absolute and normalized
 * @param reason why it was judged offline, for a person
 */
public record OfflineRoot(Path root, String reason) {}
