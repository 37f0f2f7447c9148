package io.github.trackscan.walk;

/**
 * One file found by a walk.
 *
 * @param path the path relative to the walk's root, '/'-separated, exactly as the file system
 *     names it (no Unicode normalization). Always valid UTF-8: bytes of a name that are not UTF-8
 *     are escaped as U+FFFD and two hex digits ({@link PathNames}, which gives back the exact bytes)
 * @param mtimeNs modification time in nanoseconds since the Unix epoch
 * @param sizeBytes the size in bytes
 * @param device the device id ({@code st_dev})
 * @param inode the inode number ({@code st_ino})
 * @param kind whether it was reached directly or through a symlink
 */
public record WalkEntry(String path, long mtimeNs, long sizeBytes, long device, long inode, EntryKind kind) {}
