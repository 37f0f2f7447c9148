package io.github.trackscan.scan;

import io.github.trackscan.walk.RootFileSystem;

/**
 * How a scan went about one root: the file system it found there and the requests it kept in
 * flight walking it.
 *
 * @param fileSystem the root's file system, as the mount table names it, and its kind
 * @param walkThreads walker threads used (0: the walk's default, one per core)
 */
public record RootPlan(RootFileSystem fileSystem, int walkThreads) {}
