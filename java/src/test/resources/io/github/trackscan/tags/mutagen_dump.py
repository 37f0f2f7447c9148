"""Prints, for each file named on the command line, one JSON line of what mutagen reads from it:
its stream properties (length in seconds, sample_rate, channels, bitrate) and its text tags,
normalised to trackscan's fields whatever the tag type (ID3, Vorbis comments, MP4, APEv2).
Used by MutagenDifferentialTest; mutagen is the yardstick trackscan's readers are held to.
With --asc, prints instead how mutagen decodes each hex-encoded MP4 AudioSpecificConfig.
With --write-fields, writes with mutagen, in each file's own tag format, every field of trackscan's
PlayerFields (PLAYER below: two artists, two genres, a PNG front cover), then the dump carries under
"fields" what mutagen reads back of them (player_fields: the raw keys of Picard's mappings).
With --write-fields --rva2, an ID3 tag gets its ReplayGain as RVA2 frames (master channel) instead
of TXXX frames, and the dump reads them back the way mutagen's EasyID3 gives replaygain_*.
With --fields, the dump carries "fields" for files as they are, written by the test (hand-made
ID3v2.2 tags, unsynchronisation, compressed frames...), without writing anything."""
import base64
import hashlib
import json
import re
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


# What --write-fields writes. The cover is a PNG signature and bytes that are no image: trackscan
# never decodes it, and the test compares the bytes at the offset trackscan gives with mutagen's.
COVER = b"\x89PNG\r\n\x1a\n" + bytes((i * 7 + 3) % 256 for i in range(3000))
PLAYER = {
    "composer": "C\u00f6mposer", "comment": "A comment, \u65e5\u672c", "compilation": "1",
    "title_sort": "Title, The", "artist_sort": "Artist, The", "album_sort": "Album, The",
    "album_artist_sort": "Album Artist, The",
    "musicbrainz_recording_id": "0d0a0b0c-1111-4222-8333-444455556666",
    "musicbrainz_track_id": "1d0a0b0c-1111-4222-8333-444455556666",
    "musicbrainz_release_id": "2d0a0b0c-1111-4222-8333-444455556666",
    "musicbrainz_release_group_id": "3d0a0b0c-1111-4222-8333-444455556666",
    "musicbrainz_artist_id": "4d0a0b0c-1111-4222-8333-444455556666",
    "musicbrainz_album_artist_id": "5d0a0b0c-1111-4222-8333-444455556666",
    "replaygain_track_gain": "-6.48 dB", "replaygain_track_peak": "0.987654",
    "replaygain_album_gain": "-7.10 dB", "replaygain_album_peak": "1.000000",
    "bpm": "128", "isrc": "GBAYE0000001", "label": "Lab\u00e9l", "disc_subtitle": "Disc S\u00fcbtitle",
}
ARTISTS = ["\u00c4rtist", "Second Artist"]
GENRES = ["Rock", "Pop"]

# Picard's raw keys per tag format for the single-valued player fields.
VORBIS_KEYS = {"composer": "COMPOSER", "comment": "COMMENT", "compilation": "COMPILATION",
               "title_sort": "TITLESORT", "artist_sort": "ARTISTSORT", "album_sort": "ALBUMSORT",
               "album_artist_sort": "ALBUMARTISTSORT", "musicbrainz_recording_id": "MUSICBRAINZ_TRACKID",
               "musicbrainz_track_id": "MUSICBRAINZ_RELEASETRACKID", "musicbrainz_release_id": "MUSICBRAINZ_ALBUMID",
               "musicbrainz_release_group_id": "MUSICBRAINZ_RELEASEGROUPID",
               "musicbrainz_artist_id": "MUSICBRAINZ_ARTISTID",
               "musicbrainz_album_artist_id": "MUSICBRAINZ_ALBUMARTISTID",
               "replaygain_track_gain": "REPLAYGAIN_TRACK_GAIN", "replaygain_track_peak": "REPLAYGAIN_TRACK_PEAK",
               "replaygain_album_gain": "REPLAYGAIN_ALBUM_GAIN", "replaygain_album_peak": "REPLAYGAIN_ALBUM_PEAK",
               "bpm": "BPM", "isrc": "ISRC", "label": "LABEL", "disc_subtitle": "DISCSUBTITLE"}
ID3_FRAMES = {"composer": "TCOM", "compilation": "TCMP", "title_sort": "TSOT", "artist_sort": "TSOP",
              "album_sort": "TSOA", "album_artist_sort": "TSO2", "bpm": "TBPM", "isrc": "TSRC", "label": "TPUB",
              "disc_subtitle": "TSST"}
