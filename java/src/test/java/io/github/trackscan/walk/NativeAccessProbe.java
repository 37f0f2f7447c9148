package io.github.trackscan.walk;

/**
 * Run in a child JVM by NativeWalkerTest: prints why the native walker is unavailable there, then
 * which walker AUTO gives.
 */
final class NativeAccessProbe {
  private NativeAccessProbe() {}

  public static void main(String[] args) {
    System.out.println(Walkers.nativeUnavailableReason().orElse("available"));
    System.out.println("AUTO walks with " + Walkers.create(Backend.AUTO).backend());
  }
}
