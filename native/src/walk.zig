//! One walk: a root descriptor, worker threads that share a LIFO stack of folders to list, and a
//! fixed pool of output chunks through which packed records travel to ts_walk_next.
//!
//! Memory stays bounded whatever the tree: records wait only in the chunk pool (workers block
//! while it is full), and the stack holds folders that wait to be listed, never files. Listing
//! depth-first (LIFO) keeps that stack about as small as the tree is wide at one level.
//!
//! Locking is per folder, not per record: a worker takes a folder, lists it into the chunk it
//! holds, and touches the shared state again only to publish the subfolders it found (once per
//! getdents64 buffer), to swap a full chunk, or to take the next folder.
const std = @import("std");
const linux = std.os.linux;
const assert = std.debug.assert;
const abi = @import("abi.zig");
const names = @import("names.zig");

const allocator = std.heap.c_allocator;

/// Bytes of one output chunk: whole records, packed exactly as the caller receives them.
pub const chunk_bytes: u32 = 64 * 1024;
/// Bytes each worker reads per getdents64 call: a folder of an album or two in one call.
pub const dents_bytes: u32 = 64 * 1024;
/// The smallest linux_dirent64: 19 bytes of header, a 1-byte name and its NUL, aligned to 8.
const dirent_bytes_min: u32 = 24;
/// Longest name Linux puts in a directory entry (NAME_MAX).
const name_bytes_max: u32 = 255;
/// A worker's path: the folder's path, '/', a name and a NUL.
const path_buffer_bytes: u32 = abi.path_bytes_max + 1 + name_bytes_max + 1;
/// The walk never recurses and keeps its buffers on the heap: a small stack is plenty.
const worker_stack_bytes: usize = 1024 * 1024;
/// Folders waiting to be listed at once. Depth-first listing keeps the stack near the width of
/// one level of the tree; a folder beyond the limit is reported as out of memory, not walked.
pub const pending_folders_max: u32 = 1 << 22;
/// EINTR retries per system call before the error is reported.
const interrupted_retries_max: u32 = 16;
/// A folder's ancestors: every level adds at least two bytes ("a/") to a path under the limit.
const ancestors_max: u32 = abi.path_bytes_max / 2 + 1;

comptime {
    assert(chunk_bytes >= abi.record_bytes_max);
    assert(dents_bytes >= @sizeOf(linux.dirent64) + name_bytes_max + 1);
}

const stat_mask: u32 = linux.STATX_TYPE | linux.STATX_MTIME | linux.STATX_SIZE | linux.STATX_INO;

pub const Config = struct {
    /// Owned by the walk once `create` succeeds.
    root_fd: i32,
    /// Bytes of the root's path as the caller gave it, for the limit on whole paths.
    root_bytes: u32,
    depth_max: u32,
    threads: u32,
    include_hidden: bool,
    follow_symlinks: bool,
    /// Whether each folder listed without error gets a folder record (a folder cache's input).
    report_folders: bool = false,
    /// NUL-ended extensions; copied by `create`.
    extensions: []const u8,
};

/// A folder's identity, for symlink loop checks.
const Key = struct {
    device: u64,
    inode: u64,
};

/// One folder of a chain reaching up to the root, shared by everything below it; made only when
/// following symlinks. Reference-counted: held by the folder's listing, by each pending
/// subfolder, and by each child node.
const Ancestor = struct {
    key: Key,
    parent: ?*Ancestor,
    references: std.atomic.Atomic(u32),

    /// Takes over the caller's reference on `parent`.
    fn create(key: Key, parent: ?*Ancestor) error{OutOfMemory}!*Ancestor {
        const node = try allocator.create(Ancestor);
        node.* = .{ .key = key, .parent = parent, .references = std.atomic.Atomic(u32).init(1) };
        return node;
    }

    fn retain(node: *Ancestor) *Ancestor {
        const before = node.references.fetchAdd(1, .Monotonic);
        assert(before > 0);
        return node;
    }

    /// Drops one reference, freeing nodes up the chain that nothing else holds (a loop, since
    /// the walk never recurses).
    fn release(first: ?*Ancestor) void {
        var node = first;
        var steps: u32 = 0;
        while (node) |current| : (steps += 1) {
            assert(steps <= ancestors_max);
            const before = current.references.fetchSub(1, .AcqRel);
            assert(before > 0);
            if (before > 1) return;
            node = current.parent;
            allocator.destroy(current);
        }
    }

    /// Whether `key` is this folder or one of its ancestors up to the root.
    fn contains(first: *const Ancestor, key: Key) bool {
        var node: ?*const Ancestor = first;
        var steps: u32 = 0;
        while (node) |current| : (steps += 1) {
            assert(steps <= ancestors_max);
            if (current.key.device == key.device and current.key.inode == key.inode) return true;
            node = current.parent;
        }
        return false;
    }
};

