/*
 * Times whole walks through the C ABI, as the Java side makes them: open, drain with a 1 MiB
 * buffer while touching every record, close. Prints the best and median of ROUNDS walks.
 *
 *   zig build --build-file zig-build.zig benchmarks --prefix zig-out -Doptimize=ReleaseFast
 *   LD_LIBRARY_PATH=zig-out/lib zig-out/bin/bench ROOT THREADS [ROUNDS] [all]
 *                                       # "all": every file, not only audio
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "trackscan.h"
#include "common.h"

enum { BUFFER_BYTES = 1 << 20, ROUNDS_MAX = 100 };

static double cpu_ms(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ROOT THREADS [ROUNDS] [all]\n", argv[0]);
        return 2;
    }
    const char *root = argv[1];
    uint32_t threads = (uint32_t)atoi(argv[2]);
    int rounds = argc > 3 ? atoi(argv[3]) : 10;
    int every = argc > 4 && strcmp(argv[4], "all") == 0;
    if (rounds < 1 || rounds > ROUNDS_MAX) rounds = 10;
    uint8_t *buffer = aligned_alloc(8, BUFFER_BYTES);
    ts_walk_options options = {
        .threads = threads,
        .depth_max = UINT32_MAX,
        .flags = 0,
        .extensions_bytes = every ? 0 : (uint32_t)sizeof(audio) - 1,
        .extensions = every ? NULL : audio,
    };
    double times[ROUNDS_MAX];
    double cpu_start = cpu_ms();
    uint64_t records = 0, errors = 0, bytes_total = 0;
    for (int round = 0; round < rounds; round++) {
        double start = now_ms();
        ts_walk_handle handle = 0;
        ts_status status = ts_walk_open((const uint8_t *)root, (uint32_t)strlen(root), &options, &handle);
        if (status != TS_OK) {
            fprintf(stderr, "open: status %d\n", status);
            return 1;
        }
        records = errors = bytes_total = 0;
        for (;;) {
            uint32_t bytes = 0, count = 0;
            status = ts_walk_next(handle, buffer, BUFFER_BYTES, &bytes, &count);
            if (status == TS_DONE) break;
            if (status != TS_OK) {
                fprintf(stderr, "next: status %d\n", status);
                return 1;
            }
            for (uint32_t offset = 0; offset < bytes;) {
                const ts_record *record = (const ts_record *)(buffer + offset);
                records++;
                errors += record->kind == TS_KIND_ERROR;
                bytes_total += record->size_bytes;
                offset += record->record_bytes;
            }
        }
        ts_walk_close(handle);
        times[round] = now_ms() - start;
    }
    double cpu_per_walk = (cpu_ms() - cpu_start) / rounds;
    qsort(times, (size_t)rounds, sizeof(double), compare);
    printf("threads %u: %llu records (%llu errors), best %.1f ms, median %.1f ms over %d walks, "
           "%.1f ms CPU a walk\n",
           threads, (unsigned long long)records, (unsigned long long)errors, times[0],
           times[rounds / 2], rounds, cpu_per_walk);
    free(buffer);
    return 0;
}
