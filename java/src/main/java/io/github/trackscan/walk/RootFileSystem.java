package io.github.trackscan.walk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The file system a root lies on, as the kernel names it ({@code ext4}, {@code nfs4},
 * {@code cifs}, {@code fuse.sshfs}), and what that means for scanning it: on a network share or a
 * FUSE mount every metadata call and every read that misses the client's cache costs a round trip,
 * so a scan keeps many requests in flight there; on a local disk the cores set the pace.
 *
 * @param root the root, absolute and normalized
 * @param type the file system type from the mount table, or {@code "unknown"}
 * @param kind what the type says about latency
 */
public record RootFileSystem(Path root, String type, Kind kind) {
  /** What a file system's type says about the cost of one request. */
  public enum Kind {
    /** A local disk or memory: requests cost microseconds. */
    LOCAL,
    /** A network file system (NFS, SMB/CIFS, 9p, ...): every request may cost a round trip. */
    NETWORK,
    /** A FUSE file system (sshfs, rclone, smbnetfs, ...): served by a process, often over a network. */
    FUSE,
    /** The type could not be read. */
    UNKNOWN
  }

  /** Kernel file system types served over a network. */
  private static final Set<String> NETWORK_TYPES = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs",
      "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "davfs", "ncpfs", "coda", "virtiofs", "v9fs", "orangefs");
  /** FUSE types that are local disks (NTFS and exFAT through FUSE): latency is a disk's, not a network's. */
  private static final Set<String> LOCAL_FUSE_TYPES = Set.of("fuseblk", "fuse.ntfs-3g", "fuse.exfat", "fuse.lxcfs");

  /**
   * Reads the file system of {@code root} (following a symbolic link, as the walk does).
   *
   * @return its type and kind; {@link Kind#UNKNOWN} when the root cannot be read (the walk says why)
   */
  public static RootFileSystem of(Path root) {
    try {
      String type = Files.getFileStore(root).type();
      return new RootFileSystem(root, type, kindOf(type));
    } catch (IOException | RuntimeException e) {
      return new RootFileSystem(root, "unknown", Kind.UNKNOWN);
    }
  }

  /** The kind of a file system type as the mount table names it. */
  public static Kind kindOf(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    if (NETWORK_TYPES.contains(t)) {
      return Kind.NETWORK;
    }
    if (LOCAL_FUSE_TYPES.contains(t)) {
      return Kind.LOCAL;
    }
    if (t.equals("fuse") || t.startsWith("fuse.")) {
      return Kind.FUSE;
    }
    return Kind.LOCAL;
  }

  /** Whether requests here wait on a network or a server process: keep many in flight. */
  public boolean latencyBound() {
    return kind == Kind.NETWORK || kind == Kind.FUSE;
  }
}
