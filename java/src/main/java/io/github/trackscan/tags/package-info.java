/**
 * Reading an audio file's tags and stream properties.
 *
 * <p>{@link io.github.trackscan.tags.TagReaders#standard()} opens a file once, reads its head with
 * one positional read, picks the format by its magic bytes (then its extension) and parses from
 * memory with a reader per format: MP3/MP2, FLAC, Ogg (Vorbis, Opus, Speex, FLAC), MP4, WAV, AIFF,
 * WavPack, Monkey's Audio, Musepack, TTA, DSF, DSDIFF and raw AAC, about 4 system calls a file where
 * jaudiotagger's own file readers make 30 to 500. Tag decoders shared by several containers are
 * written once (ID3v2 text frames, Vorbis comments, APEv2/ID3v1). Anything unusual in MP3, FLAC,
 * Ogg Vorbis or MP4, and formats without a reader here (WMA), go to jaudiotagger, whose
 * java.util.logging output is silenced. Failures are
 * {@link io.github.trackscan.tags.TagReadException}s with a one-line reason naming the format.
 */
package io.github.trackscan.tags;
