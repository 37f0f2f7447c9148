package io.github.trackscan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.trackscan.walk.Backend;
import io.github.trackscan.walk.WalkEntry;
import io.github.trackscan.walk.WalkError;
import io.github.trackscan.walk.WalkOptions;
import io.github.trackscan.walk.WalkVisitor;
import io.github.trackscan.walk.Walkers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floor is only a lower bound if it makes the calls the walkers make: one statx per file found. */
class SyscallFloorTest {
  @TempDir
  Path root;

  @Test
  void walk_statsExactlyTheFilesTheWalkersReport() throws Exception {
    file("a.mp3");
    file("b.FLAC");
    file("notes.txt");
    file(".hidden.mp3");
    file("._a.mp3");
    file("Artist/Album/01 - One.m4a");
    file("Artist/Album/02 - Two.ogg");
    file("Artist/Album/cover.jpg");
    file("Artist/.cache/x.mp3");
    file("Artist/Album/Disc 2/03 - Three.opus");
    file("Other/track.mp3.part");
    Files.createDirectories(root.resolve("Empty"));
    Files.createSymbolicLink(root.resolve("link.mp3"), root.resolve("a.mp3"));
    Files.createSymbolicLink(root.resolve("Loop"), root);
    WalkOptions options = WalkOptions.builder().threads(1).build();

    long walked = count(options);

    assertEquals(5, walked);
    try (SyscallFloor floor = new SyscallFloor(root, options.extensions())) {
      assertEquals(walked, floor.walk(1));
      assertEquals(walked, floor.walk(2));
      assertEquals(walked, floor.walk(3));
    }
  }

  private long count(WalkOptions options) throws IOException {
    AtomicLong entries = new AtomicLong();
    Walkers.create(Backend.NIO).walk(root, options, new WalkVisitor() {
      @Override
      public void entry(WalkEntry entry) {
        entries.incrementAndGet();
      }

      @Override
      public void error(WalkError error) {
        throw new AssertionError("unexpected " + error);
      }
    });
    return entries.get();
  }

  private void file(String relative) throws IOException {
    Path path = root.resolve(relative);
    Files.createDirectories(path.getParent());
    Files.writeString(path, relative);
  }
}
