//! A watch: one inotify instance and an eventfd that wakes a blocked read. The kernel's event
//! records are handed to the caller as they are (struct inotify_event, which ts_watch_event
//! mirrors): decoding them is Java's job, as with the walker's records, so this file only owns
//! the two descriptors and turns errno into status codes.
const std = @import("std");
const linux = std.os.linux;
const assert = std.debug.assert;
const abi = @import("abi.zig");
const names = @import("names.zig");

const allocator = std.heap.c_allocator;

pub const ReadError = error{ OutOfMemory, IoError, BufferTooSmall };

pub const Watch = struct {
    inotify_fd: i32,
    wake_fd: i32,
    /// One reader at a time: two threads reading one inotify fd would split a rename's pair of
    /// events between them.
    read_mutex: std.Thread.Mutex = .{},

    pub fn create() error{ OutOfMemory, InstanceLimit, Failed }!*Watch {
        const inotify_rc = linux.inotify_init1(linux.IN.NONBLOCK | linux.IN.CLOEXEC);
        switch (linux.getErrno(inotify_rc)) {
            .SUCCESS => {},
            // EMFILE here is fs.inotify.max_user_instances (or the process's fd limit).
            .MFILE, .NFILE => return error.InstanceLimit,
            .NOMEM => return error.OutOfMemory,
            else => return error.Failed,
        }
        const inotify_fd: i32 = @intCast(inotify_rc);
        const wake_rc = linux.eventfd(0, linux.EFD.CLOEXEC | linux.EFD.NONBLOCK);
        if (linux.getErrno(wake_rc) != .SUCCESS) {
            _ = linux.close(inotify_fd);
            return error.Failed;
        }
        const wake_fd: i32 = @intCast(wake_rc);
        const watch = allocator.create(Watch) catch {
            _ = linux.close(inotify_fd);
            _ = linux.close(wake_fd);
            return error.OutOfMemory;
        };
        watch.* = .{ .inotify_fd = inotify_fd, .wake_fd = wake_fd };
        return watch;
    }

    pub fn destroy(watch: *Watch) void {
        _ = linux.close(watch.inotify_fd);
        _ = linux.close(watch.wake_fd);
        allocator.destroy(watch);
    }

    /// Watches the folder at `path` (NUL-terminated) for `mask`; returns the watch descriptor.
    pub fn add(watch: *Watch, path: [*:0]const u8, mask: u32, wd_out: *i32) abi.Status {
        const rc = linux.inotify_add_watch(watch.inotify_fd, path, mask);
        const errno = linux.getErrno(rc);
        if (errno != .SUCCESS) {
            return switch (errno) {
                // ENOSPC is fs.inotify.max_user_watches: the caller must say so and poll instead.
                .NOSPC => .watch_limit,
                else => names.status_from_errno(errno),
            };
        }
        wd_out.* = @intCast(rc);
        return .ok;
    }

    pub fn remove(watch: *Watch, wd: i32) abi.Status {
        const errno = linux.getErrno(linux.inotify_rm_watch(watch.inotify_fd, wd));
        return switch (errno) {
            .SUCCESS => .ok,
            // The kernel already dropped it (its folder was deleted): IN_IGNORED is on its way.
            .INVAL => .not_found,
            else => names.status_from_errno(errno),
        };
    }

    /// Waits up to `timeout_ms` (-1: no limit) for events or a wake, then reads as many whole
    /// records as fit. Returns the bytes read: 0 on a timeout or a wake.
    pub fn read(watch: *Watch, buffer: []u8, timeout_ms: i32) ReadError!usize {
        watch.read_mutex.lock();
        defer watch.read_mutex.unlock();
        var fds = [_]linux.pollfd{
            .{ .fd = watch.inotify_fd, .events = linux.POLL.IN, .revents = 0 },
            .{ .fd = watch.wake_fd, .events = linux.POLL.IN, .revents = 0 },
        };
        const poll_rc = linux.poll(&fds, fds.len, timeout_ms);
        switch (linux.getErrno(poll_rc)) {
            .SUCCESS => {},
            .INTR => return 0,
            .NOMEM => return error.OutOfMemory,
            else => return error.IoError,
        }
        if (fds[1].revents & linux.POLL.IN != 0) {
            var count: u64 = 0;
            _ = linux.read(watch.wake_fd, std.mem.asBytes(&count), @sizeOf(u64));
            return 0;
        }
        if (fds[0].revents & linux.POLL.IN == 0) return 0;
        const rc = linux.read(watch.inotify_fd, buffer.ptr, buffer.len);
        return switch (linux.getErrno(rc)) {
            .SUCCESS => rc,
            .AGAIN, .INTR => 0,
            // A buffer too small for the next record (the caller passed less than the minimum).
            .INVAL => error.BufferTooSmall,
            else => error.IoError,
        };
    }

    /// Makes a read blocked in another thread return at once (and the next read, if none is).
    pub fn wake(watch: *Watch) void {
        const one: u64 = 1;
        _ = linux.write(watch.wake_fd, std.mem.asBytes(&one), @sizeOf(u64));
    }
};

