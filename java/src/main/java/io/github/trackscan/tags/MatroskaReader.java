package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/*
 * Matroska and WebM audio (.mka, .webm): EBML elements, each an ID (1-4 bytes, its length marker
 * kept), a size (1-8 bytes, marker dropped; all ones: unknown, as a live stream's Segment or
 * Cluster) and the data. The EBML header names the DocType; the Segment holds a SeekHead (where
 * its other top-level elements are), Info (TimecodeScale, Duration in its units, Title), Tracks
 * (CodecID, and Audio: SamplingFrequency, OutputSamplingFrequency for HE-AAC, Channels) and Tags,
 * then the Clusters of audio. Everything before the first Cluster is read from the head; what the
 * SeekHead places elsewhere (mkvmerge writes Tags at the end) takes one more pread each.
 *
 * mutagen reads no Matroska, so the yardstick is ffprobe (the test compares with it). Tags: a
 * Tag's Targets say what it is about (TargetTypeValue 30 a track, 50 an album, the default). A
 * track-level TITLE/ARTIST/PART_NUMBER are the track's; an album-level TITLE is the album, its
 * ARTIST the album artist, its TOTAL_PARTS the track total. ffmpeg writes a file's global tags with
 * an empty Targets (ARTIST, ALBUM, ALBUM_ARTIST, DATE, GENRE, PART_NUMBER "3/10", DISC) and the
 * title as the Segment's Title: those are read as ffprobe reads them.
 */
/** Reads Matroska and WebM audio from memory. */
final class MatroskaReader {
  private MatroskaReader() {}

  private static final String FORMAT = "Matroska";
  static final int EBML = 0x1A45DFA3;
  private static final int DOC_TYPE = 0x4282;
  private static final int SEGMENT = 0x18538067;
  private static final int SEEK_HEAD = 0x114D9B74;
  private static final int SEEK = 0x4DBB;
  private static final int SEEK_ID = 0x53AB;
  private static final int SEEK_POSITION = 0x53AC;
  private static final int INFO = 0x1549A966;
  private static final int TIMECODE_SCALE = 0x2AD7B1;
  private static final int DURATION = 0x4489;
  private static final int TITLE = 0x7BA9;
  private static final int TRACKS = 0x1654AE6B;
  private static final int TRACK_ENTRY = 0xAE;
  private static final int TRACK_TYPE = 0x83;
  private static final int CODEC_ID = 0x86;
  private static final int AUDIO = 0xE1;
  private static final int SAMPLING_FREQUENCY = 0xB5;
  private static final int OUTPUT_SAMPLING_FREQUENCY = 0x78B5;
  private static final int CHANNELS = 0x9F;
  private static final int TAGS = 0x1254C367;
  private static final int TAG = 0x7373;
  private static final int TARGETS = 0x63C0;
  private static final int TARGET_TYPE_VALUE = 0x68CA;
  private static final int SIMPLE_TAG = 0x67C8;
  private static final int TAG_NAME = 0x45A3;
  private static final int TAG_STRING = 0x4487;
  private static final int CLUSTER = 0x1F43B675;
  private static final int TRACK_TYPE_AUDIO = 2;
  private static final int ALBUM_LEVEL = 50;
  private static final int TRACK_LEVEL = 30;
  private static final long UNKNOWN = -1;

  /** One element's header: its ID, where its data starts, and its size (UNKNOWN: to the end of its parent). */
  private record Element(int id, long dataAt, long size) {
    long end(long parentEnd) {
      return size == UNKNOWN ? parentEnd : dataAt + size;
    }
  }

  /** What the reader gathered. */
  private static final class Found {
    long timecodeScale = 1_000_000;
    double duration = -1;
    String title;
    String codec;
    double sampleRate;
    int channels;
    boolean info;
    boolean tracks;
    boolean tags;
    final Map<String, String> track = new HashMap<>();
    final Map<String, String> album = new HashMap<>();
    final Map<String, String> untargeted = new HashMap<>();
    final Map<Integer, Long> seeks = new HashMap<>();
  }

