//! A fixed table of open walks addressed by integer handles. A handle is
//! (generation << 32) | (slot + 1): 0 is never valid, and a closed or made-up handle fails the
//! generation check instead of reaching freed memory.
//!
//! Closing runs in two steps so that a caller blocked inside ts_walk_next on the same handle can
//! be woken and leave before the walk is freed: `close_begin` makes the handle invalid for new
//! callers, `close_end` waits until the callers already inside have left.
const std = @import("std");
const assert = std.debug.assert;

pub fn Table(comptime T: type, comptime slots_max: u32) type {
    return struct {
        const Self = @This();

        const Slot = struct {
            generation: u32 = 0,
            item: ?*T = null,
            /// Calls between `acquire` and `release` on this slot.
            callers: u32 = 0,
            closing: bool = false,
        };

        mutex: std.Thread.Mutex = .{},
        callers_gone: std.Thread.Condition = .{},
        slots: [slots_max]Slot = [_]Slot{.{}} ** slots_max,

        /// Stores `item`; null when every slot is taken.
        pub fn insert(self: *Self, item: *T) ?u64 {
            self.mutex.lock();
            defer self.mutex.unlock();
            for (&self.slots, 0..) |*slot, index| {
                if (slot.item != null) continue;
                assert(slot.callers == 0);
                assert(!slot.closing);
                slot.item = item;
                return handle_of(slot.generation, @intCast(index));
            }
            return null;
        }

        /// The item of an open handle, held until `release`; null for any other handle.
        pub fn acquire(self: *Self, handle: u64) ?*T {
            self.mutex.lock();
            defer self.mutex.unlock();
            const slot = self.slot_of(handle) orelse return null;
            slot.callers += 1;
            return slot.item.?;
        }

        /// Ends a successful `acquire`.
        pub fn release(self: *Self, handle: u64) void {
            self.mutex.lock();
            defer self.mutex.unlock();
            const slot = &self.slots[slot_index(handle).?];
            assert(slot.item != null);
            assert(slot.callers > 0);
            slot.callers -= 1;
            if (slot.callers == 0 and slot.closing) self.callers_gone.broadcast();
        }

        /// Makes `handle` invalid for new callers and returns its item, or null if the handle is
        /// not open (or already closing).
        pub fn close_begin(self: *Self, handle: u64) ?*T {
            self.mutex.lock();
            defer self.mutex.unlock();
            const slot = self.slot_of(handle) orelse return null;
            slot.closing = true;
            return slot.item.?;
        }

        /// Waits until no caller holds `handle`, then frees its slot for a later walk.
        pub fn close_end(self: *Self, handle: u64) void {
            self.mutex.lock();
            defer self.mutex.unlock();
            const slot = &self.slots[slot_index(handle).?];
            assert(slot.closing);
            while (slot.callers > 0) self.callers_gone.wait(&self.mutex);
            slot.* = .{ .generation = slot.generation +% 1 };
        }

        fn slot_of(self: *Self, handle: u64) ?*Slot {
            const index = slot_index(handle) orelse return null;
            const slot = &self.slots[index];
            if (slot.item == null or slot.closing) return null;
            if (slot.generation != @as(u32, @truncate(handle >> 32))) return null;
            return slot;
        }

        fn slot_index(handle: u64) ?u32 {
            const low: u32 = @truncate(handle);
            if (low == 0 or low > slots_max) return null;
            return low - 1;
        }

        fn handle_of(generation: u32, index: u32) u64 {
            assert(index < slots_max);
            return (@as(u64, generation) << 32) | (index + 1);
        }
    };
}

const testing = std.testing;

test "handles: open, use, close, reuse with a new generation" {
    var table = Table(u32, 2){};
    var a: u32 = 1;
    var b: u32 = 2;
    var c: u32 = 3;
    const handle_a = table.insert(&a).?;
    const handle_b = table.insert(&b).?;
    try testing.expectEqual(@as(u64, 1), handle_a);
    try testing.expectEqual(@as(u64, 2), handle_b);
    try testing.expectEqual(@as(?u64, null), table.insert(&c));

    try testing.expectEqual(&a, table.acquire(handle_a).?);
    table.release(handle_a);

    try testing.expectEqual(&a, table.close_begin(handle_a).?);
    try testing.expectEqual(@as(?*u32, null), table.acquire(handle_a));
    try testing.expectEqual(@as(?*u32, null), table.close_begin(handle_a));
    table.close_end(handle_a);

    const handle_c = table.insert(&c).?;
    try testing.expectEqual(@as(u64, (1 << 32) | 1), handle_c);
    try testing.expectEqual(@as(?*u32, null), table.acquire(handle_a));
    try testing.expectEqual(&c, table.acquire(handle_c).?);
    table.release(handle_c);
}

test "handles: zero, random and out-of-range handles are refused" {
    var table = Table(u32, 2){};
    var a: u32 = 1;
    _ = table.insert(&a).?;
    const refused = [_]u64{ 0, 2, 3, 0xffff_ffff, 0xdead_beef_0000_0001, std.math.maxInt(u64) };
    for (refused) |handle| {
        try testing.expectEqual(@as(?*u32, null), table.acquire(handle));
        try testing.expectEqual(@as(?*u32, null), table.close_begin(handle));
    }
}

test "handles: close waits for a caller inside" {
    const Table2 = Table(u32, 2);
    var table = Table2{};
    var a: u32 = 1;
    const handle = table.insert(&a).?;
    _ = table.acquire(handle).?;
    _ = table.close_begin(handle).?;
    const releaser = try std.Thread.spawn(.{}, struct {
        fn run(t: *Table2, h: u64) void {
            std.time.sleep(10 * std.time.ns_per_ms);
            t.release(h);
        }
    }.run, .{ &table, handle });
    table.close_end(handle);
    releaser.join();
    try testing.expectEqual(@as(u32, 0), table.slots[0].callers);
    try testing.expectEqual(@as(?*u32, null), table.slots[0].item);
}
