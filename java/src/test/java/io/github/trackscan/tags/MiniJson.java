package io.github.trackscan.tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON reader just big enough for the lines mutagen_dump.py prints: objects, arrays, strings, numbers. */
final class MiniJson {
  private final String s;
  private int at;

  private MiniJson(String s) {
    this.s = s;
  }

  /** The value {@code json} holds: a Map, List, String, Double, Boolean or null. */
  static Object parse(String json) {
    MiniJson p = new MiniJson(json);
    Object value = p.value();
    p.space();
    if (p.at != json.length()) {
      throw new IllegalArgumentException("trailing text at " + p.at + ": " + json);
    }
    return value;
  }

  private void space() {
    while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
      at++;
    }
  }

  private Object value() {
    space();
    char c = s.charAt(at);
    switch (c) {
      case '{' -> {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        space();
        if (s.charAt(at) == '}') {
          at++;
          return map;
        }
        while (true) {
          space();
          String key = string();
          space();
          expect(':');
          map.put(key, value());
          space();
          if (s.charAt(at++) == '}') {
            return map;
          }
        }
      }
      case '[' -> {
        List<Object> list = new ArrayList<>();
        at++;
        space();
        if (s.charAt(at) == ']') {
          at++;
          return list;
        }
        while (true) {
          list.add(value());
          space();
          if (s.charAt(at++) == ']') {
            return list;
          }
        }
      }
      case '"' -> {
        return string();
      }
      default -> {
        if (s.startsWith("null", at)) {
          at += 4;
          return null;
        } else if (s.startsWith("true", at)) {
          at += 4;
          return Boolean.TRUE;
        } else if (s.startsWith("false", at)) {
          at += 5;
          return Boolean.FALSE;
        }
        int start = at;
        while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
          at++;
        }
        return Double.parseDouble(s.substring(start, at));
      }
    }
  }

  private void expect(char c) {
    if (s.charAt(at++) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + (at - 1) + ": " + s);
    }
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = s.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(at++);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
          at += 4;
        }
        default -> out.append(e);
      }
    }
  }
}