  static TrackTags read(Source in) throws IOException, TagReadException {
    ByteBuffer h = in.head.duplicate().order(ByteOrder.BIG_ENDIAN);
    Element ebml = element(in, h, 0, h.limit());
    if (ebml == null || ebml.id != EBML) {
      throw in.fail(FORMAT, "no EBML header");
    }
    String docType = "matroska";
    for (long at = ebml.dataAt; at < ebml.end(h.limit()); ) {
      Element e = element(in, h, at, ebml.end(h.limit()));
      if (e == null || e.size == UNKNOWN) {
        break;
      }
      if (e.id == DOC_TYPE) {
        docType = text(in, h, e).toLowerCase(Locale.ROOT);
      }
      at = e.dataAt + e.size;
    }
    if (!docType.equals("matroska") && !docType.equals("webm")) {
      throw in.fail(FORMAT, "an EBML file of DocType '" + docType + "', not Matroska or WebM");
    }
    Element segment = element(in, h, ebml.end(h.limit()), in.size);
    if (segment == null || segment.id != SEGMENT) {
      throw in.fail(FORMAT, "no Segment after the EBML header");
    }
    long segmentEnd = segment.size == UNKNOWN ? in.size : Math.min(in.size, segment.dataAt + segment.size);
    Found found = new Found();
    long at = segment.dataAt;
    while (at < Math.min(segmentEnd, h.limit())) {
      Element e = element(in, h, at, segmentEnd);
      if (e == null || e.id == CLUSTER || e.size == UNKNOWN || e.dataAt + e.size > h.limit()) {
        break; // The audio, or an element the head does not hold whole: the SeekHead says where the rest is.
      }
      top(in, h, e, found);
      at = e.dataAt + e.size;
    }
    for (int id : new int[] {INFO, TRACKS, TAGS}) {
      Long position = found.seeks.get(id);
      boolean seen = id == INFO ? found.info : id == TRACKS ? found.tracks : found.tags;
      if (seen || position == null || segment.dataAt + position >= in.size) {
        continue;
      }
      ByteBuffer header = in.read(segment.dataAt + position, Math.min(12, in.size - segment.dataAt - position),
          ByteOrder.BIG_ENDIAN, FORMAT, "the element the SeekHead places at " + position);
      Element e = element(in, header, 0, segmentEnd - segment.dataAt - position);
      if (e == null || e.id != id || e.size == UNKNOWN || e.dataAt + e.size > Source.TAG_BYTES_MAX) {
        continue; // A SeekHead pointing elsewhere than it says, or a huge element: simply not read.
      }
      ByteBuffer b = in.read(segment.dataAt + position, e.dataAt + e.size, ByteOrder.BIG_ENDIAN, FORMAT,
          "the element at " + position);
      top(in, b, element(in, b, 0, b.limit()), found);
    }
    if (!found.tracks || found.sampleRate <= 0) {
      throw in.fail(FORMAT, "no audio track");
    }
    double seconds = found.duration > 0 ? found.duration * found.timecodeScale / 1e9 : 0;
    return StreamProperties.of(tags(found), seconds, StreamProperties.kbps(in.size, seconds),
        (int) Math.round(found.sampleRate), found.channels, found.codec);
  }

  /** A top-level element of the Segment. */
  private static void top(Source in, ByteBuffer b, Element e, Found found) throws TagReadException {
    switch (e.id) {
      case SEEK_HEAD -> {
        for (Element seek : children(in, b, e)) {
          if (seek.id != SEEK) {
            continue;
          }
          int id = 0;
          long position = -1;
          for (Element c : children(in, b, seek)) {
            if (c.id == SEEK_ID && c.size <= 4) {
              id = (int) unsigned(b, c);
            } else if (c.id == SEEK_POSITION) {
              position = unsigned(b, c);
            }
          }
          if (id != 0 && position >= 0) {
            found.seeks.putIfAbsent(id, position);
          }
        }
      }
      case INFO -> {
        found.info = true;
        for (Element c : children(in, b, e)) {
          switch (c.id) {
            case TIMECODE_SCALE -> found.timecodeScale = Math.max(1, unsigned(b, c));
            case DURATION -> found.duration = floating(in, b, c);
            case TITLE -> found.title = text(in, b, c);
            default -> { }
          }
        }
      }
      case TRACKS -> {
        for (Element entry : children(in, b, e)) {
          if (entry.id == TRACK_ENTRY && !found.tracks) {
            audioTrack(in, b, entry, found);
          }
        }
      }
      case TAGS -> {
        found.tags = true;
        for (Element tag : children(in, b, e)) {
          if (tag.id == TAG) {
            tag(in, b, tag, found);
          }
        }
      }
      default -> { }
    }
  }

