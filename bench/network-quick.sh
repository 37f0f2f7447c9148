#!/usr/bin/env bash
# Rescans of a library on a share, full against --quick (the folder cache, issue #12), side by side
# in one run over bench/network-rig.sh:
#
#   bench/network-quick.sh LIBRARY [RTT_MS] [REPEAT]
#
# Imports LIBRARY once with --quick (that first scan is the full one that records the folder cache)
# and copies the database, so both variants start from the same catalogue. Then, each on a fresh
# mount (sshfs keeps 20 s of attribute and directory cache), REPEAT times in turn: a no-op default
# scan and a no-op --quick scan (--full-every 0, so no timed run is the forced full scan). Then the
# delta: 'trackscan synth mutate' changes LIBRARY on the server's side (200 added in new album
# folders, 200 retagged in place, 10 deleted) and each variant scans it from its own copy of the
# catalogue. Each variant runs once more on a mount whose server logs every request, from the same
# catalogue state, to count the sftp requests it cost. Prints a Markdown table: seconds, requests,
# the floor (requests x round trip / requests in flight: 32 for both) and what each delta found
# (the retags are rewritten in place, the blind spot of --quick). LIBRARY must be a synthetic
# library, and is changed by it. Needs the CLI jar (./dev build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
library=$(cd "$1" && pwd)
rtt=${2:-1}
repeat=${3:-3}
# shellcheck source=../.ci/tools.sh
source "$top/.ci/tools.sh"
trackscan_find_jdk
jar="$top/java/target/trackscan-cli.jar"
[ -f "$jar" ] || "$top/dev" build
work=$(mktemp -d)
mount="$work/share"
trap '"$here/network-rig.sh" down "$mount" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

scan() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -jar "$jar" scan "$@"
}
fresh_mount() {
  "$here/network-rig.sh" down "$mount" >/dev/null 2>&1 || true
  RIG_LOG_REQUESTS=$1 "$here/network-rig.sh" up "$library" "$mount" "$rtt" >/dev/null
}
copy_db() {
  rm -f "$2" "$2-wal" "$2-shm"
  cp "$1" "$2"
}
# timed LABEL DB ARGS...: one run on a fresh mount; appends "LABEL|ms" to results, keeps the JSON report.
timed() {
  local label=$1 db=$2
  shift 2
  fresh_mount 0
  local start end
  start=$(date +%s%N)
  scan --json --db "$db" "$@" "$mount" >"$work/report.json" 2>"$work/err" || [ $? = 3 ] \
    || { cat "$work/err" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$label|$(( (end - start) / 1000000 ))" >>"$work/times"
  python3 - "$work/report.json" "$label" >>"$work/found" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counts"]
modes = ",".join(s["mode"].lower() + (" (" + str(s["foldersListed"]) + " of " + str(s["foldersChecked"]) + " folders listed)" if s["mode"] == "QUICK" else "") for s in r["rootScans"])
print(sys.argv[2], {k: v // 1_000_000 for k, v in r["times"].items()}, file=sys.stderr)
print(f'{sys.argv[2]}|{modes}|added {c["ADDED"]}, modified {c["MODIFIED"]}, moved {c["MOVED"]}, missing {c["MISSING"]}, unchanged {c["UNCHANGED"]}')
PY
  echo "$label: $(( (end - start) / 1000000 )) ms" >&2
}
# counted LABEL DB ARGS...: the same on a mount whose server logs requests; appends "LABEL|requests".
counted() {
  local label=$1 db=$2
  shift 2
  fresh_mount 1
  scan --db "$db" "$@" "$mount" >/dev/null 2>&1 || true
  echo "$label|$(( $(grep -cE 'request [0-9]+: [a-z]' "$mount.rig/requests.log") \
    - $(grep -cE 'request [0-9]+: sent' "$mount.rig/requests.log") ))" >>"$work/requests"
}

fresh_mount 0
scan --quick --db "$work/import.db" "$mount" >/dev/null
files=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" stats --json --db "$work/import.db" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["tracks"])')
copy_db "$work/import.db" "$work/full.db"
copy_db "$work/import.db" "$work/quick.db"
for r in $(seq "$repeat"); do
  timed "no-op, default (full)" "$work/full.db"
  timed "no-op, --quick" "$work/quick.db" --quick --full-every 0
done
counted "no-op, default (full)" "$work/full.db"
counted "no-op, --quick" "$work/quick.db" --quick --full-every 0

sleep 1 # mutate wants a clock second later than the last scan's
"$JAVA_HOME/bin/java" -jar "$jar" synth mutate --seed 7 "$library" >/dev/null
copy_db "$work/full.db" "$work/full-before.db"
copy_db "$work/quick.db" "$work/quick-before.db"
timed "delta, default (full)" "$work/full.db"
timed "delta, --quick" "$work/quick.db" --quick --full-every 0
copy_db "$work/full-before.db" "$work/full.db"
copy_db "$work/quick-before.db" "$work/quick.db"
counted "delta, default (full)" "$work/full.db"
counted "delta, --quick" "$work/quick.db" --quick --full-every 0

echo
echo "$files files catalogued, round trip $rtt ms, default sshfs cache, $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| variant | runs | s (median) | s (each) | sftp requests | floor s (requests x rtt / 32) | scanned | found |"
echo "|---|---|---|---|---|---|---|---|"
for label in "no-op, default (full)" "no-op, --quick" "delta, default (full)" "delta, --quick"; do
  python3 - "$label" "$work/times" "$work/requests" "$work/found" "$rtt" <<'PY'
import statistics, sys
label, times, requests, found, rtt = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
ms = [int(l.split("|")[1]) for l in open(times) if l.split("|")[0] == label]
q = [int(l.split("|")[1]) for l in open(requests) if l.split("|")[0] == label][0]
f = [l.rstrip("\n").split("|") for l in open(found) if l.split("|")[0] == label][-1]
each = ", ".join(f"{m / 1000:.2f}" for m in ms)
print(f"| {label} | {len(ms)} | {statistics.median(ms) / 1000:.2f} | {each} | {q} | {q * rtt / 1000 / 32:.2f} | {f[1]} | {f[2]} |")
PY
done
