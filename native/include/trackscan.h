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
#define TS_ABI_VERSION 3

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
    TS_INVALID_NAME = 11,       /* no longer reported: names that are not UTF-8 are walked */
    TS_SYMLINK_LOOP = 12,       /* a followed symlink leads to one of its own ancestors (or ELOOP) */
    TS_IO_ERROR = 13,           /* any other operating-system error */
    TS_THREAD_FAILED = 14,      /* a worker thread could not be started */
    TS_WATCH_LIMIT = 15,        /* ts_watch_add: ENOSPC, fs.inotify.max_user_watches is reached */
    TS_WATCH_INSTANCE_LIMIT = 16 /* ts_watch_open: EMFILE, fs.inotify.max_user_instances is reached
                                   (or the process's descriptors), or TS_WATCHES_MAX are open */
};

/* The kind of a record. */
enum ts_kind {
    TS_KIND_FILE = 1,           /* a regular file */
    TS_KIND_SYMLINK_FILE = 2,   /* a regular file reached through a symlink (only when following) */
    TS_KIND_ERROR = 3,          /* a problem with `path`; `status` says which; other fields are 0 */
    TS_KIND_FOLDER = 4          /* a folder listed to the end (only with TS_WALK_REPORT_FOLDERS): `path`
                                   ("" for the root), its own mtime_ns, device and inode, taken before
                                   its listing, and in size_bytes the entries the listing held (every
                                   name but . and .., hidden ones too) */
};

/* Walk flags. */
enum ts_walk_flag {
    TS_WALK_INCLUDE_HIDDEN = 1,   /* also walk names starting with '.' (hidden, AppleDouble ._x) */
    TS_WALK_FOLLOW_SYMLINKS = 2,  /* follow symlinks to files and directories, detecting loops */
    TS_WALK_REPORT_FOLDERS = 4    /* also a TS_KIND_FOLDER record for every folder listed without error */
};

/* Limits. */
enum ts_limit {
    TS_PATH_BYTES_MAX = 4096,     /* a record's path, relative to the root, without NUL */
    TS_RECORD_BYTES_MAX = 4136,   /* sizeof(ts_record) + TS_PATH_BYTES_MAX, rounded up to 8 */
    TS_THREADS_MAX = 64,
    TS_WALKS_MAX = 64,
    TS_EXTENSIONS_BYTES_MAX = 4096,
    TS_WATCHES_MAX = 64,
    TS_WATCH_BUFFER_BYTES_MIN = 4096  /* ts_watch_read's buffer: room for the largest event */
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

/*
 * Watches: one inotify instance each, for following a library while it changes. The events are
 * the kernel's own records, handed over unchanged: ts_watch_event is struct inotify_event, and
 * each is followed by name_bytes bytes holding the name (NUL-padded; 0 bytes for an event about
 * the watched folder itself). Records are 4-byte aligned and packed one after another.
 */
typedef struct ts_watch_event {
    int32_t wd;           /* the watch descriptor ts_watch_add gave; -1 for TS_IN_Q_OVERFLOW */
    uint32_t mask;        /* enum ts_watch_mask bits: what happened */
    uint32_t cookie;      /* pairs a TS_IN_MOVED_FROM with its TS_IN_MOVED_TO; 0 otherwise */
    uint32_t name_bytes;  /* bytes of name that follow, padding included */
} ts_watch_event;

/* The inotify bits, with the kernel's values (linux/inotify.h). */
enum ts_watch_mask {
    TS_IN_MODIFY = 0x2,
    TS_IN_ATTRIB = 0x4,
    TS_IN_CLOSE_WRITE = 0x8,
    TS_IN_MOVED_FROM = 0x40,
    TS_IN_MOVED_TO = 0x80,
    TS_IN_CREATE = 0x100,
    TS_IN_DELETE = 0x200,
    TS_IN_DELETE_SELF = 0x400,
    TS_IN_MOVE_SELF = 0x800,
    TS_IN_UNMOUNT = 0x2000,       /* event only: the file system holding the folder went away */
    TS_IN_Q_OVERFLOW = 0x4000,    /* event only: events were lost; rescan what the watch covers */
    TS_IN_IGNORED = 0x8000,       /* event only: the watch is gone (folder deleted or unmounted) */
    TS_IN_ONLYDIR = 0x1000000,    /* ts_watch_add: fail unless the path is a folder */
    TS_IN_DONT_FOLLOW = 0x2000000,/* ts_watch_add: do not follow a symlink at the path */
    TS_IN_EXCL_UNLINK = 0x4000000,/* ts_watch_add: no events from names already unlinked */
    TS_IN_ISDIR = 0x40000000      /* event only: the name is a folder */
};

/* A watch; 0 is never a valid handle. */
typedef uint64_t ts_watch_handle;

/* Opens a watch (an inotify instance) with no folders yet. */
ts_status ts_watch_open(ts_watch_handle *out_handle);

/*
 * Watches the folder at `path` (path_bytes bytes, no NUL needed) for the events in `mask`
 * (ts_watch_mask bits; at least one event). On TS_OK *out_wd names the folder in events; adding
 * a folder that is already watched gives its existing descriptor and replaces its mask.
 * TS_WATCH_LIMIT when fs.inotify.max_user_watches is reached.
 */
ts_status ts_watch_add(ts_watch_handle handle, const uint8_t *path, uint32_t path_bytes, uint32_t mask,
                       int32_t *out_wd);

/* Stops watching `wd`. TS_NOT_FOUND when the kernel already dropped it (an IN_IGNORED follows). */
ts_status ts_watch_remove(ts_watch_handle handle, int32_t wd);

/*
 * Waits up to timeout_ms (-1: without limit) for events, then reads as many whole records as fit
 * into buffer[0..buffer_bytes) (at least TS_WATCH_BUFFER_BYTES_MIN, 4-byte aligned) and sets
 * *out_bytes. *out_bytes is 0 after a timeout or a ts_watch_wake. One read at a time per watch.
 */
ts_status ts_watch_read(ts_watch_handle handle, uint8_t *buffer, uint32_t buffer_bytes, int32_t timeout_ms,
                        uint32_t *out_bytes);

/* Makes a ts_watch_read of this watch return at once (the current one, or else the next). */
ts_status ts_watch_wake(ts_watch_handle handle);

/*
 * Wakes a blocked ts_watch_read, waits for it to leave, closes the watch and frees it. The handle
 * is invalid afterwards.
 */
ts_status ts_watch_close(ts_watch_handle handle);

#endif /* TRACKSCAN_H */
