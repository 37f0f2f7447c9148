#!/usr/bin/env bash
# The one place the Zig build is invoked (its cache folders, its build file).
#   build.sh OUT_DIR [OPTIMIZE]   called by Maven (java/pom.xml, generate-resources): builds
#                                 libtrackscan.so with the pinned Zig and copies it to OUT_DIR.
#                                 Without Zig it says so once and succeeds: the jar then has no
#                                 native walker and the NIO walker serves (Backend.AUTO says why).
#   build.sh --test [OPTIMIZE]    runs the Zig unit and end-to-end tests (./dev test); needs Zig.
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
if [ -z "$zig" ] && [ "$out_dir" = --test ]; then
  echo "[trackscan] Zig 0.11.0 not found: cannot run the Zig tests" >&2
  exit 1
fi
if [ -z "$zig" ]; then
  echo "[trackscan] Zig 0.11.0 not found: building without the native walker (NIO only). ./dev test installs it." >&2
  exit 0
fi
prefix="$top/native/zig-out"
cd "$top"
zig_build() {
  "$zig" build --build-file zig-build.zig --cache-dir "$top/native/.zig-cache" \
    --global-cache-dir "${TRACKSCAN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/trackscan}/zig-global-cache" \
    -Doptimize="$optimize" "$@"
}
if [ "$out_dir" = --test ]; then
  zig_build test --summary all
  exit 0
fi
zig_build --prefix "$prefix"
mkdir -p "$out_dir"
cp "$prefix/lib/libtrackscan.so" "$out_dir/libtrackscan.so"
echo "$optimize" > "$out_dir/libtrackscan.optimize"
