//! Builds libtrackscan.so, the native walker behind native/include/trackscan.h.
//!
//!   zig build --build-file zig-build.zig --prefix DIR -Doptimize=ReleaseFast   # DIR/lib/libtrackscan.so
//!   zig build --build-file zig-build.zig test                                  # unit + end-to-end tests
//!   zig build --build-file zig-build.zig benchmarks --prefix DIR -Doptimize=ReleaseFast
//!                                        # DIR/bin/bench (walks through the C ABI; run it with
//!                                        # LD_LIBRARY_PATH=DIR/lib), DIR/bin/floor
//!
//! Named zig-build.zig (not build.zig) so that the repository top stays a Maven project first.
const std = @import("std");

pub fn build(b: *std.Build) void {
    // A library shipped inside a jar runs on machines we never see: target the baseline x86-64
    // CPU and glibc, never the build machine's CPU (Zig's default when the target is native).
    const target = b.standardTargetOptions(.{ .default_target = .{
        .cpu_arch = .x86_64,
        .os_tag = .linux,
        .abi = .gnu,
        .cpu_model = .baseline,
    } });
    const optimize = b.standardOptimizeOption(.{});

    const lib = b.addSharedLibrary(.{
        .name = "trackscan",
        .root_source_file = .{ .path = "native/src/trackscan.zig" },
        .target = target,
        .optimize = optimize,
    });
    // Worker threads in a shared library need libc's TLS set-up (see FACTS.md); linking libc also
    // keeps the dynamic symbol table down to our own exports.
    lib.linkLibC();
    // Only the ABI leaves the library, whatever the optimize mode.
    lib.version_script = "native/src/trackscan.map";
    b.installArtifact(lib);

    // The C benchmarks (see their headers). The test step compiles them too, so they cannot rot.
    const benchmarks_step = b.step("benchmarks", "Build the C benchmarks bench and floor");
    const bench = b.addExecutable(.{ .name = "bench", .target = target, .optimize = optimize });
    bench.addCSourceFile(.{ .file = .{ .path = "native/test/bench.c" }, .flags = &.{} });
    bench.addIncludePath(.{ .path = "native/include" });
    bench.linkLibrary(lib);
    bench.linkLibC();
    const floor = b.addExecutable(.{ .name = "floor", .target = target, .optimize = optimize });
    floor.addCSourceFile(.{ .file = .{ .path = "native/test/floor.c" }, .flags = &.{} });
    floor.linkLibC();
    benchmarks_step.dependOn(&b.addInstallArtifact(lib, .{}).step);
    for ([_]*std.Build.Step.Compile{ bench, floor }) |exe| {
        benchmarks_step.dependOn(&b.addInstallArtifact(exe, .{}).step);
    }

    const test_step = b.step("test", "Run the unit and end-to-end tests");
    test_step.dependOn(&bench.step);
    test_step.dependOn(&floor.step);
    const test_roots = [_][]const u8{ "native/src/trackscan.zig", "native/test/walk_test.zig" };
    for (test_roots) |root| {
        const tests = b.addTest(.{
            .root_source_file = .{ .path = root },
            .target = target,
            .optimize = optimize,
            // The end-to-end test imports ../src: let the module root be native/.
            .main_pkg_path = .{ .path = "native" },
        });
        tests.linkLibC();
        test_step.dependOn(&b.addRunArtifact(tests).step);
    }
}
