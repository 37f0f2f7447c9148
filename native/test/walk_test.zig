//! End-to-end tests of the C ABI: each test builds a small tree in a temporary folder, walks it
//! through the exported functions exactly as Java does, and compares the decoded records.
//!
//! Run as root, permission tests check what the kernel really allows; to see EACCES, run the test
//! binary without DAC capabilities:
//!   setpriv --inh-caps=-dac_override,-dac_read_search \
//!     --bounding-set=-dac_override,-dac_read_search <test binary>
const std = @import("std");
const linux = std.os.linux;
const testing = std.testing;
const ts = @import("../src/trackscan.zig");
const abi = @import("../src/abi.zig");

const allocator = testing.allocator;

const audio = "mp3\x00flac\x00ogg\x00";

const Options = struct {
    threads: u32 = 1,
    depth_max: u32 = std.math.maxInt(u32),
    flags: u32 = 0,
    extensions: []const u8 = audio,

    fn abi_options(options: Options) abi.WalkOptions {
        return .{
            .threads = options.threads,
            .depth_max = options.depth_max,
            .flags = options.flags,
            .extensions_bytes = @intCast(options.extensions.len),
            .extensions = options.extensions.ptr,
        };
    }
};

/// One decoded record; `line` is "kind status path" for easy comparison.
const Entry = struct {
    line: []u8,
    header: abi.Record,
};

const Records = struct {
    entries: std.ArrayList(Entry),

    fn deinit(records: *Records) void {
        for (records.entries.items) |entry| allocator.free(entry.line);
        records.entries.deinit();
    }

    fn sort(records: *Records) void {
        std.sort.block(Entry, records.entries.items, {}, struct {
            fn less(_: void, a: Entry, b: Entry) bool {
                return std.mem.lessThan(u8, a.line, b.line);
            }
        }.less);
    }

    fn find(records: *const Records, line: []const u8) ?Entry {
        for (records.entries.items) |entry| {
            if (std.mem.eql(u8, entry.line, line)) return entry;
        }
        return null;
    }

    /// Compares the sorted lines with `expected` (sorted by the caller or not: both are sorted).
    fn expect_lines(records: *Records, expected: []const []const u8) !void {
        records.sort();
        const sorted = try allocator.dupe([]const u8, expected);
        defer allocator.free(sorted);
        std.sort.block([]const u8, sorted, {}, struct {
            fn less(_: void, a: []const u8, b: []const u8) bool {
                return std.mem.lessThan(u8, a, b);
            }
        }.less);
        var mismatch = records.entries.items.len != sorted.len;
        if (!mismatch) {
            for (records.entries.items, sorted) |entry, line| {
                if (!std.mem.eql(u8, entry.line, line)) mismatch = true;
            }
        }
        if (mismatch) {
            std.debug.print("\nexpected:\n", .{});
            for (sorted) |line| std.debug.print("  {s}\n", .{line});
            std.debug.print("got:\n", .{});
            for (records.entries.items) |entry| std.debug.print("  {s}\n", .{entry.line});
            return error.TestUnexpectedResult;
        }
    }
};

fn kind_name(kind: u8) []const u8 {
    return switch (kind) {
        1 => "file",
        2 => "link",
        3 => "error",
        4 => "folder",
        else => "?",
    };
}

fn status_name(status: u8) []const u8 {
    const value: abi.Status = @enumFromInt(status);
    return @tagName(value);
}

