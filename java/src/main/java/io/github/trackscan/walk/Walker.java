package io.github.trackscan.walk;

import java.nio.file.Path;

/**
 * Lists the files below a root with their fingerprints. Implementations are thread-safe: one
 * walker may serve several walks at once. Get one from {@link Walkers#create(Backend)}.
 */
public interface Walker {
  /**
   * Walks {@code root} and hands every matching file and every problem to {@code visitor}, on the
   * calling thread. Returns when the walk is complete.
   *
   * @throws WalkException when the root itself is missing, not a folder or unreadable
   */
  void walk(Path root, WalkOptions options, WalkVisitor visitor) throws WalkException;

  /** The backend this walker implements ({@link Backend#NATIVE} or {@link Backend#NIO}). */
  Backend backend();
}
