package io.github.trackscan.scan;

import io.github.trackscan.walk.Backend;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a scan found and did. Immutable.
 *
 * @param outcome whether the scan ran to the end or was cancelled
 * @param backend the walker backend used ({@link Backend#NATIVE} or {@link Backend#NIO})
 * @param roots the roots scanned, absolute and normalized
 * @param database the library database file; {@code null} for a catalogue that is not a file (PostgreSQL)
 * @param filesWalked audio files the walk found in the roots that could be walked
 * @param filesParsed files handed to the tag reader (added and modified ones; failures and timeouts
 *     included)
 * @param counts files per kind of change, as committed; every kind is present
 * @param failed files that could not be parsed in this scan (a subset of added and modified); each
 *     is recorded with its error and is not parsed again until it changes
 * @param fileErrors the parse failures of this scan, one per failed file
 * @param walkErrors problems the walk went past (unreadable folders and the like); rows below them
 *     were not deleted
 * @param rootErrors roots that could not be walked at all (missing, not a folder, unreadable); none
 *     of their rows was touched (each is in {@code offlineRoots} too)
 * @param offlineRoots roots judged offline, with the reason: no row below them was touched
 * @param ambiguousMoves files that could be the moved file of more than one gone row, or rows that
 *     more than one new file could be (identical copies): never guessed, they stay added and missing
 * @param plans each root walked: its file system and the walker threads used there, in walk order
 * @param parseWorkers the parse workers the scan could use (more on a network or FUSE root)
 * @param rootScans each root, in the order of {@code roots}: scanned in full or quickly from its
 *     folder cache ({@link Scanner.Builder#quick}), and why
 * @param times wall time per phase
 * @param heapPeakBytes the JVM's peak heap use so far (sum of the heap pools' peaks), in bytes
 */
public record ScanReport(
    Outcome outcome,
    Backend backend,
    List<Path> roots,
    Path database,
    long filesWalked,
    long filesParsed,
    Map<ChangeKind, Long> counts,
    long failed,
    List<FileError> fileErrors,
    List<FileError> walkErrors,
    List<FileError> rootErrors,
    List<OfflineRoot> offlineRoots,
    long ambiguousMoves,
    List<RootPlan> plans,
    int parseWorkers,
    List<RootScan> rootScans,
    PhaseTimes times,
    long heapPeakBytes) {

  /** How a scan ended. */
  public enum Outcome {
    /** Every root that could be walked was scanned and written. */
    COMPLETED,
    /** Cancelled: what was committed stays; the next scan carries on from there. */
    CANCELLED
  }

  /** Copies the lists and fills in a zero count for every kind missing from {@code counts}. */
  public ScanReport {
    roots = List.copyOf(roots);
    EnumMap<ChangeKind, Long> all = new EnumMap<>(ChangeKind.class);
    for (ChangeKind kind : ChangeKind.values()) {
      all.put(kind, counts.getOrDefault(kind, 0L));
    }
    counts = java.util.Collections.unmodifiableMap(all);
    fileErrors = List.copyOf(fileErrors);
    walkErrors = List.copyOf(walkErrors);
    rootErrors = List.copyOf(rootErrors);
    offlineRoots = List.copyOf(offlineRoots);
    plans = List.copyOf(plans);
    rootScans = List.copyOf(rootScans);
  }

  /** The number of files with this kind of change. */
  public long count(ChangeKind kind) {
    return counts.get(kind);
  }

  /** Whether anything in the library changed. */
  public boolean changedAnything() {
    return count(ChangeKind.ADDED) + count(ChangeKind.MODIFIED) + count(ChangeKind.MOVED) + count(ChangeKind.MISSING)
        + count(ChangeKind.RESTORED) + count(ChangeKind.DELETED) > 0;
  }

  /** This report as one JSON object (UTF-8 text, no trailing newline), for {@code trackscan scan --json}. */
  public String toJson() {
    StringBuilder json = new StringBuilder(256);
    json.append("{\"outcome\":").append(quote(outcome.name()))
        .append(",\"backend\":").append(quote(backend.name()))
        .append(",\"database\":").append(database == null ? "null" : quote(database.toString()))
        .append(",\"roots\":[");
    for (int i = 0; i < roots.size(); i++) {
      json.append(i == 0 ? "" : ",").append(quote(roots.get(i).toString()));
    }
    json.append("],\"filesWalked\":").append(filesWalked).append(",\"filesParsed\":").append(filesParsed)
        .append(",\"counts\":{");
    boolean first = true;
    for (Map.Entry<ChangeKind, Long> e : counts.entrySet()) {
      json.append(first ? "" : ",").append(quote(e.getKey().name())).append(':').append(e.getValue());
      first = false;
    }
    json.append("},\"ambiguousMoves\":").append(ambiguousMoves).append(",\"offline\":[");
    for (int i = 0; i < offlineRoots.size(); i++) {
      OfflineRoot o = offlineRoots.get(i);
      json.append(i == 0 ? "" : ",").append("{\"root\":").append(quote(o.root().toString())).append(",\"reason\":")
          .append(quote(o.reason())).append('}');
    }
    json.append("],\"fileSystems\":[");
    for (int i = 0; i < plans.size(); i++) {
      RootPlan p = plans.get(i);
      json.append(i == 0 ? "" : ",").append("{\"root\":").append(quote(p.fileSystem().root().toString()))
          .append(",\"type\":").append(quote(p.fileSystem().type())).append(",\"kind\":")
          .append(quote(p.fileSystem().kind().name())).append(",\"walkThreads\":").append(p.walkThreads()).append('}');
    }
    json.append("],\"rootScans\":[");
    for (int i = 0; i < rootScans.size(); i++) {
      RootScan r = rootScans.get(i);
      json.append(i == 0 ? "" : ",").append("{\"root\":").append(quote(r.root().toString())).append(",\"mode\":")
          .append(quote(r.mode().name())).append(",\"reason\":").append(quote(r.reason()))
          .append(",\"foldersChecked\":").append(r.foldersChecked()).append(",\"foldersListed\":")
          .append(r.foldersListed()).append('}');
    }
    json.append("],\"parseWorkers\":").append(parseWorkers);
    json.append(",\"failed\":").append(failed)
        .append(",\"times\":{\"walkNs\":").append(times.walkNs())
        .append(",\"storeReadNs\":").append(times.storeReadNs())
        .append(",\"diffNs\":").append(times.diffNs())
        .append(",\"parseNs\":").append(times.parseNs())
        .append(",\"writeNs\":").append(times.writeNs())
        .append(",\"totalNs\":").append(times.totalNs())
        .append("},\"heapPeakBytes\":").append(heapPeakBytes);
    errors(json, "fileErrors", fileErrors);
    errors(json, "walkErrors", walkErrors);
    errors(json, "rootErrors", rootErrors);
    return json.append('}').toString();
  }

  private static void errors(StringBuilder json, String name, List<FileError> errors) {
    json.append(",\"").append(name).append("\":[");
    for (int i = 0; i < errors.size(); i++) {
      FileError e = errors.get(i);
      json.append(i == 0 ? "" : ",").append("{\"path\":").append(quote(e.path())).append(",\"message\":")
          .append(quote(e.message())).append('}');
    }
    json.append(']');
  }

  /** {@code s} as a JSON string literal, quotes included; for hosts and the CLI writing JSON beside {@link #toJson()}. */
  public static String quote(String s) {
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
