package io.github.trackscan.scan;

import io.github.trackscan.store.CatalogWriter;
import io.github.trackscan.store.StoreException;
import io.github.trackscan.walk.RootFileSystem;
import io.github.trackscan.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/*
 * What one scan learns about each of its roots, and whether each can be trusted to show the
 * library: its device and file system when its walk began, the plan it was walked with, the files
 * and walk errors it gave, and finally whether it is offline.
 *
 * A share that did not mount leaves an empty mount point (an empty folder), or shows the file
 * system below it (another device, holding none of the library's files); one that goes away during
 * the walk leaves walk errors and a root that can no longer be listed. Either way the rows below it
 * must not be judged gone. A root with no rows (a new, empty library) is never offline, and a root
 * on a new device whose files are there (a disk replaced and restored) is scanned as usual.
 */
final class Roots {
  private static final long UNKNOWN_DEVICE = Long.MIN_VALUE;

  private final Scanner scanner;
  private final ScanListener listener;
  private final List<Path> roots;
  private final long[] devices;
  private final long[] files;
  private final long[] walkErrors;
  private final boolean[] failed;
  private final List<RootPlan> plans = new ArrayList<>();
  private final List<OfflineRoot> offline = new ArrayList<>();
  private final Set<Integer> offlineIndexes = new HashSet<>();
  /** The most requests in flight any root asked for (Scanner.ioDepthFor): sets the parse workers. */
  private int ioDepth;

  Roots(Scanner scanner, ScanListener listener) {
    this.scanner = scanner;
    this.listener = listener;
    this.roots = scanner.roots();
    this.devices = new long[roots.size()];
    this.files = new long[roots.size()];
    this.walkErrors = new long[roots.size()];
    this.failed = new boolean[roots.size()];
    Arrays.fill(devices, UNKNOWN_DEVICE);
  }

  /** Root {@code i}'s walk begins: notes its device and file system; returns the options to walk it with. */
  WalkOptions begin(int i) {
    Path root = roots.get(i);
    devices[i] = deviceOf(root);
    RootFileSystem fs = RootFileSystem.of(root);
    int depth = scanner.ioDepthFor(fs);
    ioDepth = Math.max(ioDepth, depth);
    WalkOptions options = scanner.walkOptionsFor(depth);
    RootPlan plan = new RootPlan(fs, options.threads());
    plans.add(plan);
    listener.rootPlanned(plan);
    return options;
  }

  void walked(int i) {
    files[i]++;
  }

  void walkError(int i) {
    walkErrors[i]++;
  }

  /** Root {@code i} could not be walked at all: offline, for {@code reason}. */
  void failed(int i, String reason) {
    failed[i] = true;
    offline(i, reason);
  }

  /**
   * Judges every root walked to the end: the indexes of the offline ones (each reported to the
   * listener once), failed roots included.
   *
   * @param recordedDevices each root's device at its last scan, by path
   */
  Set<Integer> judge(Diff diff, Map<String, Long> recordedDevices) {
    for (int i = 0; i < roots.size(); i++) {
      if (failed[i]) {
        continue;
      }
      Path root = roots.get(i);
      if (walkErrors[i] > 0 && !listable(root)) {
        // A share whose server went away mid-walk: what the walk saw of it is not the library.
        offline(i, "could not be read to the end (" + walkErrors[i] + " walk errors, and the root itself cannot be"
            + " listed now: a share that went away?); none of its rows was touched");
        continue;
      }
      long now = deviceOf(root);
      if (devices[i] != UNKNOWN_DEVICE && now != devices[i]) {
        // sshfs, for one, unmounts itself when its server goes: the root is then the empty mount
        // point, listable, on the device below. Half a walk of a share is not the library either.
        offline(i, "went away during the walk (" + walkErrors[i] + " walk errors; device " + devices[i] + " at the"
            + " start, " + (now == UNKNOWN_DEVICE ? "none" : String.valueOf(now)) + " at the end: a share that was"
            + " unmounted?); none of its rows was touched");
        continue;
      }
      long present = diff.presentRows(i);
      if (present == 0 || diff.claimed(i) > 0) {
        continue;
      }
      Long recorded = recordedDevices.get(root.toString());
      if (files[i] == 0 && emptyFolder(root)) {
        offline(i, "an empty folder, while the library holds " + present + " files below it (a share or disk that is"
            + " not mounted?); none of its rows was touched");
      } else if (recorded != null && devices[i] != UNKNOWN_DEVICE && devices[i] != recorded) {
        offline(i, "on device " + devices[i] + ", not " + recorded + " as at its last scan, and none of its " + present
            + " files is there (a share or disk that is not mounted?); none of its rows was touched");
      }
    }
    return Set.copyOf(offlineIndexes);
  }

