package io.github.trackscan.synth;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;

/*
 * Planning is single-threaded and draws every random choice from one SplittableRandom, in a fixed
 * order, so a plan depends only on the seed and the track count. File contents are produced later,
 * on the writer threads, by suppliers that depend only on the planned values: the output is the
 * same whatever the thread count.
 *
 * The first albums are forced to cover every case even in a small library: album 0..6 take each
 * format in turn, albums 0..3 embed covers, the first track of albums 0..4 has a long, NFD, CJK,
 * emoji and quoted name, album 0 has AppleDouble twins, cover.jpg/folder.jpg and a .DS_Store,
 * album 1 an .AppleDouble folder and cue/log, album 2 an m3u and nfo, album 7 is a compilation and
 * album 8 has two discs. After that, formats and covers follow the target shares exactly (each
 * album takes the format furthest below its share) and the rest is random.
 */
/** Plans a library: every folder, file, mtime and content supplier, and the report. */
final class Planner {
  /** 2021-01-01T00:00:00Z: generated mtimes lie in three years from here. */
  static final long BASE_EPOCH_SECOND = 1_609_459_200L;
  static final long SPAN_SECONDS = 3L * 365 * 86_400;
  static final String VARIOUS_ARTISTS = "Various Artists";

  private static final TrackFormat[] FORMATS = TrackFormat.values();
  /** Target share of tracks per format, by ordinal (54% MP3, 30% FLAC, 10% M4A, 5% Ogg; sums to 0.99). */
  private static final double[] SHARES = {0.26, 0.08, 0.14, 0.06, 0.30, 0.10, 0.05};
  private static final TrackFormat[] FORCED_FORMATS = {
    TrackFormat.MP3_ID3V23, TrackFormat.FLAC, TrackFormat.MP3_ID3V24, TrackFormat.M4A,
    TrackFormat.OGG_VORBIS, TrackFormat.MP3_ID3V23_ID3V1, TrackFormat.MP3_ID3V24_ID3V1};
  private static final Names.Style[] FORCED_TITLE_STYLES = {
    Names.Style.LONG, Names.Style.ACCENT_NFD, Names.Style.CJK, Names.Style.EMOJI, Names.Style.QUOTES};
  private static final double COVER_SHARE = 0.10;
  private static final int COVER_BYTES_MIN = 50_000;
  private static final int COVER_BYTES_MAX = 300_000;
  private static final int IMAGE_BYTES_MIN = 30_000;
  private static final int IMAGE_BYTES_MAX = 150_000;
  static final double JUNK_SHARE = 0.002;
  static final String TRASH = ".Trash-1000";

  /** A file to write. */
  record PlannedFile(String path, long mtimeSecond, Supplier<byte[]> content) {}

  /** An artist folder. */
  record Artist(String dir, String name, String genre) {}

  /** An album folder as planned. */
  static final class Album {
    final Artist artist;
    final String dir;
    final String title;
    final int year;
    final TrackFormat format;
    final long baseMtime;
    final List<Extras.Listing> listing = new ArrayList<>();
    final List<SynthTrack> tracks = new ArrayList<>();
    final List<Long> mtimes = new ArrayList<>();
    int nextNumber;

    Album(Artist artist, String dir, String title, int year, TrackFormat format, long baseMtime) {
      this.artist = artist;
      this.dir = dir;
      this.title = title;
      this.year = year;
      this.format = format;
      this.baseMtime = baseMtime;
    }

    long lastMtime() {
      return mtimes.isEmpty() ? baseMtime : mtimes.get(mtimes.size() - 1);
    }
  }