  /** The first audio track: its codec, rate and channels. */
  private static void audioTrack(Source in, ByteBuffer b, Element entry, Found found) throws TagReadException {
    long type = 0;
    String codec = null;
    double rate = 0;
    double outputRate = 0;
    int channels = 1; // Matroska's default
    for (Element c : children(in, b, entry)) {
      switch (c.id) {
        case TRACK_TYPE -> type = unsigned(b, c);
        case CODEC_ID -> codec = text(in, b, c);
        case AUDIO -> {
          for (Element a : children(in, b, c)) {
            switch (a.id) {
              case SAMPLING_FREQUENCY -> rate = floating(in, b, a);
              case OUTPUT_SAMPLING_FREQUENCY -> outputRate = floating(in, b, a);
              case CHANNELS -> channels = (int) Math.min(Integer.MAX_VALUE, unsigned(b, a));
              default -> { }
            }
          }
        }
        default -> { }
      }
    }
    if (type == TRACK_TYPE_AUDIO) {
      found.tracks = true;
      found.codec = codecName(codec);
      found.sampleRate = outputRate > 0 ? outputRate : rate > 0 ? rate : 8000; // 8000: Matroska's default
      found.channels = channels;
    }
  }

  /** One Tag: its level, then its SimpleTags into the map of that level. */
  private static void tag(Source in, ByteBuffer b, Element tag, Found found) throws TagReadException {
    Integer level = null;
    Map<String, String> simple = new HashMap<>();
    for (Element c : children(in, b, tag)) {
      if (c.id == TARGETS) {
        // Without a TargetTypeValue the level is 50 by the specification; ffmpeg writes a file's
        // global tags so (an empty Targets) and reads them as the file's: they stay untargeted.
        for (Element t : children(in, b, c)) {
          if (t.id == TARGET_TYPE_VALUE) {
            level = (int) Math.min(100, unsigned(b, t));
          }
        }
      } else if (c.id == SIMPLE_TAG) {
        String name = null;
        String value = null;
        for (Element s : children(in, b, c)) {
          if (s.id == TAG_NAME) {
            name = text(in, b, s).toUpperCase(Locale.ROOT);
          } else if (s.id == TAG_STRING) {
            value = text(in, b, s);
          }
        }
        if (name != null && value != null) {
          simple.putIfAbsent(name, value);
        }
      }
    }
    Map<String, String> into = level == null ? found.untargeted : level <= TRACK_LEVEL ? found.track
        : level == ALBUM_LEVEL ? found.album : null;
    if (into != null) {
      simple.forEach(into::putIfAbsent);
    }
  }

  /** The tags as Vorbis comment names, by level (see the comment at the top), then read as those. */
  private static TrackTags tags(Found f) {
    Map<String, String> c = new HashMap<>(f.untargeted);
    c.remove("TITLE");
    c.remove("ARTIST");
    put(c, "TITLE", f.track.get("TITLE"), f.title, f.untargeted.get("TITLE"));
    put(c, "ARTIST", f.track.get("ARTIST"), f.untargeted.get("ARTIST"),
        f.track.containsKey("ARTIST") ? null : f.album.get("ARTIST"));
    put(c, "ALBUM", f.untargeted.get("ALBUM"), f.album.get("ALBUM"), f.album.get("TITLE"));
    put(c, "ALBUMARTIST", f.untargeted.get("ALBUM_ARTIST"), f.album.get("ALBUM_ARTIST"),
        f.track.containsKey("ARTIST") ? f.album.get("ARTIST") : null);
    put(c, "TRACKNUMBER", f.track.get("PART_NUMBER"), f.untargeted.get("PART_NUMBER"), f.untargeted.get("TRACK"),
        f.untargeted.get("TRACKNUMBER"));
    put(c, "TRACKTOTAL", f.album.get("TOTAL_PARTS"));
    put(c, "DISCNUMBER", f.untargeted.get("DISC"), f.untargeted.get("DISCNUMBER"));
    put(c, "DATE", first(f, "DATE_RELEASED"), first(f, "DATE_RECORDED"), first(f, "DATE"), first(f, "YEAR"));
    put(c, "GENRE", first(f, "GENRE"));
    // The PlayerFields under their Vorbis names (ffmpeg writes the names it is given, upper-cased:
    // COMPOSER, COMMENT, MUSICBRAINZ_TRACKID...), a track's own tag first, then the file's, then
    // the album's.
    FieldSink sink = new FieldSink();
    for (Map<String, String> level : List.of(f.track, f.untargeted, f.album)) {
      for (Map.Entry<String, String> e : level.entrySet()) {
        sink.put(FieldSink.vorbisSlot(e.getKey().toUpperCase(Locale.ROOT)), e.getValue());
      }
    }
    sink.artist(c.get("ARTIST"));
    sink.genre(c.get("GENRE"));
    return VorbisComments.tags(c, sink, 0, null, 0, 0, null);
  }

