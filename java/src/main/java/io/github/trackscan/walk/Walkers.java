package io.github.trackscan.walk;

import java.util.Objects;
import java.util.Optional;

/**
 * Makes walkers. The native library is loaded once, on first need; if it cannot load here (no
 * library for this platform in the jar, a JVM without native access, an ABI mismatch) the reason
 * is kept and {@link Backend#AUTO} falls back to NIO.
 */
public final class Walkers {
  private Walkers() {}

  /**
   * A walker for {@code backend}; {@link Backend#AUTO} gives the native one when it loads.
   *
   * @throws IllegalStateException for {@link Backend#NATIVE} when the native library cannot load,
   *     with the reason
   */
  public static Walker create(Backend backend) {
    return switch (Objects.requireNonNull(backend, "backend")) {
      case NIO -> NioWalker.INSTANCE;
      case NATIVE -> {
        NativeLoad load = NativeLoad.get();
        if (load.walker() == null) {
          throw new IllegalStateException("native walker unavailable: " + load.reason());
        }
        yield load.walker();
      }
      case AUTO -> {
        NativeLoad load = NativeLoad.get();
        yield load.walker() != null ? load.walker() : NioWalker.INSTANCE;
      }
    };
  }

  /** Why the native walker cannot be used here, or empty when it can. */
  public static Optional<String> nativeUnavailableReason() {
    return Optional.ofNullable(NativeLoad.get().reason());
  }

  /** The outcome of loading the native library, computed once. */
  private record NativeLoad(Walker walker, String reason) {
    private static volatile NativeLoad instance;

    static NativeLoad get() {
      NativeLoad load = instance;
      if (load == null) {
        synchronized (NativeLoad.class) {
          load = instance;
          if (load == null) {
            load = tryLoad();
            instance = load;
          }
        }
      }
      return load;
    }

    private static NativeLoad tryLoad() {
      try {
        return new NativeLoad(NativeWalker.load(), null);
      } catch (RuntimeException | LinkageError e) {
        return new NativeLoad(null, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
  }
}
