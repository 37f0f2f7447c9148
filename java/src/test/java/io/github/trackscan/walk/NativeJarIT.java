package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jars that `package` made (the library's and the CLI's), opened as files: each carries a
 * library for every platform under native/<platform>/, built for that platform's machine. A jar
 * copied to a NAS or a Raspberry Pi finds its aarch64 library there.
 */
final class NativeJarIT {
  @Test
  void jars_carryALibraryForEachPlatform() throws IOException {
    List<Path> jars = builtJars();
    assertFalse(jars.isEmpty(), "package made no jar in " + target());
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile())) {
        for (String platform : NativeWalker.PLATFORMS) {
          String name = "native/" + platform + "/" + NativeWalker.LIBRARY_NAME;
          JarEntry entry = file.getJarEntry(name);
          if (entry == null) {
            NativeLibrariesTest.requiredOrSkip(jar.getFileName() + " has no " + name + " (built without Zig)");
            return;
          }
          byte[] head;
          try (InputStream in = file.getInputStream(entry)) {
            head = in.readNBytes(64);
          }
          ElfHeader.assertLibraryFor(platform, head, jar.getFileName() + "!/" + name);
          assertNotNull(file.getJarEntry("native/" + platform + "/libtrackscan.optimize"), jar + ": " + platform);
        }
      }
    }
  }

  /** java/target: failsafe runs in java/. */
  private static Path target() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("target");
  }

  /** trackscan-*.jar (the library) and trackscan-cli.jar (the shaded CLI), not sources or tests. */
  private static List<Path> builtJars() throws IOException {
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(target())) {
      files.filter(path -> {
        String name = path.getFileName().toString();
        return name.startsWith("trackscan") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
            && !name.endsWith("-tests.jar") && !name.startsWith("original-");
      }).sorted().forEach(jars::add);
    }
    return jars;
  }
}
