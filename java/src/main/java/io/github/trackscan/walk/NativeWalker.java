package io.github.trackscan.walk;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.trackscan.walk.ffi.TrackscanAbi;
import io.github.trackscan.walk.ffi.ts_walk_options;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/*
 * The Zig walker (native/src/) called through the Foreign Function & Memory API. This is the only
 * hand-written class that touches the generated bindings in walk.ffi.
 *
 * Loading: libtrackscan.so travels inside the jar under native/<platform>/, one build for each of
 * PLATFORMS (Zig cross-compiles both from one machine; see zig-build.zig). It is copied to a
 * private temp file, loaded by absolute path with System.load, and the file deleted at once (the
 * mapping outlives its name; deleteOnExit alone left one copy in the temp folder for every JVM
 * that was killed or halted, hundreds a day on a test machine). The bindings were generated
 * without -l, so their symbol lookup is SymbolLookup.loaderLookup(), which sees exactly the
 * libraries System.load loaded in this class loader (see native/jextract/regenerate.sh). Before
 * the walker is handed out, the library must report ABI version 1 and the same ts_record layout
 * that decode() reads; any failure becomes an IllegalStateException whose message Walkers keeps
 * as the reason the native walker is unavailable.
 *
 * Walking: one Walk owns one native handle and the confined Arena holding everything the library
 * may read while the handle lives (options, extension list, root bytes) plus the record buffer.
 * The caller's thread drains batches with ts_walk_next and decodes them in place: records start
 * 8-byte aligned in an 8-byte-aligned buffer, so plain aligned layouts read every field, and a
 * record costs one byte[] for its path, its String and its WalkEntry.
 */
final class NativeWalker implements Walker {
  /** The ABI version this class speaks; the library must report the same. */
  static final int ABI_VERSION = 3;
  /** Platform directory names inside the jar's native/ folder that a build can carry. */
  static final String LINUX_X86_64 = "linux-x86_64";
  static final String LINUX_AARCH64 = "linux-aarch64";
  /** Every platform a build with Zig carries a library for, as zig-build.zig lists them. */
  static final List<String> PLATFORMS = List.of(LINUX_X86_64, LINUX_AARCH64);
  static final String LIBRARY_NAME = "libtrackscan.so";

  /*
   * Java's view of ts_record, spelled out so decoding reads constants. load() checks it against
   * ts_record_layout(); NativeLayoutTest also checks it against the generated ts_record layout.
   */
  static final int RECORD_HEADER_BYTES = 40;
  static final int RECORD_BYTES_OFFSET = 0;
  static final int PATH_BYTES_OFFSET = 4;
  static final int KIND_OFFSET = 6;
  static final int STATUS_OFFSET = 7;
  static final int MTIME_NS_OFFSET = 8;
  static final int SIZE_BYTES_OFFSET = 16;
  static final int DEVICE_OFFSET = 24;
  static final int INODE_OFFSET = 32;
  /** In ts_record_layout() order: the size, then the offsets of each field in declaration order. */
  static final int[] RECORD_LAYOUT = {
    RECORD_HEADER_BYTES, RECORD_BYTES_OFFSET, PATH_BYTES_OFFSET, KIND_OFFSET, STATUS_OFFSET,
    MTIME_NS_OFFSET, SIZE_BYTES_OFFSET, DEVICE_OFFSET, INODE_OFFSET
  };

  /** Read buffer of one walk: about 3,000 typical records a downcall, small enough to stay in L2. */
  static final int BUFFER_BYTES = 256 * 1024;
  private static final int RECORD_ALIGNMENT = 8;

  private static final NativeWalker INSTANCE = new NativeWalker();

  /** The temp file the library was loaded from (deleted once loaded), for tests. */
  static volatile Path extracted;

  private NativeWalker() {}

  /**
   * Loads the library from the jar, once per JVM (Walkers caches the outcome).
   *
   * @throws IllegalStateException with a human-readable reason when the native walker cannot be
   *     used here: another platform, no library in this build, native access not enabled, a library
   *     that fails to load or reports another ABI version or record layout
   */
  static NativeWalker load() {
    String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
    String resource = "/native/" + platform + "/" + LIBRARY_NAME;
    if (NativeWalker.class.getResource(resource) == null) {
      throw new IllegalStateException(
          "this build has no " + LIBRARY_NAME + " for " + platform + " (it was built without Zig 0.11.0)");
    }
    Module module = NativeWalker.class.getModule();
    if (!module.isNativeAccessEnabled()) {
      // Java 25 would only warn, but a future default of deny would throw mid-walk; refuse early.
      String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
      throw new IllegalStateException("native access is not enabled: start java with --enable-native-access="
          + name + " (java -jar enables it through the jar manifest)");
    }
    Path file = extract(resource);
    try {
      System.load(file.toString());
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("cannot load " + file + " (is " + file.getParent()
          + " mounted noexec? set java.io.tmpdir elsewhere): " + e.getMessage(), e);
    } finally {
      extracted = file;
      try {
        Files.deleteIfExists(file); // Loaded (or not): the name is no longer needed.
      } catch (IOException e) {
        // Left for deleteOnExit; the library is usable all the same.
      }
    }
    try {
      checkAbi();
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      // A missing symbol fails the generated holder class's initialisation (NoSuchElementException
      // inside an ExceptionInInitializerError); an old or foreign libtrackscan.so gets here.
      throw new IllegalStateException(LIBRARY_NAME + " does not provide the trackscan ABI: " + e, e);
    }
    return INSTANCE;
  }

