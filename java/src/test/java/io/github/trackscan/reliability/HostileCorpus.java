package io.github.trackscan.reliability;

import io.github.trackscan.synth.SynthReport;
import io.github.trackscan.synth.SynthTrack;
import io.github.trackscan.synth.TrackFormat;
import io.github.trackscan.walk.WalkOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/*
 * Hostile audio files made from valid synthetic ones, each mutation aimed at a parser's weak spot:
 *   truncation at every structural boundary (ID3 header, each ID3 frame, the first audio frame,
 *   ID3v1; fLaC, each metadata block, STREAMINFO; every MP4 atom header and body down the moov tree;
 *   every Ogg page), declared sizes past the end and huge (2^31, 2^32-1, 64-bit 2^62), zero and
 *   too-small sizes, MP4 atoms whose size sends the parser back to itself (64-bit size 0 or -8),
 *   nesting 20,000 deep, counts and rates of zero (divisions) or 2^31 (allocations), random bytes
 *   with and without a valid magic, and 2 GiB sparse files. Everything derives from the seed.
 */
/** Writes the hostile corpus; see the comment above for what it holds. */
final class HostileCorpus {
  static final long SPARSE_BYTES = 1L << 31;

  private final Path out;
  private final SplittableRandom random;
  /** Files written, by kind of mutation. */
  final Map<String, Integer> counts = new TreeMap<>();
  /** The unmodified samples, which must parse. */
  final List<Path> controls = new ArrayList<>();
  final List<Path> files = new ArrayList<>();

  private HostileCorpus(Path out, long seed) {
    this.out = out;
    this.random = new SplittableRandom(seed);
  }

  /** Writes the corpus into {@code out} from the tracks of the synthetic library at {@code synthRoot}. */
  static HostileCorpus write(Path synthRoot, SynthReport synth, Path out, long seed) throws IOException {
    HostileCorpus corpus = new HostileCorpus(out, seed);
    Files.createDirectories(out);
    Set<String> usedFormats = new TreeSet<>();
    for (SynthTrack track : synth.tracks()) {
      String key = track.format() + (track.coverBytes() > 0 ? "+cover" : "");
      if (!usedFormats.add(key)) {
        continue;
      }
      byte[] bytes = Files.readAllBytes(synthRoot.resolve(track.path()));
      String base = key.toLowerCase().replace('+', '-');
      Path control = corpus.file("control", base + "." + track.format().extension(), bytes);
      corpus.controls.add(control);
      switch (track.format()) {
        case FLAC -> corpus.flac(base, bytes);
        case M4A -> corpus.mp4(base, bytes);
        case OGG_VORBIS -> corpus.ogg(base, bytes);
        default -> corpus.mp3(base, bytes, track.format());
      }
    }
    corpus.randomFiles();
    corpus.deepNesting();
    return corpus;
  }

  /** Adds the 2 GiB sparse files: zeros, and valid heads followed by zeros. */
  void sparse(byte[] mp3Head, byte[] flacHead, byte[] m4a) throws IOException {
    sparseFile("zeros.mp3", new byte[0]);
    sparseFile("zeros.flac", new byte[0]);
    sparseFile("zeros.m4a", new byte[0]);
    sparseFile("mp3-head.mp3", mp3Head);
    sparseFile("flac-head.flac", flacHead);
    sparseFile("m4a-head.m4a", m4a);
  }

