"""MPD importing a folder, for bench/network-bench.sh: MPD (the music player daemon, Debian's mpd)
started on a fresh database with the folder as its music_directory, asked to update, and left when
the update is done. Prints the songs MPD catalogued. Usage: mpd_import.py FOLDER"""
import os
import socket
import subprocess
import sys
import tempfile
import time


def command(sock_path, line):
    """One MPD command over its socket; the response as a dict (the last value of each key)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sock_path)
        f = s.makefile("rwb")
        f.readline()  # OK MPD <version>
        f.write((line + "\n").encode())
        f.flush()
        out = {}
        for raw in f:
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if text == "OK" or text.startswith("ACK"):
                break
            key, _, value = text.partition(": ")
            out[key] = value
        return out


def main():
    folder = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        sock_path = os.path.join(work, "socket")
        config = os.path.join(work, "mpd.conf")
        with open(config, "w") as c:
            c.write('music_directory "%s"\ndb_file "%s/db"\nbind_to_address "%s"\nauto_update "no"\n'
                    'log_file "%s/log"\naudio_output {\n type "null"\n name "null"\n}\n'
                    % (folder, work, sock_path, work))
        mpd = subprocess.Popen(["mpd", "--no-daemon", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(600):
                if os.path.exists(sock_path):
                    break
                time.sleep(0.01)
            # A new database starts an update by itself; otherwise ask for one.
            if "updating_db" not in command(sock_path, "status"):
                command(sock_path, "update")
            while "updating_db" in command(sock_path, "status"):
                time.sleep(0.02)
            print(command(sock_path, "stats").get("songs", "0"))
        finally:
            mpd.terminate()
            mpd.wait()


if __name__ == "__main__":
    main()
