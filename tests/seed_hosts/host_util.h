/* Helpers shared by the C hosts of the tests (tests/seed_hosts/host.c,
 * tests/fuzz/lifecycle_host.c): errors, zeroed allocations and the hex
 * encoding of cell values that their plans use. A host defines HOST_NAME
 * (its name in error messages) before including this file. */
#ifndef CFUNCC_TEST_HOST_UTIL_H
#define CFUNCC_TEST_HOST_UTIL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const char *detail) {
    fprintf(stderr, HOST_NAME ": %s: %s\n", what, detail ? detail : "");
    exit(2);
}

/* At least 8 zeroed bytes (a cell). */
static void *zalloc(size_t n) {
    void *p = calloc(1, n < 8 ? 8 : n);
    if (!p) die("out of memory", NULL);
    return p;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    die("bad hex digit", NULL);
    return 0;
}

/* HEX16 is a little-endian uint64 written big-endian (printf %016llx);
 * longer strings are bytes in memory order. */
static void parse_value(const char *hex, unsigned char *out, size_t size) {
    size_t n = strlen(hex);
    if (n == 16 && size == 8) {
        uint64_t v = strtoull(hex, NULL, 16);
        memcpy(out, &v, 8);
        return;
    }
    if (n != 2 * size) die("value of the wrong size", hex);
    for (size_t i = 0; i < size; i++)
        out[i] = (unsigned char)(hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
}
#endif
