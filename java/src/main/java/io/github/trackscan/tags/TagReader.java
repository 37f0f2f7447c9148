package io.github.trackscan.tags;

import java.nio.file.Path;

/**
 * Reads one audio file's tags and stream properties. Implementations are thread-safe: the scanner
 * calls one reader from several worker threads at once. A reader must honour thread interruption
 * where it blocks (the scanner interrupts a worker whose file exceeds the parse time limit).
 */
@FunctionalInterface
public interface TagReader {
  /**
   * Reads {@code file}.
   *
   * @param file the file, absolute
   * @param sizeBytes its size in bytes as the walk saw it (a hint for buffer sizing; the file may
   *     have changed since)
   * @return the tags found, never {@code null}
   * @throws TagReadException when the file is not readable audio; the message says why
   */
  TrackTags read(Path file, long sizeBytes) throws TagReadException;
}