/// Decodes one batch of packed records, checking the packing rules on the way.
fn decode(records: *Records, buffer: []const u8, bytes: u32, count: u32) !void {
    var offset: usize = 0;
    var decoded: u32 = 0;
    while (offset < bytes) : (decoded += 1) {
        try testing.expect(offset % 8 == 0);
        const header: *const abi.Record = @ptrCast(@alignCast(&buffer[offset]));
        try testing.expect(header.record_bytes % 8 == 0);
        try testing.expectEqual(abi.record_bytes(header.path_bytes), header.record_bytes);
        const path = buffer[offset + 40 ..][0..header.path_bytes];
        try testing.expect(std.mem.indexOfScalar(u8, path, 0) == null);
        for (buffer[offset + 40 + path.len .. offset + header.record_bytes]) |pad| {
            try testing.expectEqual(@as(u8, 0), pad);
        }
        if (header.kind == 3) {
            try testing.expect(header.status != 0);
            try testing.expectEqual(@as(u64, 0), header.size_bytes);
            try testing.expectEqual(@as(u64, 0), header.inode);
            try testing.expectEqual(@as(u64, 0), header.device);
            try testing.expectEqual(@as(i64, 0), header.mtime_ns);
        } else {
            try testing.expectEqual(@as(u8, 0), header.status);
        }
        const line = try std.fmt.allocPrint(allocator, "{s} {s} {s}", .{
            kind_name(header.kind), status_name(header.status), path,
        });
        errdefer allocator.free(line);
        try records.entries.append(.{ .line = line, .header = header.* });
        offset += header.record_bytes;
    }
    try testing.expectEqual(@as(usize, bytes), offset);
    try testing.expectEqual(count, decoded);
}

/// Walks `root` to the end with a buffer of `buffer_bytes`.
fn walk_all(root: []const u8, options: Options, buffer_bytes: u32) !Records {
    var records = Records{ .entries = std.ArrayList(Entry).init(allocator) };
    errdefer records.deinit();
    const abi_options = options.abi_options();
    var handle: u64 = 0;
    try expect_status(.ok, ts.ts_walk_open(root.ptr, @intCast(root.len), &abi_options, &handle));
    defer expect_status(.ok, ts.ts_walk_close(handle)) catch unreachable;
    const buffer = try allocator.alignedAlloc(u8, 8, buffer_bytes);
    defer allocator.free(buffer);
    var calls: u32 = 0;
    while (true) : (calls += 1) {
        try testing.expect(calls < 1_000_000);
        var bytes: u32 = 99;
        var count: u32 = 99;
        const status = ts.ts_walk_next(handle, buffer.ptr, buffer_bytes, &bytes, &count);
        if (status == @intFromEnum(abi.Status.done)) {
            try testing.expectEqual(@as(u32, 0), bytes);
            try testing.expectEqual(@as(u32, 0), count);
            break;
        }
        try expect_status(.ok, status);
        try testing.expect(bytes > 0 and count > 0 and bytes <= buffer_bytes);
        try decode(&records, buffer, bytes, count);
    }
    // Done stays done.
    var bytes: u32 = 0;
    var count: u32 = 0;
    try expect_status(.done, ts.ts_walk_next(handle, buffer.ptr, buffer_bytes, &bytes, &count));
    return records;
}

fn walk_lines(root: []const u8, options: Options, expected: []const []const u8) !void {
    var records = try walk_all(root, options, 1 << 16);
    defer records.deinit();
    try records.expect_lines(expected);
}

fn expect_status(expected: abi.Status, actual: i32) !void {
    const got: abi.Status = @enumFromInt(actual);
    if (got != expected) {
        std.debug.print("\nexpected status {s}, got {s}\n", .{ @tagName(expected), @tagName(got) });
        return error.TestUnexpectedResult;
    }
}

fn open_status(root: []const u8, options: Options) i32 {
    const abi_options = options.abi_options();
    var handle: u64 = 0;
    const status = ts.ts_walk_open(root.ptr, @intCast(root.len), &abi_options, &handle);
    if (status == 0) _ = ts.ts_walk_close(handle);
    return status;
}

/// A temporary folder and its absolute path.
const Tree = struct {
    tmp: testing.TmpDir,
    root_buffer: [std.fs.MAX_PATH_BYTES]u8 = undefined,
    root: []const u8 = "",

    fn init() !*Tree {
        const tree = try allocator.create(Tree);
        tree.* = .{ .tmp = testing.tmpDir(.{}) };
        tree.root = try tree.tmp.dir.realpath(".", &tree.root_buffer);
        return tree;
    }

    fn deinit(tree: *Tree) void {
        tree.tmp.cleanup();
        allocator.destroy(tree);
    }

    fn file(tree: *Tree, path: []const u8, data: []const u8) !void {
        if (std.fs.path.dirname(path)) |parent| try tree.tmp.dir.makePath(parent);
        try tree.tmp.dir.writeFile(path, data);
    }

    fn dir(tree: *Tree, path: []const u8) !void {
        try tree.tmp.dir.makePath(path);
    }

    fn link(tree: *Tree, target: []const u8, path: []const u8) !void {
        if (std.fs.path.dirname(path)) |parent| try tree.tmp.dir.makePath(parent);
        try tree.tmp.dir.symLink(target, path, .{});
    }
};

