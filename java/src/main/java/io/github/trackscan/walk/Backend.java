package io.github.trackscan.walk;

/** Which walker implementation to use. */
public enum Backend {
  /** The native walker when its library loads here, the NIO walker otherwise. */
  AUTO,
  /** The Zig walker called through the Foreign Function &amp; Memory API. */
  NATIVE,
  /** The pure-Java walker (java.nio), available everywhere. */
  NIO
}
