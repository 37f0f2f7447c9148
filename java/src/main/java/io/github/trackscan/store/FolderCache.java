package io.github.trackscan.store;

import java.util.Map;

/**
 * The folder cache of one root ({@code --quick}): every folder its last full scan listed, kept up
 * to date by the quick scans since, and how many quick scans there have been since that full one.
 *
 * @param folders by path relative to the root ("" for the root)
 * @param quickScans quick scans since the last full scan of the root
 * @param fullScanAtMs when that full scan began, epoch ms
 */
public record FolderCache(Map<String, CachedFolder> folders, int quickScans, long fullScanAtMs) {
  public FolderCache {
    folders = Map.copyOf(folders);
  }
}