/// A folder waiting to be listed, allocated with its NUL-ended path right behind it.
const Pending = struct {
    /// The node of the folder holding this one (one reference), when following symlinks.
    parent: ?*Ancestor,
    depth: u32,
    path_bytes: u16,

    const alignment = @alignOf(Pending);

    fn create(relative: []const u8, depth: u32, parent: ?*Ancestor) error{OutOfMemory}!*Pending {
        assert(relative.len < abi.path_bytes_max);
        const bytes = try allocator.alignedAlloc(u8, alignment, @sizeOf(Pending) + relative.len + 1);
        const pending: *Pending = @ptrCast(bytes.ptr);
        pending.* = .{ .parent = parent, .depth = depth, .path_bytes = @intCast(relative.len) };
        @memcpy(bytes[@sizeOf(Pending)..][0..relative.len], relative);
        bytes[@sizeOf(Pending) + relative.len] = 0;
        return pending;
    }

    fn path(pending: *const Pending) [:0]const u8 {
        const base: [*]const u8 = @ptrCast(pending);
        return base[@sizeOf(Pending)..][0..pending.path_bytes :0];
    }

    /// Frees the memory only: the caller decides what becomes of `parent`.
    fn destroy(pending: *Pending) void {
        const base: [*]align(alignment) u8 = @ptrCast(pending);
        allocator.free(base[0 .. @sizeOf(Pending) + pending.path_bytes + 1]);
    }
};

/// Records on their way to the caller. A chunk is owned by one worker while written, then sits
/// in the ready queue, then is read (possibly over several ts_walk_next calls), then is free.
const Chunk = struct {
    next: ?*Chunk = null,
    bytes: []align(abi.record_align_bytes) u8,
    written_bytes: u32 = 0,
    written_records: u32 = 0,
    read_bytes: u32 = 0,
    read_records: u32 = 0,

    fn reset(chunk: *Chunk) void {
        chunk.* = .{ .bytes = chunk.bytes };
    }

    fn room_bytes(chunk: *const Chunk) u32 {
        return @as(u32, @intCast(chunk.bytes.len)) - chunk.written_bytes;
    }
};

/// What one ts_walk_next call delivered; 0 bytes means the walk is done.
pub const Batch = struct {
    bytes: u32 = 0,
    records: u32 = 0,
};

