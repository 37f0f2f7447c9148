//! Pure rules of the walk: which names are reported, how numbers are encoded, how errno values
//! become statuses. No I/O here, so every rule is unit-tested; NioWalker.java has the twins.
const std = @import("std");
const linux = std.os.linux;
const assert = std.debug.assert;
const abi = @import("abi.zig");

/// A name starting with '.' (also AppleDouble `._x`) is hidden.
pub fn is_hidden(name: []const u8) bool {
    assert(name.len > 0);
    return name[0] == '.';
}

/// Offset of d_name in a linux_dirent64 record (after d_ino, d_off, d_reclen and d_type).
pub const dirent_name_offset: usize = 19;

/// The name in one linux_dirent64 record of `record.len` (= d_reclen) bytes. The kernel sizes a
/// record as the name's offset + the name + its NUL, rounded up to 8 (fs/readdir.c), so the NUL
/// is among the last 8 bytes and every byte before them is the name's: only those are searched,
/// not the whole name (this runs for every entry of every folder). Null for a record with no NUL.
pub fn dirent_name(record: []const u8) ?[:0]const u8 {
    assert(record.len > dirent_name_offset and record.len % 8 == 0);
    const tail = @max(dirent_name_offset, record.len - 8);
    // Not finding it there is not how Linux lays records out: search the whole record then.
    const end = std.mem.indexOfScalarPos(u8, record, tail, 0) orelse
        std.mem.indexOfScalarPos(u8, record, dirent_name_offset, 0) orelse return null;
    return record[dirent_name_offset..end :0];
}

/// The audio extensions of a walk, split once from the ABI's NUL-ended list ("mp3\x00flac\x00")
/// so that matching a name compares lengths first instead of rescanning the list.
pub const Extensions = struct {
    /// Slices of the list the set was made from, which must outlive it.
    items: []const []const u8,

    /// Most extensions a list within extensions_bytes_max can hold: a letter and a NUL each.
    pub const count_max: usize = abi.extensions_bytes_max / 2;

    pub fn init(allocator: std.mem.Allocator, list: []const u8) error{OutOfMemory}!Extensions {
        assert(extensions_valid(list));
        const count = std.mem.count(u8, list, "\x00");
        assert(count <= count_max);
        const items = try allocator.alloc([]const u8, count);
        var start: usize = 0;
        for (items) |*item| {
            const end = std.mem.indexOfScalarPos(u8, list, start, 0).?;
            item.* = list[start..end];
            start = end + 1;
        }
        return .{ .items = items };
    }

    pub fn deinit(extensions: Extensions, allocator: std.mem.Allocator) void {
        allocator.free(extensions.items);
    }

    /// Whether `name` has one of the extensions, compared ASCII case-insensitively. An empty set
    /// matches every name.
    pub fn matches(extensions: Extensions, name: []const u8) bool {
        if (extensions.items.len == 0) return true;
        const dot = std.mem.lastIndexOfScalar(u8, name, '.') orelse return false;
        const extension = name[dot + 1 ..];
        if (extension.len == 0) return false;
        for (extensions.items) |candidate| {
            if (candidate.len == extension.len and std.ascii.eqlIgnoreCase(candidate, extension)) return true;
        }
        return false;
    }
};

/// Whether `extensions` is a well-formed list: empty, or ending with NUL.
pub fn extensions_valid(extensions: []const u8) bool {
    if (extensions.len > abi.extensions_bytes_max) return false;
    return extensions.len == 0 or extensions[extensions.len - 1] == 0;
}

/// st_dev as glibc's makedev() builds it: what Java's "unix:dev" attribute returns.
pub fn makedev(major: u32, minor: u32) u64 {
    const major_wide: u64 = major;
    const minor_wide: u64 = minor;
    return ((major_wide & 0xfffff000) << 32) | ((major_wide & 0xfff) << 8) |
        ((minor_wide & 0xffffff00) << 12) | (minor_wide & 0xff);
}

/// Nanoseconds since the epoch, saturating like Java's FileTime.to(NANOSECONDS).
pub fn mtime_ns(seconds: i64, nanoseconds: u32) i64 {
    assert(nanoseconds < std.time.ns_per_s);
    const ns_per_s: i64 = std.time.ns_per_s;
    const whole = std.math.mul(i64, seconds, ns_per_s) catch {
        return if (seconds < 0) std.math.minInt(i64) else std.math.maxInt(i64);
    };
    return std.math.add(i64, whole, nanoseconds) catch std.math.maxInt(i64);
}

