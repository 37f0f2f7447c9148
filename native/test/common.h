/* What the C benchmarks (bench.c, floor.c) share: the extensions they walk, a clock, a comparator. */
#ifndef TRACKSCAN_TEST_COMMON_H
#define TRACKSCAN_TEST_COMMON_H

#include <stdint.h>
#include <time.h>

/* The walkers' default audio extensions, as ts_walk_options takes them: each NUL-ended. The
 * literal's own NUL ends the list with an empty name. */
static const uint8_t audio[] = "mp3\0mp2\0flac\0m4a\0m4b\0mp4\0aac\0alac\0ogg\0oga\0opus\0spx\0"
                               "wav\0aiff\0aif\0aifc\0wma\0ape\0wv\0mpc\0tta\0dsf\0dff\0mka\0webm\0";

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* qsort comparator for doubles, ascending. */
static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
