package io.github.trackscan.store;

/**
 * One scan as recorded in the {@code scan} table.
 *
 * @param startedAtMs when it started, milliseconds since the Unix epoch
 * @param finishedAtMs when it finished, milliseconds since the Unix epoch
 * @param roots the roots scanned, one absolute path a line
 * @param outcome {@code COMPLETED} or {@code CANCELLED}
 * @param filesWalked audio files the walk found
 * @param added files added
 * @param modified files read again because they changed
 * @param moved files found at a new path
 * @param missing rows marked missing: their file was gone
 * @param restored missing rows whose file was found again at their path
 * @param deleted rows deleted (files taken out of scope with an exclude)
 * @param unchanged files left alone
 * @param failed files that could not be parsed in this scan
 * @param walkErrors problems the walk went past, including failed roots
 * @param totalNs the scan's duration in nanoseconds
 */
public record ScanRecord(
    long startedAtMs,
    long finishedAtMs,
    String roots,
    String outcome,
    long filesWalked,
    long added,
    long modified,
    long moved,
    long missing,
    long restored,
    long deleted,
    long unchanged,
    long failed,
    long walkErrors,
    long totalNs) {}
