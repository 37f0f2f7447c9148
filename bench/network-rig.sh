#!/usr/bin/env bash
# A real network file system on loopback, with a chosen round-trip time, for measuring scans of a
# library on a share (see README, "Network shares").
#
#   bench/network-rig.sh up EXPORT MOUNT [RTT_MS] [default|nocache]
#   bench/network-rig.sh down MOUNT
#
# 'up' serves EXPORT with OpenSSH's sftp-server behind socat (no ssh, no crypto), puts a relay that
# delays each direction by RTT_MS/2 in front of it (bench/rig/delay_relay.py; tc netem is missing
# here), and mounts it at MOUNT with sshfs -o directport. 'nocache' turns sshfs's attribute and
# directory caches off. Installs sshfs, socat and openssh-sftp-server with apt-get when missing
# (root). Only 127.0.0.1 is used. 'down' unmounts and stops what 'up' started. With
# RIG_LOG_REQUESTS=1, sftp-server logs every request it answers to MOUNT.rig/requests.log (one
# 'request N: OP' line each), so a benchmark can count the round trips a scan cost.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-}
need() {
  local missing=()
  command -v sshfs >/dev/null || missing+=(sshfs)
  command -v socat >/dev/null || missing+=(socat)
  [ -x /usr/lib/openssh/sftp-server ] || missing+=(openssh-sftp-server)
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
case "$cmd" in
  up)
    export_dir=$(cd "$2" && pwd)
    mount=$3
    rtt_ms=${4:-1}
    cache=${5:-default}
    need
    mkdir -p "$mount"
    mount=$(cd "$mount" && pwd)
    state="$mount.rig"
    mkdir -p "$state"
    server_port=$(free_port)
    relay_port=$(free_port)
    server=/usr/lib/openssh/sftp-server
    if [ "${RIG_LOG_REQUESTS:-0}" = 1 ]; then
      server="$server -e -l DEBUG3"
    fi
    socat "TCP-LISTEN:$server_port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$server" \
      >"$state/socat.log" 2>"$state/requests.log" &
    echo $! >"$state/socat.pid"
    python3 "$here/rig/delay_relay.py" "$relay_port" "$server_port" "$(python3 -c "print($rtt_ms / 2)")" \
      >"$state/relay.log" 2>&1 &
    echo $! >"$state/relay.pid"
    for _ in $(seq 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$relay_port") 2>/dev/null && break
      sleep 0.1
    done
    options="directport=$relay_port"
    if [ "$cache" = nocache ]; then
      options="$options,dir_cache=no,attr_timeout=0,entry_timeout=0"
    fi
    sshfs -o "$options" "127.0.0.1:$export_dir" "$mount"
    echo "mounted $export_dir at $mount over sftp, round trip ${rtt_ms} ms, cache $cache"
    ;;
  down)
    mount=$(cd "$2" && pwd)
    state="$mount.rig"
    fusermount3 -u "$mount" 2>/dev/null || fusermount -u "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
    for name in relay socat; do
      if [ -f "$state/$name.pid" ]; then
        kill "$(cat "$state/$name.pid")" 2>/dev/null || true
      fi
    done
    rm -rf "$state"
    echo "unmounted $mount"
    ;;
  *)
    sed -n '2,13p' "$0" >&2
    exit 2
    ;;
esac
