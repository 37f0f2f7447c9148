package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagNotFoundException;
import org.jaudiotagger.tag.id3.AbstractID3v2Tag;
import org.jaudiotagger.tag.id3.ID3v11Tag;
import org.jaudiotagger.tag.id3.ID3v1Tag;
import org.jaudiotagger.tag.id3.ID3v22Tag;
import org.jaudiotagger.tag.id3.ID3v23Tag;
import org.jaudiotagger.tag.id3.ID3v24Tag;

/*
 * Reads MP3 and FLAC with a handful of system calls, parsing from memory.
 *
 * jaudiotagger's file readers make ~243 lseek and ~85 read calls per file (FACTS.md): they seek and
 * read a few bytes at a time through RandomAccessFile. Here a file is opened once, its head read
 * with one pread (HEAD_BYTES, or the whole ID3v2 tag when it is larger, e.g. with a cover), and
 * parsed in memory:
 *
 *  - MP3: jaudiotagger's own ID3v2 parsers (ID3v22Tag/ID3v23Tag/ID3v24Tag(ByteBuffer)) for the tag,
 *    so tags read exactly as AudioFileIO reads them; the first MPEG frame header (checked against
 *    the next one), and its Xing/Info or VBRI header for VBR files, for the stream properties. An
 *    ID3v1 tag is read (one more pread of 128 bytes) only when there is no ID3v2 tag.
 *  - FLAC: STREAMINFO and VORBIS_COMMENT parsed here; PICTURE blocks are skipped, not read; a
 *    comment block beyond the head costs one more pread.
 *
 * Anything unusual (no frame sync where expected, an ID3v2 tag in front of a FLAC, a truncated
 * block) falls back to jaudiotagger's file reader, so the fast path never reads a file differently
 * than jaudiotagger would only because it is unusual, and junk fails with jaudiotagger's message.
 * Other formats go to jaudiotagger directly.
 */
final class MemoryTagReader implements TagReader {
  static final MemoryTagReader INSTANCE = new MemoryTagReader();

  /** Bytes read up front: an ID3v2 tag without a cover and the first frames fit easily. */
  static final int HEAD_BYTES = 32 * 1024;
  /** Beyond this an ID3v2 tag or FLAC block is not read into memory: jaudiotagger takes the file. */
  static final int TAG_BYTES_MAX = 16 * 1024 * 1024;
  /** How far past the ID3v2 tag the first MPEG frame is looked for. */
  static final int SYNC_SEARCH_BYTES = 8 * 1024;

  private static final ThreadLocal<ByteBuffer> HEAD = ThreadLocal.withInitial(() -> ByteBuffer.allocate(HEAD_BYTES));

  /** Signals "not the common case": the file goes to jaudiotagger. */
  private static final class Fallback extends Exception {
    Fallback() {
      super(null, null, false, false);
    }
  }

  private static final Fallback FALLBACK = new Fallback();

  private MemoryTagReader() {
    JaudiotaggerReader.ensureSilenced();
  }

  @Override
  public TrackTags read(Path file, long sizeBytes) throws TagReadException {
    try {
      TrackTags tags = readInMemory(file);
      if (tags != null) {
        return tags;
      }
    } catch (IOException e) {
      throw Failures.of(file, e);
    }
    return JaudiotaggerReader.INSTANCE.read(file, sizeBytes);
  }

