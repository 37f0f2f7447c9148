package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/*
 * Picks a file's format by its content, then by its extension: the magic bytes at the start (after
 * an ID3v2 tag, which MP3, raw AAC, TTA, Musepack and some FLAC files carry in front), else the
 * extension when the start says nothing (an MP3 with junk before its first frame). So an MP3 named
 * .m4a is read as MP3, and a FLAC named .ogg as FLAC.
 */
/** Tells which reader a file needs. */
final class Sniffer {
  private Sniffer() {}

  /** The formats the in-memory readers know. */
  enum Format {
    MP3("mp3", true, "MP3", "mp2", "mp1", "mpga"),
    FLAC("flac", true, "FLAC", "fla"),
    OGG("ogg", true, "Ogg", "oga", "opus", "spx", "ogx"),
    MP4("m4a", true, "MP4", "mp4", "m4b", "m4p", "m4r", "alac"),
    WAV("wav", false, "WAV", "wave"),
    AIFF("aif", false, "AIFF", "aiff", "aifc"),
    WAVPACK("wv", false, "WavPack"),
    MONKEYS_AUDIO("ape", false, "Monkey's Audio"),
    MUSEPACK("mpc", false, "Musepack", "mp+", "mpp"),
    TTA("tta", false, "TTA"),
    DSF("dsf", false, "DSF"),
    DFF("dff", false, "DSDIFF"),
    AAC_ADTS("aac", false, "AAC (ADTS)", "adts"),
    MATROSKA("mka", false, "Matroska", "webm", "mkv"),
    ASF("wma", false, "ASF", "asf"),
    /** Not one of the above: jaudiotagger's file readers, by extension. */
    OTHER(null, true, "other");

    /** The extension jaudiotagger knows the format by. */
    final String extension;
    /** Whether an unusual file goes to jaudiotagger ({@link Fallback}) rather than failing. */
    final boolean fallsBack;
    /** The name messages use. */
    final String label;

    /** Every extension files of this format are named with, {@link #extension} first. */
    final java.util.Set<String> extensions;

    Format(String extension, boolean fallsBack, String label, String... others) {
      this.extension = extension;
      this.fallsBack = fallsBack;
      this.label = label;
      java.util.Set<String> all = new java.util.LinkedHashSet<>();
      if (extension != null) {
        all.add(extension);
      }
      all.addAll(java.util.List.of(others));
      this.extensions = java.util.Collections.unmodifiableSet(all);
    }

    /**
     * The format to catalogue a file named with {@code fileExtension} as: that extension when it is
     * one of this format's, else this format's own (an MP3 named .m4a is catalogued as mp3), or
     * the file's extension for {@link #OTHER}.
     */
    String catalogued(String fileExtension) {
      return extension == null || extensions.contains(fileExtension) ? fileExtension : extension;
    }
  }

  /** The format of the file whose head {@code in} holds, named {@code extension} (lower case). */
  static Format sniff(Source in, String extension) throws IOException {
    ByteBuffer head = in.head;
    Format format = magic(head, 0);
    if (format == null && head.limit() >= 10 && Source.matches(head, 0, "ID3")) {
      long after = Id3Text.tagBytes(head, 0);
      if (after + 12 <= head.limit()) {
        format = magic(head.slice((int) after, 12), 0);
      } else if (after + 12 <= in.size && !extension.equals("mp3")) {
        // Behind a tag larger than the head (a cover): one more pread, spared the common .mp3.
        ByteBuffer next = ByteBuffer.allocate(12);
        Source.readFully(in.channel, next, after);
        format = magic(next.flip(), 0);
      }
      if (format == null) {
        format = switch (extension) {
          case "tta", "mpc", "aac", "flac" -> byExtension(extension);
          default -> Format.MP3;
        };
      }
    }
    return format != null ? format : byExtension(extension);
  }

  /** The format whose magic starts {@code b} at {@code at}, or null. */
  static Format magic(ByteBuffer b, int at) {
    if (b.limit() - at < 4) {
      return null;
    }
    if (Source.matches(b, at, "fLaC")) {
      return Format.FLAC;
    } else if (Source.matches(b, at, "OggS")) {
      return Format.OGG;
    } else if (Source.matches(b, at + 4, "ftyp")) {
      return Format.MP4;
    } else if (Source.matches(b, at, "RIFF") && Source.matches(b, at + 8, "WAVE")) {
      return Format.WAV;
    } else if (Source.matches(b, at, "FORM") && (Source.matches(b, at + 8, "AIFF") || Source.matches(b, at + 8, "AIFC"))) {
      return Format.AIFF;
    } else if (Source.matches(b, at, "wvpk")) {
      return Format.WAVPACK;
    } else if (Source.matches(b, at, "MAC ")) {
      return Format.MONKEYS_AUDIO;
    } else if (Source.matches(b, at, "MPCK") || Source.matches(b, at, "MP+")) {
      return Format.MUSEPACK;
    } else if (Source.matches(b, at, "TTA1")) {
      return Format.TTA;
    } else if (Source.matches(b, at, "DSD ")) {
      return Format.DSF;
    } else if (Source.matches(b, at, "FRM8")) {
      return Format.DFF;
    } else if (b.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at) == MatroskaReader.EBML) {
      return Format.MATROSKA;
    } else if (b.limit() - at >= 16 && b.slice(at, 16).equals(ByteBuffer.wrap(AsfReader.HEADER))) {
      return Format.ASF;
    } else if (AdtsReader.isHeader(b, at)) {
      return Format.AAC_ADTS;
    } else if (Mp3Reader.frame(b.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at)) != null) {
      return Format.MP3;
    }
    return null;
  }

  static Format byExtension(String extension) {
    return switch (extension) {
      case "mp3", "mp2", "mp1", "mpga" -> Format.MP3;
      case "flac" -> Format.FLAC;
      case "ogg", "oga", "opus", "spx" -> Format.OGG;
      case "m4a", "mp4", "m4b", "m4p" -> Format.MP4;
      case "wav" -> Format.WAV;
      case "aif", "aiff", "aifc" -> Format.AIFF;
      case "wv" -> Format.WAVPACK;
      case "ape" -> Format.MONKEYS_AUDIO;
      case "mpc", "mp+", "mpp" -> Format.MUSEPACK;
      case "tta" -> Format.TTA;
      case "dsf" -> Format.DSF;
      case "dff" -> Format.DFF;
      case "aac" -> Format.AAC_ADTS;
      case "mka", "webm", "mkv" -> Format.MATROSKA;
      case "wma", "asf" -> Format.ASF;
      default -> Format.OTHER;
    };
  }
}
