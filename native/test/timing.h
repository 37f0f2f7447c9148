/* Clock and sorting helpers shared by the C benchmarks (bench.c, floor.c). */
#ifndef TRACKSCAN_TEST_TIMING_H
#define TRACKSCAN_TEST_TIMING_H

#include <time.h>

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
