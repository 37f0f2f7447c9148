package io.github.trackscan.walk;

/** Run in a child JVM by NativeWalkerTest: prints why the native walker is unavailable there. */
final class NativeAccessProbe {
  private NativeAccessProbe() {}

  public static void main(String[] args) {
    System.out.println(Walkers.nativeUnavailableReason().orElse("available"));
  }
}
