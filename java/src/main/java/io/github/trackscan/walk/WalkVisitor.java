package io.github.trackscan.walk;

/**
 * Receives a walk's results. Both methods are called on the thread that called
 * {@link Walker#walk}, never concurrently, in no particular order. A visitor may throw an
 * unchecked exception to stop the walk early; the walker frees its resources and rethrows it.
 */
public interface WalkVisitor {
  /** One file that matched the walk's options. */
  void entry(WalkEntry entry);

  /** One problem the walk went past. */
  void error(WalkError error);

  /**
   * One folder listed to the end; only when {@link WalkOptions#reportFolders()} asks (a folder
   * whose listing failed gets an {@link #error} instead). Ignored unless overridden.
   */
  default void folder(WalkFolder folder) {}
}