fn basic_tree() !*Tree {
    const tree = try Tree.init();
    errdefer tree.deinit();
    try tree.file("top.mp3", "abc");
    try tree.file("noext", "");
    try tree.file("trailing.", "");
    try tree.file("a/01.mp3", "12345");
    try tree.file("a/02.FLAC", "");
    try tree.file("a/cover.jpg", "jpeg");
    try tree.file("a/.DS_Store", "");
    try tree.file("a/._01.mp3", "");
    try tree.file("a/b/c/deep.ogg", "");
    try tree.file(".hidden/x.mp3", "");
    try tree.file("x.mp3/y.mp3", "");
    try tree.dir("empty");
    return tree;
}

const basic_expected = [_][]const u8{
    "file ok top.mp3",
    "file ok a/01.mp3",
    "file ok a/02.FLAC",
    "file ok a/b/c/deep.ogg",
    "file ok x.mp3/y.mp3",
};

test "walk: audio files only, hidden names skipped, same records with 1 and 2 threads" {
    const tree = try basic_tree();
    defer tree.deinit();
    try walk_lines(tree.root, .{ .threads = 1 }, &basic_expected);
    try walk_lines(tree.root, .{ .threads = 2 }, &basic_expected);
    try walk_lines(tree.root, .{ .threads = 0 }, &basic_expected);
    try walk_lines(tree.root, .{ .threads = 64 }, &basic_expected);
}

test "walk: folders reported when asked, with the entries their listing held" {
    const tree = try basic_tree();
    defer tree.deinit();
    const expected = basic_expected ++ [_][]const u8{
        "folder ok ",
        "folder ok a",
        "folder ok a/b",
        "folder ok a/b/c",
        "folder ok x.mp3",
        "folder ok empty",
    };
    try walk_lines(tree.root, .{ .threads = 1, .flags = abi.flag_report_folders }, &expected);
    try walk_lines(tree.root, .{ .threads = 2, .flags = abi.flag_report_folders }, &expected);

    var records = try walk_all(tree.root, .{ .flags = abi.flag_report_folders }, 1 << 16);
    defer records.deinit();
    var folders: u32 = 0;
    for (records.entries.items) |entry| {
        if (entry.header.kind != @intFromEnum(abi.Kind.folder)) continue;
        folders += 1;
        try testing.expect(entry.header.inode != 0);
        const path = entry.line["folder ok ".len..];
        // Hidden names count: they are in the listing, walked or not.
        const entries: u64 = if (path.len == 0) 7 else if (std.mem.eql(u8, path, "a")) 6 else if (std.mem.eql(u8, path, "empty")) 0 else 1;
        try testing.expectEqual(entries, entry.header.size_bytes);
    }
    try testing.expectEqual(@as(u32, 6), folders);
}

test "walk: record numbers come from statx" {
    const tree = try basic_tree();
    defer tree.deinit();
    var records = try walk_all(tree.root, .{}, 1 << 16);
    defer records.deinit();
    const entry = records.find("file ok a/01.mp3").?;
    var stx: linux.Statx = undefined;
    const path = try std.fmt.allocPrintZ(allocator, "{s}/a/01.mp3", .{tree.root});
    defer allocator.free(path);
    const all = linux.STATX_BASIC_STATS;
    try testing.expectEqual(linux.E.SUCCESS, linux.getErrno(linux.statx(linux.AT.FDCWD, path.ptr, 0, all, &stx)));
    try testing.expectEqual(@as(u64, 5), entry.header.size_bytes);
    try testing.expectEqual(stx.ino, entry.header.inode);
    try testing.expectEqual(stx.mtime.tv_sec * 1_000_000_000 + stx.mtime.tv_nsec, entry.header.mtime_ns);
    // The same number Java's "unix:dev" gives: glibc's st_dev.
    var st: linux.Stat = undefined;
    try testing.expectEqual(linux.E.SUCCESS, linux.getErrno(linux.fstatat(linux.AT.FDCWD, path, &st, 0)));
    try testing.expectEqual(@as(u64, st.dev), entry.header.device);
}

