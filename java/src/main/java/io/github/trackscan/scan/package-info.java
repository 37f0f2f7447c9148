/**
 * The scan pipeline and its host API: {@link io.github.trackscan.scan.Scanner} walks roots,
 * diffs fingerprints against the library, parses what was added or modified in parallel, and
 * writes in batched transactions; {@link io.github.trackscan.scan.ScanReport} says what it did and
 * how long each phase took; {@link io.github.trackscan.scan.ScanListener} follows progress and
 * each committed {@link io.github.trackscan.scan.Change};
 * {@link io.github.trackscan.scan.CancellationToken} stops it cleanly.
 */
package io.github.trackscan.scan;
