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
 *  - MP3: the text frames of an ID3v2.3/2.4 tag are read here (Id3Text), stepping over the
 *    others (an embedded cover is never read); an unusual tag goes to jaudiotagger's own ID3v2
 *    parsers (ID3v22Tag/ID3v23Tag/ID3v24Tag(ByteBuffer)), still from memory. Then the first MPEG
 *    frame header (checked against the next one), and its Xing/Info or VBRI header for VBR files,
 *    give the stream properties. An ID3v1 tag is read (one more pread of 128 bytes) only when
 *    there is no ID3v2 tag.
 *  - FLAC: STREAMINFO and VORBIS_COMMENT parsed here; PICTURE blocks are skipped, not read; a
 *    comment block beyond the head costs one more pread.
 *  - Ogg Vorbis: the identification and comment packets from the first pages, the duration from
 *    the granule position of the last page (one pread of the file's tail). jaudiotagger makes
 *    about 360 lseek and 130 read calls per Ogg file; this makes two preads.
 *  - MP4 (m4a): top-level boxes are stepped over by their headers to the moov box, which is read
 *    whole (one pread when it is not in the head: ffmpeg and iTunes often put it after the audio);
 *    mvhd/mdhd, the audio sample entry and the ilst items are parsed from it.
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
      TrackTags tags = readInMemory(file, null);
      if (tags != null) {
        return tags;
      }
    } catch (IOException e) {
      throw Failures.of(file, e);
    }
    return JaudiotaggerReader.INSTANCE.read(file, sizeBytes);
  }

  /** The content key is taken from the head read for the tags, and the tail with one more pread. */
  @Override
  public FileRead readWithKey(Path file, long sizeBytes) {
    long[] key = {0};
    boolean[] keyed = {false};
    TrackTags tags = null;
    TagReadException failure = null;
    try {
      tags = readInMemory(file, k -> {
        key[0] = k;
        keyed[0] = true;
      });
      if (tags == null) {
        tags = JaudiotaggerReader.INSTANCE.read(file, sizeBytes);
      }
    } catch (IOException e) {
      failure = Failures.of(file, e);
    } catch (TagReadException e) {
      failure = e;
    }
    return new FileRead(tags, failure, keyed[0] ? Long.valueOf(key[0]) : ContentKey.read(file, sizeBytes));
  }

  /** The fast path without the content key (see the method below). */
  TrackTags readInMemory(Path file) throws IOException {
    return readInMemory(file, null);
  }

  /**
   * The fast path: the tags, or {@code null} when the file is not MP3 or FLAC or is unusual. With
   * {@code key} non-null, the file's content key is handed to it once the head is read.
   */
  TrackTags readInMemory(Path file, java.util.function.LongConsumer key) throws IOException {
    String extension = JaudiotaggerReader.extensionOf(file);
    int format = switch (extension) {
      case "mp3" -> 0;
      case "flac" -> 1;
      case "ogg", "oga" -> 2;
      case "m4a", "mp4", "m4b" -> 3;
      default -> -1;
    };
    if (format < 0) {
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
      if (key != null && head.limit() == Math.min(size, head.capacity())) {
        key.accept(ContentKey.of(channel, head, size));
      }
      return switch (format) {
        case 0 -> Mp3.read(channel, head, size, file);
        case 1 -> Flac.read(channel, head, size);
        case 2 -> Ogg.read(channel, head, size);
        default -> Mp4.read(channel, head, size);
      };
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
      TrackTags text = null;
      long audioStart = 0;
      if (head.limit() >= 10 && head.get(0) == 'I' && head.get(1) == 'D' && head.get(2) == '3') {
        boolean footer = (head.get(5) & 0x10) != 0;
        int tagBytes = 10 + syncsafe(head, 6) + (footer ? 10 : 0);
        if (tagBytes > size) {
          throw FALLBACK;
        }
        text = Id3Text.parse(channel, head, head.get(3), head.get(5), footer ? tagBytes - 10 : tagBytes);
        if (text == null) {
          // Unusual (ID3v2.2, unsynchronisation, compressed frames, numeric genres...): jaudiotagger's
          // own ID3v2 parser, still from memory.
          ByteBuffer tagBuffer = slice(channel, head, 0, tagBytes);
          try {
            tag = id3v2(tagBuffer, head.get(3), file);
          } catch (org.jaudiotagger.tag.TagException e) {
            throw FALLBACK;
          }
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
        if (tag == null && text == null) {
          tag = id3v1(channel, size, file);
        }
        return tags(text != null ? text : JaudiotaggerReader.toTags(tag, null), first, audio, at, audioStart + at, size);
      }
      throw FALLBACK;
    }

    private static TrackTags tags(TrackTags base, Frame frame, ByteBuffer audio, int at, long frameStart, long size) {
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

    static int syncsafe(ByteBuffer b, int at) {
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
      // As jaudiotagger computes it (FlacInfoReader.computeBitrate): whole kilobytes, float seconds.
      float preciseSeconds = (float) samples / sampleRate;
      Integer kbps = preciseSeconds > 0 ? (int) ((float) ((size - at) / 1000 * 8) / preciseSeconds) : null;
      return tags(comments, seconds, kbps, sampleRate, channels, "FLAC " + bits + " bits");
    }

    /** Tags from Vorbis comments (FLAC, Ogg) and stream properties. */
    static TrackTags tags(Map<String, String> comments, double seconds, Integer kbps, int sampleRate, int channels,
        String codec) {
      String date = first(comments, "DATE", "YEAR");
      return new TrackTags(first(comments, "TITLE"), first(comments, "ARTIST"), first(comments, "ALBUM"),
          first(comments, "ALBUMARTIST", "ALBUM ARTIST", "ALBUM_ARTIST"),
          Numbers.leadingInt(first(comments, "TRACKNUMBER")),
          total(comments, "TRACKNUMBER", "TRACKTOTAL", "TOTALTRACKS"),
          Numbers.leadingInt(first(comments, "DISCNUMBER")),
          total(comments, "DISCNUMBER", "DISCTOTAL", "TOTALDISCS"),
          Numbers.year(date), date, first(comments, "GENRE"),
          seconds > 0 ? Math.round(seconds * 1000) : null, kbps != null && kbps > 0 ? kbps : null, sampleRate,
          channels, codec);
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

  static final class Ogg {
    private static final int CAPTURE = 0x5367674F; // "OggS" read little-endian
    private static final int TAIL_BYTES = 64 * 1024;
    private static final int PAGES_MAX = 4096;

    static TrackTags read(FileChannel channel, ByteBuffer head, long size) throws IOException, Fallback {
      head.order(ByteOrder.LITTLE_ENDIAN);
      if (head.limit() < 28 || head.getInt(0) != CAPTURE) {
        throw FALLBACK;
      }
      // Reassemble the first two packets (identification, comment) from the first pages.
      java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
      ByteBuffer identification = null;
      ByteBuffer comment = null;
      long at = 0;
      int serial = 0;
      for (int page = 0; page < PAGES_MAX && comment == null; page++) {
        ByteBuffer header = slice(channel, head, at, 27).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(0) != CAPTURE) {
          throw FALLBACK;
        }
        if (page == 0) {
          serial = header.getInt(14);
        } else if (header.getInt(14) != serial) {
          throw FALLBACK; // Multiplexed streams: jaudiotagger's business.
        }
        int segments = header.get(26) & 0xFF;
        ByteBuffer table = slice(channel, head, at + 27, segments);
        int bodyBytes = 0;
        for (int i = 0; i < segments; i++) {
          bodyBytes += table.get(i) & 0xFF;
        }
        ByteBuffer body = slice(channel, head, at + 27 + segments, bodyBytes);
        int offset = 0;
        for (int i = 0; i < segments; i++) {
          int lace = table.get(i) & 0xFF;
          if (packet.size() + lace > TAG_BYTES_MAX) {
            throw FALLBACK;
          }
          byte[] bytes = new byte[lace];
          body.get(offset, bytes);
          packet.write(bytes, 0, lace);
          offset += lace;
          if (lace < 255) {
            ByteBuffer done = ByteBuffer.wrap(packet.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            packet.reset();
            if (identification == null) {
              identification = done;
            } else {
              comment = done;
              break;
            }
          }
        }
        at += 27 + segments + bodyBytes;
      }
      if (identification == null || comment == null || !isVorbis(identification, 1) || !isVorbis(comment, 3)
          || identification.limit() < 30) {
        throw FALLBACK; // Opus, Speex, FLAC-in-Ogg, or damaged: jaudiotagger decides.
      }
      int channels = identification.get(11) & 0xFF;
      long sampleRate = identification.getInt(12) & 0xFFFFFFFFL;
      int nominal = identification.getInt(20);
      if (sampleRate == 0) {
        throw FALLBACK;
      }
      Map<String, String> comments = Flac.vorbisComments(comment.position(7).slice().order(ByteOrder.LITTLE_ENDIAN));
      long samples = lastGranule(channel, head, size, serial);
      double seconds = samples > 0 ? samples / (double) sampleRate : 0;
      Integer kbps = nominal > 0 ? nominal / 1000 : seconds > 0 ? (int) Math.round(size * 8 / seconds / 1000) : null;
      return Flac.tags(comments, seconds, kbps, (int) sampleRate, channels, "Ogg Vorbis v1");
    }

    private static boolean isVorbis(ByteBuffer packet, int type) {
      return packet.limit() >= 7 && packet.get(0) == type && packet.get(1) == 'v' && packet.get(2) == 'o'
          && packet.get(3) == 'r' && packet.get(4) == 'b' && packet.get(5) == 'i' && packet.get(6) == 's';
    }

    /** The granule position of the stream's last page: its length in samples. */
    private static long lastGranule(FileChannel channel, ByteBuffer head, long size, int serial) throws IOException, Fallback {
      int length = (int) Math.min(size, TAIL_BYTES);
      ByteBuffer tail = slice(channel, head, size - length, length).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = length - 27; i >= 0; i--) {
        if (tail.get(i) == 'O' && tail.getInt(i) == CAPTURE && tail.getInt(i + 14) == serial) {
          long granule = tail.getLong(i + 6);
          if (granule >= 0) {
            return granule;
          }
        }
      }
      throw FALLBACK;
    }
  }

  static final class Mp4 {
    private static final int BOXES_MAX = 4096;

    static TrackTags read(FileChannel channel, ByteBuffer head, long size) throws IOException, Fallback {
      head.order(ByteOrder.BIG_ENDIAN);
      if (head.limit() < 8 || head.getInt(4) != type("ftyp")) {
        throw FALLBACK;
      }
      ByteBuffer moov = null;
      long at = 0;
      for (int box = 0; box < BOXES_MAX && at + 8 <= size; box++) {
        ByteBuffer header = slice(channel, head, at, (int) Math.min(16, size - at));
        long length = header.getInt(0) & 0xFFFFFFFFL;
        int headerBytes = 8;
        if (length == 1) {
          length = header.getLong(8);
          headerBytes = 16;
        } else if (length == 0) {
          length = size - at;
        }
        if (length < headerBytes || at + length > size) {
          throw FALLBACK;
        }
        if (header.getInt(4) == type("moov")) {
          moov = slice(channel, head, at + headerBytes, (int) Math.min(Integer.MAX_VALUE, length - headerBytes));
          break;
        }
        at += length;
      }
      if (moov == null) {
        throw FALLBACK;
      }
      return parse(moov, size);
    }

    static int type(String fourcc) {
      return (fourcc.charAt(0) & 0xFF) << 24 | (fourcc.charAt(1) & 0xFF) << 16 | (fourcc.charAt(2) & 0xFF) << 8
          | (fourcc.charAt(3) & 0xFF);
    }

    /** The body of the first child box of {@code type} in {@code parent}'s body, or null. */
    static ByteBuffer child(ByteBuffer parent, String type) throws Fallback {
      int wanted = type(type);
      int at = 0;
      for (int i = 0; i < BOXES_MAX && at + 8 <= parent.limit(); i++) {
        long length = parent.getInt(at) & 0xFFFFFFFFL;
        int headerBytes = 8;
        if (length == 1) {
          if (at + 16 > parent.limit()) {
            throw FALLBACK;
          }
          length = parent.getLong(at + 8);
          headerBytes = 16;
        } else if (length == 0) {
          length = parent.limit() - at;
        }
        if (length < headerBytes || at + length > parent.limit()) {
          throw FALLBACK;
        }
        if (parent.getInt(at + 4) == wanted) {
          return parent.slice(at + headerBytes, (int) length - headerBytes);
        }
        at += (int) length;
      }
      return null;
    }

    private static TrackTags parse(ByteBuffer moov, long size) throws Fallback {
      ByteBuffer sound = null;
      for (ByteBuffer rest = moov; sound == null; ) {
        ByteBuffer trak = child(rest, "trak");
        if (trak == null) {
          throw FALLBACK;
        }
        ByteBuffer mdia = child(trak, "mdia");
        ByteBuffer hdlr = mdia == null ? null : child(mdia, "hdlr");
        if (hdlr != null && hdlr.limit() >= 12 && hdlr.getInt(8) == type("soun")) {
          sound = mdia;
        } else {
          int next = trak.arrayOffset() - rest.arrayOffset() + trak.limit();
          rest = rest.slice(next, rest.limit() - next);
        }
      }
      ByteBuffer mdhd = child(sound, "mdhd");
      ByteBuffer minf = child(sound, "minf");
      ByteBuffer stbl = minf == null ? null : child(minf, "stbl");
      ByteBuffer stsd = stbl == null ? null : child(stbl, "stsd");
      if (mdhd == null || stsd == null || stsd.limit() < 8 + 36) {
        throw FALLBACK;
      }
      long timescale;
      long duration;
      if (mdhd.get(0) == 1) {
        timescale = mdhd.getInt(20) & 0xFFFFFFFFL;
        duration = mdhd.getLong(24);
      } else {
        timescale = mdhd.getInt(12) & 0xFFFFFFFFL;
        duration = mdhd.getInt(16) & 0xFFFFFFFFL;
      }
      // stsd: version/flags, entry count, then the first sample entry (an AudioSampleEntry).
      ByteBuffer entry = stsd.slice(8, stsd.limit() - 8);
      int format = entry.getInt(4);
      int channels = entry.getShort(8 + 16) & 0xFFFF;
      int sampleRate = entry.getInt(8 + 24) >>> 16;
      String codec;
      if (format == type("mp4a")) {
        codec = "Aac"; // jaudiotagger's names (EncoderType), so both readers agree
      } else if (format == type("alac")) {
        codec = "Alac";
      } else {
        throw FALLBACK; // Another codec (or DRM): jaudiotagger names it.
      }
      if (timescale == 0 || sampleRate == 0) {
        throw FALLBACK;
      }
      double seconds = duration / (double) timescale;
      Integer kbps = format == type("mp4a") ? esdsAverageKbps(entry) : null;
      if (kbps == null && seconds > 0) {
        kbps = (int) Math.round(size * 8 / seconds / 1000);
      }
      ByteBuffer udta = child(moov, "udta");
      ByteBuffer meta = udta == null ? null : child(udta, "meta");
      ByteBuffer ilst = meta == null || meta.limit() < 4 ? null : child(meta.slice(4, meta.limit() - 4), "ilst");
      String title = null, artist = null, album = null, albumArtist = null, date = null, genre = null;
      Integer track = null, trackTotal = null, disc = null, discTotal = null;
      if (ilst != null) {
        title = text(ilst, "\u00A9nam");
        artist = text(ilst, "\u00A9ART");
        album = text(ilst, "\u00A9alb");
        albumArtist = text(ilst, "aART");
        date = text(ilst, "\u00A9day");
        genre = text(ilst, "\u00A9gen");
        if (genre == null) {
          ByteBuffer gnre = data(ilst, "gnre");
          if (gnre != null && gnre.limit() >= 2) {
            genre = org.jaudiotagger.tag.reference.GenreTypes.getInstanceOf().getValueForId((gnre.getShort(0) & 0xFFFF) - 1);
          }
        }
        ByteBuffer trkn = data(ilst, "trkn");
        if (trkn != null && trkn.limit() >= 6) {
          track = positive(trkn.getShort(2));
          trackTotal = positive(trkn.getShort(4));
        }
        ByteBuffer disk = data(ilst, "disk");
        if (disk != null && disk.limit() >= 6) {
          disc = positive(disk.getShort(2));
          discTotal = positive(disk.getShort(4));
        }
      }
      return new TrackTags(title, artist, album, albumArtist, track, trackTotal, disc, discTotal, Numbers.year(date),
          date, genre, seconds > 0 ? Math.round(seconds * 1000) : null, kbps, sampleRate, channels, codec);
    }

    /**
     * The average bitrate an AAC sample entry's esds box declares (as jaudiotagger reports it), or
     * null. esds: version/flags, then an ES descriptor (tag 3) holding a decoder config (tag 4):
     * object type, stream type, buffer size (3 bytes), max bitrate, average bitrate.
     */
    static Integer esdsAverageKbps(ByteBuffer entry) throws Fallback {
      int entryBytes = entry.getInt(0);
      if (entryBytes < 36 || entryBytes > entry.limit()) {
        return null;
      }
      ByteBuffer esds = child(entry.slice(36, entryBytes - 36), "esds");
      if (esds == null || esds.limit() < 4) {
        return null;
      }
      int at = 4;
      if (at >= esds.limit() || esds.get(at) != 3) {
        return null;
      }
      at = skipLength(esds, at + 1);
      if (at < 0 || at + 3 > esds.limit()) {
        return null;
      }
      int flags = esds.get(at + 2) & 0xFF;
      at += 3;
      if ((flags & 0x80) != 0) {
        at += 2; // depends-on ES id
      }
      if ((flags & 0x40) != 0 && at < esds.limit()) {
        at += 1 + (esds.get(at) & 0xFF); // URL
      }
      if ((flags & 0x20) != 0) {
        at += 2; // OCR ES id
      }
      if (at >= esds.limit() || esds.get(at) != 4) {
        return null;
      }
      at = skipLength(esds, at + 1);
      if (at < 0 || at + 13 > esds.limit()) {
        return null;
      }
      long average = esds.getInt(at + 9) & 0xFFFFFFFFL;
      return average > 0 ? (int) (average / 1000) : null;
    }

    /** Skips a descriptor's length (1 to 4 bytes, 7 bits each); returns the position after it, or -1. */
    private static int skipLength(ByteBuffer b, int at) {
      for (int i = 0; i < 4 && at < b.limit(); i++) {
        if ((b.get(at++) & 0x80) == 0) {
          return at;
        }
      }
      return -1;
    }

    private static Integer positive(short n) {
      return n > 0 ? (int) n : null;
    }

    /** The payload of an ilst item's first data box (after type and locale), or null. */
    private static ByteBuffer data(ByteBuffer ilst, String item) throws Fallback {
      ByteBuffer box = child(ilst, item);
      ByteBuffer data = box == null ? null : child(box, "data");
      return data == null || data.limit() < 8 ? null : data.slice(8, data.limit() - 8);
    }

    private static String text(ByteBuffer ilst, String item) throws Fallback {
      ByteBuffer payload = data(ilst, item);
      if (payload == null) {
        return null;
      }
      byte[] bytes = new byte[payload.limit()];
      payload.get(0, bytes);
      return Numbers.blankToNull(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /*
   * The text frames trackscan keeps, from an ID3v2.3 or 2.4 tag, with the values jaudiotagger's
   * Tag.getFirst gives for them (checked field by field in the tests and on the synthetic library).
   * Anything this does not handle exactly like jaudiotagger returns null, and the caller hands the
   * tag to jaudiotagger: ID3v2.2, tag-level unsynchronisation or an extended header, compressed,
   * encrypted, grouped or unsynchronised frames, text without a byte-order mark, numeric genres
   * ("(17)", "17"), and v2.3 dates split over TYER/TDAT/TIME.
   */
  static final class Id3Text {
    private static final int FRAMES_MAX = 4096;

    static TrackTags parse(FileChannel channel, ByteBuffer head, byte major, byte flags, int end)
        throws IOException, Fallback {
      if ((major != 3 && major != 4) || (flags & 0xC0) != 0) {
        return null;
      }
      Map<String, String> frames = new HashMap<>();
      long at = 10;
      for (int n = 0; n < FRAMES_MAX && at + 10 <= end; n++) {
        ByteBuffer header = slice(channel, head, at, 10);
        if (header.get(0) == 0) {
          break; // Padding.
        }
        for (int i = 0; i < 4; i++) {
          byte c = header.get(i);
          if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
            return null;
          }
        }
        String id = new String(new byte[] {header.get(0), header.get(1), header.get(2), header.get(3)}, StandardCharsets.US_ASCII);
        int size = major == 4 ? Mp3.syncsafe(header, 4) : header.getInt(4);
        int frameFlags = header.getShort(8) & 0xFFFF;
        if (size < 0 || at + 10 + size > end) {
          return null;
        }
        if (isWanted(id)) {
          if (major == 3 && ((frameFlags & 0x00E0) != 0 || id.equals("TDAT") || id.equals("TIME"))) {
            return null;
          }
          if (major == 4 && (frameFlags & 0x004F) != 0) {
            return null;
          }
          if (!frames.containsKey(id)) {
            String value = decode(slice(channel, head, at + 10, size));
            if (value == null) {
              return null;
            }
            frames.put(id, value);
          }
        }
        at += 10 + size;
      }
      String genre = Numbers.blankToNull(frames.get("TCON"));
      if (genre != null && (genre.charAt(0) == '(' || genre.chars().allMatch(Character::isDigit))) {
        return null;
      }
      String date = Numbers.blankToNull(frames.get(major == 4 ? "TDRC" : "TYER"));
      String track = frames.get("TRCK");
      String disc = frames.get("TPOS");
      return new TrackTags(Numbers.blankToNull(frames.get("TIT2")), Numbers.blankToNull(frames.get("TPE1")),
          Numbers.blankToNull(frames.get("TALB")), Numbers.blankToNull(frames.get("TPE2")),
          Numbers.leadingInt(track), total(track), Numbers.leadingInt(disc), total(disc),
          Numbers.year(date), date, genre, null, null, null, null, null);
    }

    private static boolean isWanted(String id) {
      return switch (id) {
        case "TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TYER", "TDRC", "TCON", "TDAT", "TIME" -> true;
        default -> false;
      };
    }

    /** The n of "k/n", or null. */
    private static Integer total(String position) {
      int slash = position == null ? -1 : position.indexOf('/');
      return slash < 0 ? null : Numbers.leadingInt(position.substring(slash + 1));
    }

    /** A text frame's first value, or null for an encoding this does not decode like jaudiotagger. */
    static String decode(ByteBuffer body) {
      if (body.limit() < 1) {
        return "";
      }
      int encoding = body.get(0);
      byte[] bytes = new byte[body.limit() - 1];
      body.get(1, bytes);
      switch (encoding) {
        case 0, 3 -> {
          int length = 0;
          while (length < bytes.length && bytes[length] != 0) {
            length++;
          }
          return new String(bytes, 0, length, encoding == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        case 1, 2 -> {
          int length = 0;
          while (length + 1 < bytes.length && (bytes[length] != 0 || bytes[length + 1] != 0)) {
            length += 2;
          }
          if (encoding == 1) {
            if (length < 2) {
              return length == 0 ? "" : null;
            }
            boolean bigEndian = (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF;
            boolean littleEndian = (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE;
            if (!bigEndian && !littleEndian) {
              return null;
            }
            return new String(bytes, 2, length - 2, bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
          }
          return new String(bytes, 0, length, StandardCharsets.UTF_16BE);
        }
        default -> {
          return null;
        }
      }
    }
  }
}
