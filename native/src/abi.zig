//! The C ABI of native/include/trackscan.h, mirrored in Zig. Every constant and layout here must
//! match the header: Java binds the header and checks ts_record_layout() against its own view.
const std = @import("std");
const assert = std.debug.assert;

pub const abi_version: u32 = 3;

/// ts_status_code. Exported functions return it as i32.
pub const Status = enum(i32) {
    ok = 0,
    done = 1,
    invalid_argument = 2,
    invalid_handle = 3,
    buffer_too_small = 4,
    out_of_memory = 5,
    too_many_walks = 6,
    not_found = 7,
    not_directory = 8,
    access_denied = 9,
    name_too_long = 10,
    invalid_name = 11,
    symlink_loop = 12,
    io_error = 13,
    thread_failed = 14,
    watch_limit = 15,
    watch_instance_limit = 16,
};

/// ts_kind.
pub const Kind = enum(u8) {
    file = 1,
    symlink_file = 2,
    err = 3,
    folder = 4,
};

/// ts_walk_flag.
pub const flag_include_hidden: u32 = 1;
pub const flag_follow_symlinks: u32 = 2;
pub const flag_report_folders: u32 = 4;
pub const flags_known: u32 = flag_include_hidden | flag_follow_symlinks | flag_report_folders;

/// ts_limit.
pub const path_bytes_max: u32 = 4096;
pub const record_bytes_max: u32 = 4136;
pub const threads_max: u32 = 64;
pub const walks_max: u32 = 64;
pub const extensions_bytes_max: u32 = 4096;
pub const watches_max: u32 = 64;
/// Room for the largest inotify record (header + NAME_MAX + NUL), with a margin: reads take many.
pub const watch_buffer_bytes_min: u32 = 4096;

/// ts_watch_event: the kernel's struct inotify_event, handed over as the kernel writes it.
pub const WatchEvent = std.os.linux.inotify_event;

/// ts_watch_mask: the inotify bits a caller may ask for (the rest are kernel-only or unsafe here:
/// IN_ONESHOT and IN_MASK_ADD would break the one-watch-per-folder bookkeeping Java keeps).
pub const watch_mask_known: u32 = blk: {
    const IN = std.os.linux.IN;
    break :blk IN.ALL_EVENTS | IN.ONLYDIR | IN.DONT_FOLLOW | IN.EXCL_UNLINK;
};

/// ts_record: the header of one packed record; the path follows it.
pub const Record = extern struct {
    record_bytes: u32,
    path_bytes: u16,
    kind: u8,
    status: u8,
    mtime_ns: i64,
    size_bytes: u64,
    device: u64,
    inode: u64,
};

/// Records start at 8-byte-aligned offsets, so Java reads longs with aligned layouts.
pub const record_align_bytes: u32 = 8;

/// What ts_record_layout() reports: sizeof(ts_record), then the offset of each field.
pub const record_layout = [_]u32{
    @sizeOf(Record),
    @offsetOf(Record, "record_bytes"),
    @offsetOf(Record, "path_bytes"),
    @offsetOf(Record, "kind"),
    @offsetOf(Record, "status"),
    @offsetOf(Record, "mtime_ns"),
    @offsetOf(Record, "size_bytes"),
    @offsetOf(Record, "device"),
    @offsetOf(Record, "inode"),
};

comptime {
    assert(@sizeOf(Record) == 40);
    assert(@alignOf(Record) == record_align_bytes);
    assert(std.mem.eql(u32, &record_layout, &[_]u32{ 40, 0, 4, 6, 7, 8, 16, 24, 32 }));
    assert(record_bytes_max == std.mem.alignForward(u32, @sizeOf(Record) + path_bytes_max, record_align_bytes));
    // path_bytes is a u16 and must hold any path up to the limit.
    assert(path_bytes_max <= std.math.maxInt(u16));
}

/// ts_walk_options.
pub const WalkOptions = extern struct {
    threads: u32,
    depth_max: u32,
    flags: u32,
    extensions_bytes: u32,
    extensions: ?[*]const u8,
};

comptime {
    assert(@sizeOf(WatchEvent) == 16);
    assert(@offsetOf(WatchEvent, "len") == 12);
    assert(watch_buffer_bytes_min >= @sizeOf(WatchEvent) + 256);
}

comptime {
    assert(@sizeOf(WalkOptions) == 24);
    assert(@offsetOf(WalkOptions, "extensions") == 16);
}

/// Bytes a record with a path of `path_bytes` takes, padding included.
pub fn record_bytes(path_bytes: usize) u32 {
    assert(path_bytes <= path_bytes_max);
    return @intCast(std.mem.alignForward(usize, @sizeOf(Record) + path_bytes, record_align_bytes));
}

test "record_bytes rounds up to 8 and tops out at record_bytes_max" {
    try std.testing.expectEqual(@as(u32, 40), record_bytes(0));
    try std.testing.expectEqual(@as(u32, 48), record_bytes(1));
    try std.testing.expectEqual(@as(u32, 48), record_bytes(8));
    try std.testing.expectEqual(@as(u32, 56), record_bytes(9));
    try std.testing.expectEqual(record_bytes_max, record_bytes(path_bytes_max));
}
