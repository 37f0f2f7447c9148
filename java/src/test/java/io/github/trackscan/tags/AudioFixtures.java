package io.github.trackscan.tags;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Tiny but valid audio files, built byte by byte: MP3 (ID3v2.4 tag, CBR MPEG-1 Layer III frames)
 * and FLAC (STREAMINFO, VORBIS_COMMENT, PADDING, no audio frames), plus junk.
 */
public final class AudioFixtures {
  private AudioFixtures() {}

  /** Tags to write. */
  public record Meta(String title, String artist, String album, String albumArtist, int track, int trackTotal,
      int disc, int discTotal, String date, String genre) {
    public static Meta of(String artist, String album, int track) {
      return new Meta("Track " + track, artist, album, artist, track, 12, 1, 1, "2003", "Rock");
    }
  }

  /** MPEG-1 Layer III, 128 kb/s, 44.1 kHz, stereo: 417 bytes a frame, 1152 samples a frame. */
  static final int FRAME_BYTES = 417;

  /** An MP3 of {@code frames} frames (about 26 ms each) with an ID3v2.4 tag. */
  public static byte[] mp3(Meta meta, int frames) {
    return mp3(meta, frames, 64);
  }

  /** An MP3 whose ID3v2.4 tag carries {@code paddingBytes} of padding (standing in for a cover). */
  public static byte[] mp3(Meta meta, int frames, int paddingBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] tag = id3v24(meta, paddingBytes);
    out.writeBytes(tag);
    for (int f = 0; f < frames; f++) {
      byte[] frame = new byte[FRAME_BYTES];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xFB;
      frame[2] = (byte) 0x90;
      frame[3] = (byte) 0x00;
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  static byte[] id3v24(Meta meta, int padding) {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    text(frames, "TIT2", meta.title());
    text(frames, "TPE1", meta.artist());
    text(frames, "TALB", meta.album());
    text(frames, "TPE2", meta.albumArtist());
    text(frames, "TRCK", meta.track() + "/" + meta.trackTotal());
    text(frames, "TPOS", meta.disc() + "/" + meta.discTotal());
    text(frames, "TDRC", meta.date());
    text(frames, "TCON", meta.genre());
    byte[] body = frames.toByteArray();
    ByteArrayOutputStream tag = new ByteArrayOutputStream();
    tag.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0});
    tag.writeBytes(syncsafe(body.length + padding));
    tag.writeBytes(body);
    tag.writeBytes(new byte[padding]);
    return tag.toByteArray();
  }

  private static void text(ByteArrayOutputStream out, String id, String value) {
    if (value == null) {
      return;
    }
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(syncsafe(text.length + 1));
    out.writeBytes(new byte[] {0, 0, 3}); // flags, then encoding 3 = UTF-8
    out.writeBytes(text);
  }

  private static byte[] syncsafe(int n) {
    return new byte[] {(byte) ((n >> 21) & 0x7F), (byte) ((n >> 14) & 0x7F), (byte) ((n >> 7) & 0x7F), (byte) (n & 0x7F)};
  }

  /** A FLAC of {@code seconds} seconds at 44.1 kHz, 16 bits, stereo, with a Vorbis comment and no audio frames. */
  public static byte[] flac(Meta meta, int seconds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'f', 'L', 'a', 'C'});
    // STREAMINFO, 34 bytes.
    out.writeBytes(new byte[] {0, 0, 0, 34});
    byte[] info = new byte[34];
    info[0] = 0x10; // min block 4096
    info[2] = 0x10; // max block 4096
    long sampleRate = 44100;
    long channelsMinus1 = 1;
    long bitsMinus1 = 15;
    long samples = 44100L * seconds;
    long packed = (sampleRate << 44) | (channelsMinus1 << 41) | (bitsMinus1 << 36) | samples;
    for (int i = 0; i < 8; i++) {
      info[10 + i] = (byte) (packed >>> (56 - 8 * i));
    }
    out.writeBytes(info);
    // VORBIS_COMMENT.
    ByteArrayOutputStream vc = new ByteArrayOutputStream();
    littleString(vc, "trackscan fixtures");
    String[] comments = {
        "TITLE=" + meta.title(), "ARTIST=" + meta.artist(), "ALBUM=" + meta.album(),
        "ALBUMARTIST=" + meta.albumArtist(), "TRACKNUMBER=" + meta.track(), "TRACKTOTAL=" + meta.trackTotal(),
        "DISCNUMBER=" + meta.disc(), "DISCTOTAL=" + meta.discTotal(), "DATE=" + meta.date(), "GENRE=" + meta.genre()};
    littleInt(vc, comments.length);
    for (String c : comments) {
      littleString(vc, c);
    }
    byte[] body = vc.toByteArray();
    out.writeBytes(new byte[] {4, (byte) (body.length >> 16), (byte) (body.length >> 8), (byte) body.length});
    out.writeBytes(body);
    // PADDING, last block.
    out.writeBytes(new byte[] {(byte) 0x81, 0, 0, 16});
    out.writeBytes(new byte[16]);
    // A few bytes of "audio", so the file is not all metadata.
    out.writeBytes(new byte[256]);
    return out.toByteArray();
  }

  private static void littleInt(ByteArrayOutputStream out, int n) {
    out.writeBytes(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)});
  }

  private static void littleString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    littleInt(out, b.length);
    out.writeBytes(b);
  }

  /** An mtime long past, as the files of a library nobody touched lately have. */
  public static final FileTime SETTLED = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

  /**
   * Gives every regular file below {@code root} (symlinks not followed) the mtime {@link #SETTLED}.
   * A file written just before a scan has an mtime as recent as the scan, so the next scan reads
   * it again (StoredFile.recheck); tests about other things settle their files first.
   */
  public static void settle(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          Files.setLastModifiedTime(file, SETTLED);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code bytes} to {@code file}, creating its folders. */
  public static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text renamed .mp3: junk. */
  public static byte[] junkText() {
    return "this is not audio, just a text file with an .mp3 name\n".repeat(20).getBytes(StandardCharsets.UTF_8);
  }
}
