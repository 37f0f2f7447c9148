/*
 * The system-call floor of a walk, in C: what WalkBenchmark's SYSCALL_FLOOR does from Java, without
 * the JVM. Only the calls the native walker makes (per folder openat, getdents64 until it returns 0,
 * close; per audio file one statx), on a folder list found before the timer starts and dealt
 * round-robin to the threads: no shared stack, no lock, no records. No walker that reports mtime
 * and size on Linux can beat it; compare with bench.c on the same tree.
 *
 * System calls are made raw, as walk.zig makes them (and because Zig links against an old glibc).
 *
 *   zig build --build-file zig-build.zig benchmarks --prefix zig-out -Doptimize=ReleaseFast
 *   zig-out/bin/floor ROOT THREADS [ROUNDS]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

enum { DENTS_BYTES = 64 * 1024, FOLDERS_MAX = 1 << 20, ROUNDS_MAX = 100, THREADS_MAX = 64 };

/* The kernel's linux_dirent64. */
struct dirent64_raw {
    unsigned long long ino;
    long long off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

static char *folders[FOLDERS_MAX];
static int folder_count;
static size_t root_length;
static int root_fd;
static int thread_count;

static int is_audio(const char *name) {
    const char *dot = strrchr(name, '.');
    if (dot == NULL) return 0;
    for (const char *extension = (const char *)audio; *extension; extension += strlen(extension) + 1) {
        if (strcasecmp(dot + 1, extension) == 0) return 1;
    }
    return 0;
}

/* Collects every folder the walkers list: hidden ones (and all below them) are skipped. */
static int collect(const char *path, const struct stat *st, int type, struct FTW *at) {
    (void)st;
    if (type != FTW_D) return FTW_CONTINUE;
    if (at->level > 0 && path[at->base] == '.') return FTW_SKIP_SUBTREE;
    if (folder_count == FOLDERS_MAX) return FTW_STOP;
    folders[folder_count++] = strdup(at->level == 0 ? "." : path + root_length + 1);
    return FTW_CONTINUE;
}

static void *share(void *arg) {
    long first = (long)arg;
    long files = 0;
    char *dents = aligned_alloc(8, DENTS_BYTES);
    for (int i = (int)first; i < folder_count; i += thread_count) {
        int fd = openat(root_fd, folders[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) continue;
        for (;;) {
            long read = syscall(SYS_getdents64, fd, dents, DENTS_BYTES);
            if (read <= 0) break;
            for (long offset = 0; offset < read;) {
                struct dirent64_raw *entry = (struct dirent64_raw *)(dents + offset);
                offset += entry->reclen;
                if (entry->type != DT_REG || entry->name[0] == '.' || !is_audio(entry->name)) continue;
                struct statx attributes;
                syscall(SYS_statx, fd, entry->name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
                        STATX_TYPE | STATX_MTIME | STATX_SIZE | STATX_INO, &attributes);
                files++;
            }
        }
        close(fd);
    }
    free(dents);
    return (void *)files;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ROOT THREADS [ROUNDS]\n", argv[0]);
        return 2;
    }
    const char *root = argv[1];
    thread_count = atoi(argv[2]);
    int rounds = argc > 3 ? atoi(argv[3]) : 20;
    if (thread_count < 1 || thread_count > THREADS_MAX || rounds < 1 || rounds > ROUNDS_MAX) {
        fprintf(stderr, "THREADS must be 1..%d and ROUNDS 1..%d\n", THREADS_MAX, ROUNDS_MAX);
        return 2;
    }
    root_length = strlen(root);
    while (root_length > 1 && root[root_length - 1] == '/') root_length--;
    root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0 || nftw(root, collect, 64, FTW_PHYS | FTW_ACTIONRETVAL) != 0) {
        perror(root);
        return 1;
    }
    double times[ROUNDS_MAX];
    long files = 0;
    for (int round = 0; round < rounds; round++) {
        double start = now_ms();
        pthread_t threads[THREADS_MAX];
        for (long t = 0; t < thread_count; t++) pthread_create(&threads[t], NULL, share, (void *)t);
        files = 0;
        for (int t = 0; t < thread_count; t++) {
            void *counted;
            pthread_join(threads[t], &counted);
            files += (long)counted;
        }
        times[round] = now_ms() - start;
    }
    qsort(times, rounds, sizeof times[0], compare);
    printf("floor, threads %d: %ld files in %d folders, best %.1f ms, median %.1f ms over %d walks\n",
           thread_count, files, folder_count, times[0], times[rounds / 2], rounds);
    return 0;
}
