package io.github.trackscan.walk;

import java.nio.file.Path;

/** Placeholder until the FFM walker lands: always reports that it cannot load. */
final class NativeWalker implements Walker {
  private NativeWalker() {}

  static NativeWalker load() {
    throw new IllegalStateException("the native walker is not built into this version");
  }

  @Override
  public void walk(Path root, WalkOptions options, WalkVisitor visitor) throws WalkException {
    throw new UnsupportedOperationException();
  }

  @Override
  public Backend backend() {
    return Backend.NATIVE;
  }
}
