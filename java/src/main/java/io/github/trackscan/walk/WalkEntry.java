package io.github.trackscan.walk;

/**
 * One file found by a walk.
 *
 * @param path the path relative to the walk's root, '/'-separated, exactly as the file system
 *     names it (no Unicode normalization; always valid UTF-8, see {@link WalkStatus#INVALID_NAME})
 * @param mtimeNs modification time in nanoseconds since the Unix epoch
 * @param sizeBytes the size in bytes
 * @param device the device id ({@code st_dev})
 * @param inode the inode number ({@code st_ino})
 * @param kind whether it was reached directly or through a symlink
 */
public record WalkEntry(String path, long mtimeNs, long sizeBytes, long device, long inode, EntryKind kind) {}