pub const Walk = struct {
    config: Config,

    /// Guards everything below down to `threads_started`.
    mutex: std.Thread.Mutex = .{},
    /// A folder was pushed, or the walk ended or stopped.
    work_ready: std.Thread.Condition = .{},
    /// A chunk entered the ready queue, or the last worker left.
    chunk_ready: std.Thread.Condition = .{},
    /// A chunk was read to its end and is free again, or the walk stopped.
    chunk_free: std.Thread.Condition = .{},
    /// Set once, by ts_walk_close (or a failed start); read without the lock to cut listings short.
    stopping: std.atomic.Atomic(bool) = std.atomic.Atomic(bool).init(false),
    pending: std.ArrayListUnmanaged(*Pending) = .{},
    /// Workers between taking a folder and finishing it: the walk ends when none is listing
    /// and nothing is pending.
    listing: u32 = 0,
    workers_running: u32 = 0,
    chunks_free: ?*Chunk = null,
    ready_head: ?*Chunk = null,
    ready_tail: ?*Chunk = null,
    threads_started: u32 = 0,

    /// Held by ts_walk_next, so that two callers on one handle take turns.
    api_mutex: std.Thread.Mutex = .{},
    /// The chunk ts_walk_next is part-way through; guarded by `api_mutex`.
    reading: ?*Chunk = null,

    extensions: []u8,
    /// `extensions` split once, for matching names.
    extension_set: names.Extensions,
    chunks: []Chunk,
    chunk_storage: []align(abi.record_align_bytes) u8,
    dents_storage: []align(8) u8,
    workers: []Worker,
    threads: []std.Thread,

    /// Allocates everything the walk will need and queues the root; starts no thread.
    pub fn create(config: Config) error{OutOfMemory}!*Walk {
        assert(config.threads >= 1 and config.threads <= abi.threads_max);
        assert(config.root_bytes > 0 and config.root_bytes < abi.path_bytes_max);
        assert(names.extensions_valid(config.extensions));
        // Each worker holds at most one chunk and the reader one more: with `threads + 2` at
        // least one is always free or ready, so neither side can wait for the other forever.
        const chunks_count = config.threads * 2 + 2;

        const walk = try allocator.create(Walk);
        errdefer allocator.destroy(walk);
        const extensions = try allocator.dupe(u8, config.extensions);
        errdefer allocator.free(extensions);
        const extension_set = try names.Extensions.init(allocator, extensions);
        errdefer extension_set.deinit(allocator);
        const chunks = try allocator.alloc(Chunk, chunks_count);
        errdefer allocator.free(chunks);
        const chunk_storage = try allocator.alignedAlloc(u8, abi.record_align_bytes, chunks_count * chunk_bytes);
        errdefer allocator.free(chunk_storage);
        const dents_storage = try allocator.alignedAlloc(u8, 8, config.threads * dents_bytes);
        errdefer allocator.free(dents_storage);
        const workers = try allocator.alloc(Worker, config.threads);
        errdefer allocator.free(workers);
        const threads = try allocator.alloc(std.Thread, config.threads);
        errdefer allocator.free(threads);

        walk.* = .{
            .config = config,
            .extensions = extensions,
            .extension_set = extension_set,
            .chunks = chunks,
            .chunk_storage = chunk_storage,
            .dents_storage = dents_storage,
            .workers = workers,
            .threads = threads,
        };
        walk.config.extensions = extensions;
        for (chunks, 0..) |*chunk, index| {
            chunk.* = .{ .bytes = @alignCast(chunk_storage[index * chunk_bytes ..][0..chunk_bytes]) };
            chunk.next = walk.chunks_free;
            walk.chunks_free = chunk;
        }
        for (workers, 0..) |*worker, index| {
            worker.* = .{
                .walk = walk,
                .dents = @alignCast(dents_storage[index * dents_bytes ..][0..dents_bytes]),
            };
        }
        // depth_max 0 reports nothing: not even the root is listed.
        if (config.depth_max > 0) {
            const root = try Pending.create("", 0, null);
            errdefer root.destroy();
            try walk.pending.append(allocator, root);
        }
        return walk;
    }

    /// Starts the workers. On failure the walk is stopped; `destroy` joins what started.
    pub fn start(walk: *Walk) error{ThreadFailed}!void {
        assert(walk.threads_started == 0);
        const count: u32 = @intCast(walk.workers.len);
        walk.workers_running = count;
        for (walk.workers, 0..) |*worker, index| {
            const config = std.Thread.SpawnConfig{ .stack_size = worker_stack_bytes };
            walk.threads[index] = std.Thread.spawn(config, worker_main, .{worker}) catch {
                walk.mutex.lock();
                walk.workers_running -= count - @as(u32, @intCast(index));
                walk.mutex.unlock();
                walk.stop();
                return error.ThreadFailed;
            };
            walk.threads_started += 1;
        }
    }

    /// Makes every worker and a waiting reader return soon; they check `stopping` after waking.
    pub fn stop(walk: *Walk) void {
        walk.mutex.lock();
        defer walk.mutex.unlock();
        walk.stopping.store(true, .Monotonic);
        walk.work_ready.broadcast();
        walk.chunk_ready.broadcast();
        walk.chunk_free.broadcast();
    }

    /// Stops the walk, joins its threads, closes its descriptor and frees everything.
    pub fn destroy(walk: *Walk) void {
        walk.stop();
        for (walk.threads[0..walk.threads_started]) |thread| thread.join();
        assert(walk.listing == 0);
        for (walk.pending.items) |pending| {
            Ancestor.release(pending.parent);
            pending.destroy();
        }
        walk.pending.deinit(allocator);
        for (walk.workers) |*worker| {
            assert(worker.folders.items.len == 0);
            worker.folders.deinit(allocator);
        }
        _ = linux.close(walk.config.root_fd);
        allocator.free(walk.threads);
        allocator.free(walk.workers);
        allocator.free(walk.dents_storage);
        allocator.free(walk.chunk_storage);
        allocator.free(walk.chunks);
        walk.extension_set.deinit(allocator);
        allocator.free(walk.extensions);
        allocator.destroy(walk);
    }

    /// Copies whole records into `buffer`, waiting only while it has nothing to give yet.
    /// Returns 0 bytes once every record has been delivered. The caller holds `api_mutex`.
    pub fn next(walk: *Walk, buffer: []align(abi.record_align_bytes) u8) error{Closed}!Batch {
        assert(buffer.len >= abi.record_bytes_max);
        var batch = Batch{};
        // Each round reads one chunk to its end, or fills the buffer and stops.
        while (batch.bytes < buffer.len) {
            const chunk = walk.reading orelse (try walk.take_ready(batch.bytes == 0)) orelse break;
            walk.reading = chunk;
            copy_records(chunk, buffer, &batch);
            if (chunk.read_bytes < chunk.written_bytes) break;
            walk.reading = null;
            walk.recycle(chunk);
        }
        return batch;
    }

    fn take_ready(walk: *Walk, wait: bool) error{Closed}!?*Chunk {
        walk.mutex.lock();
        defer walk.mutex.unlock();
        while (true) {
            if (walk.stopping.load(.Monotonic)) return error.Closed;
            if (walk.ready_head) |chunk| {
                walk.ready_head = chunk.next;
                if (walk.ready_head == null) walk.ready_tail = null;
                chunk.next = null;
                return chunk;
            }
            if (!wait or walk.workers_running == 0) return null;
            walk.chunk_ready.wait(&walk.mutex);
        }
    }

    fn recycle(walk: *Walk, chunk: *Chunk) void {
        chunk.reset();
        walk.mutex.lock();
        defer walk.mutex.unlock();
        chunk.next = walk.chunks_free;
        walk.chunks_free = chunk;
        walk.chunk_free.signal();
    }

    /// Takes the next folder to list; null when the walk is over or stopping.
    fn take(walk: *Walk, worker: *Worker) ?*Pending {
        walk.mutex.lock();
        defer walk.mutex.unlock();
        while (true) {
            if (walk.stopping.load(.Monotonic)) return null;
            if (walk.pending.popOrNull()) |pending| {
                walk.listing += 1;
                return pending;
            }
            if (walk.listing == 0) {
                // Nothing pending and nobody listing: nothing can be pushed any more.
                walk.work_ready.broadcast();
                return null;
            }
            // Hand over what this worker holds before sleeping, so the reader is not kept
            // waiting for records while other workers finish big folders.
            walk.publish_locked(worker);
            walk.work_ready.wait(&walk.mutex);
        }
    }

    fn finish(walk: *Walk) void {
        walk.mutex.lock();
        defer walk.mutex.unlock();
        assert(walk.listing > 0);
        walk.listing -= 1;
        if (walk.listing == 0 and walk.pending.items.len == 0) walk.work_ready.broadcast();
    }

    /// Queues the worker's chunk for the reader, unless it is empty.
    fn publish_locked(walk: *Walk, worker: *Worker) void {
        const chunk = worker.chunk orelse return;
        if (chunk.written_records == 0) return;
        assert(chunk.next == null);
        if (walk.ready_tail) |tail| tail.next = chunk else walk.ready_head = chunk;
        walk.ready_tail = chunk;
        worker.chunk = null;
        walk.chunk_ready.signal();
    }

    /// Publishes the worker's full chunk and gives it a free one, waiting for the reader if
    /// every chunk is full.
    fn swap_chunk(walk: *Walk, worker: *Worker) error{Stopped}!void {
        walk.mutex.lock();
        defer walk.mutex.unlock();
        walk.publish_locked(worker);
        // An empty chunk has room for any record, so a chunk needing a swap is never empty.
        assert(worker.chunk == null);
        while (true) {
            if (walk.stopping.load(.Monotonic)) return error.Stopped;
            if (walk.chunks_free) |chunk| {
                walk.chunks_free = chunk.next;
                chunk.next = null;
                worker.chunk = chunk;
                return;
            }
            walk.chunk_free.wait(&walk.mutex);
        }
    }

    fn worker_exit(walk: *Walk, worker: *Worker) void {
        walk.mutex.lock();
        defer walk.mutex.unlock();
        walk.publish_locked(worker);
        if (worker.chunk) |chunk| {
            assert(chunk.written_records == 0);
            chunk.next = walk.chunks_free;
            walk.chunks_free = chunk;
            worker.chunk = null;
            walk.chunk_free.signal();
        }
        assert(walk.workers_running > 0);
        walk.workers_running -= 1;
        if (walk.workers_running == 0) walk.chunk_ready.broadcast();
    }
};