# TXXX descriptions (ID3), freeform names (MP4): Picard's descriptive names.
DESCRIPTIVE = {"musicbrainz_recording_id": "MusicBrainz Track Id",
               "musicbrainz_track_id": "MusicBrainz Release Track Id",
               "musicbrainz_release_id": "MusicBrainz Album Id",
               "musicbrainz_release_group_id": "MusicBrainz Release Group Id",
               "musicbrainz_artist_id": "MusicBrainz Artist Id",
               "musicbrainz_album_artist_id": "MusicBrainz Album Artist Id",
               "replaygain_track_gain": "REPLAYGAIN_TRACK_GAIN", "replaygain_track_peak": "REPLAYGAIN_TRACK_PEAK",
               "replaygain_album_gain": "REPLAYGAIN_ALBUM_GAIN", "replaygain_album_peak": "REPLAYGAIN_ALBUM_PEAK",
               "isrc": "ISRC", "label": "LABEL", "disc_subtitle": "DISCSUBTITLE"}
MP4_ATOMS = {"composer": "\xa9wrt", "comment": "\xa9cmt", "title_sort": "sonm", "artist_sort": "soar",
             "album_sort": "soal", "album_artist_sort": "soaa"}
FREEFORM = "----:com.apple.iTunes:"
ASF_KEYS = {"composer": "WM/Composer", "comment": "Description", "title_sort": "WM/TitleSortOrder",
            "artist_sort": "WM/ArtistSortOrder", "album_sort": "WM/AlbumSortOrder",
            "album_artist_sort": "WM/AlbumArtistSortOrder", "musicbrainz_recording_id": "MusicBrainz/Track Id",
            "musicbrainz_track_id": "MusicBrainz/Release Track Id", "musicbrainz_release_id": "MusicBrainz/Album Id",
            "musicbrainz_release_group_id": "MusicBrainz/Release Group Id",
            "musicbrainz_artist_id": "MusicBrainz/Artist Id",
            "musicbrainz_album_artist_id": "MusicBrainz/Album Artist Id",
            "replaygain_track_gain": "REPLAYGAIN_TRACK_GAIN", "replaygain_track_peak": "REPLAYGAIN_TRACK_PEAK",
            "replaygain_album_gain": "REPLAYGAIN_ALBUM_GAIN", "replaygain_album_peak": "REPLAYGAIN_ALBUM_PEAK",
            "bpm": "WM/BeatsPerMinute", "isrc": "WM/ISRC", "label": "WM/Publisher", "disc_subtitle": "WM/SetSubTitle"}


def asf_picture():
    """A WM/Picture value: type, data length, MIME type and description (UTF-16LE, NUL-ended), data."""
    import struct
    return (struct.pack("<bI", 3, len(COVER)) + "image/png".encode("utf-16-le") + b"\x00\x00"
            + "Front".encode("utf-16-le") + b"\x00\x00" + COVER)


def asf_picture_of(value):
    import struct
    data = bytes(value.value)
    kind, length = struct.unpack_from("<bI", data)
    mime_end = next(i for i in range(5, len(data), 2) if data[i:i + 2] == b"\x00\x00")
    desc_end = next(i for i in range(mime_end + 2, len(data), 2) if data[i:i + 2] == b"\x00\x00")
    return kind, data[5:mime_end].decode("utf-16-le"), data[desc_end + 2:desc_end + 2 + length]


def flac_picture():
    from mutagen.flac import Picture
    picture = Picture()
    picture.type = 3
    picture.mime = "image/png"
    picture.desc = "Front"
    picture.width = picture.height = 1
    picture.depth = 24
    picture.data = COVER
    return picture


