package io.github.trackscan.bench;

import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walker;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Walks the 41,000-track synthetic library (warm cache) with each backend and reports the time of
 * one whole walk, records decoded into Java objects. Baselines in the same run: the JDK's
 * {@code Files.walkFileTree} reading attributes (the obvious pure-Java way), and {@code bfs -printf
 * '%p %T@ %s'} as a separate process writing to /dev/null (process start included, about 1 ms).
 * And a lower bound: {@code SYSCALL_FLOOR} makes only the native walker's system calls, on folders
 * found before the timer and split evenly between the threads (see {@link SyscallFloor}); no walker
 * that reports mtime and size can be faster, so WALK_FILE_TREE / SYSCALL_FLOOR is the largest ratio
 * the machine allows.
 *
 * <p>Run: {@code ./dev bench WalkBenchmark} (the library is generated on first use under
 * {@code bench/target/library-41000}, or set {@code -Dtrackscan.bench.library=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss4m"})
public class WalkBenchmark {
  /** What walks the tree. */
  public enum Variant {
    NATIVE, NIO, WALK_FILE_TREE, BFS, SYSCALL_FLOOR
  }

  @Param({"NATIVE", "NIO", "WALK_FILE_TREE", "BFS", "SYSCALL_FLOOR"})
  public Variant variant;

  @Param({"1", "2"})
  public int threads;

  private Path library;
  private Walker walker;
  private WalkOptions options;
  private SyscallFloor floor;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    library = BenchLibrary.ensure(BenchLibrary.REFERENCE_TRACKS);
    options = WalkOptions.builder().threads(threads).build();
    walker = switch (variant) {
      case NATIVE -> Walkers.create(Backend.NATIVE);
      case NIO -> Walkers.create(Backend.NIO);
      default -> null;
    };
    if (variant == Variant.SYSCALL_FLOOR) {
      floor = new SyscallFloor(library, options.extensions());
      // A lower bound only if it stats what the walkers report.
      long stated = floor.walk(threads);
      long walked = filesFound(Walkers.create(Backend.NIO));
      if (stated != walked) {
        throw new IllegalStateException("the floor stat-ed " + stated + " files where the walkers report " + walked);
      }
    }
    if ((variant == Variant.WALK_FILE_TREE || variant == Variant.BFS) && threads != 1) {
      // Single-threaded tools: one row each is enough; the threads=2 rows repeat threads=1.
      options = WalkOptions.builder().threads(1).build();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (floor != null) {
      floor.close();
    }
  }

  @Benchmark
  public long walk(Blackhole blackhole) throws IOException, InterruptedException {
    return switch (variant) {
      case NATIVE, NIO -> walkWith(walker, blackhole);
      case WALK_FILE_TREE -> walkFileTree(blackhole);
      case BFS -> bfs();
      case SYSCALL_FLOOR -> floor.walk(threads);
    };
  }

  private long walkWith(Walker walker, Blackhole blackhole) throws IOException {
    long[] count = new long[1];
    walker.walk(library, options, new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        count[0]++;
        blackhole.consume(entry);
      }

      @Override
      public void error(WalkError error) {
        blackhole.consume(error);
      }
    });
    return count[0];
  }

  /** The files {@code walker} reports under the benchmark's options, outside any measurement. */
  private long filesFound(Walker walker) throws IOException {
    long[] count = new long[1];
    walker.walk(library, options, new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        count[0]++;
      }

      @Override
      public void error(WalkError error) {}
    });
    return count[0];
  }

  private long walkFileTree(Blackhole blackhole) throws IOException {
    long[] count = new long[1];
    Files.walkFileTree(library, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
        return dir.getFileName() != null && dir.getFileName().toString().startsWith(".") && !dir.equals(library)
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        String name = file.getFileName().toString();
        if (attributes.isRegularFile() && !name.startsWith(".") && options.matchesExtension(name)) {
          count[0]++;
          blackhole.consume(attributes.lastModifiedTime());
          blackhole.consume(attributes.size());
          blackhole.consume(attributes.fileKey());
          blackhole.consume(file.toString());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return count[0];
  }

  private long bfs() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bfs", library.toString(), "-printf", "%p %T@ %s\\n")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    return process.waitFor();
  }
}