/// The status of an error record (or of the root) for an errno.
pub fn status_from_errno(errno: linux.E) abi.Status {
    assert(errno != .SUCCESS);
    return switch (errno) {
        .NOENT => .not_found,
        .ACCES, .PERM => .access_denied,
        .NAMETOOLONG => .name_too_long,
        .LOOP => .symlink_loop,
        .NOTDIR => .not_directory,
        .NOMEM => .out_of_memory,
        else => .io_error,
    };
}

/// Whether a record for `relative_bytes` of path would reach the limit on absolute paths:
/// root + '/' + relative must stay below path_bytes_max, as in NioWalker.tooLong.
pub fn path_too_long(root_bytes: u32, relative_bytes: usize) bool {
    assert(root_bytes > 0);
    return root_bytes + 1 + relative_bytes >= abi.path_bytes_max;
}

/// The numbers a record carries, taken from statx.
pub const Attributes = struct {
    mtime_ns: i64 = 0,
    size_bytes: u64 = 0,
    device: u64 = 0,
    inode: u64 = 0,

    pub fn from_statx(stx: *const linux.Statx) Attributes {
        return .{
            .mtime_ns = mtime_ns(stx.mtime.tv_sec, stx.mtime.tv_nsec),
            .size_bytes = stx.size,
            .device = makedev(stx.dev_major, stx.dev_minor),
            .inode = stx.ino,
        };
    }
};

/// Writes one record (header, path, zero padding) at the start of `out`; returns its bytes.
pub fn pack_record(
    out: []align(abi.record_align_bytes) u8,
    kind: abi.Kind,
    status: abi.Status,
    attributes: Attributes,
    path: []const u8,
) u32 {
    const bytes = abi.record_bytes(path.len);
    assert(out.len >= bytes);
    assert((kind == .err) == (status != .ok));
    const header: *abi.Record = @ptrCast(out.ptr);
    header.* = .{
        .record_bytes = bytes,
        .path_bytes = @intCast(path.len),
        .kind = @intFromEnum(kind),
        .status = @intCast(@intFromEnum(status)),
        .mtime_ns = attributes.mtime_ns,
        .size_bytes = attributes.size_bytes,
        .device = attributes.device,
        .inode = attributes.inode,
    };
    const path_start = @sizeOf(abi.Record);
    @memcpy(out[path_start..][0..path.len], path);
    @memset(out[path_start + path.len .. bytes], 0);
    return bytes;
}

const testing = std.testing;

test "hidden names start with a dot" {
    try testing.expect(is_hidden(".DS_Store"));
    try testing.expect(is_hidden("._01.mp3"));
    try testing.expect(!is_hidden("a.mp3"));
}

fn extension_matches(name: []const u8, list: []const u8) bool {
    const set = Extensions.init(testing.allocator, list) catch unreachable;
    defer set.deinit(testing.allocator);
    return set.matches(name);
}

test "extensions: after the last dot, non-empty, ASCII case-insensitive" {
    const list = "mp3\x00flac\x00m4a\x00";
    try testing.expect(extension_matches("01 - a.mp3", list));
    try testing.expect(extension_matches("01 - a.MP3", list));
    try testing.expect(extension_matches("x.tar.FlAc", list));
    try testing.expect(extension_matches(".mp3", list));
    try testing.expect(!extension_matches("mp3", list));
    try testing.expect(!extension_matches("a.mp3.", list));
    try testing.expect(!extension_matches("a.mp", list));
    try testing.expect(!extension_matches("a.mp34", list));
    try testing.expect(!extension_matches("a.mp3.jpg", list));
    try testing.expect(!extension_matches("cover.jpg", list));
    try testing.expect(extension_matches("cover.jpg", ""));
    try testing.expect(extension_matches("no_dot", ""));
}

test "dirent names: the NUL is found in the record's last 8 bytes" {
    // Records as fs/readdir.c lays them out: 19 bytes of header, the name, a NUL, padding to 8.
    var record: [280]u8 = undefined;
    var length: usize = 0;
    while (length <= 255) : (length += 1) {
        const bytes = (dirent_name_offset + length + 1 + 7) / 8 * 8;
        @memset(record[0..bytes], 0xaa);
        @memset(record[dirent_name_offset..][0..length], 'n');
        record[dirent_name_offset + length] = 0;
        try testing.expectEqual(length, dirent_name(record[0..bytes]).?.len);
    }
    // Garbage after the NUL is padding, not name.
    var short = [_]u8{0} ** 24;
    @memcpy(short[19..21], "ab");
    short[22] = 'x';
    try testing.expectEqualStrings("ab", dirent_name(&short).?);
    // A NUL only early in the record (not how Linux writes them) is still found.
    var odd = [_]u8{'z'} ** 40;
    odd[20] = 0;
    try testing.expectEqualStrings("z", dirent_name(&odd).?);
    odd[20] = 'z';
    try testing.expect(dirent_name(&odd) == null);
}