  final long seed;
  final SplittableRandom random;
  /** Smallest covers and audio (see {@link SynthOptions#tiny()}); never changes what is drawn. */
  boolean tiny;
  final List<PlannedFile> files = new ArrayList<>();
  final TreeSet<String> folders = new TreeSet<>();
  final List<SynthTrack> tracks = new ArrayList<>();
  final List<SynthTrack> trashed = new ArrayList<>();
  final List<JunkFile> junk = new ArrayList<>();
  final List<HiddenFile> hidden = new ArrayList<>();
  final List<SideFile> side = new ArrayList<>();
  private final Set<String> artistKeys = new HashSet<>();
  private final Map<String, Set<String>> albumKeys = new HashMap<>();
  private final long[] formatTracks = new long[FORMATS.length];
  private long assignedTracks;

  Planner(long seed, SplittableRandom random, List<String> existingFolders) {
    this.seed = seed;
    this.random = random;
    for (String folder : existingFolders) {
      String[] parts = folder.split("/");
      if (parts[0].startsWith(".")) {
        continue;
      }
      artistKeys.add(key(parts[0]));
      if (parts.length == 2) {
        albumKeys.computeIfAbsent(key(parts[0]), k -> new HashSet<>()).add(key(parts[1]));
      }
    }
  }