test "walk: hidden names when asked, every file with an empty extension list" {
    const tree = try basic_tree();
    defer tree.deinit();
    const hidden = basic_expected ++ [_][]const u8{ "file ok .hidden/x.mp3", "file ok a/._01.mp3" };
    try walk_lines(tree.root, .{ .flags = abi.flag_include_hidden }, &hidden);
    const every = basic_expected ++ [_][]const u8{ "file ok noext", "file ok trailing.", "file ok a/cover.jpg" };
    try walk_lines(tree.root, .{ .extensions = "" }, &every);
    try walk_lines(tree.root, .{ .extensions = "jpg\x00", .threads = 2 }, &.{"file ok a/cover.jpg"});
}

test "walk: depth limits" {
    const tree = try basic_tree();
    defer tree.deinit();
    try walk_lines(tree.root, .{ .depth_max = 0 }, &.{});
    try walk_lines(tree.root, .{ .depth_max = 1 }, &.{"file ok top.mp3"});
    try walk_lines(tree.root, .{ .depth_max = 2, .threads = 2 }, &.{
        "file ok top.mp3", "file ok a/01.mp3", "file ok a/02.FLAC", "file ok x.mp3/y.mp3",
    });
    try walk_lines(tree.root, .{ .depth_max = 3 }, &.{
        "file ok top.mp3", "file ok a/01.mp3", "file ok a/02.FLAC", "file ok x.mp3/y.mp3",
    });
    try walk_lines(tree.root, .{ .depth_max = 4 }, &basic_expected);
}

test "walk: the root may be a symlink and may end with a slash" {
    const tree = try basic_tree();
    defer tree.deinit();
    const other = try Tree.init();
    defer other.deinit();
    try other.link(tree.root, "root");
    const root = try std.fmt.allocPrint(allocator, "{s}/root", .{other.root});
    defer allocator.free(root);
    try walk_lines(root, .{}, &basic_expected);
    const slashed = try std.fmt.allocPrint(allocator, "{s}/", .{tree.root});
    defer allocator.free(slashed);
    try walk_lines(slashed, .{}, &basic_expected);
}

fn link_tree() !*Tree {
    const tree = try Tree.init();
    errdefer tree.deinit();
    try tree.file("a/01.mp3", "12345");
    try tree.file("a/b/c/deep.ogg", "");
    try tree.link("..", "a/b/loop"); // a/b/loop -> a, an ancestor
    try tree.link("a/01.mp3", "link.mp3");
    try tree.link("a/01.mp3", "link.txt"); // not a candidate name
    try tree.link("nowhere.mp3", "dangling.mp3");
    try tree.link("self.mp3", "self.mp3");
    try tree.link(".", "dot"); // the root itself
    try tree.link("a/b/c", "alias"); // a folder that is no ancestor: walked again
    try tree.link("a/b/c", "alias2"); // and again
    return tree;
}

test "walk: symlinks are skipped unless followed" {
    const tree = try link_tree();
    defer tree.deinit();
    try walk_lines(tree.root, .{}, &.{ "file ok a/01.mp3", "file ok a/b/c/deep.ogg" });
}

