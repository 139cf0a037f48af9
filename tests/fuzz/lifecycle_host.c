/* Lifecycle fuzzing host: drives compiled nodes through random sequences of
 * phases (EXECUTE, START, STOP and unknown phase values), with random
 * ticked/valid masks, random input values and NULL input pointers for the
 * inputs that are not valid, in either host convention of
 * tests/seed_hosts/host.c (README "Lifecycle and hosts"):
 *
 *   seed  every slot points at a zeroed 8-byte host cell (containers too);
 *   csp   container state slots NULL, scalar state cells holding the
 *         manifest's state_values, input pointers NULL in START and STOP.
 *
 * Run it under valgrind (tests/fuzz/lifefuzz.py does): any valgrind error,
 * crash or leak is a failure. The host itself checks that every fault code
 * is 0..14 and every output_ticked flag 0 or 1 (exit 3 otherwise).
 *
 * Usage: lifecycle_host PLAN
 *   node SO NATIVE_NAME FAULT_SYMBOL
 *   inputs N T...          T: i (int, datetime, timedelta), f (float), b (bool)
 *   outputs N SIZE...      the manifest's cell_size
 *   state N SPEC...        c | v:HEX16 (state_values cell) | s:SIZE:HEXBYTES
 *   fuzz SEED STEPS seed|csp
 *   end
 * Prints `node NAME` then `fuzz ... phases=E/S/T/U faults=K` per fuzz line.
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define HOST_NAME "lifecycle_host"
#include "../seed_hosts/host_util.h"

typedef void (*node_fn)(void **outputs, int8_t *output_ticked, void **state,
                        int8_t lifecycle_phase, void **inputs,
                        int8_t *input_ticked, int8_t *input_valid);
typedef int32_t *(*fault_fn)(void);

enum { EXECUTE = 0, START = 1, STOP = 2 };
enum { MAX_SLOTS = 64, MAX_LINE = 1 << 16, MAX_FAULT = 14 };

static void fail(const char *node, const char *what, long v) {
    fprintf(stderr, "lifecycle_host: %s: %s (%ld)\n", node, what, v);
    exit(3);
}

static uint64_t rng_state;
static uint64_t next(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
static unsigned below(unsigned n) { return (unsigned)(next() % n); }

typedef struct {
    void *lib;
    node_fn fn;
    fault_fn fault;
    char name[256];
    int n_in, n_out, n_state;
    char in_type[MAX_SLOTS];
    size_t out_size[MAX_SLOTS];
    char st_kind[MAX_SLOTS];
    size_t st_size[MAX_SLOTS];
    unsigned char *st_init[MAX_SLOTS];
} Node;

/* A random input value of type t into the 8-byte cell. */
static void random_value(char t, uint64_t *cell) {
    if (t == 'b') {
        *cell = next() & 1;
    } else if (t == 'f') {
        static const double special[] = {0.0, -0.0, 1.5, -2.25, 1e308, -1e-310, INFINITY, -INFINITY, NAN, 3.0};
        double d = below(3) ? special[below(10)] : (double)((int64_t)below(2001) - 1000) / 8.0;
        memcpy(cell, &d, 8);
    } else {
        switch (below(4)) {
        case 0: *cell = next(); break;                                  /* any int64 */
        case 1: *cell = (uint64_t)((int64_t)below(21) - 10); break;     /* small */
        case 2: *cell = below(2) ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX; break;
        default: *cell = 1704067200000000000ULL + (next() % 86400000000000ULL); break; /* 2024 ns */
        }
    }
}

static void fuzz(Node *n, unsigned long long seed, long steps, int csp) {
    rng_state = seed * 2654435761ULL + 88172645463325252ULL;
    uint64_t *in_cells = zalloc(8 * (size_t)(n->n_in + 1));
    uint64_t *state_cells = zalloc(8 * (size_t)(n->n_state + 1));
    void *out_buf[MAX_SLOTS] = {0}, *st_buf[MAX_SLOTS] = {0};
    void *inputs[MAX_SLOTS] = {0}, *outputs[MAX_SLOTS] = {0}, *state[MAX_SLOTS] = {0};
    void *no_inputs[MAX_SLOTS] = {0};
    int8_t ticked[MAX_SLOTS] = {0}, valid[MAX_SLOTS] = {0}, no_flags[MAX_SLOTS] = {0};
    int8_t out_ticked[MAX_SLOTS];
    for (int i = 0; i < n->n_out; i++) outputs[i] = out_buf[i] = zalloc(n->out_size[i]);
    for (int i = 0; i < n->n_state; i++) {
        switch (n->st_kind[i]) {
        case 'c': state[i] = csp ? NULL : (void *)&state_cells[i]; break;
        case 'v':
            state[i] = st_buf[i] = zalloc(8);
            if (csp) memcpy(st_buf[i], n->st_init[i], 8);
            break;
        case 's':
            state[i] = st_buf[i] = zalloc(n->st_size[i]);
            if (csp) memcpy(st_buf[i], n->st_init[i], n->st_size[i]);
            break;
        }
    }
    long counts[4] = {0}, faults = 0;
    for (long s = 0; s < steps; s++) {
        unsigned r = below(100);
        int8_t phase = r < 60 ? EXECUTE : r < 75 ? START : r < 90 ? STOP : (int8_t)(3 + below(250));
        int32_t *rec = n->fault();
        rec[0] = 0;
        memset(out_ticked, 0, sizeof out_ticked); /* the host clears the flags */
        if (phase == EXECUTE) {
            for (int i = 0; i < n->n_in; i++) {
                valid[i] = (int8_t)(below(4) != 0);
                ticked[i] = (int8_t)(valid[i] ? below(5) != 0 : below(3) == 0);
                if (valid[i]) {
                    random_value(n->in_type[i], &in_cells[i]);
                    inputs[i] = &in_cells[i];
                } else {
                    inputs[i] = NULL;
                }
            }
            n->fn(outputs, out_ticked, state, phase, inputs, ticked, valid);
        } else if (csp || below(2)) {
            n->fn(outputs, out_ticked, state, phase, no_inputs, no_flags, no_flags);
        } else {
            n->fn(outputs, out_ticked, state, phase, inputs, ticked, valid);
        }
        int32_t code = rec[0];
        if (code < 0 || code > MAX_FAULT) fail(n->name, "fault code out of range", code);
        if (code) faults++;
        if (phase != EXECUTE && code) fail(n->name, "fault outside EXECUTE", code);
        for (int i = 0; i < n->n_out; i++)
            if (out_ticked[i] != 0 && out_ticked[i] != 1) fail(n->name, "output_ticked not 0/1", out_ticked[i]);
        counts[phase == EXECUTE ? 0 : phase == START ? 1 : phase == STOP ? 2 : 3]++;
    }
    /* end as a host does: STOP, which frees the containers */
    n->fn(outputs, out_ticked, state, STOP, no_inputs, no_flags, no_flags);
    printf("fuzz %llu %s phases=%ld/%ld/%ld/%ld faults=%ld\n", seed, csp ? "csp" : "seed", counts[0],
           counts[1], counts[2], counts[3], faults);
    for (int i = 0; i < MAX_SLOTS; i++) {
        free(out_buf[i]);
        free(st_buf[i]);
    }
    free(in_cells);
    free(state_cells);
}