  private void sparseFile(String name, byte[] head) throws IOException {
    Path path = out.resolve("sparse").resolve(name);
    Files.createDirectories(path.getParent());
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.write(head);
      file.setLength(SPARSE_BYTES);
    }
    counts.merge("sparse 2 GiB", 1, Integer::sum);
    files.add(path);
  }

  private Path file(String kind, String name, byte[] bytes) throws IOException {
    Path path = out.resolve(kind.replace(' ', '-')).resolve(name);
    Files.createDirectories(path.getParent());
    Files.write(path, bytes);
    if (!kind.equals("control")) {
      counts.merge(kind, 1, Integer::sum);
    }
    files.add(path);
    return path;
  }

  private void truncations(String base, String ext, byte[] bytes, Set<Integer> points) throws IOException {
    for (int k = 1; k <= 8; k++) {
      points.add(bytes.length * k / 9); // and evenly through the file
    }
    for (int at : points) {
      if (at >= 0 && at < bytes.length) {
        file("truncated", base + "-cut" + at + "." + ext, Arrays.copyOf(bytes, at));
      }
    }
  }

  private void patched(String kind, String name, byte[] bytes, int offset, byte... patch) throws IOException {
    if (offset < 0 || offset + patch.length > bytes.length) {
      return;
    }
    byte[] copy = bytes.clone();
    System.arraycopy(patch, 0, copy, offset, patch.length);
    file(kind, name, copy);
  }

  private static byte[] be32(long v) {
    return ByteBuffer.allocate(4).putInt((int) v).array();
  }

  private static byte[] le32(long v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
  }

  private static byte[] be64(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private static int u32be(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  private static int syncsafe(byte[] b, int at) {
    return ((b[at] & 0x7f) << 21) | ((b[at + 1] & 0x7f) << 14) | ((b[at + 2] & 0x7f) << 7) | (b[at + 3] & 0x7f);
  }

  // ---- MP3: ID3v2 header, frames, audio frames, ID3v1 ----

  private void mp3(String base, byte[] b, TrackFormat format) throws IOException {
    int tagEnd = 10 + syncsafe(b, 6);
    Set<Integer> cuts = new TreeSet<>(List.of(0, 1, 3, 5, 6, 8, 9, 10, tagEnd - 1, tagEnd, tagEnd + 1, tagEnd + 2,
        tagEnd + 4, tagEnd + 100, b.length - 129, b.length - 128, b.length - 127, b.length - 1));
    List<Integer> frames = new ArrayList<>();
    for (int at = 10; at + 10 <= tagEnd && b[at] != 0; ) {
      frames.add(at);
      int size = format.id3v2Version() == 4 ? syncsafe(b, at + 4) : u32be(b, at + 4);
      cuts.addAll(List.of(at + 4, at + 8, at + 10, at + 10 + size / 2));
      at += 10 + size;
    }
    truncations(base, "mp3", b, cuts);
    patched("tag size past end", base + "-tagsize.mp3", b, 6, (byte) 0x7f, (byte) 0x7f, (byte) 0x7f, (byte) 0x7f);
    patched("bad header", base + "-version255.mp3", b, 3, (byte) 0xff);
    patched("bad header", base + "-allflags.mp3", b, 5, (byte) 0xff);
    byte[] ext = b.clone();
    ext[5] = 0x40; // an extended header, whose declared size is huge
    patched("huge size", base + "-exthdr.mp3", ext, 10, be32(0x7fffffffL));
    patched("bad audio", base + "-audioff.mp3", b, tagEnd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff);
    patched("bad audio", base + "-audio00.mp3", b, tagEnd, new byte[Math.min(64, b.length - tagEnd)]);
    for (int i = 0; i < Math.min(4, frames.size()); i++) {
      int at = frames.get(i);
      patched("huge size", base + "-f" + i + "-2p31.mp3", b, at + 4, be32(0x80000000L));
      patched("huge size", base + "-f" + i + "-max.mp3", b, at + 4, be32(0xffffffffL));
      patched("huge size", base + "-f" + i + "-2p31m1.mp3", b, at + 4, be32(0x7fffffffL));
      patched("huge size", base + "-f" + i + "-syncsafe.mp3", b, at + 4, be32(0x7f7f7f7fL));
      patched("zero size", base + "-f" + i + "-zero.mp3", b, at + 4, be32(0));
      patched("bad frame", base + "-f" + i + "-id.mp3", b, at, (byte) 0xff, (byte) 0, (byte) 0x7f, (byte) '!');
    }
  }

  // ---- FLAC: fLaC, metadata blocks (STREAMINFO first), frames ----

  private void flac(String base, byte[] b) throws IOException {
    Set<Integer> cuts = new TreeSet<>(List.of(0, 1, 3, 4, 5, 7, 8, 18, 25, 41, 42, 43, b.length - 1));
    List<int[]> blocks = new ArrayList<>(); // {offset, type, length}
    int at = 4;
    while (at + 4 <= b.length) {
      int type = b[at] & 0x7f;
      int length = ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
      blocks.add(new int[] {at, type, length});
      cuts.addAll(List.of(at + 1, at + 4, at + 4 + length / 2, at + 4 + length - 1));
      boolean last = (b[at] & 0x80) != 0;
      at += 4 + length;
      if (last) {
        break;
      }
    }
    cuts.addAll(List.of(at - 1, at, at + 1, at + 10));
    truncations(base, "flac", b, cuts);
    byte[] noLast = b.clone();
    for (int[] block : blocks) {
      noLast[block[0]] &= 0x7f;
    }
    file("bad header", base + "-nolastblock.flac", noLast);
    patched("bad header", base + "-streaminfo-type.flac", b, 4, (byte) 0x7f);
    // STREAMINFO: sample rate, channels, bits and total samples all zero (divisions by zero).
    patched("zero values", base + "-zero-rate.flac", b, 8 + 10, new byte[8]);
    for (int i = 0; i < blocks.size(); i++) {
      int[] block = blocks.get(i);
      int o = block[0];
      patched("huge size", base + "-b" + i + "-len-max.flac", b, o + 1, (byte) 0xff, (byte) 0xff, (byte) 0xff);
      patched("zero size", base + "-b" + i + "-len-zero.flac", b, o + 1, (byte) 0, (byte) 0, (byte) 0);
      patched("zero size", base + "-b" + i + "-len-one.flac", b, o + 1, (byte) 0, (byte) 0, (byte) 1);
      if (block[1] == 4) { // VORBIS_COMMENT: vendor length, comment count, first comment length (LE)
        int vendor = (b[o + 4] & 0xff) | (b[o + 5] & 0xff) << 8 | (b[o + 6] & 0xff) << 16 | (b[o + 7] & 0xff) << 24;
        patched("huge size", base + "-vendor-2p31.flac", b, o + 4, le32(0x7fffffffL));
        patched("huge size", base + "-vendor-max.flac", b, o + 4, le32(0xffffffffL));
        patched("huge size", base + "-count-max.flac", b, o + 8 + vendor, le32(0xffffffffL));
        patched("huge size", base + "-count-2p31.flac", b, o + 8 + vendor, le32(0x7fffffffL));
        patched("huge size", base + "-comment-2p31.flac", b, o + 12 + vendor, le32(0x7fffffffL));
      }
      if (block[1] == 6) { // PICTURE: type, mime length, mime, description length, ..., data length
        int mime = u32be(b, o + 8);
        patched("huge size", base + "-mime-2p31.flac", b, o + 8, be32(0x7fffffffL));
        patched("huge size", base + "-desc-max.flac", b, o + 12 + mime, be32(0xffffffffL));
        int desc = u32be(b, o + 12 + mime);
        patched("huge size", base + "-picture-2p31.flac", b, o + 16 + mime + desc + 16, be32(0x7fffffffL));
      }
    }
  }

  // ---- MP4: atoms, down the moov tree ----

  private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "udta",
      "meta", "ilst", "\u00a9nam", "\u00a9ART", "\u00a9alb", "aART", "trkn", "disk", "\u00a9day", "\u00a9gen", "covr");

  /** {offset, size, depth} of every atom reachable through containers. */
  private static List<int[]> atoms(byte[] b) {
    List<int[]> atoms = new ArrayList<>();
    Deque<int[]> ranges = new ArrayDeque<>(); // {from, to, depth}
    ranges.push(new int[] {0, b.length, 0});
    while (!ranges.isEmpty()) {
      int[] range = ranges.pop();
      for (int at = range[0]; at + 8 <= range[1]; ) {
        int size = u32be(b, at);
        if (size < 8 || at + size > range[1]) {
          break;
        }
        String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
        atoms.add(new int[] {at, size, range[2]});
        if (CONTAINERS.contains(type) && range[2] < 12) {
          int skip = type.equals("meta") ? 12 : 8; // meta is a full box: version and flags first
          ranges.push(new int[] {at + skip, at + size, range[2] + 1});
        }
        at += size;
      }
    }
    atoms.sort((x, y) -> Integer.compare(x[0], y[0]));
    return atoms;
  }

  private void mp4(String base, byte[] b) throws IOException {
    List<int[]> atoms = atoms(b);
    Set<Integer> cuts = new TreeSet<>(List.of(0, 4, 8, b.length - 1));
    for (int[] atom : atoms) {
      cuts.addAll(List.of(atom[0], atom[0] + 4, atom[0] + 8, atom[0] + atom[1] / 2, atom[0] + atom[1] - 1));
    }
    truncations(base, "m4a", b, cuts);
    for (int i = 0; i < atoms.size(); i++) {
      int at = atoms.get(i)[0];
      String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1).replaceAll("[^a-z0-9]", "_");
      String name = base + "-a" + i + "-" + type;
      patched("zero size", name + "-size0.m4a", b, at, be32(0));
      patched("zero size", name + "-size4.m4a", b, at, be32(4));
      patched("zero size", name + "-size8.m4a", b, at, be32(8));
      patched("huge size", name + "-2p31.m4a", b, at, be32(0x80000000L));
      patched("huge size", name + "-max.m4a", b, at, be32(0xffffffffL));
      patched("huge size", name + "-large2p62.m4a", b, at, concat(be32(1), Arrays.copyOfRange(b, at + 4, at + 8), be64(1L << 62)));
      patched("atom loop", name + "-large0.m4a", b, at, concat(be32(1), Arrays.copyOfRange(b, at + 4, at + 8), be64(0)));
      patched("atom loop", name + "-large-minus8.m4a", b, at, concat(be32(1), Arrays.copyOfRange(b, at + 4, at + 8), be64(-8)));
      patched("atom loop", name + "-large8.m4a", b, at, concat(be32(1), Arrays.copyOfRange(b, at + 4, at + 8), be64(8)));
      String full = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
      if (Set.of("stsz", "stco", "stts", "stsc", "stsd", "dref").contains(full)) {
        int countAt = at + 12 + (full.equals("stsz") ? 4 : 0); // version+flags, [sample size], count
        patched("huge size", name + "-count-2p31.m4a", b, countAt, be32(0x7fffffffL));
        patched("huge size", name + "-count-max.m4a", b, countAt, be32(0xffffffffL));
      }
      if (full.equals("mdhd") || full.equals("mvhd")) {
        patched("zero values", name + "-timescale0.m4a", b, at + 20, be32(0));
      }
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer all = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.array();
  }

  /** ftyp, then containers nested 20,000 deep: recursion must not blow the stack (or must be caught). */
  private void deepNesting() throws IOException {
    int depth = 20_000;
    byte[] ftyp = concat(be32(20), "ftypM4A ".getBytes(StandardCharsets.ISO_8859_1), be32(0x200), "M4A ".getBytes(StandardCharsets.ISO_8859_1));
    for (String type : List.of("moov", "trak", "udta")) {
      ByteBuffer nest = ByteBuffer.allocate(depth * 8);
      for (int i = 0; i < depth; i++) {
        nest.putInt((depth - i) * 8).put((i == 0 ? "moov" : type).getBytes(StandardCharsets.ISO_8859_1));
      }
      file("deep nesting", "nested-" + type + ".m4a", concat(ftyp, nest.array()));
    }
  }

  // ---- Ogg: pages ----

  private void ogg(String base, byte[] b) throws IOException {
    List<Integer> pages = new ArrayList<>();
    for (int at = 0; at + 27 <= b.length; at++) {
      if (b[at] == 'O' && b[at + 1] == 'g' && b[at + 2] == 'g' && b[at + 3] == 'S') {
        pages.add(at);
      }
    }
    Set<Integer> cuts = new TreeSet<>(List.of(0, 1, 4, b.length - 1));
    for (int page : pages) {
      int segments = b[page + 26] & 0xff;
      cuts.addAll(List.of(page, page + 4, page + 26, page + 27, page + 27 + segments, page + 27 + segments + 8));
    }
    truncations(base, "ogg", b, cuts);
    for (int i = 0; i < Math.min(3, pages.size()); i++) {
      int page = pages.get(i);
      byte[] lacing = new byte[256];
      Arrays.fill(lacing, (byte) 0xff);
      patched("huge size", base + "-p" + i + "-lacing.ogg", b, page + 26, lacing);
      patched("bad header", base + "-p" + i + "-crc.ogg", b, page + 22, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef);
      int data = page + 27 + (b[page + 26] & 0xff);
      if (data + 7 < b.length && b[data] == 1) { // identification header: channels, sample rate
        patched("zero values", base + "-zero-rate.ogg", b, data + 11, new byte[5]);
      }
      if (data + 11 < b.length && b[data] == 3) { // comment header: vendor length, count (LE)
        int vendor = (b[data + 7] & 0xff) | (b[data + 8] & 0xff) << 8 | (b[data + 9] & 0xff) << 16 | (b[data + 10] & 0xff) << 24;
        patched("huge size", base + "-vendor-2p31.ogg", b, data + 7, le32(0x7fffffffL));
        patched("huge size", base + "-count-max.ogg", b, data + 11 + vendor, le32(0xffffffffL));
        patched("huge size", base + "-count-2p31.ogg", b, data + 11 + vendor, le32(0x7fffffffL));
      }
    }
  }

  // ---- random bytes, with and without a valid magic ----

  private void randomFiles() throws IOException {
    List<String> extensions = new ArrayList<>(new TreeSet<>(WalkOptions.AUDIO_EXTENSIONS));
    int[] sizes = {0, 1, 2, 3, 4, 7, 8, 10, 11, 16, 27, 42, 64, 128, 512, 4096, 65536};
    for (int i = 0; i < 72; i++) {
      int size = i < sizes.length ? sizes[i] : random.nextInt(1, 200_000);
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      file("random bytes", "random" + i + "." + extensions.get(i % extensions.size()), bytes);
    }
    byte[][] magics = {
      "ID3\3\0\0".getBytes(StandardCharsets.ISO_8859_1),
      "ID3\4\0\0".getBytes(StandardCharsets.ISO_8859_1),
      "fLaC".getBytes(StandardCharsets.ISO_8859_1),
      "fLaC\0\0\0\42".getBytes(StandardCharsets.ISO_8859_1),
      "OggS\0\2".getBytes(StandardCharsets.ISO_8859_1),
      concat(be32(24), "ftypM4A ".getBytes(StandardCharsets.ISO_8859_1)),
      "RIFF\377\377\377\177WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1),
      "FORM\177\377\377\377AIFFCOMM".getBytes(StandardCharsets.ISO_8859_1),
      "MAC \226\17".getBytes(StandardCharsets.ISO_8859_1),
      "wvpk".getBytes(StandardCharsets.ISO_8859_1),
      {(byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64},
      {0x30, 0x26, (byte) 0xb2, 0x75, (byte) 0x8e, 0x66, (byte) 0xcf, 0x11},
    };
    String[] magicExtensions = {"mp3", "mp3", "flac", "flac", "ogg", "m4a", "wav", "aiff", "ape", "wv", "mp3", "wma"};
    for (int i = 0; i < magics.length; i++) {
      for (int k = 0; k < 4; k++) {
        byte[] tail = new byte[k == 0 ? 0 : random.nextInt(1, 20_000)];
        random.nextBytes(tail);
        file("magic then random", "magic" + i + "-" + k + "." + magicExtensions[i], concat(magics[i], tail));
      }
    }
  }
}