  /** The fast path: the tags, or {@code null} when the file is not MP3 or FLAC or is unusual. */
  TrackTags readInMemory(Path file) throws IOException {
    String extension = JaudiotaggerReader.extensionOf(file);
    boolean mp3 = extension.equals("mp3");
    if (!mp3 && !extension.equals("flac")) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer head = HEAD.get().clear();
      if (size < head.capacity()) {
        head.limit((int) size);
      }
      readFully(channel, head, 0);
      head.flip();
      return mp3 ? Mp3.read(channel, head, size, file) : Flac.read(channel, head, size);
    } catch (Fallback | RuntimeException e) {
      // RuntimeException: a buffer underflow or the like on a file the fast path misjudged.
      return null;
    }
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        break;
      }
      position += n;
    }
  }

  /** Reads {@code length} bytes at {@code position}: from {@code head} when they are in it. */
  static ByteBuffer slice(FileChannel channel, ByteBuffer head, long position, int length) throws IOException, Fallback {
    if (length < 0 || length > TAG_BYTES_MAX) {
      throw FALLBACK;
    }
    if (position + length <= head.limit()) {
      return head.slice((int) position, length).order(head.order());
    }
    ByteBuffer more = ByteBuffer.allocate(length);
    readFully(channel, more, position);
    if (more.hasRemaining()) {
      throw FALLBACK; // Truncated.
    }
    return more.flip();
  }

  static final class Mp3 {
    private static final int[][] BITRATES_KBPS = {
        // MPEG-1 layers I, II, III
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
        // MPEG-2/2.5 layer I, then layers II and III
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
    private static final int[][] SAMPLE_RATES = {{44100, 48000, 32000}, {22050, 24000, 16000}, {11025, 12000, 8000}};

    /** One decoded frame header. */
    record Frame(int version, int layer, int bitrateKbps, int sampleRate, boolean padding, int channelMode) {
      /** 0 = MPEG-1, 1 = MPEG-2, 2 = MPEG-2.5. */
      int samplesPerFrame() {
        return layer == 1 ? 384 : layer == 2 || version == 0 ? 1152 : 576;
      }

      int lengthBytes() {
        int pad = padding ? (layer == 1 ? 4 : 1) : 0;
        if (layer == 1) {
          return (12 * bitrateKbps * 1000 / sampleRate) * 4 + pad;
        }
        return samplesPerFrame() / 8 * bitrateKbps * 1000 / sampleRate + pad;
      }

      int channels() {
        return channelMode == 3 ? 1 : 2;
      }

      String codec() {
        return "MPEG-" + (version == 0 ? "1" : version == 1 ? "2" : "2.5") + " Layer " + (layer == 1 ? "1" : layer == 2 ? "2" : "3");
      }
    }

    static Frame frame(int h) {
      if ((h & 0xFFE00000) != 0xFFE00000) {
        return null;
      }
      int versionBits = (h >>> 19) & 3;
      int layerBits = (h >>> 17) & 3;
      int bitrateIndex = (h >>> 12) & 15;
      int rateIndex = (h >>> 10) & 3;
      if (versionBits == 1 || layerBits == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
        return null; // Reserved, or free format: let jaudiotagger judge.
      }
      int version = versionBits == 3 ? 0 : versionBits == 2 ? 1 : 2;
      int layer = 4 - layerBits;
      int table = version == 0 ? layer - 1 : layer == 1 ? 3 : 4;
      return new Frame(version, layer, BITRATES_KBPS[table][bitrateIndex], SAMPLE_RATES[version][rateIndex],
          ((h >>> 9) & 1) == 1, (h >>> 6) & 3);
    }

    static TrackTags read(FileChannel channel, ByteBuffer head, long size, Path file) throws IOException, Fallback {
      head.order(ByteOrder.BIG_ENDIAN);
      Tag tag = null;
      long audioStart = 0;
      if (head.limit() >= 10 && head.get(0) == 'I' && head.get(1) == 'D' && head.get(2) == '3') {
        int tagBytes = 10 + syncsafe(head, 6) + ((head.get(5) & 0x10) != 0 ? 10 : 0);
        ByteBuffer tagBuffer = slice(channel, head, 0, tagBytes);
        try {
          tag = id3v2(tagBuffer, head.get(3), file);
        } catch (org.jaudiotagger.tag.TagException e) {
          throw FALLBACK;
        }
        audioStart = tagBytes;
      }
      ByteBuffer audio;
      if (audioStart + SYNC_SEARCH_BYTES + 8 <= head.limit() || head.limit() == size) {
        audio = head.duplicate().position((int) Math.min(audioStart, head.limit())).slice();
      } else {
        long length = Math.min(SYNC_SEARCH_BYTES + 2048, size - audioStart);
        audio = slice(channel, head, audioStart, (int) length);
      }
      // The first frame whose successor also parses: no false sync in junk after the tag.
      int limit = Math.min(audio.limit() - 4, SYNC_SEARCH_BYTES);
      for (int at = 0; at < limit; at++) {
        if ((audio.get(at) & 0xFF) != 0xFF) {
          continue;
        }
        Frame first = frame(audio.getInt(at));
        if (first == null) {
          continue;
        }
        int next = at + first.lengthBytes();
        if (next + 4 > audio.limit()) {
          break;
        }
        Frame second = frame(audio.getInt(next));
        if (second == null || second.version() != first.version() || second.layer() != first.layer()
            || second.sampleRate() != first.sampleRate()) {
          continue;
        }
        if (tag == null) {
          tag = id3v1(channel, size, file);
        }
        return tags(tag, first, audio, at, audioStart + at, size);
      }
      throw FALLBACK;
    }

    private static TrackTags tags(Tag tag, Frame frame, ByteBuffer audio, int at, long frameStart, long size) {
      long frames = -1;
      int sideInfo = frame.version() == 0 ? (frame.channels() == 1 ? 17 : 32) : (frame.channels() == 1 ? 9 : 17);
      int xing = at + 4 + sideInfo;
      int vbri = at + 4 + 32;
      if (xing + 12 <= audio.limit() && (matches(audio, xing, "Xing") || matches(audio, xing, "Info"))) {
        if ((audio.getInt(xing + 4) & 1) != 0) {
          frames = audio.getInt(xing + 8) & 0xFFFFFFFFL;
        }
      } else if (vbri + 18 <= audio.limit() && matches(audio, vbri, "VBRI")) {
        frames = audio.getInt(vbri + 14) & 0xFFFFFFFFL;
      }
      long audioBytes = size - frameStart;
      double seconds;
      int kbps;
      if (frames > 0) {
        seconds = frames * (double) frame.samplesPerFrame() / frame.sampleRate();
        kbps = (int) Math.round(audioBytes * 8 / seconds / 1000);
      } else {
        kbps = frame.bitrateKbps();
        seconds = audioBytes * 8.0 / (kbps * 1000.0);
      }
      TrackTags base = JaudiotaggerReader.toTags(tag, null);
      return new TrackTags(base.title(), base.artist(), base.album(), base.albumArtist(), base.trackNumber(),
          base.trackTotal(), base.discNumber(), base.discTotal(), base.year(), base.date(), base.genre(),
          Math.round(seconds * 1000), kbps, frame.sampleRate(), frame.channels(), frame.codec());
    }

    private static boolean matches(ByteBuffer b, int at, String ascii) {
      for (int i = 0; i < ascii.length(); i++) {
        if (b.get(at + i) != ascii.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private static AbstractID3v2Tag id3v2(ByteBuffer tag, byte major, Path file) throws org.jaudiotagger.tag.TagException, Fallback {
      String name = file.toString();
      return switch (major) {
        case 2 -> new ID3v22Tag(tag, name);
        case 3 -> new ID3v23Tag(tag, name);
        case 4 -> new ID3v24Tag(tag, name);
        default -> throw FALLBACK;
      };
    }

    private static Tag id3v1(FileChannel channel, long size, Path file) throws IOException {
      if (size < 128 + 4) {
        return null;
      }
      ByteBuffer tail = ByteBuffer.allocate(128);
      readFully(channel, tail, size - 128);
      tail.flip();
      if (tail.limit() < 128 || tail.get(0) != 'T' || tail.get(1) != 'A' || tail.get(2) != 'G') {
        return null;
      }
      try {
        ID3v11Tag v11 = new ID3v11Tag();
        v11.read(tail.duplicate());
        return v11;
      } catch (TagNotFoundException e) {
        try {
          ID3v1Tag v1 = new ID3v1Tag();
          v1.read(tail.duplicate());
          return v1;
        } catch (TagNotFoundException again) {
          return null;
        }
      }
    }

    private static int syncsafe(ByteBuffer b, int at) {
      return ((b.get(at) & 0x7F) << 21) | ((b.get(at + 1) & 0x7F) << 14) | ((b.get(at + 2) & 0x7F) << 7) | (b.get(at + 3) & 0x7F);
    }
  }

  static final class Flac {
    private static final int STREAMINFO = 0;
    private static final int VORBIS_COMMENT = 4;
    private static final int BLOCKS_MAX = 1024;

    static TrackTags read(FileChannel channel, ByteBuffer head, long size) throws IOException, Fallback {
      head.order(ByteOrder.BIG_ENDIAN);
      if (head.limit() < 4 + 4 + 34 || head.getInt(0) != 0x664C6143) { // "fLaC"
        throw FALLBACK;
      }
      long at = 4;
      int sampleRate = 0;
      int channels = 0;
      int bits = 0;
      long samples = 0;
      boolean streamInfo = false;
      Map<String, String> comments = Map.of();
      for (int block = 0; block < BLOCKS_MAX; block++) {
        ByteBuffer header = slice(channel, head, at, 4);
        int first = header.get(0) & 0xFF;
        int length = ((header.get(1) & 0xFF) << 16) | ((header.get(2) & 0xFF) << 8) | (header.get(3) & 0xFF);
        int type = first & 0x7F;
        if (at + 4 + length > size) {
          throw FALLBACK;
        }
        if (type == STREAMINFO) {
          if (length < 34) {
            throw FALLBACK;
          }
          ByteBuffer info = slice(channel, head, at + 4, 34);
          long packed = info.getLong(10);
          sampleRate = (int) (packed >>> 44);
          channels = (int) ((packed >>> 41) & 7) + 1;
          bits = (int) ((packed >>> 36) & 31) + 1;
          samples = packed & 0xFFFFFFFFFL;
          streamInfo = true;
        } else if (type == VORBIS_COMMENT && comments.isEmpty()) {
          comments = vorbisComments(slice(channel, head, at + 4, length));
        }
        at += 4 + length;
        if ((first & 0x80) != 0) {
          break;
        }
      }
      if (!streamInfo || sampleRate == 0) {
        throw FALLBACK;
      }
      double seconds = samples / (double) sampleRate;
      Integer kbps = seconds > 0 ? (int) Math.round((size - at) * 8 / seconds / 1000) : null;
      String date = first(comments, "DATE", "YEAR");
      return new TrackTags(first(comments, "TITLE"), first(comments, "ARTIST"), first(comments, "ALBUM"),
          first(comments, "ALBUMARTIST", "ALBUM ARTIST", "ALBUM_ARTIST"),
          Numbers.leadingInt(first(comments, "TRACKNUMBER")),
          total(comments, "TRACKNUMBER", "TRACKTOTAL", "TOTALTRACKS"),
          Numbers.leadingInt(first(comments, "DISCNUMBER")),
          total(comments, "DISCNUMBER", "DISCTOTAL", "TOTALDISCS"),
          Numbers.year(date), date, first(comments, "GENRE"),
          seconds > 0 ? Math.round(seconds * 1000) : null, kbps, sampleRate, channels, "FLAC " + bits + " bits");
    }

    private static Integer total(Map<String, String> comments, String numberKey, String... totalKeys) {
      Integer total = Numbers.leadingInt(first(comments, totalKeys));
      if (total != null) {
        return total;
      }
      String number = comments.get(numberKey);
      int slash = number == null ? -1 : number.indexOf('/');
      return slash < 0 ? null : Numbers.leadingInt(number.substring(slash + 1));
    }

    private static String first(Map<String, String> comments, String... keys) {
      for (String key : keys) {
        String value = Numbers.blankToNull(comments.get(key));
        if (value != null) {
          return value;
        }
      }
      return null;
    }

    /** The first value of every field, keys upper-cased. */
    static Map<String, String> vorbisComments(ByteBuffer block) throws Fallback {
      ByteBuffer b = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int vendor = b.getInt();
      if (vendor < 0 || vendor > b.remaining() - 4) {
        throw FALLBACK;
      }
      b.position(b.position() + vendor);
      long count = b.getInt() & 0xFFFFFFFFL;
      Map<String, String> fields = new HashMap<>();
      for (long i = 0; i < count && b.remaining() >= 4; i++) {
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
          throw FALLBACK;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        String field = new String(bytes, StandardCharsets.UTF_8);
        int eq = field.indexOf('=');
        if (eq > 0) {
          fields.putIfAbsent(field.substring(0, eq).toUpperCase(Locale.ROOT), field.substring(eq + 1));
        }
      }
      return fields;
    }
  }
}