int main(int argc, char **argv) {
    if (argc != 2) die("usage", "lifecycle_host PLAN");
    FILE *plan = fopen(argv[1], "r");
    if (!plan) die("cannot open", argv[1]);
    static char line[MAX_LINE];
    static Node n;
    while (fgets(line, sizeof line, plan)) {
        char *rest = strchr(line, ' ');
        rest = rest ? rest + 1 : line + strlen(line);
        char *save = NULL;
        if (strncmp(line, "node ", 5) == 0) {
            char so[4096], fault[300];
            if (sscanf(rest, "%4095s %255s %299s", so, n.name, fault) != 3) die("bad node line", line);
            n.lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
            if (!n.lib) die("dlopen", dlerror());
            n.fn = (node_fn)dlsym(n.lib, n.name);
            n.fault = (fault_fn)dlsym(n.lib, fault);
            if (!n.fn || !n.fault) die("dlsym", dlerror());
            printf("node %s\n", n.name);
        } else if (strncmp(line, "inputs ", 7) == 0) {
            n.n_in = atoi(strtok_r(rest, " \n", &save));
            if (n.n_in < 0 || n.n_in > MAX_SLOTS) die("too many inputs", NULL);
            for (int i = 0; i < n.n_in; i++) {
                char *t = strtok_r(NULL, " \n", &save);
                if (!t) die("missing input type", NULL);
                n.in_type[i] = t[0];
            }
        } else if (strncmp(line, "outputs ", 8) == 0) {
            n.n_out = atoi(strtok_r(rest, " \n", &save));
            if (n.n_out < 0 || n.n_out > MAX_SLOTS) die("too many outputs", NULL);
            for (int i = 0; i < n.n_out; i++) {
                char *t = strtok_r(NULL, " \n", &save);
                if (!t) die("missing output size", NULL);
                n.out_size[i] = (size_t)strtoul(t, NULL, 10);
            }
        } else if (strncmp(line, "state ", 6) == 0) {
            n.n_state = atoi(strtok_r(rest, " \n", &save));
            if (n.n_state < 0 || n.n_state > MAX_SLOTS) die("too many state slots", NULL);
            for (int i = 0; i < n.n_state; i++) {
                char *t = strtok_r(NULL, " \n", &save);
                if (!t) die("missing state slot", NULL);
                n.st_kind[i] = t[0];
                if (t[0] == 'v') {
                    n.st_size[i] = 8;
                    n.st_init[i] = zalloc(8);
                    parse_value(t + 2, n.st_init[i], 8);
                } else if (t[0] == 's') {
                    char *colon = strchr(t + 2, ':');
                    if (!colon) die("bad struct state", t);
                    n.st_size[i] = (size_t)strtoul(t + 2, NULL, 10);
                    n.st_init[i] = zalloc(n.st_size[i]);
                    parse_value(colon + 1, n.st_init[i], n.st_size[i]);
                } else if (t[0] != 'c') {
                    die("bad state slot", t);
                }
            }
        } else if (strncmp(line, "fuzz ", 5) == 0) {
            unsigned long long seed;
            long steps;
            char conv[16];
            if (sscanf(rest, "%llu %ld %15s", &seed, &steps, conv) != 3) die("bad fuzz line", line);
            fuzz(&n, seed, steps, strcmp(conv, "csp") == 0);
        } else if (strncmp(line, "end", 3) == 0) {
            for (int i = 0; i < MAX_SLOTS; i++) free(n.st_init[i]);
            dlclose(n.lib);
            memset(&n, 0, sizeof n);
            fflush(stdout);
        } else if (line[0] != '\n') {
            die("bad plan line", line);
        }
    }
    fclose(plan);
    return 0;
}