/// Copies as many whole records of `chunk` as fit into the rest of `buffer`.
fn copy_records(chunk: *Chunk, buffer: []align(abi.record_align_bytes) u8, batch: *Batch) void {
    assert(chunk.read_bytes < chunk.written_bytes);
    const room: u32 = @intCast(buffer.len - batch.bytes);
    var take_bytes: u32 = chunk.written_bytes - chunk.read_bytes;
    var take_records: u32 = chunk.written_records - chunk.read_records;
    if (take_bytes > room) {
        // Cut after the last record that fits whole.
        take_bytes = 0;
        take_records = 0;
        while (true) {
            const header: *const abi.Record = @ptrCast(@alignCast(&chunk.bytes[chunk.read_bytes + take_bytes]));
            assert(header.record_bytes >= @sizeOf(abi.Record));
            if (take_bytes + header.record_bytes > room) break;
            take_bytes += header.record_bytes;
            take_records += 1;
        }
    }
    @memcpy(buffer[batch.bytes..][0..take_bytes], chunk.bytes[chunk.read_bytes..][0..take_bytes]);
    chunk.read_bytes += take_bytes;
    chunk.read_records += take_records;
    batch.bytes += take_bytes;
    batch.records += take_records;
    assert(chunk.read_bytes <= chunk.written_bytes);
}

