/**
 * The scan pipeline and its host API: {@link io.github.trackscan.scan.Scanner} walks roots,
 * diffs fingerprints against the library, pairs new files with gone rows into moves (by inode,
 * content key, then tags), marks the rest missing, leaves offline roots untouched, parses what was
 * added or modified in parallel, and writes in batched transactions; {@link io.github.trackscan.scan.ScanReport} says what it did and
 * how long each phase took; {@link io.github.trackscan.scan.ScanListener} follows progress and
 * each committed {@link io.github.trackscan.scan.Change};
 * {@link io.github.trackscan.scan.CancellationToken} stops it cleanly.
 */
package io.github.trackscan.scan;
