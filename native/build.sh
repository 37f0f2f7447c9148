#!/usr/bin/env bash
# Called by Maven (java/pom.xml, generate-resources): builds libtrackscan.so with the pinned Zig and
# copies it to $1. Without Zig it says so once and succeeds: the jar then has no native walker and
# the NIO walker serves (Backend.AUTO reports why).
set -euo pipefail
out_dir=$1
optimize=${2:-ReleaseFast}
top=$(cd "$(dirname "$0")/.." && pwd)
zig=${ZIG:-}
if [ -z "$zig" ]; then
  cached="${TRACKSCAN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/trackscan}/zig-0.11.0/package/zig"
  if [ -x "$cached" ]; then zig=$cached
  elif command -v zig >/dev/null 2>&1 && [ "$(zig version)" = 0.11.0 ]; then zig=$(command -v zig)
  fi
fi
if [ -z "$zig" ]; then
  echo "[trackscan] Zig 0.11.0 not found: building without the native walker (NIO only). ./dev test installs it." >&2
  exit 0
fi
prefix="$top/native/zig-out"
cd "$top"
"$zig" build --build-file zig-build.zig --cache-dir "$top/native/.zig-cache" \
  --global-cache-dir "${TRACKSCAN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/trackscan}/zig-global-cache" \
  --prefix "$prefix" -Doptimize="$optimize"
mkdir -p "$out_dir"
cp "$prefix/lib/libtrackscan.so" "$out_dir/libtrackscan.so"
echo "$optimize" > "$out_dir/libtrackscan.optimize"