def write_fields(path, id3_version, rva2=False):
    """Writes PLAYER, ARTISTS, GENRES and COVER into the file's own tag format."""
    f = mutagen.File(path)
    if f.tags is None:
        f.add_tags()
    tags = f.tags
    if isinstance(tags, ID3):
        from mutagen import id3
        tags.delall("TPE1")
        tags.add(id3.TPE1(encoding=3, text=ARTISTS))
        tags.delall("TCON")
        tags.add(id3.TCON(encoding=3, text=GENRES))
        for field, frame in ID3_FRAMES.items():
            tags.add(getattr(id3, frame)(encoding=3, text=[PLAYER[field]]))
        # iTunes' technical comment first: the comment a player shows has an empty description.
        tags.add(id3.COMM(encoding=3, lang="eng", desc="iTunNORM", text=[" 00000A2B 00000A2B"]))
        tags.add(id3.COMM(encoding=3, lang="XXX", desc="", text=[PLAYER["comment"]]))
        tags.add(id3.UFID(owner="http://musicbrainz.org", data=PLAYER["musicbrainz_recording_id"].encode()))
        for field, desc in DESCRIPTIVE.items():
            if field == "musicbrainz_recording_id" or (rva2 and field.startswith("replaygain_")):
                continue
            tags.add(id3.TXXX(encoding=3, desc=desc, text=[PLAYER[field]]))
        if rva2:
            # The identification in two cases: readers match it case-insensitively.
            for kind, desc in (("track", "track"), ("album", "Album")):
                gain = float(PLAYER["replaygain_%s_gain" % kind].split()[0])
                peak = float(PLAYER["replaygain_%s_peak" % kind])
                tags.add(id3.RVA2(desc=desc, channel=1, gain=gain, peak=peak))
        tags.add(id3.APIC(encoding=3, mime="image/png", type=3, desc="Front", data=COVER))
        f.save(v2_version=id3_version)
        return
    if isinstance(tags, MP4Tags):
        from mutagen.mp4 import MP4Cover, MP4FreeForm
        tags["\xa9ART"] = ARTISTS
        tags["\xa9gen"] = GENRES
        for field, atom in MP4_ATOMS.items():
            tags[atom] = [PLAYER[field]]
        tags["cpil"] = True
        tags["tmpo"] = [int(PLAYER["bpm"])]
        tags[FREEFORM + "MusicBrainz Track Id"] = [MP4FreeForm(PLAYER["musicbrainz_recording_id"].encode())]
        for field, name in DESCRIPTIVE.items():
            tags[FREEFORM + name] = [MP4FreeForm(PLAYER[field].encode())]
        tags["covr"] = [MP4Cover(COVER, imageformat=MP4Cover.FORMAT_PNG)]
        f.save()
        return
    if isinstance(tags, APEv2):
        from mutagen.apev2 import APEValue, BINARY
        tags["Artist"] = ARTISTS
        tags["Genre"] = GENRES
        for field, key in VORBIS_KEYS.items():
            tags[key] = PLAYER[field]
        tags["Cover Art (Front)"] = APEValue(b"cover.png\x00" + COVER, BINARY)
        f.save()
        return
    if isinstance(tags, ASFTags):
        from mutagen.asf import ASFBoolAttribute, ASFByteArrayAttribute
        tags["Author"] = ARTISTS
        tags["WM/Genre"] = GENRES
        for field, key in ASF_KEYS.items():
            tags[key] = [PLAYER[field]]
        tags["WM/IsCompilation"] = [ASFBoolAttribute(True)]
        tags["WM/Picture"] = [ASFByteArrayAttribute(asf_picture())]
        f.save()
        return
    # Vorbis comments: FLAC, Ogg Vorbis, Opus, Speex, Ogg FLAC.
    tags["ARTIST"] = ARTISTS
    tags["GENRE"] = GENRES
    for field, key in VORBIS_KEYS.items():
        tags[key] = [PLAYER[field]]
    if hasattr(f, "add_picture"):
        f.clear_pictures()
        f.add_picture(flac_picture())
    else:
        tags["METADATA_BLOCK_PICTURE"] = [base64.b64encode(flac_picture().write()).decode("ascii")]
    f.save()


def texts(values):
    """The non-blank values, stripped, each once (ffmpeg writes a WMA's author twice)."""
    out = []
    for value in values:
        text = str(value).strip()
        if text and text not in out:
            out.append(text)
    return out


def first_text(values):
    found = texts(values)
    return found[0] if found else None


def cover_of(data, mime):
    return {"mime": mime, "size": len(data), "sha1": hashlib.sha1(data).hexdigest()}