fn worker_main(worker: *Worker) void {
    const walk = worker.walk;
    while (walk.take(worker)) |pending| {
        const listed = worker.list(pending);
        const published = worker.publish_folders();
        walk.finish();
        listed catch break;
        published catch break;
    }
    walk.worker_exit(worker);
}

/// Retries a raw system call interrupted by a signal.
fn retrying(comptime function: anytype, args: anytype) usize {
    var attempts: u32 = 0;
    while (true) : (attempts += 1) {
        const rc = @call(.auto, function, args);
        if (linux.getErrno(rc) != .INTR or attempts == interrupted_retries_max) return rc;
    }
}

fn stat_at(dir_fd: i32, name: [*:0]const u8, flags: u32, stx: *linux.Statx) linux.E {
    const all_flags = flags | linux.AT.STATX_DONT_SYNC;
    return linux.getErrno(retrying(linux.statx, .{ dir_fd, name, all_flags, stat_mask, stx }));
}

/// The DT_* type of a statx mode.
fn dtype_of(mode: u16) u8 {
    const m: u32 = mode;
    if (linux.S.ISREG(m)) return linux.DT.REG;
    if (linux.S.ISDIR(m)) return linux.DT.DIR;
    if (linux.S.ISLNK(m)) return linux.DT.LNK;
    return linux.DT.UNKNOWN;
}

