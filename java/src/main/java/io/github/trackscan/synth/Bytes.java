package io.github.trackscan.synth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with big- and little-endian writers; the encoders' only output type. */
final class Bytes {
  private byte[] data;
  private int size;

  Bytes(int capacity) {
    data = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  private void ensure(int extra) {
    if (size + extra > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
    }
  }

  Bytes u8(int v) {
    ensure(1);
    data[size++] = (byte) v;
    return this;
  }

  Bytes u16be(int v) {
    return u8(v >>> 8).u8(v);
  }

  Bytes u24be(int v) {
    return u8(v >>> 16).u8(v >>> 8).u8(v);
  }

  Bytes u32be(long v) {
    return u8((int) (v >>> 24)).u8((int) (v >>> 16)).u8((int) (v >>> 8)).u8((int) v);
  }

  Bytes u32le(long v) {
    return u8((int) v).u8((int) (v >>> 8)).u8((int) (v >>> 16)).u8((int) (v >>> 24));
  }

  Bytes u64le(long v) {
    return u32le(v).u32le(v >>> 32);
  }

  Bytes bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  Bytes bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, data, size, len);
    size += len;
    return this;
  }

  Bytes bytes(Bytes b) {
    return bytes(b.data, 0, b.size);
  }

  Bytes zeros(int n) {
    ensure(n);
    size += n; // the array is zero-filled beyond size: we never shrink
    return this;
  }

  Bytes ascii(String s) {
    return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  Bytes utf8(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  void putU32be(int at, long v) {
    data[at] = (byte) (v >>> 24);
    data[at + 1] = (byte) (v >>> 16);
    data[at + 2] = (byte) (v >>> 8);
    data[at + 3] = (byte) v;
  }

  void putU32le(int at, long v) {
    data[at] = (byte) v;
    data[at + 1] = (byte) (v >>> 8);
    data[at + 2] = (byte) (v >>> 16);
    data[at + 3] = (byte) (v >>> 24);
  }

  byte get(int at) {
    return data[at];
  }

  /** The raw array (valid up to {@link #size()}), for checksums over a range. */
  byte[] raw() {
    return data;
  }

  byte[] toArray() {
    return Arrays.copyOf(data, size);
  }

  /** Starts a box/atom: reserves a 32-bit big-endian size and writes the type; returns its start. */
  int openBox(String type) {
    int start = size;
    u32be(0).ascii(type);
    return start;
  }

  /** Ends the box opened at {@code start} by writing its size. */
  void closeBox(int start) {
    putU32be(start, size - start);
  }
}