  /**
   * Whether root {@code i} can be trusted before some of its folders are scanned: a listable folder,
   * on the device recorded at its last scan, not empty while the library holds files below it.
   * When not, it is reported offline (once) and false is returned.
   */
  boolean reachable(int i, io.github.trackscan.store.Catalog library, Map<String, Long> recordedDevices) {
    Path root = roots.get(i);
    if (!Files.isDirectory(root) || !listable(root)) {
      offline(i, "missing or unreadable; none of its rows was touched");
      return false;
    }
    Long recorded = recordedDevices.get(root.toString());
    long device = deviceOf(root);
    if (recorded != null && device != UNKNOWN_DEVICE && device != recorded) {
      offline(i, "on device " + device + ", not " + recorded + " as at its last scan (a share or disk that is not"
          + " mounted?); none of its rows was touched");
      return false;
    }
    if (emptyFolder(root) && library.hasPresentRowsBelow(root)) {
      offline(i, "an empty folder, while the library holds files below it (a share or disk that is not mounted?);"
          + " none of its rows was touched");
      return false;
    }
    return true;
  }

  /**
   * Records the device of each online root, where it changed (usually it did not, and nothing is
   * written). A failure costs the next scan only the device check and does not fail this one.
   */
  void record(CatalogWriter writer, Map<String, Long> recordedDevices) {
    long now = System.currentTimeMillis();
    try {
      for (int i = 0; i < roots.size(); i++) {
        Long recorded = recordedDevices.get(roots.get(i).toString());
        if (offlineIndexes.contains(i) || devices[i] == UNKNOWN_DEVICE || (recorded != null && recorded == devices[i])) {
          continue;
        }
        if (!writer.inTransaction()) {
          writer.begin();
        }
        writer.recordRoot(roots.get(i).toString(), devices[i], now);
      }
      if (writer.inTransaction()) {
        writer.commit();
      }
    } catch (StoreException e) {
      writer.rollback();
    }
  }

  List<RootPlan> plans() {
    return plans;
  }

  List<OfflineRoot> offline() {
    return offline;
  }

  int ioDepth() {
    return ioDepth;
  }

  private void offline(int i, String reason) {
    OfflineRoot o = new OfflineRoot(roots.get(i), reason);
    offlineIndexes.add(i);
    offline.add(o);
    listener.rootOffline(o);
  }

  /** The root's device (st_dev, following a symbolic link as the walk does), or UNKNOWN_DEVICE. */
  private static long deviceOf(Path root) {
    try {
      return ((Number) Files.getAttribute(root, "unix:dev")).longValue();
    } catch (IOException | RuntimeException e) {
      return UNKNOWN_DEVICE; // The walk reports why the root cannot be read.
    }
  }

  private static boolean listable(Path root) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      entries.iterator().hasNext();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean emptyFolder(Path root) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      return !entries.iterator().hasNext();
    } catch (IOException | RuntimeException e) {
      return true; // Readable a moment ago and not now: nothing here can be trusted either.
    }
  }
}
