package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RootFileSystemTest {
  @Test
  void kindOf_namesNetworkFuseAndLocalTypes() {
    for (String type : new String[] {"nfs", "nfs4", "cifs", "smb3", "9p", "NFS4", "ceph", "virtiofs"}) {
      assertEquals(RootFileSystem.Kind.NETWORK, RootFileSystem.kindOf(type), type);
    }
    for (String type : new String[] {"fuse.sshfs", "fuse.rclone", "fuse.smbnetfs", "fuse"}) {
      assertEquals(RootFileSystem.Kind.FUSE, RootFileSystem.kindOf(type), type);
    }
    for (String type : new String[] {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "fuseblk", "fuse.ntfs-3g", "vfat"}) {
      assertEquals(RootFileSystem.Kind.LOCAL, RootFileSystem.kindOf(type), type);
    }
  }

  @Test
  void of_readsTheMountTable(@TempDir Path dir) {
    RootFileSystem fs = RootFileSystem.of(dir);

    assertEquals(dir, fs.root());
    assertFalse(fs.type().isEmpty());
    assertEquals(RootFileSystem.kindOf(fs.type()), fs.kind());
    assertEquals(RootFileSystem.Kind.UNKNOWN, RootFileSystem.of(dir.resolve("absent")).kind());
    assertTrue(new RootFileSystem(dir, "nfs4", RootFileSystem.Kind.NETWORK).latencyBound());
    assertTrue(new RootFileSystem(dir, "fuse.sshfs", RootFileSystem.Kind.FUSE).latencyBound());
    assertFalse(fs.latencyBound() && fs.kind() == RootFileSystem.Kind.LOCAL);
  }
}