test "walk: followed symlinks, loops and dangling links" {
    const tree = try link_tree();
    defer tree.deinit();
    const expected = [_][]const u8{
        "file ok a/01.mp3",
        "file ok a/b/c/deep.ogg",
        "error symlink_loop a/b/loop",
        "link ok link.mp3",
        "error not_found dangling.mp3",
        "error symlink_loop self.mp3",
        "error symlink_loop dot",
        "file ok alias/deep.ogg",
        "file ok alias2/deep.ogg",
    };
    const follow = abi.flag_follow_symlinks;
    try walk_lines(tree.root, .{ .flags = follow, .threads = 1 }, &expected);
    try walk_lines(tree.root, .{ .flags = follow, .threads = 2 }, &expected);
    // A followed folder one level too deep is not entered; a link to a file still counts.
    try walk_lines(tree.root, .{ .flags = follow, .depth_max = 1 }, &.{
        "link ok link.mp3", "error not_found dangling.mp3", "error symlink_loop self.mp3",
    });

    var records = try walk_all(tree.root, .{ .flags = follow }, 1 << 16);
    defer records.deinit();
    const link = records.find("link ok link.mp3").?;
    const target = records.find("file ok a/01.mp3").?;
    try testing.expectEqual(target.header.inode, link.header.inode);
    try testing.expectEqual(@as(u64, 5), link.header.size_bytes);
}

test "walk: a second link into a folder's own ancestors, reached through an alias" {
    const tree = try Tree.init();
    defer tree.deinit();
    try tree.file("a/b/f.mp3", "");
    try tree.link("..", "a/b/up"); // -> a
    try tree.link("a/b", "alias"); // alias -> a/b, so alias/up -> a is not an ancestor of alias
    const follow = abi.flag_follow_symlinks;
    const expected = [_][]const u8{
        "file ok a/b/f.mp3",
        "error symlink_loop a/b/up",
        "file ok alias/f.mp3",
        "file ok alias/up/b/f.mp3",
        "error symlink_loop alias/up/b/up",
    };
    try walk_lines(tree.root, .{ .flags = follow }, &expected);
    try walk_lines(tree.root, .{ .flags = follow, .threads = 2 }, &expected);
}

test "walk: names that are not UTF-8 are walked with their bytes" {
    const tree = try Tree.init();
    defer tree.deinit();
    try tree.file("bad\xff.mp3", "");
    try tree.file("bad\xffdir/inside.mp3", "");
    try tree.file("surrogate\xed\xa0\x80.txt", "");
    try tree.file(".hidden\xff", "");
    try tree.file("good/caf\xc3\xa9.mp3", "");
    try walk_lines(tree.root, .{}, &.{
        "file ok bad\xff.mp3",
        "file ok bad\xffdir/inside.mp3",
        "file ok good/caf\xc3\xa9.mp3",
    });
}

test "walk: paths reaching the limit are reported with their folder" {
    const tree = try Tree.init();
    defer tree.deinit();
    const name = "n" ** 200;
    // Build a chain of folders deeper than any path may be, one level at a time (a whole path
    // would be too long for the kernel).
    var dir = try tree.tmp.dir.openDir(".", .{});
    var relative_bytes: usize = 0;
    var folder_bytes: usize = 0;
    var expected_folder = std.ArrayList(u8).init(allocator);
    defer expected_folder.deinit();
    var levels: u32 = 0;
    while (levels < 25) : (levels += 1) {
        try dir.writeFile("f.mp3", "");
        try dir.makeDir(name);
        const child = try dir.openDir(name, .{});
        dir.close();
        dir = child;
    }
    dir.close();
    // The first folder whose path is too long, and the folder holding it.
    var level: u32 = 0;
    while (true) : (level += 1) {
        folder_bytes = relative_bytes;
        relative_bytes = if (level == 0) name.len else relative_bytes + 1 + name.len;
        if (tree.root.len + 1 + relative_bytes >= abi.path_bytes_max) break;
        if (level > 0) try expected_folder.append('/');
        try expected_folder.appendSlice(name);
    }
    try testing.expectEqual(folder_bytes, expected_folder.items.len);
    var records = try walk_all(tree.root, .{ .threads = 2 }, abi.record_bytes_max);
    defer records.deinit();
    records.sort();
    // Errors sort first.
    const too_long = records.entries.items[0];
    try testing.expectEqual(@as(u8, 3), too_long.header.kind);
    try testing.expectEqual(@intFromEnum(abi.Status.name_too_long), too_long.header.status);
    try testing.expectEqualStrings(expected_folder.items, too_long.line["error name_too_long ".len..]);
    // Every folder above it holds an f.mp3 that is reported (its path is shorter).
    try testing.expectEqual(@as(usize, level + 1 + 1), records.entries.items.len);
}

