package io.github.trackscan.watch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which folder each of a watcher's watches is for, both ways: the operating system names a watch
 * by its key (an inotify descriptor, a WatchKey), the watch by its folder. Not thread-safe: the
 * watchers lock around it.
 *
 * @param <K> the key
 */
final class Watched<K> {
  private final Map<K, Path> byKey = new HashMap<>();
  private final Map<Path, K> byPath = new HashMap<>();

  /**
   * Records that {@code key} watches {@code folder}. A key already known under another path is the
   * same folder renamed (inotify gives a folder's existing descriptor again): the old path goes.
   */
  void put(K key, Path folder) {
    Path old = byKey.put(key, folder);
    if (old != null && !old.equals(folder)) {
      byPath.remove(old);
    }
    byPath.put(folder, key);
  }

  Path folder(K key) {
    return byKey.get(key);
  }

  boolean contains(Path folder) {
    return byPath.containsKey(folder);
  }

  /** Forgets {@code key} (the system dropped it). */
  void forget(K key) {
    Path folder = byKey.remove(key);
    if (folder != null) {
      byPath.remove(folder, key);
    }
  }

  /** Forgets {@code folder} and every folder below it; returns their keys, to be cancelled. */
  List<K> removeBelow(Path folder) {
    List<Path> below = new ArrayList<>();
    for (Path watched : byPath.keySet()) {
      if (watched.startsWith(folder)) {
        below.add(watched);
      }
    }
    List<K> keys = new ArrayList<>(below.size());
    for (Path watched : below) {
      K key = byPath.remove(watched);
      byKey.remove(key);
      keys.add(key);
    }
    return keys;
  }

  int size() {
    return byPath.size();
  }
}
