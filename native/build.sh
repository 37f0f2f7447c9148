#!/usr/bin/env bash
# The one place the Zig build is invoked (its cache folders, its build file).
#   build.sh OUT_DIR [OPTIMIZE]   called by Maven (java/pom.xml, generate-resources): builds
#                                 libtrackscan.so for every platform with the pinned Zig and copies
#                                 each to OUT_DIR/<platform>/ (linux-x86_64, linux-aarch64).
#                                 Without Zig it says so once and succeeds: the jar then has no
#                                 native walker and the NIO walker serves (Backend.AUTO says why).
#   build.sh --test [OPTIMIZE]    runs the Zig unit and end-to-end tests (./dev test); needs Zig.
#                                 For every platform: this machine's natively, the other under
#                                 qemu-user with its glibc from /usr/<arch>-linux-gnu (Debian:
#                                 qemu-user, libc6-arm64-cross). Without those it says so and skips
#                                 them, unless TRACKSCAN_REQUIRE_NATIVE is set (CI): then it fails.
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
platforms=(linux-x86_64 linux-aarch64)   # as in zig-build.zig
if [ "$out_dir" = --test ]; then
  steps=()
  for platform in "${platforms[@]}"; do
    arch=${platform#linux-}
    if [ "$arch" = "$(uname -m)" ]; then
      steps+=("test-$platform")
      continue
    fi
    # A foreign platform: Zig's -fqemu runs its test binaries as qemu-<arch> -L /usr/<arch>-linux-gnu,
    # where Debian's cross glibc keeps that platform's loader and libc. QEMU_LD_PREFIX tells the same
    # to a qemu that the kernel starts itself, where binfmt_misc has one registered.
    case "$arch" in aarch64) cross_libc=libc6-arm64-cross ;; *) cross_libc=libc6-amd64-cross ;; esac
    if command -v "qemu-$arch" >/dev/null 2>&1 && [ -e "/usr/$arch-linux-gnu/lib/libc.so.6" ]; then
      steps+=("test-$platform")
      export QEMU_LD_PREFIX="/usr/$arch-linux-gnu"
    elif [ -n "${TRACKSCAN_REQUIRE_NATIVE:-}" ]; then
      echo "[trackscan] cannot run the $platform Zig tests: no qemu-$arch or /usr/$arch-linux-gnu/lib/libc.so.6" \
        "(Debian: apt-get install qemu-user $cross_libc); TRACKSCAN_REQUIRE_NATIVE is set, so that is an error" >&2
      exit 1
    else
      echo "[trackscan] skipping the $platform Zig tests: no qemu-$arch or /usr/$arch-linux-gnu/lib/libc.so.6" \
        "(Debian: apt-get install qemu-user $cross_libc)" >&2
    fi
  done
  zig_build "${steps[@]}" -fqemu --glibc-runtimes /usr --summary all
  exit 0
fi
zig_build --prefix "$prefix"
for platform in "${platforms[@]}"; do
  mkdir -p "$out_dir/$platform"
  cp "$prefix/lib/$platform/libtrackscan.so" "$out_dir/$platform/libtrackscan.so"
  echo "$optimize" > "$out_dir/$platform/libtrackscan.optimize"
done
