package io.github.trackscan.scan;

/**
 * How long each phase of a scan took, in nanoseconds of wall time. Phases overlap: the store read
 * runs during the walk, and writing runs during parsing.
 *
 * @param walkNs listing every root
 * @param storeReadNs opening the database and reading its fingerprints (on another thread, during the walk)
 * @param diffNs comparing the walk with the fingerprints, including waiting for the store read
 * @param parseNs from the first file handed to a parser to the last result
 * @param writeNs time spent in database writes and commits (summed)
 * @param totalNs the whole scan
 */
public record PhaseTimes(long walkNs, long storeReadNs, long diffNs, long parseNs, long writeNs, long totalNs) {}
