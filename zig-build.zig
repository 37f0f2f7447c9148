//! Builds libtrackscan.so, the native walker behind native/include/trackscan.h, for every platform
//! the jar carries (`platforms` below), each into PREFIX/lib/<platform>/libtrackscan.so.
//!
//!   zig build --build-file zig-build.zig --prefix DIR -Doptimize=ReleaseFast   # DIR/lib/linux-*/libtrackscan.so
//!   zig build --build-file zig-build.zig test                # unit + end-to-end tests, this machine's platform
//!   zig build --build-file zig-build.zig test-linux-aarch64 -fqemu --glibc-runtimes /usr
//!                                        # the same tests built for aarch64, run under qemu-aarch64 with
//!                                        # the loader and libc of /usr/aarch64-linux-gnu (Debian's
//!                                        # qemu-user and libc6-arm64-cross); test-linux-x86_64 likewise
//!   zig build --build-file zig-build.zig benchmarks --prefix DIR -Doptimize=ReleaseFast
//!                                        # DIR/bin/bench (walks through the C ABI; run it with
//!                                        # LD_LIBRARY_PATH=DIR/lib/<platform>), DIR/bin/floor
//!
//! Named zig-build.zig (not build.zig) so that the repository top stays a Maven project first.
const std = @import("std");

/// A platform the jar carries a library for. `name` is its folder in the jar (native/<name>/),
/// the name NativeWalker.platform() maps os.name and os.arch to.
const Platform = struct {
    name: []const u8,
    cpu_arch: std.Target.Cpu.Arch,

    /// A library shipped inside a jar runs on machines we never see: the baseline CPU of its
    /// architecture and glibc, never the build machine's CPU (Zig's default for a native target).
    /// On aarch64 baseline is ARMv8-A, which every 64-bit Raspberry Pi and ARM NAS implements.
    fn target(platform: Platform) std.zig.CrossTarget {
        return .{
            .cpu_arch = platform.cpu_arch,
            .os_tag = .linux,
            .abi = .gnu,
            .cpu_model = .baseline,
        };
    }
};

const platforms = [_]Platform{
    .{ .name = "linux-x86_64", .cpu_arch = .x86_64 },
    .{ .name = "linux-aarch64", .cpu_arch = .aarch64 },
};

pub fn build(b: *std.Build) void {
    const optimize = b.standardOptimizeOption(.{});
    const host_platform = host: {
        for (platforms) |platform| {
            if (platform.cpu_arch == b.host.target.cpu.arch) break :host platform;
        }
        // Another build machine (say riscv64) still cross-builds every library; its own tests and
        // benchmarks have no platform to run on, so `test` and `benchmarks` use the first one.
        break :host platforms[0];
    };

    const test_step = b.step("test", "Run the unit and end-to-end tests for this machine's platform");
    const benchmarks_step = b.step("benchmarks", "Build the C benchmarks bench and floor for this machine's platform");
    for (platforms) |platform| {
        const lib = add_library(b, platform, optimize);
        const lib_dir = b.fmt("lib/{s}", .{platform.name});
        const lib_install = b.addInstallArtifact(lib, .{ .dest_dir = .{ .override = .{ .custom = lib_dir } } });
        b.getInstallStep().dependOn(&lib_install.step);

        const platform_test_step = b.step(
            b.fmt("test-{s}", .{platform.name}),
            b.fmt("Run the unit and end-to-end tests built for {s} (foreign ones need -fqemu)", .{platform.name}),
        );
        add_tests(b, platform, optimize, lib, platform_test_step);

        if (std.mem.eql(u8, platform.name, host_platform.name)) {
            test_step.dependOn(platform_test_step);
            benchmarks_step.dependOn(&lib_install.step);
            for (add_benchmarks(b, platform, optimize, lib)) |exe| {
                benchmarks_step.dependOn(&b.addInstallArtifact(exe, .{}).step);
            }
        }
    }
}

fn add_library(b: *std.Build, platform: Platform, optimize: std.builtin.OptimizeMode) *std.Build.Step.Compile {
    const lib = b.addSharedLibrary(.{
        .name = "trackscan",
        .root_source_file = .{ .path = "native/src/trackscan.zig" },
        .target = platform.target(),
        .optimize = optimize,
    });
    // Worker threads in a shared library need libc's TLS set-up (see FACTS.md); linking libc also
    // keeps the dynamic symbol table down to our own exports.
    lib.linkLibC();
    // Only the ABI leaves the library, whatever the optimize mode.
    lib.version_script = "native/src/trackscan.map";
    return lib;
}

/// The C benchmarks (see their headers), bench then floor.
fn add_benchmarks(
    b: *std.Build,
    platform: Platform,
    optimize: std.builtin.OptimizeMode,
    lib: *std.Build.Step.Compile,
) [2]*std.Build.Step.Compile {
    const bench = b.addExecutable(.{ .name = "bench", .target = platform.target(), .optimize = optimize });
    bench.addCSourceFile(.{ .file = .{ .path = "native/test/bench.c" }, .flags = &.{} });
    bench.addIncludePath(.{ .path = "native/include" });
    bench.linkLibrary(lib);
    bench.linkLibC();
    const floor = b.addExecutable(.{ .name = "floor", .target = platform.target(), .optimize = optimize });
    floor.addCSourceFile(.{ .file = .{ .path = "native/test/floor.c" }, .flags = &.{} });
    floor.linkLibC();
    return .{ bench, floor };
}

/// The unit tests (native/src) and the end-to-end tests (native/test/walk_test.zig, through the
/// exported functions) built for `platform` and run, and one walk through the library itself; the
/// step also compiles the C benchmarks for it, so they cannot rot. A foreign platform's tests run under QEMU user-mode emulation, which
/// passes system calls to this kernel: the walker's getdents64 and statx meet a real file system.
fn add_tests(
    b: *std.Build,
    platform: Platform,
    optimize: std.builtin.OptimizeMode,
    lib: *std.Build.Step.Compile,
    step: *std.Build.Step,
) void {
    const benchmarks = add_benchmarks(b, platform, optimize, lib);
    for (benchmarks) |exe| step.dependOn(&exe.step);
    // The shipped library itself, loaded as a host loads it: bench links libtrackscan.so (found
    // through its rpath), so one walk of the one-file native/include checks the dynamic loader,
    // the version script's exports and worker threads on libc's TLS, which the statically linked
    // tests below cannot.
    const smoke = b.addRunArtifact(benchmarks[0]);
    smoke.addArgs(&.{ b.pathFromRoot("native/include"), "2", "1", "all" });
    smoke.addCheck(.{ .expect_stdout_match = "threads 2: 1 records (0 errors)" });
    smoke.expectExitCode(0);
    step.dependOn(&smoke.step);
    const test_roots = [_][]const u8{ "native/src/trackscan.zig", "native/test/walk_test.zig" };
    for (test_roots) |root| {
        const tests = b.addTest(.{
            // Named for what they test and where, so the summary tells the platforms apart.
            .name = b.fmt("{s}-{s}", .{ std.fs.path.stem(root), platform.name }),
            .root_source_file = .{ .path = root },
            .target = platform.target(),
            .optimize = optimize,
            // The end-to-end test imports ../src: let the module root be native/.
            .main_pkg_path = .{ .path = "native" },
        });
        tests.linkLibC();
        step.dependOn(&b.addRunArtifact(tests).step);
    }
}