const Worker = struct {
    walk: *Walk,
    chunk: ?*Chunk = null,
    dents: []align(8) u8,
    /// Subfolders found in the current getdents64 buffer, published together.
    folders: std.ArrayListUnmanaged(*Pending) = .{},
    /// The folder being listed ("" for the root), then '/' and the current name.
    path: [path_buffer_bytes]u8 = undefined,
    /// Bytes of the folder's path in `path`.
    folder_bytes: u32 = 0,
    /// Whether the folder being listed may be searched (its entries stat-ed).
    search: Search = .unknown,
    /// Offsets in `dents` of the entries `visit` deferred.
    deferred: [dents_bytes / dirent_bytes_min]u32 = undefined,

    const Search = union(enum) {
        unknown,
        allowed,
        denied: abi.Status,
    };

    /// Lists one folder. Errors about the folder or its entries become records; only a stop
    /// ends the listing early.
    fn list(worker: *Worker, pending: *Pending) error{Stopped}!void {
        defer pending.destroy();
        const config = &worker.walk.config;
        const path = pending.path();
        worker.set_folder(path);
        worker.search = .unknown;
        const target: [*:0]const u8 = if (path.len == 0) "." else path.ptr;
        const flags = linux.O.RDONLY | linux.O.DIRECTORY | linux.O.CLOEXEC;
        const rc = retrying(linux.openat, .{ config.root_fd, target, flags, @as(linux.mode_t, 0) });
        const errno = linux.getErrno(rc);
        if (errno != .SUCCESS) {
            Ancestor.release(pending.parent);
            return worker.emit_error(path, names.status_from_errno(errno));
        }
        const dir_fd: i32 = @intCast(rc);
        defer _ = linux.close(dir_fd);

        var node: ?*Ancestor = null;
        if (config.follow_symlinks) {
            switch (identify(dir_fd, pending.parent)) {
                .node => |identified| node = identified,
                .failed => |status| return worker.emit_error(path, status),
            }
        } else {
            assert(pending.parent == null);
        }
        defer Ancestor.release(node);
        if (!config.report_folders) {
            _ = try worker.read_entries(dir_fd, pending.depth + 1, node);
            return;
        }
        // The folder's own attributes are taken before its listing: a change made while it is
        // listed then leaves a newer mtime than the one recorded, and a folder cache sees it.
        var stx: linux.Statx = undefined;
        const stat_rc = retrying(linux.statx, .{ dir_fd, "", linux.AT.EMPTY_PATH, stat_mask, &stx });
        const stat_errno = linux.getErrno(stat_rc);
        if (stat_errno != .SUCCESS) return worker.emit_error(path, names.status_from_errno(stat_errno));
        const entries = try worker.read_entries(dir_fd, pending.depth + 1, node) orelse return;
        var attributes = names.Attributes.from_statx(&stx);
        attributes.size_bytes = entries;
        // read_entries wrote names after the folder's path; the folder's own path is still there.
        return worker.emit(.folder, .ok, attributes, worker.folder_path());
    }

    const Identified = union(enum) {
        node: *Ancestor,
        failed: abi.Status,
    };

    /// The node of an open folder, chained to its parent's (whose reference it takes over, and
    /// releases on failure).
    fn identify(dir_fd: i32, parent: ?*Ancestor) Identified {
        var stx: linux.Statx = undefined;
        const rc = retrying(linux.statx, .{ dir_fd, "", linux.AT.EMPTY_PATH, linux.STATX_INO, &stx });
        const errno = linux.getErrno(rc);
        if (errno != .SUCCESS) {
            Ancestor.release(parent);
            return .{ .failed = names.status_from_errno(errno) };
        }
        const key = Key{ .device = names.makedev(stx.dev_major, stx.dev_minor), .inode = stx.ino };
        const node = Ancestor.create(key, parent) catch {
            Ancestor.release(parent);
            return .{ .failed = .out_of_memory };
        };
        return .{ .node = node };
    }

    /// The error every entry of the current folder gets if the folder cannot be searched. A
    /// successful statx in the folder already says it can; otherwise one faccessat tells.
    fn search_denied(worker: *Worker, dir_fd: i32) ?abi.Status {
        if (worker.search == .unknown) {
            const rc = retrying(linux.faccessat, .{ dir_fd, ".", linux.X_OK, @as(u32, 0) });
            const errno = linux.getErrno(rc);
            worker.search = if (errno == .SUCCESS) .allowed else .{ .denied = names.status_from_errno(errno) };
        }
        return switch (worker.search) {
            .unknown => unreachable,
            .allowed => null,
            .denied => |status| status,
        };
    }

    fn set_folder(worker: *Worker, path: []const u8) void {
        assert(path.len < abi.path_bytes_max);
        @memcpy(worker.path[0..path.len], path);
        worker.folder_bytes = @intCast(path.len);
    }

    fn folder_path(worker: *const Worker) []const u8 {
        return worker.path[0..worker.folder_bytes];
    }

    /// The relative path of `name` in the current folder, written after the folder's path.
    fn compose(worker: *Worker, name: []const u8) []const u8 {
        assert(name.len <= name_bytes_max);
        var start = worker.folder_bytes;
        if (start > 0) {
            worker.path[start] = '/';
            start += 1;
        }
        @memcpy(worker.path[start..][0..name.len], name);
        return worker.path[0 .. start + name.len];
    }

    /// Lists the open folder; returns how many entries it held (every name but . and ..), or
    /// null when the listing failed part way (the error is reported).
    fn read_entries(worker: *Worker, dir_fd: i32, depth: u32, node: ?*Ancestor) error{Stopped}!?u64 {
        const walk = worker.walk;
        var entries: u64 = 0;
        // Ends when getdents64 returns 0 (or fails): every call consumes entries.
        while (true) {
            if (walk.stopping.load(.Monotonic)) return error.Stopped;
            const rc = retrying(linux.getdents64, .{ dir_fd, worker.dents.ptr, worker.dents.len });
            const errno = linux.getErrno(rc);
            if (errno != .SUCCESS) {
                try worker.emit_error(worker.folder_path(), names.status_from_errno(errno));
                return null;
            }
            if (rc == 0) return entries;
            assert(rc <= worker.dents.len);
            // Entries that wait for the answer to "may this folder be searched?" are visited
            // after the others, which usually answer it for free (see `search_denied`).
            var deferred_count: u32 = 0;
            var offset: u32 = 0;
            while (offset < rc) {
                const entry = worker.entry_at(offset);
                if (!is_dot_or_dot_dot(entry)) entries += 1;
                const visited = try worker.visit(dir_fd, entry, depth, node, true);
                if (visited == .deferred) {
                    worker.deferred[deferred_count] = offset;
                    deferred_count += 1;
                }
                offset += entry.d_reclen;
            }
            for (worker.deferred[0..deferred_count]) |deferred_offset| {
                const entry = worker.entry_at(deferred_offset);
                const visited = try worker.visit(dir_fd, entry, depth, node, false);
                assert(visited == .done);
            }
            try worker.publish_folders();
        }
    }

    fn is_dot_or_dot_dot(entry: *const linux.dirent64) bool {
        const record: [*]const u8 = @ptrCast(entry);
        const name = names.dirent_name(record[0..entry.d_reclen]) orelse return false;
        return std.mem.eql(u8, name, ".") or std.mem.eql(u8, name, "..");
    }

    fn entry_at(worker: *const Worker, offset: u32) *const linux.dirent64 {
        const entry: *const linux.dirent64 = @ptrCast(@alignCast(&worker.dents[offset]));
        assert(entry.d_reclen >= dirent_bytes_min);
        assert(offset + entry.d_reclen <= worker.dents.len);
        return entry;
    }

    const Visited = enum { done, deferred };

    /// One directory entry: a record, an error record, a subfolder, or nothing, in the order of
    /// checks NioWalker.visit makes. With `deferrable`, an entry whose outcome hangs on whether
    /// the folder can be searched, not yet known, is left for later.
    fn visit(
        worker: *Worker,
        dir_fd: i32,
        entry: *const linux.dirent64,
        depth: u32,
        node: ?*Ancestor,
        deferrable: bool,
    ) error{Stopped}!Visited {
        const record: [*]const u8 = @ptrCast(entry);
        const name = names.dirent_name(record[0..entry.d_reclen]) orelse {
            try worker.emit_error(worker.folder_path(), .io_error);
            return .done;
        };
        assert(name.len > 0);
        if (std.mem.eql(u8, name, ".") or std.mem.eql(u8, name, "..")) return .done;
        const config = &worker.walk.config;
        if (!config.include_hidden and names.is_hidden(name)) return .done;
        if (name.len > name_bytes_max) {
            // Linux names fit in NAME_MAX; a file system breaking that gets the too-long error.
            try worker.emit_error(worker.folder_path(), .name_too_long);
            return .done;
        }
        const relative = worker.compose(name);
        // A name that is not UTF-8 is walked as it is: its bytes go to Java, which escapes them
        // (PathNames) into text that names them exactly.
        if (names.path_too_long(config.root_bytes, relative.len)) {
            try worker.emit_error(worker.folder_path(), .name_too_long);
            return .done;
        }
        const candidate = worker.walk.extension_set.matches(name);
        var kind = entry.d_type;
        // Only candidates (and entries of unknown type) cost a statx.
        if (kind == linux.DT.UNKNOWN or (kind == linux.DT.REG and candidate)) {
            var stx: linux.Statx = undefined;
            const errno = stat_at(dir_fd, name, linux.AT.SYMLINK_NOFOLLOW, &stx);
            if (errno != .SUCCESS) {
                try worker.emit_error(relative, names.status_from_errno(errno));
                return .done;
            }
            worker.search = .allowed;
            kind = dtype_of(stx.mode);
            if (kind == linux.DT.REG) {
                if (candidate) try worker.emit(.file, .ok, names.Attributes.from_statx(&stx), relative);
                return .done;
            }
        } else if (needs_search(kind, depth, config)) {
            // NioWalker stats every entry; in a folder that can be listed but not searched each
            // of those stats fails, so each such entry is an error here too.
            if (deferrable and worker.search == .unknown) return .deferred;
            if (worker.search_denied(dir_fd)) |status| {
                try worker.emit_error(relative, status);
                return .done;
            }
        }
        if (kind == linux.DT.DIR) {
            if (depth < config.depth_max) try worker.add_folder(relative, depth, node);
        } else if (kind == linux.DT.LNK and config.follow_symlinks) {
            try worker.visit_link(dir_fd, name, relative, depth, candidate, node.?);
        }
        return .done;
    }

    /// Whether an entry not stat-ed here would be an error in a folder that cannot be searched.
    /// Not for subfolders to be listed or links to be followed: their own openat or statx fails
    /// with the same error then, and reports it with the same path.
    fn needs_search(kind: u8, depth: u32, config: *const Config) bool {
        if (kind == linux.DT.DIR) return depth >= config.depth_max;
        if (kind == linux.DT.LNK) return !config.follow_symlinks;
        return true;
    }

    fn visit_link(
        worker: *Worker,
        dir_fd: i32,
        name: [:0]const u8,
        relative: []const u8,
        depth: u32,
        candidate: bool,
        node: *Ancestor,
    ) error{Stopped}!void {
        const config = &worker.walk.config;
        assert(config.follow_symlinks);
        var stx: linux.Statx = undefined;
        const errno = stat_at(dir_fd, name, 0, &stx);
        if (errno != .SUCCESS) return worker.emit_error(relative, names.status_from_errno(errno));
        const mode: u32 = stx.mode;
        if (linux.S.ISDIR(mode)) {
            if (depth >= config.depth_max) return;
            const key = Key{ .device = names.makedev(stx.dev_major, stx.dev_minor), .inode = stx.ino };
            if (node.contains(key)) return worker.emit_error(relative, .symlink_loop);
            try worker.add_folder(relative, depth, node);
        } else if (linux.S.ISREG(mode) and candidate) {
            try worker.emit(.symlink_file, .ok, names.Attributes.from_statx(&stx), relative);
        }
    }

    fn add_folder(worker: *Worker, relative: []const u8, depth: u32, node: ?*Ancestor) error{Stopped}!void {
        assert(depth < worker.walk.config.depth_max);
        const parent = if (node) |n| n.retain() else null;
        const pending = Pending.create(relative, depth, parent) catch {
            Ancestor.release(parent);
            return worker.emit_error(relative, .out_of_memory);
        };
        worker.folders.append(allocator, pending) catch {
            Ancestor.release(parent);
            pending.destroy();
            return worker.emit_error(relative, .out_of_memory);
        };
    }

    /// Pushes the subfolders found so far onto the shared stack and wakes idle workers.
    fn publish_folders(worker: *Worker) error{Stopped}!void {
        const folders = worker.folders.items;
        if (folders.len == 0) return;
        defer worker.folders.clearRetainingCapacity();
        const walk = worker.walk;
        walk.mutex.lock();
        const fits = walk.pending.items.len + folders.len <= pending_folders_max;
        const pushed = fits and if (walk.pending.ensureUnusedCapacity(allocator, folders.len)) true else |_| false;
        if (pushed) {
            walk.pending.appendSliceAssumeCapacity(folders);
            if (folders.len == 1) walk.work_ready.signal() else walk.work_ready.broadcast();
        }
        walk.mutex.unlock();
        if (pushed) return;
        // No room on the stack: report each folder and drop it, then go on.
        var result: error{Stopped}!void = {};
        for (folders) |pending| {
            if (result) |_| {
                result = worker.emit_error(pending.path(), .out_of_memory);
            } else |_| {}
            Ancestor.release(pending.parent);
            pending.destroy();
        }
        return result;
    }

    fn emit(worker: *Worker, kind: abi.Kind, status: abi.Status, attributes: names.Attributes, path: []const u8) error{Stopped}!void {
        const bytes = abi.record_bytes(path.len);
        const has_room = if (worker.chunk) |chunk| chunk.room_bytes() >= bytes else false;
        if (!has_room) try worker.walk.swap_chunk(worker);
        const chunk = worker.chunk.?;
        const out: []align(abi.record_align_bytes) u8 = @alignCast(chunk.bytes[chunk.written_bytes..]);
        const written = names.pack_record(out, kind, status, attributes, path);
        assert(written == bytes);
        chunk.written_bytes += written;
        chunk.written_records += 1;
    }

    fn emit_error(worker: *Worker, path: []const u8, status: abi.Status) error{Stopped}!void {
        assert(status != .ok);
        return worker.emit(.err, status, .{}, path);
    }
};
