package io.github.trackscan.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReplayGain from ID3v2's RVA2 frames where no TXXX frame gives it. The expected numbers are what
 * mutagen's RVA2 frame and EasyID3 give for the same bytes (printed once by mutagen 1.46, written
 * here as literals: gain "%+f dB", peak "%f"); {@link PlayerFieldsDifferentialTest} holds a file
 * mutagen itself wrote to mutagen's reading.
 */
final class Id3Rva2Test {
  @TempDir Path dir;

  private TrackTags read(String name, byte[]... frames) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      body.writeBytes(frame);
    }
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0});
    file.writeBytes(syncsafe(body.size() + 64));
    file.writeBytes(body.toByteArray());
    file.writeBytes(new byte[64]);
    for (int f = 0; f < 40; f++) {
      byte[] frame = new byte[AudioFixtures.FRAME_BYTES];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xFB;
      frame[2] = (byte) 0x90;
      file.writeBytes(frame);
    }
    Path path = AudioFixtures.write(dir.resolve(name), file.toByteArray());
    return TagReaders.standard().read(path, file.size());
  }

  private static byte[] frame(String id, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(syncsafe(body.length));
    out.writeBytes(new byte[2]);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] text(String id, String value) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(3);
    body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    return frame(id, body.toByteArray());
  }

  private static byte[] txxx(String description, String value) {
    return text("TXXX", description + "\0" + value);
  }

  /** An RVA2 frame: identification, then channels of (type, gain in 1/512 dB, peak bits, peak bytes). */
  private static byte[] rva2(String identification, int[]... channels) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes((identification + "\0").getBytes(StandardCharsets.ISO_8859_1));
    for (int[] c : channels) {
      body.write(c[0]);
      body.writeBytes(ByteBuffer.allocate(2).putShort((short) c[1]).array());
      body.write(c[2]);
      for (int i = 3; i < c.length; i++) {
        body.write(c[i]);
      }
    }
    return frame("RVA2", body.toByteArray());
  }

  private static byte[] syncsafe(int n) {
    return new byte[] {(byte) ((n >> 21) & 0x7F), (byte) ((n >> 14) & 0x7F), (byte) ((n >> 7) & 0x7F), (byte) (n & 0x7F)};
  }

  @Test
  void rva2_fillsReplayGainWhereNoTxxxFrameGivesIt() throws Exception {
    TrackTags t = read("rva2.mp3", text("TIT2", "A title"),
        rva2("TRACK", new int[] {2, 1024, 16, 0x10, 0x00}, new int[] {1, -3318, 16, 0x7E, 0x6C}), // front right, then master
        rva2("album", new int[] {1, 4, 24, 0x12, 0x34, 0x56}));
    PlayerFields p = t.player();
    assertEquals(-6.480469, p.replayGainTrackGainDb(), "the master channel's, -3318/512 dB");
    assertEquals(0.987671, p.replayGainTrackPeak());
    assertEquals(0.007812, p.replayGainAlbumGainDb(), "4/512 = 0.0078125, rounded half to even as mutagen's %f");
    assertEquals(0.142222, p.replayGainAlbumPeak(), "a 24-bit peak");
    assertEquals("A title", t.title());
  }

  @Test
  void rva2_txxxWinsForItsPair() throws Exception {
    TrackTags t = read("both.mp3", rva2("track", new int[] {1, -3318, 16, 0x7E, 0x6C}),
        txxx("replaygain_track_gain", "-2.00 dB"), rva2("album", new int[] {1, 512, 16, 0x80, 0x00}));
    PlayerFields p = t.player();
    assertEquals(-2.0, p.replayGainTrackGainDb(), "TXXX, though after the RVA2 frame");
    assertNull(p.replayGainTrackPeak(), "the track pair comes from TXXX, which gives no peak; never RVA2's");
    assertEquals(1.0, p.replayGainAlbumGainDb(), "no TXXX album pair: RVA2's");
    assertEquals(1.0, p.replayGainAlbumPeak());
  }

  @Test
  void rva2_withoutAMasterChannelOrAnotherName_ignored() throws Exception {
    TrackTags t = read("other.mp3", rva2("track", new int[] {3, -3318, 16, 0x7E, 0x6C}),
        rva2("normalize", new int[] {1, 512, 16, 0x80, 0x00}));
    assertNull(t.player().replayGainTrackGainDb());
    assertNull(t.player().replayGainAlbumGainDb());
  }

  @Test
  void rva2_truncated_skippedWithoutLosingOtherFrames() throws Exception {
    byte[] noTerminator = frame("RVA2", "track".getBytes(StandardCharsets.ISO_8859_1));
    byte[] halfAGain = frame("RVA2", new byte[] {'t', 'r', 'a', 'c', 'k', 0, 1, (byte) 0xF3});
    byte[] halfAPeak = frame("RVA2", new byte[] {'a', 'l', 'b', 'u', 'm', 0, 1, (byte) 0xF3, 0x0A, 16, 0x7E});
    byte[] empty = frame("RVA2", new byte[0]);
    TrackTags t = read("cut.mp3", text("TIT2", "Kept title"), noTerminator, halfAGain, halfAPeak, empty,
        text("TPE1", "Kept artist"), text("TCOM", "Kept composer"), txxx("REPLAYGAIN_ALBUM_PEAK", "0.5"));
    assertEquals("Kept title", t.title());
    assertEquals("Kept artist", t.artist());
    assertEquals("Kept composer", t.player().composer());
    assertNull(t.player().replayGainTrackGainDb(), "a frame cut in its gain gives nothing");
    assertNull(t.player().replayGainAlbumGainDb(), "a frame cut in its peak gives nothing, not a gain alone");
    assertEquals(0.5, t.player().replayGainAlbumPeak());
  }

  @Test
  void rva2_damagedFiles_parseOrFailWithAReason() throws Exception {
    TrackTags good = read("good.mp3", text("TIT2", "A title"), rva2("track", new int[] {1, -3318, 16, 0x7E, 0x6C}),
        rva2("album", new int[] {1, 4, 24, 0x12, 0x34, 0x56}), text("TPE1", "An artist"));
    assertEquals(-6.480469, good.player().replayGainTrackGainDb());
    HostileFormatsTest.hostile(dir, "damaged-rva2.mp3", java.nio.file.Files.readAllBytes(dir.resolve("good.mp3")));
  }
}
