package io.github.trackscan.synth;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.SplittableRandom;

/*
 * Names mix plain English word pairs with the cases that break scanners: accented names written in
 * NFC and in NFD (as macOS writes them), CJK, emoji (4-byte UTF-8), straight and curly quotes, and
 * names over 190 bytes. Tag values are always NFC; only file and folder names are ever NFD.
 */
/** Makes artist, album and track names. */
final class Names {
  /** How a name is spelled, chosen per name. */
  enum Style { PLAIN, ACCENT_NFC, ACCENT_NFD, CJK, EMOJI, QUOTES, LONG }

  /** Longest file name the generator writes, in UTF-8 bytes (Linux allows 255). */
  static final int NAME_BYTES_MAX = 255;
  /** A long name is longer than this many UTF-8 bytes. */
  static final int LONG_NAME_BYTES = 190;

  private static final String[] ADJECTIVES = {
    "Silent", "Golden", "Broken", "Electric", "Hollow", "Crimson", "Velvet", "Midnight", "Paper",
    "Neon", "Distant", "Quiet", "Wild", "Northern", "Lonely", "Burning", "Frozen", "Hidden",
    "Fading", "Bright", "Copper", "Glass", "Iron", "Lucky", "Restless", "Secret", "Sleeping",
    "Wandering", "Savage", "Tender", "Blue", "Scarlet", "Hungry", "Endless", "Empty", "Summer",
    "Winter", "Silver", "Faded", "Dusty"};
  private static final String[] NOUNS = {
    "Rivers", "Lanterns", "Engines", "Horses", "Mirrors", "Satellites", "Gardens", "Oceans",
    "Shadows", "Wolves", "Echoes", "Streets", "Machines", "Canyons", "Harbors", "Letters", "Birds",
    "Ghosts", "Cities", "Flowers", "Stars", "Bridges", "Windows", "Islands", "Voices", "Hearts",
    "Clouds", "Trains", "Waves", "Fires", "Signals", "Rooms", "Kings", "Daughters", "Tides",
    "Forests", "Roads", "Highways", "Sparrows", "Comets"};
  private static final String[] FIRST = {
    "Anna", "Marcus", "Lena", "Oscar", "Maya", "Theo", "Clara", "Felix", "Iris", "Jonas", "Nora",
    "Hugo", "Ruth", "Elias", "Vera", "Milo", "June", "Arlo", "Ada", "Otis", "Esme", "Leon", "Ines",
    "Basil", "Freya", "Tobias", "Greta", "Silas", "Hazel", "Jasper"};
  private static final String[] LAST = {
    "Holloway", "Lindqvist", "Moreau", "Okafor", "Brennan", "Castellano", "Vance", "Whitlock",
    "Nakamura", "Petrov", "Ashby", "Delacroix", "Fairweather", "Kowalski", "Marsh", "Quinn",
    "Rasmussen", "Sinclair", "Thorne", "Underwood", "Valdez", "Winter", "Yilmaz", "Zimmer", "Abbott",
    "Blackwood", "Carver", "Dunmore", "Eklund", "Fontaine"};
  private static final String[] ENSEMBLES = {
    "Quartet", "Trio", "Orchestra", "Band", "Collective", "Ensemble", "Project", "Sound System"};
  private static final String[] ACCENTED = {
    "Café", "Björk", "Mötley", "Beyoncé", "Señor", "Ångström", "Zoë", "Naïve", "Déjà Vu", "Über",
    "Façade", "Crème Brûlée", "Mañana", "Fjällräven", "Éclair", "Søren", "Dvořák", "Łódź", "Résumé",
    "Jalapeño", "Rhône", "Noël", "Garçon", "Sigur Rós"};
  private static final String[] CJK = {
    "東京", "夜明け", "桜", "風の歌", "青い空", "月光", "坂道", "花火", "星空", "雨音", "사랑", "바다",
    "하늘", "北京", "上海之夜", "春よ来い", "夢", "光と影"};
  private static final String[] EMOJI = {
    "🎵", "🔥", "🌙", "💔", "✨", "🎸", "🌊", "🚀", "🌸", "😀"};
  private static final String[] QUOTED = {
    "Don't Stop", "Rock 'n' Roll", "\"Heroes\"", "“Quoted”", "It's Over", "‘Til Dawn",
    "Say \"Yes\"", "Rock & Roll Ain't Noise"};
  private static final String[] LONG_TAILS = {
    "Extended", "Live", "Version", "Recorded", "at", "the", "Royal", "Albert", "Hall", "on", "a",
    "Rainy", "Tuesday", "Night", "with", "Strings", "Remastered", "Deluxe", "Anniversary", "Edition",
    "Bonus", "Demo", "Take", "Alternate", "Mix"};
  static final String[] GENRES = {
    "Rock", "Pop", "Jazz", "Classical", "Electronic", "Hip-Hop", "Metal", "Folk", "Blues", "Reggae",
    "Country", "Soundtrack", "Ambient", "Punk", "Soul", "Funk", "Indie", "Drum & Bass"};

