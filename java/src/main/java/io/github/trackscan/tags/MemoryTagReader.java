package io.github.trackscan.tags;

import java.nio.file.Path;

/** Reads MP3 and FLAC from memory; other formats through jaudiotagger. */
final class MemoryTagReader implements TagReader {
  static final MemoryTagReader INSTANCE = new MemoryTagReader();

  private MemoryTagReader() {}

  @Override
  public TrackTags read(Path file, long sizeBytes) throws TagReadException {
    return JaudiotaggerReader.INSTANCE.read(file, sizeBytes);
  }
}
