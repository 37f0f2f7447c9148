#!/usr/bin/env bash
# Scans of a library on a network share, side by side in one run, over bench/network-rig.sh:
#
#   bench/network-bench.sh LIBRARY [RTT_MS] [REPEAT]
#
# RIG_CACHE=nocache mounts with sshfs's attribute and directory caches off (default: its defaults);
# RIG_PEERS=0 leaves out the two slow peers (Python + mutagen, MPD).
#
# For each variant the share is mounted afresh (sshfs keeps 20 s of attribute and directory cache;
# a fresh mount starts cold) and the variant is timed; then it runs once more on a fresh mount whose
# server logs every request, to count the sftp requests it cost (logging slows the server, so that
# run is not timed). Variants: trackscan import with its automatic plan (a network/FUSE root gets 32
# requests in flight) and with --io-depth 2 (the plan before it: a walker thread and a parse worker
# per core on these 2-core machines); Python + mutagen on 2 processes (the design trackscan
# replaces); MPD updating a fresh database (bench/rig/mpd_import.py); bfs walking the share; trackscan no-op rescans with both plans; a delta rescan after
# 'trackscan synth mutate' changed the library on the server's side (LIBRARY must be a synthetic
# library, and is changed by it). Prints a Markdown
# table: seconds, files per second, requests, and the floor (requests x round trip / requests in
# flight), with each time's ratio to the import with --io-depth 2 or to bfs. Needs the CLI jar
# (./dev build) and installs bfs, mpd and python3-mutagen with apt-get when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
library=$(cd "$1" && pwd)
rtt=${2:-1}
repeat=${3:-1}
# shellcheck source=../.ci/tools.sh
source "$top/.ci/tools.sh"
trackscan_find_jdk
jar="$top/java/target/trackscan-cli.jar"
[ -f "$jar" ] || "$top/dev" build
missing=()
command -v bfs >/dev/null || missing+=(bfs)
command -v mpd >/dev/null || missing+=(mpd)
/usr/bin/python3 -c 'import mutagen' 2>/dev/null || missing+=(python3-mutagen)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
work=$(mktemp -d)
mount="$work/share"
trap '"$here/network-rig.sh" down "$mount" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

files=0
results=()
# measure LOG LABEL DEPTH COMMAND...: one run on a fresh mount; prints its milliseconds, or with
# LOG=1 the requests the server answered.
measure() {
  local log=$1
  shift 3
  "$here/network-rig.sh" down "$mount" >/dev/null 2>&1 || true
  RIG_LOG_REQUESTS=$log "$here/network-rig.sh" up "$library" "$mount" "$rtt" "${RIG_CACHE:-default}" >/dev/null
  local start end
  if [ -n "${prepare:-}" ]; then
    $prepare >/dev/null # Not timed: the change a delta scan then finds (made on the server's side).
  fi
  start=$(date +%s%N)
  "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; echo "failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  if [ "$log" = 1 ]; then
    echo $(( $(grep -cE 'request [0-9]+: [a-z]' "$mount.rig/requests.log") \
      - $(grep -cE 'request [0-9]+: sent' "$mount.rig/requests.log") ))
  else
    echo $(( (end - start) / 1000000 ))
  fi
}
# run LABEL DEPTH COMMAND...: DEPTH is the requests the variant keeps in flight.
run() {
  local label=$1 depth=$2 ms requests
  ms=$(measure 0 "$@")
  requests=$(measure 1 "$@")
  results+=("$label|$ms|$requests|$depth")
  echo "$label: $ms ms, $requests requests" >&2
}
java_scan() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -jar "$jar" scan "$@"
}
mutate_library() {
  sleep 1 # mutate() wants a clock second later than the last scan's
  "$JAVA_HOME/bin/java" -jar "$jar" synth mutate --seed "$RANDOM" "$library"
}
# An import into a fresh database (each of the two runs of a variant starts from none).
java_import() {
  rm -f "$1" "$1-wal" "$1-shm"
  java_scan --db "$@"
}
for r in $(seq "$repeat"); do
  run "trackscan import, automatic plan" 32 java_import "$work/auto.db" "$mount"
  # Files per second are of the import's files (a delta below adds some).
  files=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" stats --json --db "$work/auto.db" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["tracks"])')
  run "trackscan import, --io-depth 2" 2 java_import "$work/two.db" --io-depth 2 "$mount"
  if [ "${RIG_PEERS:-1}" != 0 ]; then
    run "Python + mutagen, 2 processes" 2 /usr/bin/python3 "$here/rig/mutagen_import.py" "$mount" 2
    run "MPD 0.23 update (a fresh database)" 1 /usr/bin/python3 "$here/rig/mpd_import.py" "$mount"
  fi
  run "bfs walk" 1 bfs "$mount" -type f -printf '%p %T@ %s\n'
  run "trackscan no-op, automatic plan" 32 java_scan --db "$work/auto.db" "$mount"
  run "trackscan no-op, --io-depth 2" 2 java_scan --io-depth 2 --db "$work/two.db" "$mount"
  # The delta scenario (200 added, 200 retagged, 10 deleted), written on the server's side.
  prepare="mutate_library"
  run "trackscan delta, automatic plan" 32 java_scan --db "$work/auto.db" "$mount"
  prepare=""
done

echo
echo "$files files catalogued by the import, round trip $rtt ms, sshfs cache ${RIG_CACHE:-default}, $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| variant | s | files/s | sftp requests | floor s (requests x rtt / in flight) | vs import --io-depth 2 | vs bfs |"
echo "|---|---|---|---|---|---|---|"
base=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "trackscan import, --io-depth 2" {print $2; exit}')
bfs=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "bfs walk" {print $2; exit}')
for row in "${results[@]}"; do
  IFS='|' read -r label ms requests depth <<<"$row"
  awk -v l="$label" -v ms="$ms" -v n="$files" -v q="$requests" -v d="$depth" -v rtt="$rtt" -v b="$base" -v f="$bfs" \
    'BEGIN { printf "| %s | %.1f | %.0f | %d | %.2f | %.2fx | %.2fx |\n", l, ms / 1000, n / (ms / 1000), q, q * rtt / 1000 / d, b / ms, f / ms }'
done
