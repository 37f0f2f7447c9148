package io.github.trackscan.tags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/*
 * The dispatcher: opens a file once, reads its head with one pread (Source), asks the Sniffer for
 * the format by content (then extension), and hands the file to that format's reader, which parses
 * from memory with at most a few more preads (a tag at the end, a moov box after the audio, the
 * last Ogg page). jaudiotagger's file readers make ~243 lseek and ~85 read calls per file
 * (FACTS.md); these make one to four.
 *
 *  - MP3, FLAC, Ogg Vorbis, MP4 (the bulk of a library): Mp3Reader, FlacReader, OggReader,
 *    Mp4Reader. They agree field by field with jaudiotagger, and anything unusual (no frame sync
 *    where expected, a truncated block) goes to jaudiotagger's file reader (a Fallback), so junk
 *    fails with jaudiotagger's message.
 *  - Formats jaudiotagger cannot read (Opus, Speex, Ogg FLAC, WavPack, Monkey's Audio, Musepack,
 *    TTA, DSF, DSDIFF, raw AAC, Matroska, ASF/WMA) and WAV/AIFF, read here as mutagen reads them (Matroska,
 *    which mutagen does not read, as ffprobe does): their readers own the
 *    format and fail with a TagReadException naming it and the problem; an exception they did not
 *    expect is turned into one too. No read allocates more than the file holds (Source).
 *  - Anything else goes to jaudiotagger by extension.
 */
final class MemoryTagReader implements TagReader {
  static final MemoryTagReader INSTANCE = new MemoryTagReader();

  /** Bytes read up front: an ID3v2 tag without a cover and the first frames fit easily. */
  static final int HEAD_BYTES = Source.HEAD_BYTES;

  private static final ThreadLocal<ByteBuffer> HEAD = ThreadLocal.withInitial(() -> ByteBuffer.allocate(HEAD_BYTES));

  private MemoryTagReader() {
    JaudiotaggerReader.ensureSilenced();
  }

  @Override
  public TrackTags read(Path file, long sizeBytes) throws TagReadException {
    return read(file, null, new Sniffer.Format[1]);
  }

  /** The content key is taken from the head read for the tags, and the tail with one more pread. */
  @Override
  public FileRead readWithKey(Path file, long sizeBytes) {
    long[] key = {0};
    boolean[] keyed = {false};
    TrackTags tags = null;
    TagReadException failure = null;
    Sniffer.Format[] format = new Sniffer.Format[1];
    try {
      tags = read(file, k -> {
        key[0] = k;
        keyed[0] = true;
      }, format);
    } catch (TagReadException e) {
      failure = e;
    }
    String catalogued = format[0] == null ? null : format[0].catalogued(JaudiotaggerReader.extensionOf(file));
    return new FileRead(tags, failure, keyed[0] ? Long.valueOf(key[0]) : ContentKey.read(file, sizeBytes), catalogued);
  }

  /** Reads in memory, else with jaudiotagger; {@code key}, if not null, is handed the content key. */
  private TrackTags read(Path file, LongConsumer key, Sniffer.Format[] format) throws TagReadException {
    try {
      TrackTags tags = readInMemory(file, format, key);
      if (tags != null) {
        return tags;
      }
    } catch (IOException e) {
      throw Failures.of(file, e);
    }
    String extension = format[0] == null || format[0].extension == null
        ? JaudiotaggerReader.extensionOf(file) : format[0].extension;
    return JaudiotaggerReader.INSTANCE.read(file, extension);
  }

  /** The fast path: the tags, or {@code null} when the file goes to jaudiotagger. */
  TrackTags readInMemory(Path file) throws IOException, TagReadException {
    return readInMemory(file, new Sniffer.Format[1], null);
  }

  private TrackTags readInMemory(Path file, Sniffer.Format[] sniffed, LongConsumer key)
      throws IOException, TagReadException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer head = HEAD.get().clear().order(ByteOrder.BIG_ENDIAN);
      if (size < head.capacity()) {
        head.limit((int) size);
      }
      Source.readFully(channel, head, 0);
      head.flip();
      if (key != null && head.limit() == Math.min(size, head.capacity())) {
        key.accept(ContentKey.of(channel, head, size));
      }
      Source in = new Source(file, JaudiotaggerReader.extensionOf(file), channel, head, size);
      Sniffer.Format format = Sniffer.sniff(in, in.extension);
      sniffed[0] = format;
      try {
        return switch (format) {
          case MP3 -> Mp3Reader.read(in);
          case FLAC -> FlacReader.read(in);
          case OGG -> OggReader.read(in);
          case MP4 -> Mp4Reader.read(in);
          case WAV -> RiffReader.read(in);
          case AIFF -> AiffReader.read(in);
          case WAVPACK -> WavPackReader.read(in);
          case MONKEYS_AUDIO -> MonkeysAudioReader.read(in);
          case MUSEPACK -> MusepackReader.read(in);
          case TTA -> TtaReader.read(in);
          case DSF -> DsfReader.read(in);
          case DFF -> DffReader.read(in);
          case AAC_ADTS -> AdtsReader.read(in);
          case MATROSKA -> MatroskaReader.read(in);
          case ASF -> AsfReader.read(in);
          case OTHER -> null;
        };
      } catch (Fallback e) {
        return null;
      } catch (RuntimeException e) {
        // A buffer underflow or the like on a file the reader misjudged.
        if (format.fallsBack) {
          return null;
        }
        throw new TagReadException(file, format.label + ": malformed (" + e + ")", e);
      }
    }
  }
}