  private static String key(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  /** Plans a whole library. */
  static Planner library(SynthOptions options) {
    Planner p = new Planner(options.seed(), new SplittableRandom(options.seed()), List.of());
    p.tiny = options.tiny();
    SplittableRandom r = p.random;
    p.addFile("", ".DS_Store", HiddenKind.DS_STORE, BASE_EPOCH_SECOND + SPAN_SECONDS, Extras::dsStoreFile);
    List<Integer> sizes = albumSizes(r, options.tracks());
    List<Album> albums = new ArrayList<>();
    List<String> artistNames = new ArrayList<>();
    Artist current = null;
    Artist various = null;
    int albumsLeft = 0;
    long coverTracks = 0;
    for (int a = 0; a < sizes.size(); a++) {
      int n = sizes.get(a);
      TrackFormat format = a < FORCED_FORMATS.length ? FORCED_FORMATS[a] : p.nextFormat(n);
      p.countFormat(format, n);
      boolean compilation = a == 7 || (a > 8 && r.nextDouble() < 0.03);
      Artist artist;
      if (compilation) {
        if (various == null) {
          various = p.newArtist(VARIOUS_ARTISTS, Names.Style.PLAIN, "Soundtrack", a == 7);
        }
        artist = various;
      } else {
        if (albumsLeft == 0) {
          current = p.newArtist(r, artistNames.isEmpty());
          artistNames.add(current.name());
          albumsLeft = 1 + r.nextInt(10);
        }
        albumsLeft--;
        artist = current;
      }
      boolean cover = format.supportsCover()
          && (a < 4 || coverTracks + n / 2.0 <= COVER_SHARE * p.assignedTracks);
      int coverBytes = cover ? p.imageBytes(COVER_BYTES_MIN + r.nextInt(COVER_BYTES_MAX - COVER_BYTES_MIN + 1)) : 0;
      coverTracks += cover ? n : 0;
      int discs = n >= 10 && (a == 8 || (a > 8 && r.nextDouble() < 0.05)) ? 2 : 1;
      Names.Style firstStyle = a < FORCED_TITLE_STYLES.length ? FORCED_TITLE_STYLES[a] : null;
      long base = BASE_EPOCH_SECOND + r.nextLong(SPAN_SECONDS - 86_400);
      Album album = p.newAlbum(artist, format, n, discs, coverBytes, base, firstStyle,
          compilation ? artistNames : null);
      albums.add(album);
      p.addSideFiles(album, a);
      p.addHiddenFiles(album, a);
    }
    int junkCount = Math.max(JunkKind.values().length, (int) Math.round(options.tracks() * JUNK_SHARE));
    for (int j = 0; j < junkCount; j++) {
      p.addJunk(albums.get(r.nextInt(albums.size())), JunkKind.values()[j % JunkKind.values().length]);
    }
    int trashCount = Math.max(2, (int) Math.round(options.tracks() / 5000.0));
    p.addTrash(trashCount, artistNames);
    return p;
  }

  /** An image's size: the one drawn, or the smallest valid JPEG for a tiny library (drawn all the same). */
  int imageBytes(int drawn) {
    return tiny ? Covers.minBytes() : drawn;
  }

  /** Album sizes of 10 to 14 tracks summing to {@code total} (a last remainder may be smaller). */
  static List<Integer> albumSizes(SplittableRandom r, int total) {
    List<Integer> sizes = new ArrayList<>();
    int remaining = total;
    while (remaining > 0) {
      int size;
      if (remaining <= 14) {
        size = remaining;
      } else {
        size = 10 + r.nextInt(5);
        if (remaining - size < 10) {
          size = remaining - 10 >= 10 ? remaining - 10 : Math.min(14, remaining - 10 + 5);
        }
      }
      sizes.add(size);
      remaining -= size;
    }
    return sizes;
  }

  /** The format furthest below its target share once this album's {@code n} tracks are counted. */
  TrackFormat nextFormat(int n) {
    int best = 0;
    double bestDeficit = Double.NEGATIVE_INFINITY;
    for (int f = 0; f < FORMATS.length; f++) {
      double deficit = SHARES[f] / 0.99 * (assignedTracks + n) - formatTracks[f];
      if (deficit > bestDeficit) {
        bestDeficit = deficit;
        best = f;
      }
    }
    return FORMATS[best];
  }

  void countFormat(TrackFormat format, int n) {
    formatTracks[format.ordinal()] += n;
    assignedTracks += n;
  }

  Artist newArtist(SplittableRandom r, boolean first) {
    while (true) {
      Names.Style style = first ? Names.Style.ACCENT_NFD : Names.style(r);
      String name = Names.artist(r, style == Names.Style.LONG ? Names.Style.PLAIN : style);
      Artist artist = newArtist(name, style, Names.GENRES[r.nextInt(Names.GENRES.length)], first || r.nextDouble() < 0.03);
      if (artist != null) {
        return artist;
      }
    }
  }

  /** A new artist folder, or null if the name is taken. */
  Artist newArtist(String name, Names.Style style, String genre, boolean dsStore) {
    String dir = Names.onDisk(name, style);
    if (!artistKeys.add(key(dir))) {
      return null;
    }
    folders.add(dir);
    Artist artist = new Artist(dir, name, genre);
    if (dsStore) {
      addFile(dir, ".DS_Store", HiddenKind.DS_STORE, BASE_EPOCH_SECOND + random.nextLong(SPAN_SECONDS),
          Extras::dsStoreFile);
    }
    return artist;
  }

  /**
   * Plans an album folder and its tracks.
   *
   * @param guests artists to credit on a compilation's tracks, or null for the album artist
   */
  Album newAlbum(Artist artist, TrackFormat format, int n, int discs, int coverBytes, long base,
      Names.Style firstStyle, List<String> guests) {
    SplittableRandom r = random;
    String title;
    String dir;
    int year;
    while (true) {
      Names.Style style = Names.style(r);
      title = Names.phrase(r, style);
      year = 1965 + r.nextInt(59);
      dir = Names.onDisk(title, style) + " (" + year + ")";
      if (albumKeys.computeIfAbsent(key(artist.dir()), k -> new HashSet<>()).add(key(dir))) {
        break;
      }
    }
    String albumDir = artist.dir() + "/" + dir;
    folders.add(albumDir);
    Album album = new Album(artist, albumDir, title, year, format, base);
    int perDisc = (n + discs - 1) / discs;
    for (int i = 0; i < n; i++) {
      int disc = 1 + i / perDisc;
      int number = 1 + i % perDisc;
      int discTracks = disc < discs ? perDisc : n - perDisc * (discs - 1);
      String prefix = (discs > 1 ? disc + "-" : "") + String.format("%02d", number) + " - ";
      String suffix = "." + format.extension();
      Names.Style style = i == 0 && firstStyle != null ? firstStyle : Names.style(r);
      String trackTitle = style == Names.Style.LONG
          ? Names.longTitle(r, Names.utf8(prefix + suffix)) : Names.phrase(r, style);
      String fileName = prefix + Names.onDisk(trackTitle, style) + suffix;
      if (Names.utf8(fileName) > Names.NAME_BYTES_MAX) {
        trackTitle = Names.phrase(r, Names.Style.PLAIN);
        fileName = prefix + trackTitle + suffix;
      }
      String trackArtist = guests == null ? artist.name() : guests.get(r.nextInt(guests.size()));
      TrackTags tags = new TrackTags(trackTitle, trackArtist, title, artist.name(), number, discTracks,
          disc, discs, year, artist.genre());
      SynthTrack track = new SynthTrack(albumDir + "/" + fileName, format, tags, coverBytes);
      long mtime = base + 45L * i + r.nextInt(40);
      album.listing.add(new Extras.Listing(fileName, tags));
      album.tracks.add(track);
      album.mtimes.add(mtime);
      tracks.add(track);
      long librarySeed = seed;
      boolean tinyFile = tiny;
      files.add(new PlannedFile(track.path(), mtime, () -> TrackCodec.encode(track, librarySeed, tinyFile)));
    }
    album.nextNumber = n + 1;
    return album;
  }

  private void addSideFiles(Album album, int index) {
    SplittableRandom r = random;
    long t = album.lastMtime() + 60;
    if (index == 0 || r.nextDouble() < 0.36) {
      boolean folderJpg = index != 0 && r.nextBoolean();
      int bytes = imageBytes(IMAGE_BYTES_MIN + r.nextInt(IMAGE_BYTES_MAX - IMAGE_BYTES_MIN + 1));
      long imageSeed = TrackCodec.hash(seed, album.dir + "/image");
      addSide(album.dir, folderJpg ? "folder.jpg" : "cover.jpg", folderJpg ? SideKind.FOLDER_JPG : SideKind.COVER_JPG,
          t, () -> Covers.jpeg(bytes, imageSeed));
    }
    String base = sideBaseName(album);
    double cueShare = album.format == TrackFormat.FLAC ? 0.35 : 0.04;
    if (index == 1 || r.nextDouble() < cueShare) {
      String audio = album.artist.name() + " - " + album.title + ".wav";
      addSide(album.dir, base + ".cue", SideKind.CUE, t + 1, () -> Extras.cue(album.artist.name(),
          album.title, album.year, album.artist.genre(), audio, album.listing));
    }
    if (index == 1 || r.nextDouble() < cueShare) {
      addSide(album.dir, base + ".log", SideKind.LOG, t + 2,
          () -> Extras.log(album.artist.name(), album.title, album.listing));
    }
    if (index == 2 || r.nextDouble() < 0.10) {
      addSide(album.dir, base + ".m3u", SideKind.M3U, t + 3, () -> Extras.m3u(album.listing));
    }
    if (index == 2 || r.nextDouble() < 0.10) {
      addSide(album.dir, base + ".nfo", SideKind.NFO, t + 4,
          () -> Extras.nfo(album.artist.name(), album.title, album.year, album.artist.genre(), album.listing));
    }
  }

  /** The album's folder name without the year, or "album" if an extension would make it too long. */
  private static String sideBaseName(Album album) {
    String folder = album.dir.substring(album.dir.lastIndexOf('/') + 1);
    String name = folder.substring(0, folder.lastIndexOf(" ("));
    return Names.utf8(name) + 4 <= Names.NAME_BYTES_MAX && !name.startsWith(".") ? name : "album";
  }

  private void addHiddenFiles(Album album, int index) {
    SplittableRandom r = random;
    if (index == 0 || r.nextDouble() < 0.012) {
      for (int i = 0; i < album.listing.size(); i++) {
        String name = "._" + album.listing.get(i).fileName();
        if (Names.utf8(name) <= Names.NAME_BYTES_MAX) {
          addFile(album.dir, name, HiddenKind.APPLE_DOUBLE_TWIN, album.mtimes.get(i), Extras::appleDoubleTwin);
        }
      }
    }
    if (index == 1 || r.nextDouble() < 0.01) {
      String netatalk = album.dir + "/.AppleDouble";
      folders.add(netatalk);
      addFile(netatalk, ".Parent", HiddenKind.NETATALK_ENTRY, album.baseMtime, Extras::netatalkEntry);
      for (int i = 0; i < album.listing.size(); i++) {
        addFile(netatalk, album.listing.get(i).fileName(), HiddenKind.NETATALK_ENTRY, album.mtimes.get(i),
            Extras::netatalkEntry);
      }
    }
    if (index == 0 || r.nextDouble() < 0.03) {
      addFile(album.dir, ".DS_Store", HiddenKind.DS_STORE, album.lastMtime() + 120, Extras::dsStoreFile);
    }
  }

  private void addJunk(Album album, JunkKind kind) {
    int number = album.nextNumber++;
    String title = Names.phrase(random, Names.Style.PLAIN);
    String path = album.dir + "/" + String.format("%02d - %s.%s", number, title, kind.extension());
    TrackTags tags = new TrackTags(title, album.artist.name(), album.title, album.artist.name(), number,
        number, 1, 1, album.year, album.artist.genre());
    junk.add(new JunkFile(path, kind));
    files.add(new PlannedFile(path, album.lastMtime() + 30L * number, () -> Extras.junk(kind, tags)));
  }

  private void addTrash(int count, List<String> artistNames) {
    SplittableRandom r = random;
    String trashFiles = TRASH + "/files";
    String trashInfo = TRASH + "/info";
    folders.add(TRASH);
    folders.add(trashFiles);
    folders.add(trashInfo);
    for (int i = 0; i < count; i++) {
      String artist = artistNames.get(r.nextInt(artistNames.size()));
      String album = Names.phrase(r, Names.Style.PLAIN);
      String title = Names.phrase(r, Names.Style.PLAIN);
      int year = 1965 + r.nextInt(59);
      int number = 1 + r.nextInt(12);
      TrackTags tags = new TrackTags(title, artist, album, artist, number, 12, 1, 1, year,
          Names.GENRES[r.nextInt(Names.GENRES.length)]);
      String name = String.format("%02d - %s.mp3", number, title);
      if (!trashed.stream().allMatch(t -> !t.path().endsWith("/" + name))) {
        continue; // the same name twice in the trash: keep the first
      }
      SynthTrack track = new SynthTrack(trashFiles + "/" + name, TrackFormat.MP3_ID3V23, tags, 0);
      long mtime = BASE_EPOCH_SECOND + r.nextLong(SPAN_SECONDS);
      trashed.add(track);
      long librarySeed = seed;
      boolean tinyFile = tiny;
      addFile(trashFiles, name, HiddenKind.TRASHED_AUDIO, mtime, () -> TrackCodec.encode(track, librarySeed, tinyFile));
      String original = artist + "/" + album + " (" + year + ")/" + name;
      addFile(trashInfo, name + ".trashinfo", HiddenKind.TRASH_INFO, mtime + 86_400,
          () -> Extras.trashInfo(original, mtime + 86_400));
    }
  }

  private void addSide(String dir, String name, SideKind kind, long mtime, Supplier<byte[]> content) {
    String path = dir + "/" + name;
    side.add(new SideFile(path, kind));
    files.add(new PlannedFile(path, mtime, content));
  }

  private void addFile(String dir, String name, HiddenKind kind, long mtime, Supplier<byte[]> content) {
    String path = dir.isEmpty() ? name : dir + "/" + name;
    hidden.add(new HiddenFile(path, kind));
    files.add(new PlannedFile(path, mtime, content));
  }

  SynthReport report() {
    return new SynthReport(seed, tiny, tracks, trashed, junk, hidden, side, new ArrayList<>(folders));
  }
}