test "open: errors about the root" {
    const tree = try basic_tree();
    defer tree.deinit();
    const missing = try std.fmt.allocPrint(allocator, "{s}/missing", .{tree.root});
    defer allocator.free(missing);
    try expect_status(.not_found, open_status(missing, .{}));
    const file = try std.fmt.allocPrint(allocator, "{s}/top.mp3", .{tree.root});
    defer allocator.free(file);
    try expect_status(.not_directory, open_status(file, .{}));
    const under_file = try std.fmt.allocPrint(allocator, "{s}/top.mp3/x", .{tree.root});
    defer allocator.free(under_file);
    try expect_status(.not_directory, open_status(under_file, .{}));
    const long = "/" ++ "x" ** 4095;
    try expect_status(.name_too_long, open_status(long, .{}));
    try expect_status(.name_too_long, open_status("/" ++ "x" ** 300, .{}));
    try expect_status(.not_found, open_status("/" ++ "x" ** 200 ++ "/" ++ "y" ** 200, .{}));
}

test "open: argument checks" {
    const tree = try basic_tree();
    defer tree.deinit();
    const root = tree.root;
    try expect_status(.invalid_argument, open_status(root[0..0], .{}));
    try expect_status(.invalid_argument, open_status(root, .{ .flags = 8 }));
    try expect_status(.invalid_argument, open_status(root, .{ .threads = 65 }));
    try expect_status(.invalid_argument, open_status(root, .{ .extensions = "mp3" }));
    try expect_status(.invalid_argument, open_status(root, .{ .extensions = "mp3\x00ogg" }));
    try expect_status(.invalid_argument, open_status(root, .{ .extensions = "x" ** 4096 ++ "\x00" }));
    try expect_status(.ok, open_status(root, .{ .extensions = "x" ** 4095 ++ "\x00" }));
    try expect_status(.invalid_argument, open_status("/tmp\x00/x", .{}));

    var options = (Options{}).abi_options();
    var handle: u64 = 0;
    const root_len: u32 = @intCast(root.len);
    try expect_status(.invalid_argument, ts.ts_walk_open(null, root_len, &options, &handle));
    try expect_status(.invalid_argument, ts.ts_walk_open(root.ptr, root_len, null, &handle));
    try expect_status(.invalid_argument, ts.ts_walk_open(root.ptr, root_len, &options, null));
    options.extensions = null;
    try expect_status(.invalid_argument, ts.ts_walk_open(root.ptr, root_len, &options, &handle));
    options.extensions_bytes = 0;
    try expect_status(.ok, ts.ts_walk_open(root.ptr, root_len, &options, &handle));
    try expect_status(.ok, ts.ts_walk_close(handle));

    var layout: [9]u32 = undefined;
    try expect_status(.ok, ts.ts_record_layout(&layout, 9));
    try testing.expectEqualSlices(u32, &.{ 40, 0, 4, 6, 7, 8, 16, 24, 32 }, &layout);
    try expect_status(.invalid_argument, ts.ts_record_layout(null, 9));
    try testing.expectEqual(@as(u32, 3), ts.ts_abi_version());
}

test "handles: zero, random and closed handles are refused" {
    const tree = try basic_tree();
    defer tree.deinit();
    var buffer: [abi.record_bytes_max]u8 align(8) = undefined;
    var bytes: u32 = 0;
    var count: u32 = 0;
    const refused = [_]u64{ 0, 1, 64, 65, 0xdead_beef, 0xffff_ffff_ffff_ffff, (7 << 32) | 1 };
    for (refused) |handle| {
        try expect_status(.invalid_handle, ts.ts_walk_next(handle, &buffer, buffer.len, &bytes, &count));
        try expect_status(.invalid_handle, ts.ts_walk_close(handle));
    }
    const options = (Options{}).abi_options();
    var handle: u64 = 0;
    try expect_status(.ok, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, &handle));
    try testing.expect(handle != 0);
    try expect_status(.ok, ts.ts_walk_close(handle));
    try expect_status(.invalid_handle, ts.ts_walk_close(handle));
    try expect_status(.invalid_handle, ts.ts_walk_next(handle, &buffer, buffer.len, &bytes, &count));
    // The slot is reused with another generation: the old handle stays dead.
    var again: u64 = 0;
    try expect_status(.ok, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, &again));
    try testing.expect(again != handle);
    try expect_status(.invalid_handle, ts.ts_walk_next(handle, &buffer, buffer.len, &bytes, &count));
    try expect_status(.ok, ts.ts_walk_close(again));
}

