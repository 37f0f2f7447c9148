package io.github.trackscan.scan;

/**
 * Where a scan stands.
 *
 * @param phase the current phase
 * @param filesWalked audio files found so far
 * @param filesParsed files parsed so far (successfully or not, timeouts included)
 * @param filesToParse files this scan will parse (known from {@link ScanPhase#PARSE} on, 0 before)
 * @param elapsedNs nanoseconds since the scan started
 */
public record ScanProgress(ScanPhase phase, long filesWalked, long filesParsed, long filesToParse, long elapsedNs) {}
