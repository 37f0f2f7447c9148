package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ID3v2 parser on bad input: {@link Id3DifferentialTest}'s tags in a WAV's id3 chunk (a format
 * whose failures {@link HostileFormatsTest} checks in full: a reason naming the format, no more
 * allocation than the bound) through that test's damage; compressed frames declaring 4 GB, a zlib
 * bomb, truncated and non-zlib streams; grouped frames.
 */
final class Id3HostileTest {
  @TempDir Path dir;

  /** Each case's tag in a WAV's id3 chunk (a format whose failures the hostile test checks in full), damaged. */
  @TestFactory
  Stream<DynamicTest> id3_damagedTags_parseOrFailWithAReason() {
    byte[] pcm = MutagenDifferentialTest.wav(8000, 1, 0.02);
    return Id3DifferentialTest.cases().stream().limit(14).map(c -> DynamicTest.dynamicTest(c.name(), () -> HostileFormatsTest.hostile(dir,
        "damaged.wav", chunk(pcm, c.tag()))));
  }

  /** {@code riff} with an "id3 " chunk of {@code tag} appended. */
  static byte[] chunk(byte[] riff, byte[] tag) {
    ByteBuffer b = ByteBuffer.allocate(riff.length + 8 + tag.length + (tag.length & 1))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(riff).put("id3 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(tag.length).put(tag);
    b.putInt(4, b.capacity() - 8);
    return b.array();
  }

  /** Reads {@code bytes} as {@code name}, checking it allocates no more than the hostile test allows, and returns the tags. */
  private TrackTags readBounded(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    TrackTags t = TagReaders.standard().read(file, bytes.length);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated <= (4L << 20) + 8L * bytes.length, name + ": allocated " + allocated + " bytes");
    assertNotNull(MemoryTagReader.INSTANCE.readInMemory(file), name + ": read in memory, not by jaudiotagger");
    return t;
  }

  /** A zlib stream of {@code megabytes} MB of zeros: about a kilobyte a megabyte. */
  private static byte[] zeros(int megabytes) {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] input = new byte[1 << 20];
    byte[] buffer = new byte[65536];
    for (int i = 0; i < megabytes; i++) {
      deflater.setInput(input);
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  /** A compressed frame body: the declared size (ID3v2.3's decompressed size), then the stream. */
  private static byte[] compressedFrame(String id, int declared, byte[] stream) {
    byte[] header = Id3Writer.concat(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        Id3Writer.be32(4 + stream.length), new byte[] {0, (byte) 0x80}, Id3Writer.be32(declared));
    return HandMade.concat(header, stream);
  }

  /** An ID3v2.3 tag of raw frames, padded. */
  private static byte[] tag23(byte[]... frames) {
    byte[] body = Id3Writer.concat(frames);
    return Id3Writer.concat(new byte[] {'I', 'D', '3', 3, 0, 0}, Id3Writer.syncsafe(body.length + 32), body, new byte[32]);
  }

  private static byte[] plainFrame(String id, byte[] body) {
    return Id3Writer.concat(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII), Id3Writer.be32(body.length),
        new byte[2], body);
  }

  @Test
  void compressedFrame_declaringAHugeSize_boundedAndTheOtherFramesKept() throws Exception {
    byte[] bomb = zeros(100); // 100 MB of zeros in about 100 KB
    byte[] tag = tag23(plainFrame("TIT2", Id3Writer.text(0, "Kept title")),
        compressedFrame("TCOM", 0xFFFFFFFF, Id3Writer.deflate(Id3Writer.text(0, "Small, declared 4 GB"))),
        compressedFrame("TPE1", 0x7FFFFFFF, bomb),
        compressedFrame("APIC", 0xFFFFFFFF, bomb),
        plainFrame("TALB", Id3Writer.text(0, "Kept album")));
    long started = System.nanoTime();
    TrackTags t = readBounded("bomb.mp3", Id3Writer.concat(tag, Id3Writer.frames(40)));
    assertTrue(System.nanoTime() - started < 5_000_000_000L, "inflating is bounded in time too");
    assertEquals("Kept title", t.title());
    assertEquals("Kept album", t.album());
    assertEquals("Small, declared 4 GB", t.player().composer(), "the declared size is ignored, as mutagen ignores it");
    assertNull(t.artist(), "200 MB of text is more than is inflated into memory: the frame is dropped");
    TrackTags inChunk = readBounded("bomb.wav", chunk(MutagenDifferentialTest.wav(8000, 1, 0.02), tag));
    assertEquals("Kept album", inChunk.album());
  }

  @Test
  void compressedFrame_badZlibStream_droppedAndTheOtherFramesKept() throws Exception {
    byte[] good = Id3Writer.deflate(Id3Writer.text(0, "Inflated composer"));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
    byte[] garbage = {0x78, (byte) 0x9C, 1, 2, 3, 4, 5, 6, 7, 8};
    byte[] notZlib = {'n', 'o', 't', ' ', 'z', 'l', 'i', 'b'};
    byte[] tag = tag23(compressedFrame("TIT2", 100, truncated), compressedFrame("TALB", 100, garbage),
        compressedFrame("TPE2", 100, notZlib), compressedFrame("TCOM", 100, good),
        compressedFrame("TPE1", 100, new byte[0]), plainFrame("TIT2", Id3Writer.text(0, "The readable title")));
    TrackTags t = readBounded("badzlib.mp3", Id3Writer.concat(tag, Id3Writer.frames(40)));
    assertEquals("The readable title", t.title(), "a stream that does not end is junk, as zlib says");
    assertNull(t.album());
    assertNull(t.albumArtist());
    assertEquals("Inflated composer", t.player().composer());
    HostileFormatsTest.hostile(dir, "badzlib.wav", chunk(MutagenDifferentialTest.wav(8000, 1, 0.02), tag));
  }

  /** The grouping identity byte is stepped over, as the specification has it (mutagen reads it as text). */
  @Test
  void groupedFrames_identityByteSteppedOver() throws Exception {
    byte[] v23 = new Id3Writer(3).frame("TIT2", Id3Writer.text(0, "Grouped"), Id3Writer.GROUP)
        .frame("TALB", Id3Writer.text(1, "Grouped album"), Id3Writer.GROUP | Id3Writer.COMPRESS).build();
    TrackTags t = readBounded("grouped.mp3", Id3Writer.concat(v23, Id3Writer.frames(40)));
    assertEquals("Grouped", t.title());
    assertEquals("Grouped album", t.album());
    byte[] v24 = new Id3Writer(4).frame("TIT2", Id3Writer.text(3, "Grouped"), Id3Writer.GROUP | Id3Writer.DATA_LENGTH)
        .frame("TPE1", Id3Writer.text(3, "A", "B"), Id3Writer.GROUP | Id3Writer.COMPRESS | Id3Writer.UNSYNC).build();
    TrackTags u = readBounded("grouped24.mp3", Id3Writer.concat(v24, Id3Writer.frames(40)));
    assertEquals("Grouped", u.title());
    assertEquals(List.of("A", "B"), u.player().artists());
  }

}