test "handles: at most walks_max walks at once" {
    const tree = try basic_tree();
    defer tree.deinit();
    const options = (Options{ .threads = 1 }).abi_options();
    var handles: [abi.walks_max]u64 = undefined;
    for (&handles) |*handle| {
        try expect_status(.ok, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, handle));
    }
    var extra: u64 = 0;
    try expect_status(.too_many_walks, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, &extra));
    for (handles) |handle| try expect_status(.ok, ts.ts_walk_close(handle));
}

test "next: buffer checks, and the smallest buffer still gets every record" {
    const tree = try basic_tree();
    defer tree.deinit();
    const options = (Options{}).abi_options();
    var handle: u64 = 0;
    try expect_status(.ok, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, &handle));
    defer _ = ts.ts_walk_close(handle);
    var buffer: [abi.record_bytes_max + 8]u8 align(8) = undefined;
    var bytes: u32 = 0;
    var count: u32 = 0;
    try expect_status(.buffer_too_small, ts.ts_walk_next(handle, &buffer, abi.record_bytes_max - 1, &bytes, &count));
    try expect_status(.invalid_argument, ts.ts_walk_next(handle, buffer[1..].ptr, abi.record_bytes_max, &bytes, &count));
    try expect_status(.invalid_argument, ts.ts_walk_next(handle, null, abi.record_bytes_max, &bytes, &count));
    try expect_status(.invalid_argument, ts.ts_walk_next(handle, &buffer, abi.record_bytes_max, null, &count));
    try expect_status(.invalid_argument, ts.ts_walk_next(handle, &buffer, abi.record_bytes_max, &bytes, null));

    var records = try walk_all(tree.root, .{ .threads = 2 }, abi.record_bytes_max);
    defer records.deinit();
    try records.expect_lines(&basic_expected);
}

fn wide_tree(folders: u32, files: u32) !*Tree {
    const tree = try Tree.init();
    errdefer tree.deinit();
    const long = "L" ** 200;
    var folder: u32 = 0;
    var path_buffer: [512]u8 = undefined;
    while (folder < folders) : (folder += 1) {
        var file: u32 = 0;
        while (file < files) : (file += 1) {
            const path = try std.fmt.bufPrint(&path_buffer, "d{d}/{s}{d}.mp3", .{ folder, long, file });
            try tree.file(path, "");
        }
    }
    return tree;
}

test "close: early, while workers wait for a full output, and repeatedly" {
    // 2,000 records of ~250 bytes: more than the chunks of a 2-thread walk hold (6 x 64 KiB).
    const tree = try wide_tree(40, 50);
    defer tree.deinit();
    var records = try walk_all(tree.root, .{ .threads = 2 }, 1 << 20);
    defer records.deinit();
    try testing.expectEqual(@as(usize, 2000), records.entries.items.len);

    var round: u32 = 0;
    while (round < 20) : (round += 1) {
        const options = (Options{ .threads = 1 + round % 3 }).abi_options();
        var handle: u64 = 0;
        try expect_status(.ok, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, &handle));
        if (round % 2 == 1) {
            var buffer: [abi.record_bytes_max]u8 align(8) = undefined;
            var bytes: u32 = 0;
            var count: u32 = 0;
            try expect_status(.ok, ts.ts_walk_next(handle, &buffer, buffer.len, &bytes, &count));
            std.time.sleep(5 * std.time.ns_per_ms);
        }
        try expect_status(.ok, ts.ts_walk_close(handle));
    }
}

