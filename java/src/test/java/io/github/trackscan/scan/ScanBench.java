package io.github.trackscan.scan;

import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.walk.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A by-hand benchmark of whole scans, in-process (not a test; no timing is asserted anywhere).
 * Generates a library shaped like FACTS.md's reference (54% MP3, 30% FLAC, 10% M4A, 5% Ogg when
 * templates are given, 10% with a 50-300 KB tag, 0.2% junk), then times an initial import, warm
 * no-op rescans and delta rescans (200 added in new album folders, half with old mtimes; 200
 * rewritten; 10 deleted).
 *
 * <pre>
 * mvn -q -pl java test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp java/target/classes:java/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.github.trackscan.scan.ScanBench DIR TRACKS [template.m4a template.ogg]
 * </pre>
 */
public final class ScanBench {
  private ScanBench() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]).toAbsolutePath();
    int tracks = Integer.parseInt(args[1]);
    byte[] m4a = args.length > 2 ? Files.readAllBytes(Path.of(args[2])) : null;
    byte[] ogg = args.length > 3 ? Files.readAllBytes(Path.of(args[3])) : null;
    Path music = dir.resolve("music");
    Path db = dir.resolve("library.db");
    if (!Files.exists(music)) {
      long t = System.nanoTime();
      generate(music, tracks, m4a, ogg, new Random(42));
      System.out.printf("generated %d tracks in %.1f s%n", tracks, (System.nanoTime() - t) / 1e9);
    }
    Backend backend = Backend.valueOf(System.getProperty("backend", "AUTO"));
    Scanner scanner = Scanner.builder().roots(music).database(db).backend(backend).build();
    if (!Files.exists(db)) {
      print("import", scanner.scan());
    }
    if (Boolean.getBoolean("importOnly")) {
      return;
    }
    for (int i = 0; i < 8; i++) {
      print("no-op", scanner.scan());
    }
    Random random = new Random(System.nanoTime());
    for (int i = 0; i < 3; i++) {
      mutate(music, random);
      print("delta", scanner.scan());
      for (int k = 0; k < 3; k++) {
        print("no-op", scanner.scan());
      }
    }
  }

  static void print(String what, ScanReport r) {
    PhaseTimes t = r.times();
    System.out.printf("%-6s total %7.1f ms | walk %6.1f  store %6.1f  diff %6.1f  parse %7.1f  write %6.1f | walked %d"
            + " added %d modified %d moved %d deleted %d unchanged %d failed %d | %s heap %d MB%n",
        what, t.totalNs() / 1e6, t.walkNs() / 1e6, t.storeReadNs() / 1e6, t.diffNs() / 1e6, t.parseNs() / 1e6,
        t.writeNs() / 1e6, r.filesWalked(), r.count(ChangeKind.ADDED), r.count(ChangeKind.MODIFIED),
        r.count(ChangeKind.MOVED), r.count(ChangeKind.DELETED), r.count(ChangeKind.UNCHANGED), r.failed(), r.backend(),
        r.heapPeakBytes() >> 20);
  }

  static void generate(Path music, int tracks, byte[] m4a, byte[] ogg, Random random) {
    int made = 0;
    for (int album = 0; made < tracks; album++) {
      String artist = "Artist " + (album / 4);
      String name = "Album " + album;
      int count = Math.min(10 + random.nextInt(5), tracks - made);
      int kind = random.nextInt(100);
      for (int t = 1; t <= count; t++, made++) {
        write(music.resolve(artist).resolve(name + " (2003)"), artist, name, t, kind, m4a, ogg, random);
      }
      if (album % 50 == 0) {
        AudioFixtures.write(music.resolve(artist).resolve(name + " (2003)").resolve("99 - junk.mp3"), AudioFixtures.junkText());
      }
      AudioFixtures.write(music.resolve(artist).resolve(name + " (2003)").resolve("cover.jpg"), new byte[2048]);
    }
  }

  static void write(Path folder, String artist, String album, int track, int kind, byte[] m4a, byte[] ogg, Random random) {
    AudioFixtures.Meta meta = AudioFixtures.Meta.of(artist, album, track);
    String base = String.format("%02d - Track %d", track, track);
    if (kind < 54 || (m4a == null && kind >= 84)) {
      int padding = random.nextInt(10) == 0 ? 50_000 + random.nextInt(250_000) : 64;
      AudioFixtures.write(folder.resolve(base + ".mp3"), AudioFixtures.mp3(meta, 100, padding));
    } else if (kind < 84) {
      AudioFixtures.write(folder.resolve(base + ".flac"), AudioFixtures.flac(meta, 200));
    } else if (kind < 95 || ogg == null) {
      AudioFixtures.write(folder.resolve(base + ".m4a"), m4a);
    } else {
      AudioFixtures.write(folder.resolve(base + ".ogg"), ogg);
    }
  }

  static void mutate(Path music, Random random) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(music)) {
      files = new ArrayList<>(walk.filter(p -> p.toString().endsWith(".mp3") || p.toString().endsWith(".flac")).toList());
    }
    long stamp = System.nanoTime();
    for (int a = 0; a < 16; a++) {
      Path folder = music.resolve("New " + stamp).resolve("Album " + a);
      for (int t = 1; t <= 13 && a * 13 + t <= 200; t++) {
        write(folder, "New", "Album " + a, t, random.nextInt(84), null, null, random);
        if (t % 2 == 0) {
          Path file = folder.resolve(String.format("%02d - Track %d.mp3", t, t));
          Path flac = folder.resolve(String.format("%02d - Track %d.flac", t, t));
          Path f = Files.exists(file) ? file : flac;
          Files.setLastModifiedTime(f, Files.getLastModifiedTime(files.get(0)));
        }
      }
    }
    java.util.Collections.shuffle(files, random);
    for (Path file : files.subList(0, 200)) {
      AudioFixtures.Meta meta = new AudioFixtures.Meta("Retagged " + stamp, "A", "B", "A", 1, 2, 1, 1, "1999", "Jazz");
      AudioFixtures.write(file, file.toString().endsWith(".flac") ? AudioFixtures.flac(meta, 200) : AudioFixtures.mp3(meta, 100));
    }
    for (Path file : files.subList(200, 210)) {
      Files.delete(file);
    }
    Arrays.fill(new byte[0], (byte) 0);
  }
}
