package io.github.trackscan.bench;

import io.github.trackscan.scan.ChangeKind;
import io.github.trackscan.scan.ScanReport;
import io.github.trackscan.scan.Scanner;
import io.github.trackscan.store.Library;
import io.github.trackscan.synth.HandMadeAudio;
import io.github.trackscan.synth.TrackTags;
import io.github.trackscan.tags.FileRead;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TagReaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mixed-format import benchmark (#13): a library of every format trackscan reads, in equal
 * shares (20,000 files by default: a few distinct 10 s files of each format, copied into album
 * folders), imported in-process into a fresh database; the bar is 10,000 files a second on these
 * 2-core machines. Then each format's files are read on their own (every core, no database) for
 * files a second per format.
 *
 * <p>Debian's ffmpeg and mpcenc make 19 of the 22 formats. Monkey's Audio, DSF and DSDIFF, which no
 * Debian package encodes, come from {@link HandMadeAudio}: real headers and tags, filler audio of
 * a real file's size (DSD64 stereo is 7 MB for 10 s), so the scan walks what it would walk in a
 * real library.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * io.github.trackscan.bench.MixedFormats WORK [FILES] [REPEATS]}
 */
public final class MixedFormats {
  private MixedFormats() {}

  private static final int DISTINCT = 4;
  private static final int SECONDS = 10;
  private static final List<String> HAND_MADE = List.of("ape", "dsf", "dff");

  /** Each format: its file name, and ffmpeg's options after the input (none for mpcenc and HAND_MADE). */
  private static final Map<String, List<String>> FORMATS = new LinkedHashMap<>();

  static {
    FORMATS.put("mp3", List.of("-c:a", "libmp3lame", "-b:a", "192k"));
    FORMATS.put("mp2", List.of("-c:a", "mp2", "-b:a", "192k"));
    FORMATS.put("flac", List.of("-c:a", "flac"));
    FORMATS.put("ogg", List.of("-c:a", "libvorbis", "-q:a", "4"));
    FORMATS.put("opus", List.of("-c:a", "libopus", "-b:a", "96k"));
    FORMATS.put("spx", List.of("-ar", "16000", "-ac", "1", "-c:a", "libspeex"));
    FORMATS.put("oga", List.of("-c:a", "flac", "-f", "ogg"));
    FORMATS.put("m4a", List.of("-c:a", "aac", "-b:a", "160k"));
    FORMATS.put("alac.m4a", List.of("-c:a", "alac"));
    FORMATS.put("ac3.m4a", List.of("-c:a", "ac3", "-b:a", "192k"));
    FORMATS.put("aac", List.of("-c:a", "aac", "-b:a", "128k", "-f", "adts"));
    FORMATS.put("wav", List.of("-c:a", "pcm_s16le"));
    FORMATS.put("aiff", List.of("-c:a", "pcm_s16be"));
    FORMATS.put("wv", List.of("-c:a", "wavpack"));
    FORMATS.put("tta", List.of("-c:a", "tta"));
    FORMATS.put("wma", List.of("-c:a", "wmav2", "-b:a", "128k"));
    FORMATS.put("mka", List.of("-c:a", "libvorbis", "-q:a", "4"));
    FORMATS.put("webm", List.of("-c:a", "libopus", "-b:a", "96k"));
    FORMATS.put("mpc", List.of()); // mpcenc, from a WAV
    FORMATS.put("ape", List.of()); // HandMadeAudio, as the next two
    FORMATS.put("dsf", List.of());
    FORMATS.put("dff", List.of());
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path sources = work.resolve("sources");
    Path library = work.resolve("library-" + files);
    Map<String, List<Path>> byFormat = makeSources(sources);
    Map<String, List<Path>> copies = makeLibrary(byFormat, library, files);
    int total = copies.values().stream().mapToInt(List::size).sum();
    System.out.printf("%,d files, %d formats, %,d MB%n", total, copies.size(), sizeOf(library) >> 20);

    Path db = work.resolve("mixed.db");
    long[] nanos = new long[repeats];
    ScanReport last = null;
    for (int r = 0; r < repeats; r++) {
      Library.deleteFiles(db);
      last = Scanner.builder().roots(library).database(db).build().scan();
      nanos[r] = last.times().totalNs();
      System.out.printf("import %d: %,d added, %d failed, %d ms, %,.0f files/s%n", r + 1, last.count(ChangeKind.ADDED),
          last.failed(), nanos[r] / 1_000_000, total / (nanos[r] / 1e9));
    }
    long median = median(nanos);
    System.out.printf("%nimport, median of %d: %d ms, %,.0f files/s (bar 10,000), %d failed%n%n", repeats,
        median / 1_000_000, total / (median / 1e9), last.failed());

    TagReader reader = TagReaders.standard();
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.println("| format | files | read (all cores) | files/s |");
    System.out.println("|---|---|---|---|");
    for (Map.Entry<String, List<Path>> e : copies.entrySet()) {
      read(reader, e.getValue(), threads); // Warm.
      long start = System.nanoTime();
      int failed = read(reader, e.getValue(), threads);
      long ns = System.nanoTime() - start;
      System.out.printf("| %s | %,d | %d ms | %,.0f%s |%n", e.getKey(), e.getValue().size(), ns / 1_000_000,
          e.getValue().size() / (ns / 1e9), failed == 0 ? "" : " (" + failed + " failed)");
    }
  }