test "extension sets match like the list they come from" {
    const set = try Extensions.init(testing.allocator, "mp3\x00flac\x00m4a\x00");
    defer set.deinit(testing.allocator);
    try testing.expect(set.matches("x.FLAC"));
    try testing.expect(!set.matches("x.fla"));
    try testing.expect(!set.matches("x."));
    const every = try Extensions.init(testing.allocator, "");
    defer every.deinit(testing.allocator);
    try testing.expect(every.matches("no_dot"));
}

test "extension lists must end with NUL" {
    try testing.expect(extensions_valid(""));
    try testing.expect(extensions_valid("mp3\x00"));
    try testing.expect(!extensions_valid("mp3"));
    try testing.expect(!extensions_valid("mp3\x00ogg"));
}

test "makedev matches glibc" {
    try testing.expectEqual(@as(u64, 0x0803), makedev(8, 3));
    try testing.expectEqual(@as(u64, 0xfd01), makedev(253, 1));
    // Both numbers wide enough to use every field of the encoding.
    try testing.expectEqual(@as(u64, 0x0001_2000_6783_459a), makedev(0x12345, 0x6789a));
}

test "mtime in nanoseconds, saturating" {
    try testing.expectEqual(@as(i64, 1_700_000_000_123_456_789), mtime_ns(1_700_000_000, 123_456_789));
    try testing.expectEqual(@as(i64, -999_999_999), mtime_ns(-1, 1));
    try testing.expectEqual(@as(i64, std.math.maxInt(i64)), mtime_ns(std.math.maxInt(i64), 0));
    try testing.expectEqual(@as(i64, std.math.minInt(i64)), mtime_ns(std.math.minInt(i64), 5));
}

test "errno to status" {
    try testing.expectEqual(abi.Status.not_found, status_from_errno(.NOENT));
    try testing.expectEqual(abi.Status.access_denied, status_from_errno(.ACCES));
    try testing.expectEqual(abi.Status.access_denied, status_from_errno(.PERM));
    try testing.expectEqual(abi.Status.name_too_long, status_from_errno(.NAMETOOLONG));
    try testing.expectEqual(abi.Status.symlink_loop, status_from_errno(.LOOP));
    try testing.expectEqual(abi.Status.not_directory, status_from_errno(.NOTDIR));
    try testing.expectEqual(abi.Status.io_error, status_from_errno(.IO));
}

test "too long: root + '/' + relative reaches path_bytes_max" {
    try testing.expect(!path_too_long(10, 4096 - 12));
    try testing.expect(path_too_long(10, 4096 - 11));
}

test "records pack header, path and zero padding" {
    var buffer: [64]u8 align(8) = [_]u8{0xaa} ** 64;
    const attributes = Attributes{ .mtime_ns = -5, .size_bytes = 7, .device = 0x803, .inode = 42 };
    const bytes = pack_record(&buffer, .file, .ok, attributes, "a/b.mp3");
    try testing.expectEqual(@as(u32, 48), bytes);
    const header: *const abi.Record = @ptrCast(&buffer);
    try testing.expectEqual(@as(u32, 48), header.record_bytes);
    try testing.expectEqual(@as(u16, 7), header.path_bytes);
    try testing.expectEqual(@as(u8, 1), header.kind);
    try testing.expectEqual(@as(u8, 0), header.status);
    try testing.expectEqual(@as(i64, -5), header.mtime_ns);
    try testing.expectEqual(@as(u64, 42), header.inode);
    try testing.expectEqualStrings("a/b.mp3", buffer[40..47]);
    try testing.expectEqual(@as(u8, 0), buffer[47]);
    try testing.expectEqual(@as(u8, 0xaa), buffer[48]);

    const error_bytes = pack_record(&buffer, .err, .not_found, .{}, "");
    try testing.expectEqual(@as(u32, 40), error_bytes);
    try testing.expectEqual(@as(u8, 3), header.kind);
    try testing.expectEqual(@as(u8, 7), header.status);
    try testing.expectEqual(@as(u64, 0), header.size_bytes);
}
