//! libtrackscan: the C ABI of native/include/trackscan.h. Every exported symbol is in this file;
//! it checks arguments, turns failures into status codes and keeps the table of open walks.
//! The walk itself is in walk.zig, the pure rules in names.zig.
const std = @import("std");
const linux = std.os.linux;
const assert = std.debug.assert;
const abi = @import("abi.zig");
const names = @import("names.zig");
const handles = @import("handles.zig");
const Walk = @import("walk.zig").Walk;
const Watch = @import("watch.zig").Watch;

var walks = handles.Table(Walk, abi.walks_max){};
var watches = handles.Table(Watch, abi.watches_max){};

fn code(status: abi.Status) i32 {
    return @intFromEnum(status);
}

pub export fn ts_abi_version() u32 {
    return abi.abi_version;
}

pub export fn ts_record_layout(out: ?[*]u32, count: u32) i32 {
    const values = out orelse return code(.invalid_argument);
    const written = @min(count, abi.record_layout.len);
    @memcpy(values[0..written], abi.record_layout[0..written]);
    return code(.ok);
}

pub export fn ts_walk_open(
    root: ?[*]const u8,
    root_bytes: u32,
    options: ?*const abi.WalkOptions,
    out_handle: ?*u64,
) i32 {
    const root_ptr = root orelse return code(.invalid_argument);
    const options_ptr = options orelse return code(.invalid_argument);
    const handle_out = out_handle orelse return code(.invalid_argument);
    if (root_bytes == 0) return code(.invalid_argument);
    if (root_bytes >= abi.path_bytes_max) return code(.name_too_long);
    const root_path = root_ptr[0..root_bytes];
    // The kernel would silently cut the path at a NUL and walk another folder.
    if (std.mem.indexOfScalar(u8, root_path, 0) != null) return code(.invalid_argument);

    const opts = options_ptr.*;
    if (opts.flags & ~abi.flags_known != 0) return code(.invalid_argument);
    if (opts.threads > abi.threads_max) return code(.invalid_argument);
    if (opts.extensions_bytes > abi.extensions_bytes_max) return code(.invalid_argument);
    var extensions: []const u8 = "";
    if (opts.extensions_bytes > 0) {
        const extensions_ptr = opts.extensions orelse return code(.invalid_argument);
        extensions = extensions_ptr[0..opts.extensions_bytes];
    }
    if (!names.extensions_valid(extensions)) return code(.invalid_argument);

    var root_fd: i32 = -1;
    const root_status = open_root(root_path, &root_fd);
    if (root_status != .ok) return code(root_status);
    assert(root_fd >= 0);

    const walk = Walk.create(.{
        .root_fd = root_fd,
        .root_bytes = root_bytes,
        .depth_max = opts.depth_max,
        .threads = threads_effective(opts.threads),
        .include_hidden = opts.flags & abi.flag_include_hidden != 0,
        .follow_symlinks = opts.flags & abi.flag_follow_symlinks != 0,
        .report_folders = opts.flags & abi.flag_report_folders != 0,
        .extensions = extensions,
    }) catch {
        _ = linux.close(root_fd);
        return code(.out_of_memory);
    };
    const handle = walks.insert(walk) orelse {
        walk.destroy();
        return code(.too_many_walks);
    };
    walk.start() catch {
        _ = walks.close_begin(handle).?;
        walks.close_end(handle);
        walk.destroy();
        return code(.thread_failed);
    };
    handle_out.* = handle;
    return code(.ok);
}

/// Opens the root (following a symlink) as a directory the walk can read and search.
fn open_root(path: []const u8, fd_out: *i32) abi.Status {
    assert(path.len > 0 and path.len < abi.path_bytes_max);
    var path_z: [abi.path_bytes_max]u8 = undefined;
    @memcpy(path_z[0..path.len], path);
    path_z[path.len] = 0;
    const flags = linux.O.RDONLY | linux.O.DIRECTORY | linux.O.CLOEXEC;
    const rc = linux.openat(linux.AT.FDCWD, @ptrCast(&path_z), flags, 0);
    const errno = linux.getErrno(rc);
    if (errno != .SUCCESS) return names.status_from_errno(errno);
    const fd: i32 = @intCast(rc);
    // NioWalker refuses a root it cannot both read and search; without this check a readable
    // but unsearchable root would give one error per entry instead.
    const access_errno = linux.getErrno(linux.faccessat(fd, ".", linux.R_OK | linux.X_OK, 0));
    if (access_errno != .SUCCESS) {
        _ = linux.close(fd);
        return names.status_from_errno(access_errno);
    }
    fd_out.* = fd;
    return .ok;
}

/// 0 means one worker per CPU this process may run on, capped.
fn threads_effective(threads: u32) u32 {
    assert(threads <= abi.threads_max);
    if (threads > 0) return threads;
    const cpus = std.Thread.getCpuCount() catch 1;
    return @intCast(std.math.clamp(cpus, 1, abi.threads_max));
}

