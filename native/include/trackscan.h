/*
 * trackscan native walker: the whole C ABI.
 *
 * Small on purpose (after TigerBeetle's tb_client): fixed-width integers, an opaque integer
 * handle, every call returns a ts_status, and data leaves only through a buffer the caller owns.
 * Java binds this header with jextract (see native/jextract/regenerate.sh); Zig implements it in
 * native/src/. Change it only together with TS_ABI_VERSION.
 */
#ifndef TRACKSCAN_H
#define TRACKSCAN_H

#include <stdint.h>

/* Bumped on every incompatible change; Java refuses a library that reports another version. */
#define TS_ABI_VERSION 1

typedef int32_t ts_status;

/* Status codes returned by every call, and carried by error records. */
enum ts_status_code {
    TS_OK = 0,
    TS_DONE = 1,                /* ts_walk_next: the walk is finished; nothing was written */
    TS_INVALID_ARGUMENT = 2,    /* a null pointer, an unknown flag, an out-of-range option */
    TS_INVALID_HANDLE = 3,      /* a handle that is closed or was never opened */
    TS_BUFFER_TOO_SMALL = 4,    /* the buffer is smaller than TS_RECORD_BYTES_MAX */
    TS_OUT_OF_MEMORY = 5,
    TS_TOO_MANY_WALKS = 6,      /* more than TS_WALKS_MAX walks are open at once */
    TS_NOT_FOUND = 7,           /* ENOENT: missing root, or an entry that vanished mid-walk */
    TS_NOT_DIRECTORY = 8,       /* the root is not a directory */
    TS_ACCESS_DENIED = 9,       /* EACCES/EPERM */
    TS_NAME_TOO_LONG = 10,      /* root + '/' + relative path would reach TS_PATH_BYTES_MAX bytes;
                                   the error record names the folder holding the entry */
    TS_INVALID_NAME = 11,       /* a name that is not valid UTF-8: reported, never walked */
    TS_SYMLINK_LOOP = 12,       /* a followed symlink leads to one of its own ancestors (or ELOOP) */
    TS_IO_ERROR = 13,           /* any other operating-system error */
    TS_THREAD_FAILED = 14       /* a worker thread could not be started */
};

/* The kind of a record. */
enum ts_kind {
    TS_KIND_FILE = 1,           /* a regular file */
    TS_KIND_SYMLINK_FILE = 2,   /* a regular file reached through a symlink (only when following) */
    TS_KIND_ERROR = 3           /* a problem with `path`; `status` says which; other fields are 0 */
};

/* Walk flags. */
enum ts_walk_flag {
    TS_WALK_INCLUDE_HIDDEN = 1,   /* also walk names starting with '.' (hidden, AppleDouble ._x) */
    TS_WALK_FOLLOW_SYMLINKS = 2   /* follow symlinks to files and directories, detecting loops */
};

/* Limits. */
enum ts_limit {
    TS_PATH_BYTES_MAX = 4096,     /* a record's path, relative to the root, without NUL */
    TS_RECORD_BYTES_MAX = 4136,   /* sizeof(ts_record) + TS_PATH_BYTES_MAX, rounded up to 8 */
    TS_THREADS_MAX = 64,
    TS_WALKS_MAX = 64,
    TS_EXTENSIONS_BYTES_MAX = 4096
};

/*
 * One record in the caller's buffer. Records are packed one after another, each starting at an
 * 8-byte-aligned offset: header, then path_bytes bytes of path (relative to the root, '/'-separated,
 * no NUL), then zero padding up to record_bytes.
 */
typedef struct ts_record {
    uint32_t record_bytes;  /* header + path + padding; a multiple of 8 */
    uint16_t path_bytes;
    uint8_t kind;           /* enum ts_kind */
    uint8_t status;         /* TS_OK, or the error of a TS_KIND_ERROR record */
    int64_t mtime_ns;       /* modification time, nanoseconds since the Unix epoch */
    uint64_t size_bytes;
    uint64_t device;        /* st_dev, encoded like glibc's makedev(major, minor) */
    uint64_t inode;
} ts_record;

typedef struct ts_walk_options {
    uint32_t threads;           /* worker threads, 1..TS_THREADS_MAX; 0 = online CPUs (capped) */
    uint32_t depth_max;         /* deepest entry reported: the root's children are depth 1 */
    uint32_t flags;             /* enum ts_walk_flag, or-ed */
    uint32_t extensions_bytes;  /* bytes at `extensions`; 0 = report every regular file */
    const uint8_t *extensions;  /* lower-case ASCII extensions without the dot, each NUL-ended:
                                   "mp3\0flac\0"; matched case-insensitively */
} ts_walk_options;

/* A walk in progress; 0 is never a valid handle. */
typedef uint64_t ts_walk_handle;

/* The ABI version the library implements (TS_ABI_VERSION when it was built). */
uint32_t ts_abi_version(void);

/*
 * Layout self-description, so Java can check its view of ts_record against the library's:
 * fills out[0..count) with sizeof(ts_record) followed by the offsets of record_bytes,
 * path_bytes, kind, status, mtime_ns, size_bytes, device, inode (9 values).
 */
ts_status ts_record_layout(uint32_t *out, uint32_t count);

/*
 * Starts a walk of `root` (absolute or relative to the working directory, root_bytes bytes, no NUL
 * needed). The root itself is followed if it is a symlink. On TS_OK *out_handle is set and worker
 * threads begin; errors about the root itself (TS_NOT_FOUND, TS_NOT_DIRECTORY, TS_ACCESS_DENIED,
 * TS_NAME_TOO_LONG) are returned here and no handle is made.
 */
ts_status ts_walk_open(const uint8_t *root, uint32_t root_bytes, const ts_walk_options *options,
                       ts_walk_handle *out_handle);

/*
 * Blocks until at least one record is ready or the walk is done, then packs as many whole records
 * as fit into buffer[0..buffer_bytes). Returns TS_OK with *out_bytes and *out_records set, or
 * TS_DONE when every record has been delivered (then both are 0). buffer_bytes must be at least
 * TS_RECORD_BYTES_MAX and buffer 8-byte aligned. Memory used by a walk stays bounded whatever the
 * tree size: workers wait while the caller is slow to drain.
 */
ts_status ts_walk_next(ts_walk_handle handle, uint8_t *buffer, uint32_t buffer_bytes,
                       uint32_t *out_bytes, uint32_t *out_records);

/*
 * Stops the walk (early or after TS_DONE), joins its threads and frees everything it holds. The
 * handle is invalid afterwards; using it again returns TS_INVALID_HANDLE.
 */
ts_status ts_walk_close(ts_walk_handle handle);

#endif /* TRACKSCAN_H */