  /**
   * The jar's directory name for a platform, from the {@code os.name} and {@code os.arch} system
   * properties. OpenJDK says amd64 and aarch64 on Linux; other JDKs and ports have said x86_64 and
   * arm64 for the same machines. A 32-bit ARM JVM (arm) gets no library, even on a 64-bit kernel.
   *
   * @throws IllegalStateException naming the platform when no library is built for it
   */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    String platform = !os.startsWith("linux") ? null : switch (arch) {
      case "amd64", "x86_64" -> LINUX_X86_64;
      case "aarch64", "arm64" -> LINUX_AARCH64;
      default -> null;
    };
    if (platform != null) {
      return platform;
    }
    throw new IllegalStateException("no native walker for " + osName + " on " + osArch
        + "; it is built for " + String.join(" and ", PLATFORMS) + " only");
  }

  private static Path extract(String resource) {
    Path file = null;
    try (InputStream in = NativeWalker.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("cannot read " + resource + " from the jar");
      }
      // createTempFile makes the file readable and writable by this user only.
      file = Files.createTempFile("trackscan-", ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract " + LIBRARY_NAME + " to "
          + (file != null ? file : System.getProperty("java.io.tmpdir")) + ": " + e, e);
    }
  }

  private static void checkAbi() {
    int version = TrackscanAbi.ts_abi_version();
    if (version != ABI_VERSION) {
      throw new IllegalStateException(LIBRARY_NAME + " implements ABI version " + Integer.toUnsignedString(version)
          + " but this trackscan speaks version " + ABI_VERSION + "; rebuild them together");
    }
    int[] layout = libraryRecordLayout();
    if (!Arrays.equals(layout, RECORD_LAYOUT)) {
      throw new IllegalStateException(LIBRARY_NAME + " lays out ts_record as " + Arrays.toString(layout)
          + " (size, then offsets) but Java decodes " + Arrays.toString(RECORD_LAYOUT));
    }
  }

  /** The library's sizeof(ts_record) and field offsets, from ts_record_layout(). */
  static int[] libraryRecordLayout() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT, RECORD_LAYOUT.length);
      int status = TrackscanAbi.ts_record_layout(out, RECORD_LAYOUT.length);
      if (status != TrackscanAbi.TS_OK()) {
        throw new IllegalStateException("ts_record_layout failed: " + describe(status));
      }
      return out.toArray(JAVA_INT);
    }
  }

  @Override
  public Backend backend() {
    return Backend.NATIVE;
  }

  @Override
  public void walk(Path root, WalkOptions options, WalkVisitor visitor) throws WalkException {
    Objects.requireNonNull(visitor, "visitor");
    try (Walk walk = Walk.open(root, options)) {
      while (walk.next(visitor) >= 0) {
        // Each call hands one batch to the visitor.
      }
    }
  }

  /** A status code with its name, for messages about programmer errors. */
  static String describe(int status) {
    try {
      return status + " (" + WalkStatus.ofCode(status) + ")";
    } catch (IllegalArgumentException e) {
      return status + " (unknown)";
    }
  }

  /**
   * One native walk: owns the handle and the confined arena holding the options, extension list,
   * root bytes and read buffer, which must outlive the handle. Closing closes the handle first,
   * then frees the memory. Confined: use it on the thread that opened it.
   */
  static final class Walk implements AutoCloseable {
    private final Path root;
    private final Arena arena;
    private final long handle;
    private final MemorySegment buffer;
    private final MemorySegment bytesOut;
    private final MemorySegment recordsOut;
    /** The heap copy of each batch, reused: a fresh 256 KiB array a batch costs its zeroing. */
    private final byte[] batch = new byte[BUFFER_BYTES];
    private boolean closed;

    private Walk(Path root, Arena arena, long handle) {
      this.root = root;
      this.arena = arena;
      this.handle = handle;
      this.buffer = arena.allocate(BUFFER_BYTES, RECORD_ALIGNMENT);
      this.bytesOut = arena.allocate(JAVA_INT);
      this.recordsOut = arena.allocate(JAVA_INT);
    }

    /**
     * Starts a walk of {@code root} (made absolute).
     *
     * @throws WalkException with the status ts_walk_open returned, for the absolute root
     */
    static Walk open(Path root, WalkOptions options) throws WalkException {
      Path absolute = root.toAbsolutePath();
      byte[] rootBytes = PathNames.bytes(PathNames.text(absolute)); // Its exact bytes, a name that is not UTF-8 too
      byte[] extensions = extensionList(options);
      Arena arena = Arena.ofConfined();
      try {
        MemorySegment rootSegment = arena.allocateFrom(JAVA_BYTE, rootBytes);
        MemorySegment optionsSegment = ts_walk_options.allocate(arena);
        ts_walk_options.threads(optionsSegment, options.effectiveThreads());
        ts_walk_options.depth_max(optionsSegment, options.depthMax());
        ts_walk_options.flags(optionsSegment, flags(options));
        ts_walk_options.extensions_bytes(optionsSegment, extensions.length);
        ts_walk_options.extensions(optionsSegment,
            extensions.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, extensions));
        MemorySegment handleOut = arena.allocate(JAVA_LONG);
        int status = TrackscanAbi.ts_walk_open(rootSegment, rootBytes.length, optionsSegment, handleOut);
        if (status != TrackscanAbi.TS_OK()) {
          throw new WalkException(absolute, statusOf(status, "ts_walk_open"));
        }
        return new Walk(absolute, arena, handleOut.get(JAVA_LONG, 0));
      } catch (Throwable e) {
        arena.close();
        throw e;
      }
    }

    /** The native handle, for boundary tests. */
    long handle() {
      return handle;
    }

    /**
     * Fetches one batch and hands its records to {@code visitor}.
     *
     * @return the number of records in the batch, or -1 when the walk is done
     * @throws IllegalStateException when the library reports anything but OK or DONE, or a
     *     malformed batch: both are bugs, not conditions of the file system
     */
    int next(WalkVisitor visitor) {
      if (closed) {
        throw new IllegalStateException("walk of " + root + " is closed");
      }
      int status = TrackscanAbi.ts_walk_next(handle, buffer, BUFFER_BYTES, bytesOut, recordsOut);
      if (status == TrackscanAbi.TS_DONE()) {
        return -1;
      }
      if (status != TrackscanAbi.TS_OK()) {
        throw new IllegalStateException("ts_walk_next failed for " + root + ": " + describe(status));
      }
      int bytes = bytesOut.get(JAVA_INT, 0);
      int records = recordsOut.get(JAVA_INT, 0);
      decode(buffer, batch, bytes, records, visitor);
      return records;
    }

    /** Closes the native walk (joining its threads), then frees the memory it could read. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      int status;
      try {
        status = TrackscanAbi.ts_walk_close(handle);
      } finally {
        arena.close();
      }
      if (status != TrackscanAbi.TS_OK()) {
        throw new IllegalStateException("ts_walk_close failed for " + root + ": " + describe(status));
      }
    }
  }

  /**
   * Decodes {@code records} packed records from {@code buffer[0, bytes)} and visits each.
   *
   * <p>The batch is copied to the heap in one call and decoded with plain arithmetic: a no-op
   * rescan is a short-lived JVM where this loop runs interpreted for its first thousands of
   * records, and a segment access per field (a VarHandle chain each) costs far more there.
   */
  static void decode(MemorySegment buffer, int bytes, int records, WalkVisitor visitor) {
    decode(buffer, new byte[Math.max(bytes, 0)], bytes, records, visitor);
  }

  /** Like {@link #decode(MemorySegment, int, int, WalkVisitor)}, copying through {@code batch}. */
  static void decode(MemorySegment buffer, byte[] batch, int bytes, int records, WalkVisitor visitor) {
    if (bytes < 0 || bytes > buffer.byteSize() || bytes > batch.length || records < 0) {
      throw new IllegalStateException("ts_walk_next reported " + bytes + " bytes and " + records + " records");
    }
    MemorySegment.copy(buffer, JAVA_BYTE, 0, batch, 0, bytes);
    int kindFile = TrackscanAbi.TS_KIND_FILE();
    int kindSymlinkFile = TrackscanAbi.TS_KIND_SYMLINK_FILE();
    int kindError = TrackscanAbi.TS_KIND_ERROR();
    int kindFolder = TrackscanAbi.TS_KIND_FOLDER();
    int offset = 0;
    for (int i = 0; i < records; i++) {
      if (offset + RECORD_HEADER_BYTES > bytes) {
        throw malformed(offset, bytes, "a record header past the end");
      }
      int recordBytes = (int) littleEndian(batch, offset + RECORD_BYTES_OFFSET, 4);
      int pathBytes = (int) littleEndian(batch, offset + PATH_BYTES_OFFSET, 2);
      if (recordBytes < RECORD_HEADER_BYTES + pathBytes || recordBytes % RECORD_ALIGNMENT != 0
          || offset + recordBytes > bytes) {
        throw malformed(offset, bytes, "record_bytes " + recordBytes + " with path_bytes " + pathBytes);
      }
      int kind = batch[offset + KIND_OFFSET];
      String path = PathNames.decode(batch, offset + RECORD_HEADER_BYTES, pathBytes); // Escaped if not UTF-8
      if (kind == kindFile || kind == kindSymlinkFile) {
        visitor.entry(new WalkEntry(
            path,
            littleEndian(batch, offset + MTIME_NS_OFFSET, 8),
            littleEndian(batch, offset + SIZE_BYTES_OFFSET, 8),
            littleEndian(batch, offset + DEVICE_OFFSET, 8),
            littleEndian(batch, offset + INODE_OFFSET, 8),
            kind == kindFile ? EntryKind.FILE : EntryKind.SYMLINK_FILE));
      } else if (kind == kindError) {
        int status = Byte.toUnsignedInt(batch[offset + STATUS_OFFSET]);
        visitor.error(new WalkError(path, statusOf(status, "an error record")));
      } else if (kind == kindFolder) {
        visitor.folder(new WalkFolder(
            path,
            littleEndian(batch, offset + MTIME_NS_OFFSET, 8),
            littleEndian(batch, offset + SIZE_BYTES_OFFSET, 8),
            littleEndian(batch, offset + DEVICE_OFFSET, 8),
            littleEndian(batch, offset + INODE_OFFSET, 8)));
      } else {
        throw malformed(offset, bytes, "unknown kind " + kind);
      }
      offset += recordBytes;
    }
    if (offset != bytes) {
      throw malformed(offset, bytes, records + " records ending before the reported end");
    }
  }

  /**
   * The unsigned little-endian integer of {@code width} bytes at {@code at}: records are in the
   * library's byte order, little-endian on both platforms (Linux runs aarch64 little-endian).
   */
  private static long littleEndian(byte[] bytes, int at, int width) {
    long value = 0;
    for (int i = width - 1; i >= 0; i--) {
      value = (value << 8) | (bytes[at + i] & 0xFF);
    }
    return value;
  }

  private static IllegalStateException malformed(long offset, int bytes, String what) {
    return new IllegalStateException("malformed batch from ts_walk_next: " + what + " at offset " + offset
        + " of " + bytes + " bytes");
  }

  private static WalkStatus statusOf(int code, String source) {
    try {
      return WalkStatus.ofCode(code);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + " carries unknown status code " + code, e);
    }
  }

  private static int flags(WalkOptions options) {
    int flags = 0;
    if (options.includeHidden()) {
      flags |= TrackscanAbi.TS_WALK_INCLUDE_HIDDEN();
    }
    if (options.followSymlinks()) {
      flags |= TrackscanAbi.TS_WALK_FOLLOW_SYMLINKS();
    }
    if (options.reportFolders()) {
      flags |= TrackscanAbi.TS_WALK_REPORT_FOLDERS();
    }
    return flags;
  }

  /**
   * The extensions as the ABI takes them: "flac\0mp3\0" (sorted, so equal options give equal bytes);
   * empty for every regular file.
   *
   * @throws IllegalArgumentException when the list exceeds TS_EXTENSIONS_BYTES_MAX
   */
  static byte[] extensionList(WalkOptions options) {
    StringBuilder list = new StringBuilder();
    for (String extension : new TreeSet<>(options.extensions())) {
      list.append(extension).append('\0');
    }
    // WalkOptions admits only ASCII letters and digits, so chars are bytes.
    byte[] bytes = list.toString().getBytes(StandardCharsets.US_ASCII);
    if (bytes.length > TrackscanAbi.TS_EXTENSIONS_BYTES_MAX()) {
      throw new IllegalArgumentException("the extension list takes " + bytes.length
          + " bytes; the native walker accepts at most " + TrackscanAbi.TS_EXTENSIONS_BYTES_MAX());
    }
    return bytes;
  }

  /** Raw ts_walk_next on {@code handle} with a fresh buffer of {@code bufferBytes}: boundary tests. */
  static int nextRaw(long handle, int bufferBytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(Math.max(bufferBytes, 1), RECORD_ALIGNMENT);
      MemorySegment counts = arena.allocate(JAVA_INT, 2);
      return TrackscanAbi.ts_walk_next(handle, buffer, bufferBytes, counts, counts.asSlice(Integer.BYTES));
    }
  }

  /** Raw ts_walk_close: boundary tests. */
  static int closeRaw(long handle) {
    return TrackscanAbi.ts_walk_close(handle);
  }
}
