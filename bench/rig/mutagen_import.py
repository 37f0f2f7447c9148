#!/usr/bin/env python3
"""The design trackscan replaces, as a peer in benchmarks: walk ROOT for audio files and read each
with mutagen, in PROCESSES worker processes; prints files read, failures and files per second.

    mutagen_import.py ROOT [PROCESSES]
"""
import multiprocessing
import os
import sys
import time

EXTENSIONS = {".mp3", ".flac", ".m4a", ".mp4", ".ogg", ".oga", ".opus", ".wav", ".aiff", ".aif", ".wma",
              ".ape", ".wv", ".mpc", ".dsf", ".dff", ".aac", ".alac"}


def read(path):
    import mutagen
    try:
        f = mutagen.File(path)
        return f is not None
    except Exception:
        return False


def main():
    root = sys.argv[1]
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    start = time.monotonic()
    paths = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in EXTENSIONS:
                paths.append(os.path.join(folder, name))
    with multiprocessing.Pool(processes) as pool:
        ok = sum(pool.map(read, paths, chunksize=16))
    seconds = time.monotonic() - start
    print(f"{len(paths)} files, {len(paths) - ok} failed, {seconds:.2f} s, {len(paths) / seconds:.0f} files/s")


if __name__ == "__main__":
    main()