  /** Reads every file on {@code threads} threads; returns the failures. */
  private static int read(TagReader reader, List<Path> files, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            Path file = files.get(i);
            try {
              FileRead read = reader.readWithKey(file, Files.size(file));
              if (read.failure() != null) {
                failed.incrementAndGet();
              }
            } catch (IOException e) {
              failed.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    return failed.get();
  }

  /** {@link #DISTINCT} files of each format, each with its own tags and tone. */
  private static Map<String, List<Path>> makeSources(Path dir) throws Exception {
    Files.createDirectories(dir);
    Map<String, List<Path>> byFormat = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : FORMATS.entrySet()) {
      List<Path> made = new ArrayList<>();
      for (int i = 0; i < DISTINCT; i++) {
        String name = e.getKey();
        Path file = dir.resolve("src" + i + "." + name);
        if (!Files.exists(file)) {
          List<String> tags = List.of("-metadata", "title=Track " + i + " " + name, "-metadata", "artist=Artist " + i,
              "-metadata", "album=Album " + name, "-metadata", "album_artist=Artist " + i, "-metadata", "track=" + (i + 1)
                  + "/" + DISTINCT, "-metadata", "date=20" + (10 + i), "-metadata", "genre=Genre " + i);
          String tone = "sine=frequency=" + (220 + 55 * i) + ":duration=" + SECONDS;
          if (HAND_MADE.contains(name)) {
            TrackTags t = new TrackTags("Track " + i + " " + name, "Artist " + i, "Album " + name, "Artist " + i, i + 1,
                DISTINCT, 1, 1, 2010 + i, "Genre " + i);
            int ms = SECONDS * 1000;
            Files.write(file, switch (name) {
              case "ape" -> HandMadeAudio.monkeysAudio(t, ms);
              case "dsf" -> HandMadeAudio.dsf(t, ms);
              default -> HandMadeAudio.dff(t, ms);
            });
          } else if (name.equals("mpc")) {
            Path wav = dir.resolve("src" + i + ".mpc.wav");
            exec(dir, "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", tone, "-ac", "2", wav.toString());
            exec(dir, "mpcenc", "--silent", "--overwrite", "--artist", "Artist " + i, "--title", "Track " + i + " mpc",
                "--album", "Album mpc", "--track", String.valueOf(i + 1), wav.toString(), file.toString());
            Files.delete(wav);
          } else {
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
                "-i", tone, "-ac", "2"));
            command.addAll(e.getValue());
            command.addAll(tags);
            command.add(file.toString());
            exec(dir, command.toArray(String[]::new));
          }
        }
        made.add(file);
      }
      byFormat.put(e.getKey(), made);
    }
    return byFormat;
  }

  /** {@code files} copies in equal shares, 10 a folder, named by their format's extension. */
  private static Map<String, List<Path>> makeLibrary(Map<String, List<Path>> sources, Path library, int files)
      throws IOException {
    Map<String, List<Path>> copies = new LinkedHashMap<>();
    int each = files / sources.size();
    for (Map.Entry<String, List<Path>> e : sources.entrySet()) {
      String extension = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
      List<Path> list = new ArrayList<>(each);
      for (int i = 0; i < each; i++) {
        Path to = library.resolve(e.getKey().replace('.', '-')).resolve("album " + (i / 10))
            .resolve(String.format(Locale.ROOT, "%02d - track.%s", i % 10, extension));
        if (!Files.exists(to)) {
          Files.createDirectories(to.getParent());
          Files.copy(e.getValue().get(i % e.getValue().size()), to);
        }
        list.add(to);
      }
      copies.put(e.getKey(), list);
    }
    return copies;
  }

  private static long sizeOf(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void exec(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": " + new String(out));
    }
  }
}
