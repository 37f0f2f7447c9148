"""Prints, for each file named on the command line, one JSON line of what mutagen reads from it:
its stream properties (length in seconds, sample_rate, channels, bitrate) and its text tags,
normalised to trackscan's fields whatever the tag type (ID3, Vorbis comments, MP4, APEv2).
Used by MutagenDifferentialTest; mutagen is the yardstick trackscan's readers are held to.
With --asc, prints instead how mutagen decodes each hex-encoded MP4 AudioSpecificConfig."""
import json
import sys

import mutagen
from mutagen.apev2 import APEv2
from mutagen.asf import ASFTags
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

FIELDS = {
    "id3": {"title": "TIT2", "artist": "TPE1", "album": "TALB", "albumartist": "TPE2", "track": "TRCK",
            "disc": "TPOS", "date": "TDRC", "genre": "TCON"},
    "vorbis": {"title": "title", "artist": "artist", "album": "album", "albumartist": "albumartist",
               "track": "tracknumber", "disc": "discnumber", "date": "date", "genre": "genre"},
    "mp4": {"title": "\xa9nam", "artist": "\xa9ART", "album": "\xa9alb", "albumartist": "aART", "track": "trkn",
            "disc": "disk", "date": "\xa9day", "genre": "\xa9gen"},
    "asf": {"title": "Title", "artist": "Author", "album": "WM/AlbumTitle", "albumartist": "WM/AlbumArtist",
            "track": "WM/TrackNumber", "disc": "WM/PartOfSet", "date": "WM/Year", "genre": "WM/Genre"},
    # APEv2 keys are case-insensitive and not standardised: the spellings foobar2000 and ffmpeg write.
    "ape": {"title": "Title", "artist": "Artist", "album": "Album",
            "albumartist": ("Album Artist", "AlbumArtist", "Album_Artist"), "track": "Track", "disc": "Disc",
            "date": ("Year", "Date"), "genre": "Genre"},
}


def first(value):
    if isinstance(value, ID3) or value is None:
        return None
    if hasattr(value, "text"):  # an ID3 frame
        value = value.text
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        value = value[0]
    if isinstance(value, tuple):  # MP4 trkn/disk: (number, total)
        number, total = value
        return "%d/%d" % (number, total) if total else str(number)
    return str(value)


def tags_of(tags):
    if tags is None:
        return {}
    if isinstance(tags, ID3):
        kind = "id3"
    elif isinstance(tags, MP4Tags):
        kind = "mp4"
    elif isinstance(tags, APEv2):
        kind = "ape"
    elif isinstance(tags, ASFTags):
        kind = "asf"
    else:
        kind = "vorbis"
    out = {}
    for field, keys in FIELDS[kind].items():
        for key in keys if isinstance(keys, tuple) else (keys,):
            try:
                value = tags[key] if kind != "id3" else tags.get(key)
            except KeyError:
                value = None
            text = first(value) if value is not None else None
            if text is not None and text.strip():
                out[field] = text.strip()
                break
    return out


def dump_asc(hex_configs):
    """MP4's AudioSpecificConfig as mutagen decodes it: sample_rate and channels (0: not said)."""
    from io import BytesIO
    from mutagen.mp4._as_entry import DecoderSpecificInfo
    for text in hex_configs:
        data = bytes.fromhex(text)
        try:
            info = DecoderSpecificInfo(BytesIO(data), len(data))
            record = {"asc": text, "sample_rate": info.sample_rate, "channels": info.channels}
        except Exception as e:  # noqa: BLE001 - reported to the test as data
            record = {"asc": text, "error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(record, ensure_ascii=True), flush=True)


def main():
    if sys.argv[1:2] == ["--asc"]:
        dump_asc(sys.argv[2:])
        return
    for path in sys.argv[1:]:
        record = {"path": path}
        try:
            f = mutagen.File(path)
            if f is None:
                record["error"] = "mutagen does not know the format"
            else:
                info = f.info
                record["type"] = type(f).__name__
                for name in ("length", "sample_rate", "channels", "bitrate"):
                    value = getattr(info, name, None)
                    if value is not None:
                        record[name] = value
                record["tags"] = tags_of(f.tags)
        except Exception as e:  # noqa: BLE001 - reported to the test as data
            record["error"] = "%s: %s" % (type(e).__name__, e)
        print(json.dumps(record, ensure_ascii=True), flush=True)


if __name__ == "__main__":
    main()