  private static String first(Found f, String name) {
    String v = f.track.get(name);
    if (v == null) {
      v = f.untargeted.get(name);
    }
    return v != null ? v : f.album.get(name);
  }

  private static void put(Map<String, String> c, String key, String... values) {
    c.remove(key);
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        c.put(key, v);
        return;
      }
    }
  }

  private static String codecName(String codecId) {
    if (codecId == null) {
      return "Matroska";
    }
    return switch (codecId) {
      case "A_VORBIS" -> "Vorbis";
      case "A_OPUS" -> "Opus";
      case "A_FLAC" -> "FLAC";
      case "A_MPEG/L3" -> "MPEG Layer 3";
      case "A_MPEG/L2" -> "MPEG Layer 2";
      case "A_AC3" -> "AC-3";
      case "A_EAC3" -> "E-AC-3";
      case "A_ALAC" -> "ALAC";
      case "A_WAVPACK4" -> "WavPack";
      case "A_TTA1" -> "TTA";
      default -> codecId.startsWith("A_AAC") ? "AAC" : codecId.startsWith("A_PCM") ? "PCM" : codecId;
    };
  }

  /** The children of {@code parent}, which lies whole in {@code b}. */
  private static java.util.List<Element> children(Source in, ByteBuffer b, Element parent) throws TagReadException {
    java.util.List<Element> list = new java.util.ArrayList<>();
    long end = parent.end(b.limit());
    for (long at = parent.dataAt; at < end; ) {
      Element e = element(in, b, at, end);
      if (e == null || e.size == UNKNOWN) {
        break;
      }
      list.add(e);
      at = e.dataAt + e.size;
    }
    return list;
  }

  /**
   * The element header at {@code at}, or null when {@code b} ends first. Its data must end by
   * {@code parentEnd}, unless its size is unknown.
   */
  private static Element element(Source in, ByteBuffer b, long at, long parentEnd) throws TagReadException {
    if (at >= b.limit()) {
      return null;
    }
    int first = b.get((int) at) & 0xFF;
    int idBytes = Integer.numberOfLeadingZeros(first) - 23;
    if (first == 0 || idBytes > 4) {
      throw in.fail(FORMAT, "an element ID with no length marker at " + at);
    }
    if (at + idBytes >= b.limit()) {
      return null;
    }
    int id = 0;
    for (int i = 0; i < idBytes; i++) {
      id = id << 8 | (b.get((int) at + i) & 0xFF);
    }
    long p = at + idBytes;
    int lead = b.get((int) p) & 0xFF;
    int sizeBytes = Integer.numberOfLeadingZeros(lead) - 23;
    if (lead == 0) {
      throw in.fail(FORMAT, "an element size with no length marker at " + p);
    }
    if (p + sizeBytes > b.limit()) {
      return null;
    }
    long size = lead & (0xFF >> sizeBytes);
    boolean allOnes = size == (0xFF >> sizeBytes);
    for (int i = 1; i < sizeBytes; i++) {
      int next = b.get((int) p + i) & 0xFF;
      allOnes &= next == 0xFF;
      size = size << 8 | next;
    }
    long dataAt = p + sizeBytes;
    if (allOnes) {
      return new Element(id, dataAt, UNKNOWN);
    }
    if (size < 0 || dataAt + size > parentEnd) {
      throw in.fail(FORMAT, String.format("element %X at %d declares %d bytes, past the end of its parent (%d)", id,
          at, size, parentEnd));
    }
    return new Element(id, dataAt, size);
  }

  private static long unsigned(ByteBuffer b, Element e) {
    long v = 0;
    for (int i = 0; i < Math.min(8, e.size); i++) {
      v = v << 8 | (b.get((int) e.dataAt + i) & 0xFF);
    }
    return v;
  }

  private static double floating(Source in, ByteBuffer b, Element e) throws TagReadException {
    if (e.size == 4) {
      return b.getFloat((int) e.dataAt);
    } else if (e.size == 8) {
      return b.getDouble((int) e.dataAt);
    } else if (e.size == 0) {
      return 0;
    }
    throw in.fail(FORMAT, "a float of " + e.size + " bytes at " + e.dataAt);
  }

  private static String text(Source in, ByteBuffer b, Element e) throws TagReadException {
    if (e.size > Source.TAG_BYTES_MAX) {
      throw in.fail(FORMAT, "a string of " + e.size + " bytes");
    }
    byte[] bytes = new byte[(int) e.size];
    b.get((int) e.dataAt, bytes);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--; // Strings may be NUL-padded.
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
