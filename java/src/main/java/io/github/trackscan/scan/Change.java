package io.github.trackscan.scan;

/**
 * One change a scan made to the library, reported after the transaction holding it committed, so a
 * host can mirror it into its own model.
 *
 * @param kind what happened; never {@link ChangeKind#UNCHANGED}
 * @param id the row's stable id (for {@link ChangeKind#DELETED}, the id it had)
 * @param path the file's absolute path (for {@link ChangeKind#MOVED}, the new one)
 * @param oldPath the previous absolute path for {@link ChangeKind#MOVED}; {@code null} otherwise
 */
public record Change(ChangeKind kind, long id, String path, String oldPath) {}
