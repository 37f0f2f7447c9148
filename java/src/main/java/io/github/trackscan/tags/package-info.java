/**
 * Reading an audio file's tags and stream properties.
 *
 * <p>{@link io.github.trackscan.tags.TagReaders#standard()} reads MP3, FLAC, Ogg Vorbis and MP4
 * from memory after one to three positional reads, about 4 system calls a file where jaudiotagger's
 * own file readers make 30 to 500; anything else, and anything unusual, goes to jaudiotagger, whose
 * java.util.logging output is silenced. Failures are
 * {@link io.github.trackscan.tags.TagReadException}s with a one-line reason.
 */
package io.github.trackscan.tags;
