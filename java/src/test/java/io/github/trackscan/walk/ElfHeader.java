package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/**
 * The fields of an ELF file's header that say which machine can load it, read from its first 20
 * bytes as the System V ABI lays them out (e_ident, then e_type and e_machine in the file's byte
 * order). Enough to tell a library built for the wrong platform without loading it.
 *
 * @param elfClass e_ident[EI_CLASS]: 1 for 32-bit, 2 for 64-bit
 * @param data e_ident[EI_DATA]: 1 for little-endian, 2 for big-endian
 * @param type e_type: 3 (ET_DYN) for a shared library
 * @param machine e_machine: 62 (EM_X86_64), 183 (EM_AARCH64)
 */
record ElfHeader(int elfClass, int data, int type, int machine) {
  static final int HEADER_BYTES_MIN = 20;
  static final int ELFCLASS64 = 2;
  static final int ELFDATA2LSB = 1;
  static final int ET_DYN = 3;
  static final int EM_X86_64 = 62;
  static final int EM_AARCH64 = 183;
  /** What each of NativeWalker.PLATFORMS must be built for. */
  static final Map<String, Integer> MACHINE_BY_PLATFORM = Map.of(
      NativeWalker.LINUX_X86_64, EM_X86_64,
      NativeWalker.LINUX_AARCH64, EM_AARCH64);

  /**
   * Reads the header from a file's first bytes.
   *
   * @throws IllegalArgumentException when they are too few or lack the ELF magic number
   */
  static ElfHeader read(byte[] bytes) {
    if (bytes.length < HEADER_BYTES_MIN || bytes[0] != 0x7F || bytes[1] != 'E' || bytes[2] != 'L'
        || bytes[3] != 'F') {
      throw new IllegalArgumentException("not an ELF file (" + bytes.length + " bytes)");
    }
    int data = bytes[5];
    return new ElfHeader(bytes[4], data, half(bytes, 16, data), half(bytes, 18, data));
  }

  /** Asserts that {@code bytes} are a 64-bit little-endian shared library for {@code platform}. */
  static void assertLibraryFor(String platform, byte[] bytes, String where) {
    Integer machine = MACHINE_BY_PLATFORM.get(platform);
    assertEquals(NativeWalker.PLATFORMS.size(), MACHINE_BY_PLATFORM.size(), "a machine for every platform");
    ElfHeader header = read(bytes);
    assertEquals(new ElfHeader(ELFCLASS64, ELFDATA2LSB, ET_DYN, machine), header,
        where + " is a 64-bit little-endian shared library for " + platform);
  }

  /** The 16-bit field at {@code at} in the byte order EI_DATA names. */
  private static int half(byte[] bytes, int at, int data) {
    int first = Byte.toUnsignedInt(bytes[at]);
    int second = Byte.toUnsignedInt(bytes[at + 1]);
    return data == ELFDATA2LSB ? first | second << 8 : first << 8 | second;
  }
}
