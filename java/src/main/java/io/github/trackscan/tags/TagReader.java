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

  /**
   * Reads {@code file}'s tags and its {@link ContentKey}, which the scanner records to recognise
   * the file if it is moved or copied. A reader that opens the file anyway should override this to
   * take the key from its own reads; this default reads the tags, then the key.
   *
   * @param file the file, absolute
   * @param sizeBytes its size in bytes as the walk saw it
   * @return the tags, or the failure, and the key ({@code null} when the file could not be read)
   */
  default FileRead readWithKey(Path file, long sizeBytes) {
    TrackTags tags = null;
    TagReadException failure = null;
    try {
      tags = read(file, sizeBytes);
    } catch (TagReadException e) {
      failure = e;
    }
    return new FileRead(tags, failure, ContentKey.read(file, sizeBytes));
  }
}