const testing = std.testing;

fn temp_path(dir: std.testing.TmpDir, buffer: []u8, name: []const u8) ![:0]u8 {
    var path_buffer: [std.fs.MAX_PATH_BYTES]u8 = undefined;
    const base = try dir.dir.realpath(".", &path_buffer);
    return std.fmt.bufPrintZ(buffer, "{s}/{s}", .{ base, name });
}

test "watch: a file created in a watched folder is one IN_CREATE record naming it" {
    var dir = std.testing.tmpDir(.{});
    defer dir.cleanup();
    const watch = try Watch.create();
    defer watch.destroy();
    var path_buffer: [std.fs.MAX_PATH_BYTES]u8 = undefined;
    const folder = try temp_path(dir, &path_buffer, "");
    var wd: i32 = -1;
    try testing.expectEqual(abi.Status.ok, watch.add(folder.ptr, linux.IN.CREATE | linux.IN.ONLYDIR, &wd));
    try testing.expect(wd >= 1);

    var buffer: [abi.watch_buffer_bytes_min]u8 align(8) = undefined;
    try testing.expectEqual(@as(usize, 0), try watch.read(&buffer, 0));
    (try dir.dir.createFile("a.mp3", .{})).close();
    const bytes = try watch.read(&buffer, 5000);
    try testing.expect(bytes >= @sizeOf(linux.inotify_event) + "a.mp3".len);
    const event: *const linux.inotify_event = @ptrCast(@alignCast(&buffer));
    try testing.expectEqual(wd, event.wd);
    try testing.expect(event.mask & linux.IN.CREATE != 0);
    const name: [*:0]const u8 = @ptrCast(buffer[@sizeOf(linux.inotify_event)..].ptr);
    try testing.expectEqualStrings("a.mp3", std.mem.span(name));
}

test "watch: a wake ends a read that would wait, and a missing folder is not_found" {
    var dir = std.testing.tmpDir(.{});
    defer dir.cleanup();
    const watch = try Watch.create();
    defer watch.destroy();
    const Waker = struct {
        fn run(w: *Watch) void {
            std.time.sleep(20 * std.time.ns_per_ms);
            w.wake();
        }
    };
    const waker = try std.Thread.spawn(.{}, Waker.run, .{watch});
    var buffer: [abi.watch_buffer_bytes_min]u8 align(8) = undefined;
    try testing.expectEqual(@as(usize, 0), try watch.read(&buffer, -1));
    waker.join();

    var path_buffer: [std.fs.MAX_PATH_BYTES]u8 = undefined;
    const missing = try temp_path(dir, &path_buffer, "no-such-folder");
    var wd: i32 = -1;
    try testing.expectEqual(abi.Status.not_found, watch.add(missing.ptr, linux.IN.CREATE, &wd));
    try testing.expectEqual(abi.Status.not_found, watch.remove(12345));
}