  private Names() {}

  static Style style(SplittableRandom r) {
    double x = r.nextDouble();
    if (x < 0.030) return Style.ACCENT_NFC;
    if (x < 0.060) return Style.ACCENT_NFD;
    if (x < 0.090) return Style.CJK;
    if (x < 0.100) return Style.EMOJI;
    if (x < 0.140) return Style.QUOTES;
    if (x < 0.145) return Style.LONG;
    return Style.PLAIN;
  }

  private static String pick(SplittableRandom r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  /** An NFC name (a tag value) in the given style; LONG is treated as PLAIN here. */
  static String phrase(SplittableRandom r, Style style) {
    String base = pick(r, ADJECTIVES) + " " + pick(r, NOUNS);
    return switch (style) {
      case PLAIN, LONG -> r.nextInt(4) == 0 ? "The " + base : base;
      case ACCENT_NFC, ACCENT_NFD -> r.nextBoolean() ? pick(r, ACCENTED) + " " + pick(r, NOUNS)
          : pick(r, ADJECTIVES) + " " + pick(r, ACCENTED);
      case CJK -> r.nextInt(3) == 0 ? pick(r, CJK) + " " + pick(r, NOUNS) : pick(r, CJK) + pick(r, CJK);
      case EMOJI -> base + " " + pick(r, EMOJI);
      case QUOTES -> r.nextBoolean() ? pick(r, QUOTED) : pick(r, QUOTED) + " (" + base + ")";
    };
  }

  static String artist(SplittableRandom r, Style style) {
    if (style != Style.PLAIN && style != Style.LONG) {
      return phrase(r, style);
    }
    return switch (r.nextInt(4)) {
      case 0 -> pick(r, FIRST) + " " + pick(r, LAST);
      case 1 -> "The " + pick(r, ADJECTIVES) + " " + pick(r, NOUNS);
      case 2 -> pick(r, LAST) + " " + pick(r, ENSEMBLES);
      default -> pick(r, FIRST) + " " + pick(r, LAST) + " & The " + pick(r, NOUNS);
    };
  }

  /**
   * A track title whose file name {@code prefix + title + suffix} is over {@link #LONG_NAME_BYTES}
   * and at most {@link #NAME_BYTES_MAX} UTF-8 bytes, plain or CJK-heavy.
   */
  static String longTitle(SplittableRandom r, int prefixSuffixBytes) {
    boolean cjk = r.nextInt(3) == 0;
    StringBuilder s = new StringBuilder(phrase(r, cjk ? Style.CJK : Style.PLAIN)).append(" (");
    while (utf8(s) + prefixSuffixBytes + 1 <= LONG_NAME_BYTES + 8) {
      if (s.charAt(s.length() - 1) != '(') {
        s.append(cjk ? "" : " ");
      }
      s.append(pick(r, cjk ? CJK : LONG_TAILS));
    }
    return s.append(')').toString();
  }

  /** The name as written on disk: NFD for the NFD style, else as is. */
  static String onDisk(String nfc, Style style) {
    return style == Style.ACCENT_NFD ? Normalizer.normalize(nfc, Normalizer.Form.NFD) : nfc;
  }

  static int utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