fn drain(handle: u64, outcome: *i32) void {
    var buffer: [abi.record_bytes_max]u8 align(8) = undefined;
    while (true) {
        var bytes: u32 = 0;
        var count: u32 = 0;
        const status = ts.ts_walk_next(handle, &buffer, buffer.len, &bytes, &count);
        if (status != 0) {
            outcome.* = status;
            return;
        }
    }
}

test "close: while two other threads call next on the same handle" {
    const tree = try wide_tree(40, 50);
    defer tree.deinit();
    var round: u32 = 0;
    while (round < 10) : (round += 1) {
        const options = (Options{ .threads = 2 }).abi_options();
        var handle: u64 = 0;
        try expect_status(.ok, ts.ts_walk_open(tree.root.ptr, @intCast(tree.root.len), &options, &handle));
        var outcomes = [2]i32{ -1, -1 };
        const first = try std.Thread.spawn(.{}, drain, .{ handle, &outcomes[0] });
        const second = try std.Thread.spawn(.{}, drain, .{ handle, &outcomes[1] });
        std.time.sleep(round * std.time.ns_per_ms);
        try expect_status(.ok, ts.ts_walk_close(handle));
        first.join();
        second.join();
        for (outcomes) |outcome| {
            const done = outcome == @intFromEnum(abi.Status.done);
            try testing.expect(done or outcome == @intFromEnum(abi.Status.invalid_handle));
        }
    }
}

/// Whether this process may open a folder whose permissions forbid it (root with DAC
/// capabilities may).
fn permissions_enforced(tree: *Tree, path: [*:0]const u8) bool {
    const rc = linux.openat(tree.tmp.dir.fd, path, linux.O.RDONLY | linux.O.DIRECTORY, 0);
    if (linux.getErrno(rc) != .SUCCESS) return true;
    _ = linux.close(@intCast(rc));
    return false;
}

test "walk: folders that cannot be read or searched" {
    const tree = try Tree.init();
    defer tree.deinit();
    try tree.file("ok/a.mp3", "");
    try tree.file("locked/inside.mp3", "");
    try tree.file("listonly/x.mp3", "");
    try tree.file("listonly/cover.jpg", "");
    try tree.file("listonly/.hidden.mp3", "");
    try tree.file("listonly/sub/y.mp3", "");
    try tree.tmp.dir.symLink("x.mp3", "listonly/link", .{});
    try std.os.fchmodat(tree.tmp.dir.fd, "locked", 0o000, 0);
    try std.os.fchmodat(tree.tmp.dir.fd, "listonly", 0o444, 0);
    defer std.os.fchmodat(tree.tmp.dir.fd, "locked", 0o755, 0) catch {};
    defer std.os.fchmodat(tree.tmp.dir.fd, "listonly", 0o755, 0) catch {};
    if (permissions_enforced(tree, "locked")) {
        // Like NioWalker: the locked folder is an error; in a folder that can be listed but not
        // searched, every entry it would stat is an error.
        const expected = [_][]const u8{
            "file ok ok/a.mp3",
            "error access_denied locked",
            "error access_denied listonly/x.mp3",
            "error access_denied listonly/cover.jpg",
            "error access_denied listonly/sub",
            "error access_denied listonly/link",
        };
        try walk_lines(tree.root, .{}, &expected);
        try walk_lines(tree.root, .{ .threads = 2 }, &expected);
        // listonly/sub is too deep to be listed: its error comes from the search check.
        try walk_lines(tree.root, .{ .depth_max = 2 }, &expected);
        const locked = try std.fmt.allocPrint(allocator, "{s}/locked", .{tree.root});
        defer allocator.free(locked);
        try expect_status(.access_denied, open_status(locked, .{}));
        const listonly = try std.fmt.allocPrint(allocator, "{s}/listonly", .{tree.root});
        defer allocator.free(listonly);
        try expect_status(.access_denied, open_status(listonly, .{}));
    } else {
        // Root with DAC capabilities: nothing is refused. Check that, then report the test as
        // skipped (run it under setpriv, see the top of this file).
        try walk_lines(tree.root, .{}, &.{
            "file ok ok/a.mp3",       "file ok locked/inside.mp3",
            "file ok listonly/x.mp3", "file ok listonly/sub/y.mp3",
        });
        return error.SkipZigTest;
    }
}
