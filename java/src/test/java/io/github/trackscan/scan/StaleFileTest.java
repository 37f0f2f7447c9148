package io.github.trackscan.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trackscan.scan.ScannerTest.Recorder;
import io.github.trackscan.tags.AudioFixtures;
import io.github.trackscan.tags.TagReadException;
import io.github.trackscan.tags.TagReader;
import io.github.trackscan.tags.TagReaders;
import io.github.trackscan.tags.TrackTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file replaced between the walk and its read (on a share, the read fails with a stale handle):
 * it is read once more as it is now; a second failure is reported, not recorded.
 */
final class StaleFileTest {
  @TempDir Path dir;

  /** Replaces the file and fails on the first {@code failures} reads, as a stale handle would. */
  private static final class Replacing implements TagReader {
    final AtomicInteger reads = new AtomicInteger();
    final int failures;

    Replacing(int failures) {
      this.failures = failures;
    }

    @Override
    public TrackTags read(Path file, long sizeBytes) throws TagReadException {
      if (reads.incrementAndGet() <= failures) {
        AudioFixtures.write(file, AudioFixtures.mp3(AudioFixtures.Meta.of("New", "Replaced", reads.get()), 30));
        throw new TagReadException(file, "Stale file handle", null);
      }
      return TagReaders.standard().read(file, sizeBytes);
    }
  }

  private ScanReport scan(Path music, TagReader reader, Recorder recorder) {
    return Scanner.builder().roots(music).database(dir.resolve("library.db")).tagReader(reader).build()
        .scan(recorder, new CancellationToken());
  }

  @Test
  void replacedOnce_isReadAgain_andCataloguedAsItIsNow() throws Exception {
    Path music = dir.resolve("music");
    Path file = AudioFixtures.write(music.resolve("a.mp3"),
        AudioFixtures.mp3(AudioFixtures.Meta.of("Old", "Old", 1), 20));
    Replacing reader = new Replacing(1);
    Recorder recorder = new Recorder();
    ScanReport report = scan(music, reader, recorder);
    assertEquals(2, reader.reads.get(), "read once more");
    assertEquals(1, report.count(ChangeKind.ADDED));
    assertEquals(0, report.failed(), recorder.failures.toString());
    assertEquals(String.valueOf(Files.size(file)), TestLibrary.column(dir.resolve("library.db"), "file_size")
        .get(file.toString()), "the row holds the file as it is now");
    assertEquals("Replaced", TestLibrary.column(dir.resolve("library.db"), "album").get(file.toString()));
  }

  @Test
  void replacedTwice_isReported_notRecorded_andReadByTheNextScan() throws Exception {
    Path music = dir.resolve("music");
    Path file = AudioFixtures.write(music.resolve("a.mp3"),
        AudioFixtures.mp3(AudioFixtures.Meta.of("Old", "Old", 1), 20));
    Recorder recorder = new Recorder();
    ScanReport report = scan(music, new Replacing(2), recorder);
    assertEquals(1, report.failed());
    assertTrue(recorder.failures.get(0).message().contains("the next scan tries again"), recorder.failures.toString());

    Recorder next = new Recorder();
    scan(music, TagReaders.standard(), next);
    assertEquals("Replaced", TestLibrary.column(dir.resolve("library.db"), "album").get(file.toString()));
  }
}
