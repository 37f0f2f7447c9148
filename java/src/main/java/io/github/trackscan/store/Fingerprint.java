package io.github.trackscan.store;

/**
 * What identifies one version of a file on disk: a file whose {@code (mtimeNs, sizeBytes)} is
 * unchanged is not read again; {@code (device, inode)} with the same size and mtime recognise a
 * moved file.
 *
 * @param mtimeNs modification time in nanoseconds since the Unix epoch
 * @param sizeBytes size in bytes
 * @param device the device id ({@code st_dev})
 * @param inode the inode number ({@code st_ino})
 */
public record Fingerprint(long mtimeNs, long sizeBytes, long device, long inode) {}
