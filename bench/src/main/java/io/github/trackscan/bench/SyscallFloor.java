package io.github.trackscan.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/*
 * The least a walker that reports mtime and size can do on Linux: exactly the system calls the
 * native walker makes (per folder openat, getdents64 until it returns 0, close; per audio file one
 * statx), through libc by FFM, with nothing else. It is given what no real walker has: the list of
 * folders, found before the timer starts and dealt round-robin to the threads, so there is no shared
 * stack, no lock, no output, no record and no decoding. Its time is a lower bound for the native
 * walker's, measured in the same JMH run as Files.walkFileTree, so the ratio between those two is
 * the most any walker can reach on the machine at hand.
 *
 * Linux x86_64 with glibc 2.30 or newer (getdents64 and statx wrappers) only: the benchmark module
 * is a measuring tool, not part of the library.
 */
final class SyscallFloor implements AutoCloseable {
  private static final int AT_FDCWD = -100;
  /** O_RDONLY (0) | O_DIRECTORY | O_CLOEXEC, as walk.zig opens folders. */
  private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int AT_STATX_DONT_SYNC = 0x4000;
  /** STATX_TYPE | STATX_MTIME | STATX_SIZE | STATX_INO, as walk.zig asks. */
  private static final int STATX_MASK = 0x1 | 0x40 | 0x200 | 0x100;
  private static final int DT_REG = 8;
  /** walk.zig's dents_bytes. */
  private static final int DENTS_BYTES = 64 * 1024;
  private static final int STATX_BYTES = 256;
  private static final int DIRENT_RECLEN_OFFSET = 16;
  private static final int DIRENT_TYPE_OFFSET = 18;
  private static final int DIRENT_NAME_OFFSET = 19;

  private static final MethodHandle OPENAT;
  private static final MethodHandle GETDENTS64;
  private static final MethodHandle STATX;
  private static final MethodHandle CLOSE;

  static {
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    OPENAT = linker.downcallHandle(libc.findOrThrow("openat"),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
        Linker.Option.firstVariadicArg(3));
    GETDENTS64 = linker.downcallHandle(libc.findOrThrow("getdents64"),
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    STATX = linker.downcallHandle(libc.findOrThrow("statx"),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    CLOSE = linker.downcallHandle(libc.findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  }

  private final Arena arena = Arena.ofShared();
  private final int rootFd;
  /** Every folder the walkers list (hidden ones skipped), relative to the root, NUL-ended. */
  private final MemorySegment[] folders;
  /** Extensions, lower-case, each packed little-endian into a long; sorted for binary search. */
  private final long[] extensions;

  SyscallFloor(Path root, Set<String> extensions) throws IOException {
    this.extensions = extensions.stream().mapToLong(SyscallFloor::pack).sorted().toArray();
    List<MemorySegment> found = new ArrayList<>();
    try (Stream<Path> tree = Files.walk(root)) {
      tree.filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
          .filter(folder -> !hiddenBelow(root, folder))
          .forEach(folder -> {
            String relative = root.relativize(folder).toString();
            found.add(arena.allocateFrom(relative.isEmpty() ? "." : relative, StandardCharsets.UTF_8));
          });
    }
    this.folders = found.toArray(MemorySegment[]::new);
    int fd = openat(AT_FDCWD, arena.allocateFrom(root.toString(), StandardCharsets.UTF_8));
    if (fd < 0) {
      arena.close();
      throw new IOException("cannot open " + root);
    }
    this.rootFd = fd;
  }

  private static boolean hiddenBelow(Path root, Path folder) {
    for (Path part : root.relativize(folder)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Runs the system calls of one walk on {@code threads} threads; returns the files stat-ed. */
  long walk(int threads) throws InterruptedException {
    AtomicLong files = new AtomicLong();
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int first = t;
      workers[t] = Thread.ofPlatform().start(() -> files.addAndGet(share(first, threads)));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return files.get();
  }

  /** Folders first, first + step, ...: open, read to the end, stat the audio files, close. */
  private long share(int first, int step) {
    long files = 0;
    try (Arena local = Arena.ofConfined()) {
      MemorySegment dents = local.allocate(DENTS_BYTES, 8);
      MemorySegment attributes = local.allocate(STATX_BYTES, 8);
      for (int i = first; i < folders.length; i += step) {
        int fd = openat(rootFd, folders[i]);
        if (fd < 0) {
          continue;
        }
        while (true) {
          long read = getdents64(fd, dents);
          if (read <= 0) {
            break;
          }
          for (int offset = 0; offset < read; ) {
            int recordBytes = Short.toUnsignedInt(dents.get(JAVA_SHORT_UNALIGNED, offset + DIRENT_RECLEN_OFFSET));
            if (dents.get(JAVA_BYTE, offset + DIRENT_TYPE_OFFSET) == DT_REG
                && dents.get(JAVA_BYTE, offset + DIRENT_NAME_OFFSET) != '.'
                && isAudio(dents, offset, recordBytes)) {
              statx(fd, dents.asSlice(offset + DIRENT_NAME_OFFSET), attributes);
              files++;
            }
            offset += recordBytes;
          }
        }
        closeFd(fd);
      }
    }
    return files;
  }

  /** Whether the dirent's name ends in one of the extensions (its NUL is in its last 8 bytes). */
  private boolean isAudio(MemorySegment dents, int offset, int recordBytes) {
    int end = Math.max(offset + DIRENT_NAME_OFFSET, offset + recordBytes - 8);
    while (dents.get(JAVA_BYTE, end) != 0) {
      end++;
    }
    long key = 0;
    for (int i = end - 1, shift = 0; i >= offset + DIRENT_NAME_OFFSET && shift < 64; i--, shift += 8) {
      byte b = dents.get(JAVA_BYTE, i);
      if (b == '.') {
        return Arrays.binarySearch(extensions, key) >= 0;
      }
      key |= (long) (Character.toLowerCase(b) & 0xFF) << shift;
    }
    return false;
  }

  /** The extension's bytes, its last byte lowest, as isAudio builds its key. */
  private static long pack(String extension) {
    byte[] bytes = extension.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    long key = 0;
    for (byte b : bytes) {
      key = (key << 8) | (b & 0xFF);
    }
    return key;
  }

  // Exact-typed downcalls: invokeExact lets the JIT inline the call, as jextract's bindings do.
  private static int openat(int directoryFd, MemorySegment path) {
    try {
      return (int) OPENAT.invokeExact(directoryFd, path, O_RDONLY_DIRECTORY_CLOEXEC, 0);
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  private static long getdents64(int fd, MemorySegment buffer) {
    try {
      return (long) GETDENTS64.invokeExact(fd, buffer, buffer.byteSize());
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  private static int statx(int directoryFd, MemorySegment name, MemorySegment out) {
    try {
      return (int) STATX.invokeExact(directoryFd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_MASK, out);
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  private static int closeFd(int fd) {
    try {
      return (int) CLOSE.invokeExact(fd);
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    closeFd(rootFd);
    arena.close();
  }
}
