package io.github.trackscan.walk;

/**
 * One folder a walk listed to the end, reported only when {@link WalkOptions#reportFolders()} asks.
 *
 * @param path the folder's path relative to the walk's root, '/'-separated; "" for the root itself
 * @param mtimeNs the folder's own modification time, nanoseconds since the Unix epoch, read before
 *     its listing (so a change made during the listing leaves a newer time than this)
 * @param entries the names its listing held, hidden ones included ("." and ".." not)
 * @param device the device id ({@code st_dev})
 * @param inode the inode number ({@code st_ino})
 */
public record WalkFolder(String path, long mtimeNs, long entries, long device, long inode) {}
