package io.github.trackscan.walk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.trackscan.walk.ffi.TrackscanAbi;
import io.github.trackscan.walk.ffi.ts_record;
import io.github.trackscan.walk.ffi.ts_walk_options;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The three views of the ABI must agree: the header (through the generated bindings), the
 * library (ts_abi_version, ts_record_layout; Zig asserts the same numbers at comptime) and the
 * constants NativeWalker decodes with.
 */
final class NativeLayoutTest {
  /** ts_record per the generated bindings, in ts_record_layout() order. */
  private static int[] generatedRecordLayout() {
    return new int[] {
      (int) ts_record.sizeof(),
      (int) ts_record.record_bytes$offset(),
      (int) ts_record.path_bytes$offset(),
      (int) ts_record.kind$offset(),
      (int) ts_record.status$offset(),
      (int) ts_record.mtime_ns$offset(),
      (int) ts_record.size_bytes$offset(),
      (int) ts_record.device$offset(),
      (int) ts_record.inode$offset(),
    };
  }

  @Test
  void recordLayout_generatedMatchesDecoder() {
    assertArrayEquals(generatedRecordLayout(), NativeWalker.RECORD_LAYOUT);
    assertEquals(40, NativeWalker.RECORD_HEADER_BYTES);
  }

  @Test
  void recordLayout_libraryMatchesGeneratedAndDecoder() {
    NativeTestSupport.nativeWalker();
    int[] library = NativeWalker.libraryRecordLayout();
    assertArrayEquals(generatedRecordLayout(), library);
    assertArrayEquals(NativeWalker.RECORD_LAYOUT, library);
  }

  @Test
  void abiVersion_libraryAndHeaderAreOne() {
    assertEquals(3, TrackscanAbi.TS_ABI_VERSION());
    assertEquals(TrackscanAbi.TS_ABI_VERSION(), NativeWalker.ABI_VERSION);
    NativeTestSupport.nativeWalker();
    assertEquals(3, TrackscanAbi.ts_abi_version());
  }

  @Test
  void limits_headerMatchesJava() {
    assertEquals(WalkOptions.PATH_BYTES_MAX, TrackscanAbi.TS_PATH_BYTES_MAX());
    assertEquals(WalkOptions.THREADS_MAX, TrackscanAbi.TS_THREADS_MAX());
    int recordMax = NativeWalker.RECORD_HEADER_BYTES + TrackscanAbi.TS_PATH_BYTES_MAX();
    assertEquals((recordMax + 7) / 8 * 8, TrackscanAbi.TS_RECORD_BYTES_MAX());
    // The buffer must hold at least one record of the longest path.
    assertEquals(0, NativeWalker.BUFFER_BYTES % 8);
    assertEquals(true, NativeWalker.BUFFER_BYTES >= TrackscanAbi.TS_RECORD_BYTES_MAX());
  }

  @Test
  void optionsLayout_generatedIsPacked() {
    assertEquals(24, ts_walk_options.sizeof());
    assertEquals(0, ts_walk_options.threads$offset());
    assertEquals(4, ts_walk_options.depth_max$offset());
    assertEquals(8, ts_walk_options.flags$offset());
    assertEquals(12, ts_walk_options.extensions_bytes$offset());
    assertEquals(16, ts_walk_options.extensions$offset());
  }

  @Test
  void statusCodes_headerMatchesWalkStatus() {
    Map<WalkStatus, Integer> header = Map.ofEntries(
        Map.entry(WalkStatus.OK, TrackscanAbi.TS_OK()),
        Map.entry(WalkStatus.DONE, TrackscanAbi.TS_DONE()),
        Map.entry(WalkStatus.INVALID_ARGUMENT, TrackscanAbi.TS_INVALID_ARGUMENT()),
        Map.entry(WalkStatus.INVALID_HANDLE, TrackscanAbi.TS_INVALID_HANDLE()),
        Map.entry(WalkStatus.BUFFER_TOO_SMALL, TrackscanAbi.TS_BUFFER_TOO_SMALL()),
        Map.entry(WalkStatus.OUT_OF_MEMORY, TrackscanAbi.TS_OUT_OF_MEMORY()),
        Map.entry(WalkStatus.TOO_MANY_WALKS, TrackscanAbi.TS_TOO_MANY_WALKS()),
        Map.entry(WalkStatus.NOT_FOUND, TrackscanAbi.TS_NOT_FOUND()),
        Map.entry(WalkStatus.NOT_DIRECTORY, TrackscanAbi.TS_NOT_DIRECTORY()),
        Map.entry(WalkStatus.ACCESS_DENIED, TrackscanAbi.TS_ACCESS_DENIED()),
        Map.entry(WalkStatus.NAME_TOO_LONG, TrackscanAbi.TS_NAME_TOO_LONG()),
        Map.entry(WalkStatus.INVALID_NAME, TrackscanAbi.TS_INVALID_NAME()),
        Map.entry(WalkStatus.SYMLINK_LOOP, TrackscanAbi.TS_SYMLINK_LOOP()),
        Map.entry(WalkStatus.IO_ERROR, TrackscanAbi.TS_IO_ERROR()),
        Map.entry(WalkStatus.THREAD_FAILED, TrackscanAbi.TS_THREAD_FAILED()),
        Map.entry(WalkStatus.WATCH_LIMIT, TrackscanAbi.TS_WATCH_LIMIT()),
        Map.entry(WalkStatus.WATCH_INSTANCE_LIMIT, TrackscanAbi.TS_WATCH_INSTANCE_LIMIT()));
    assertEquals(WalkStatus.values().length, header.size());
    header.forEach((status, code) -> assertEquals((int) code, status.code(), status.name()));
  }
}