def player_fields(f):
    """The PlayerFields mutagen reads, as text (numbers as mutagen gives them) and lists."""
    tags = f.tags
    out = {}
    cover = None
    if tags is None:
        return out
    if isinstance(tags, ID3):
        out["artists"] = texts(tags["TPE1"].text) if "TPE1" in tags else []
        out["genres"] = texts(tags["TCON"].genres) if "TCON" in tags else []
        for field, frame in ID3_FRAMES.items():
            if frame in tags:
                out[field] = first_text(tags[frame].text)
        comments = tags.getall("COMM")
        chosen = [c for c in comments if c.desc == "" and first_text(c.text)]
        chosen = chosen or [c for c in comments if not c.desc.startswith("iTun") and first_text(c.text)]
        if chosen:
            out["comment"] = first_text(chosen[0].text)
        ufid = tags.get("UFID:http://musicbrainz.org")
        if ufid is not None:
            out["musicbrainz_recording_id"] = ufid.data.decode("latin-1").strip() or None
        for txxx in tags.getall("TXXX"):
            for field, desc in DESCRIPTIVE.items():
                if txxx.desc.upper() == desc.upper() and field not in out:
                    out[field] = first_text(txxx.text)
        for rva2 in tags.getall("RVA2"):
            kind = rva2.desc.lower()
            if kind in ("track", "album") and rva2.channel == 1 and "replaygain_%s_gain" % kind not in out:
                # EasyID3's replaygain_* getters' formats.
                out["replaygain_%s_gain" % kind] = "%+f dB" % rva2.gain
                out["replaygain_%s_peak" % kind] = "%f" % rva2.peak
        pictures = tags.getall("APIC")
        fronts = [p for p in pictures if p.type == 3] or pictures
        if fronts:
            cover = cover_of(fronts[0].data, fronts[0].mime)
    elif isinstance(tags, MP4Tags):
        out["artists"] = texts(tags.get("\xa9ART", []))
        out["genres"] = texts(tags.get("\xa9gen", []))
        for field, atom in MP4_ATOMS.items():
            if atom in tags:
                out[field] = first_text(tags[atom])
        if "cpil" in tags:
            out["compilation"] = "1" if tags["cpil"] else "0"
        if "tmpo" in tags:
            out["bpm"] = str(tags["tmpo"][0])
        for key, values in tags.items():
            if key.startswith(FREEFORM):
                name = key[len(FREEFORM):].upper()
                for field, desc in DESCRIPTIVE.items():
                    if name == desc.upper() and field not in out:
                        out[field] = first_text(bytes(v).decode("utf-8") for v in values)
        if tags.get("covr"):
            c = tags["covr"][0]
            cover = cover_of(bytes(c), {13: "image/jpeg", 14: "image/png", 27: "image/bmp"}.get(c.imageformat))
    elif isinstance(tags, APEv2):
        lower = {k.lower(): v for k, v in tags.items()}
        out["artists"] = texts(lower["artist"]) if "artist" in lower else []
        out["genres"] = texts(lower["genre"]) if "genre" in lower else []
        for field, key in VORBIS_KEYS.items():
            if key.lower() in lower:
                out[field] = first_text(lower[key.lower()])
        art = lower.get("cover art (front)")
        if art is not None:
            data = art.value.split(b"\x00", 1)[1]
            cover = cover_of(data, "image/png" if data.startswith(b"\x89PNG") else None)
    elif isinstance(tags, ASFTags):
        out["artists"] = texts(tags.get("Author", []))
        out["genres"] = texts(tags.get("WM/Genre", []))
        for field, key in ASF_KEYS.items():
            if key in tags:
                out[field] = first_text(tags[key])
        if "WM/IsCompilation" in tags:
            out["compilation"] = "1" if tags["WM/IsCompilation"][0].value else "0"
        pictures = [asf_picture_of(v) for v in tags.get("WM/Picture", [])]
        fronts = [p for p in pictures if p[0] == 3] or pictures
        if fronts:
            cover = cover_of(fronts[0][2], fronts[0][1])
    else:
        out["artists"] = texts(tags.get("artist", []))
        out["genres"] = texts(tags.get("genre", []))
        for field, key in VORBIS_KEYS.items():
            if key.lower() in tags:
                out[field] = first_text(tags[key.lower()])
        pictures = list(getattr(f, "pictures", []))
        if pictures:
            out["cover_in_file"] = True
        else:
            from mutagen.flac import Picture
            pictures = [Picture(base64.b64decode(t)) for t in tags.get("metadata_block_picture", [])]
            out["cover_in_file"] = False
        fronts = [p for p in pictures if p.type == 3] or pictures
        if fronts:
            cover = cover_of(fronts[0].data, fronts[0].mime)
    out["artist"] = "; ".join(out["artists"]) if out["artists"] else None
    out["genre"] = "; ".join(out["genres"]) if out["genres"] else None
    for field in ("replaygain_track_gain", "replaygain_track_peak", "replaygain_album_gain", "replaygain_album_peak"):
        m = re.match(r"\s*([+-]?\d+(\.\d*)?)", out.get(field) or "")
        out[field] = float(m.group(1)) if m else None
    m = re.match(r"\s*(\d+)", out.get("bpm") or "")
    out["bpm"] = int(m.group(1)) if m else None
    out["cover"] = cover
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
    paths = sys.argv[1:]
    fields = paths[:1] in (["--write-fields"], ["--fields"])
    if paths[:1] == ["--fields"]:
        paths = paths[1:]
    elif fields:
        paths = paths[1:]
        id3_version = 4
        rva2 = False
        while paths[:1] in (["--id3v2.3"], ["--rva2"]):
            if paths[0] == "--id3v2.3":
                id3_version = 3
            else:
                rva2 = True
            paths = paths[1:]
        for path in paths:
            write_fields(path, id3_version, rva2)
    for path in paths:
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
                if fields:
                    record["fields"] = player_fields(f)
        except Exception as e:  # noqa: BLE001 - reported to the test as data
            record["error"] = "%s: %s" % (type(e).__name__, e)
        print(json.dumps(record, ensure_ascii=True), flush=True)


if __name__ == "__main__":
    main()
