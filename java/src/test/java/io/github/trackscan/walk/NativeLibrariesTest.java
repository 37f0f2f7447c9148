package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The libraries the build put on the class path (and so in the jar, see NativeJarIT): one for each
 * platform, each an ELF shared library for that platform's machine. Only this machine's can be
 * loaded here, so the header is what shows that the aarch64 build really is one.
 */
final class NativeLibrariesTest {
  static final List<String> PLATFORMS = NativeWalker.PLATFORMS;

  @ParameterizedTest(name = "{0}")
  @FieldSource("PLATFORMS")
  void resources_carryALibraryForEachPlatform(String platform) throws IOException {
    String resource = "/native/" + platform + "/" + NativeWalker.LIBRARY_NAME;
    byte[] head;
    try (InputStream in = NativeWalker.class.getResourceAsStream(resource)) {
      if (in == null) {
        requiredOrSkip("the build has no " + resource + " (built without Zig)");
        return;
      }
      head = in.readNBytes(64);
    }
    ElfHeader.assertLibraryFor(platform, head, resource);
    try (InputStream in = NativeWalker.class.getResourceAsStream("/native/" + platform + "/libtrackscan.optimize")) {
      assertNotNull(in, "each platform's folder says how its library was built");
      String mode = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      assertTrue(List.of("Debug", "ReleaseSafe", "ReleaseFast", "ReleaseSmall").contains(mode), mode);
    }
  }

  @Test
  void elfHeader_readsMachineInEitherByteOrder() {
    byte[] little = header(2, 1, new byte[] {3, 0}, new byte[] {(byte) 183, 0});
    assertEquals(new ElfHeader(2, 1, ElfHeader.ET_DYN, ElfHeader.EM_AARCH64), ElfHeader.read(little));
    byte[] big = header(2, 2, new byte[] {0, 3}, new byte[] {0, 62});
    assertEquals(new ElfHeader(2, 2, ElfHeader.ET_DYN, ElfHeader.EM_X86_64), ElfHeader.read(big));
  }

  @Test
  void elfHeader_refusesWhatIsNotElf() {
    assertThrows(IllegalArgumentException.class, () -> ElfHeader.read(new byte[] {0x7F, 'E', 'L', 'F'}));
    byte[] text = "#!/bin/sh\necho not a library\n".getBytes(StandardCharsets.US_ASCII);
    assertThrows(IllegalArgumentException.class, () -> ElfHeader.read(text));
  }

  /** Fails where native tests are required (CI, ./dev test), else skips with the reason. */
  static void requiredOrSkip(String reason) {
    String required = System.getenv(NativeTestSupport.REQUIRE_NATIVE);
    if (required != null && !required.isEmpty()) {
      throw new AssertionError(NativeTestSupport.REQUIRE_NATIVE + " is set, so every library must be built: " + reason);
    }
    Assumptions.abort(reason);
  }

  private static byte[] header(int elfClass, int data, byte[] type, byte[] machine) {
    byte[] bytes = new byte[64];
    bytes[0] = 0x7F;
    bytes[1] = 'E';
    bytes[2] = 'L';
    bytes[3] = 'F';
    bytes[4] = (byte) elfClass;
    bytes[5] = (byte) data;
    System.arraycopy(type, 0, bytes, 16, 2);
    System.arraycopy(machine, 0, bytes, 18, 2);
    return bytes;
  }
}