pub export fn ts_walk_next(
    handle: u64,
    buffer: ?[*]u8,
    buffer_bytes: u32,
    out_bytes: ?*u32,
    out_records: ?*u32,
) i32 {
    const buffer_ptr = buffer orelse return code(.invalid_argument);
    const bytes_out = out_bytes orelse return code(.invalid_argument);
    const records_out = out_records orelse return code(.invalid_argument);
    bytes_out.* = 0;
    records_out.* = 0;
    if (buffer_bytes < abi.record_bytes_max) return code(.buffer_too_small);
    if (@intFromPtr(buffer_ptr) % abi.record_align_bytes != 0) return code(.invalid_argument);
    const records_buffer: []align(abi.record_align_bytes) u8 = @alignCast(buffer_ptr[0..buffer_bytes]);

    const walk = walks.acquire(handle) orelse return code(.invalid_handle);
    defer walks.release(handle);
    walk.api_mutex.lock();
    defer walk.api_mutex.unlock();
    // Closed while this call waited: the handle is gone.
    const batch = walk.next(records_buffer) catch return code(.invalid_handle);
    if (batch.bytes == 0) return code(.done);
    assert(batch.records > 0);
    assert(batch.bytes <= buffer_bytes);
    bytes_out.* = batch.bytes;
    records_out.* = batch.records;
    return code(.ok);
}

pub export fn ts_walk_close(handle: u64) i32 {
    const walk = walks.close_begin(handle) orelse return code(.invalid_handle);
    // Wake a ts_walk_next blocked on this walk, let it leave, then free the walk.
    walk.stop();
    walks.close_end(handle);
    walk.destroy();
    return code(.ok);
}

pub export fn ts_watch_open(out_handle: ?*u64) i32 {
    const handle_out = out_handle orelse return code(.invalid_argument);
    const watch = Watch.create() catch |err| return code(switch (err) {
        error.OutOfMemory => .out_of_memory,
        error.InstanceLimit => .watch_instance_limit,
        error.Failed => .io_error,
    });
    const handle = watches.insert(watch) orelse {
        watch.destroy();
        return code(.watch_instance_limit);
    };
    handle_out.* = handle;
    return code(.ok);
}

pub export fn ts_watch_add(handle: u64, path: ?[*]const u8, path_bytes: u32, mask: u32, out_wd: ?*i32) i32 {
    const path_ptr = path orelse return code(.invalid_argument);
    const wd_out = out_wd orelse return code(.invalid_argument);
    if (path_bytes == 0) return code(.invalid_argument);
    if (path_bytes >= abi.path_bytes_max) return code(.name_too_long);
    if (mask & ~abi.watch_mask_known != 0 or mask & linux.IN.ALL_EVENTS == 0) return code(.invalid_argument);
    const folder = path_ptr[0..path_bytes];
    if (std.mem.indexOfScalar(u8, folder, 0) != null) return code(.invalid_argument);
    var path_z: [abi.path_bytes_max]u8 = undefined;
    @memcpy(path_z[0..folder.len], folder);
    path_z[folder.len] = 0;

    const watch = watches.acquire(handle) orelse return code(.invalid_handle);
    defer watches.release(handle);
    return code(watch.add(@ptrCast(&path_z), mask, wd_out));
}

pub export fn ts_watch_remove(handle: u64, wd: i32) i32 {
    const watch = watches.acquire(handle) orelse return code(.invalid_handle);
    defer watches.release(handle);
    return code(watch.remove(wd));
}

pub export fn ts_watch_read(handle: u64, buffer: ?[*]u8, buffer_bytes: u32, timeout_ms: i32, out_bytes: ?*u32) i32 {
    const buffer_ptr = buffer orelse return code(.invalid_argument);
    const bytes_out = out_bytes orelse return code(.invalid_argument);
    bytes_out.* = 0;
    if (buffer_bytes < abi.watch_buffer_bytes_min) return code(.buffer_too_small);
    if (@intFromPtr(buffer_ptr) % @alignOf(abi.WatchEvent) != 0) return code(.invalid_argument);
    if (timeout_ms < -1) return code(.invalid_argument);

    const watch = watches.acquire(handle) orelse return code(.invalid_handle);
    defer watches.release(handle);
    const bytes = watch.read(buffer_ptr[0..buffer_bytes], timeout_ms) catch |err| return code(switch (err) {
        error.OutOfMemory => .out_of_memory,
        error.IoError => .io_error,
        error.BufferTooSmall => .buffer_too_small,
    });
    assert(bytes <= buffer_bytes);
    bytes_out.* = @intCast(bytes);
    return code(.ok);
}

pub export fn ts_watch_wake(handle: u64) i32 {
    const watch = watches.acquire(handle) orelse return code(.invalid_handle);
    defer watches.release(handle);
    watch.wake();
    return code(.ok);
}

pub export fn ts_watch_close(handle: u64) i32 {
    const watch = watches.close_begin(handle) orelse return code(.invalid_handle);
    // Wake a ts_watch_read blocked on this watch, let it leave, then close the descriptors.
    watch.wake();
    watches.close_end(handle);
    watch.destroy();
    return code(.ok);
}

test {
    _ = abi;
    _ = @import("watch.zig");
    _ = names;
    _ = handles;
    _ = @import("walk.zig");
}
