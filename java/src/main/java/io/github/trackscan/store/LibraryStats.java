package io.github.trackscan.store;

import java.util.Map;
import java.util.Optional;

/**
 * A summary of the library, for {@code trackscan stats}.
 *
 * @param tracks rows in the library, parsed or not, present or missing
 * @param missing rows whose file a scan found gone (kept until a purge; see {@link Library#missing})
 * @param failed rows whose file could not be parsed
 * @param tracksByFormat rows per format (the lower-case file extension: {@code mp3}, {@code flac})
 * @param totalDurationMs the sum of known durations, in milliseconds
 * @param totalSizeBytes the sum of file sizes, in bytes
 * @param lastScan the most recent scan, if any was recorded
 */
public record LibraryStats(
    long tracks,
    long missing,
    long failed,
    Map<String, Long> tracksByFormat,
    long totalDurationMs,
    long totalSizeBytes,
    Optional<ScanRecord> lastScan) {
  /** Copies the map. */
  public LibraryStats {
    tracksByFormat = Map.copyOf(tracksByFormat);
  }

  /** Rows whose file was there at the last scan that saw its folder. */
  public long present() {
    return tracks - missing;
  }
}
