/* A minimal C host for a cfuncc-compiled node (design.md §2).
 *
 * Usage:
 *   host SO NATIVE_NAME FAULT_SYMBOL IN_TYPES OUT_TYPES N_STATE [TICK]...
 *
 *   IN_TYPES / OUT_TYPES  one letter per slot: i = int64, f = double,
 *                         b = bool; "-" for none
 *   N_STATE               number of scalar state cells
 *   TICK                  comma-separated input values for one EXECUTE tick
 *
 * The host owns every cell: 8-byte cells for inputs, outputs and state.
 * It runs START, one EXECUTE per TICK, then the phase value 7 (which must do
 * nothing), one more EXECUTE repeating the last tick, and STOP.
 * Before each call it zeroes the fault code; after it reads the record.
 *
 * Output, one record per line (values: ints as %lld, floats as the raw
 * IEEE-754 bits in hex so that the comparison is exact, bools as 0/1):
 *   start fault=C state=HEX,...
 *   tick N fault=C ticked=T,... out=V,... state=HEX,...
 *   phase7 fault=C ticked=T,... outputs_unchanged=0|1 state_unchanged=0|1
 *   stop fault=C
 * Errors go to stderr with exit status 2.
 */
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*node_fn)(void **outputs, int8_t *output_ticked, void **state,
                        int8_t lifecycle_phase, void **inputs,
                        int8_t *input_ticked, int8_t *input_valid);
typedef int32_t *(*fault_fn)(void);

#define MAX_SLOTS 16

static node_fn node;
static fault_fn fault;
static int n_in, n_out, n_state;
static const char *in_types, *out_types;
static uint64_t in_cells[MAX_SLOTS], out_cells[MAX_SLOTS], state_cells[MAX_SLOTS];
static void *in_ptrs[MAX_SLOTS], *out_ptrs[MAX_SLOTS], *state_ptrs[MAX_SLOTS];
static int8_t out_ticked[MAX_SLOTS], in_ticked[MAX_SLOTS], in_valid[MAX_SLOTS];

static void die(const char *what, const char *detail) {
    fprintf(stderr, "host: %s: %s\n", what, detail ? detail : "");
    exit(2);
}

static int count_types(const char *t) {
    if (strcmp(t, "-") == 0) return 0;
    int n = (int)strlen(t);
    if (n > MAX_SLOTS) die("too many slots", t);
    for (int i = 0; i < n; i++)
        if (t[i] != 'i' && t[i] != 'f' && t[i] != 'b') die("bad type letter", t);
    return n;
}

/* Calls the node with `phase`; returns the fault code. */
static int32_t call(int8_t phase) {
    fault()[0] = 0;
    node(out_ptrs, out_ticked, state_ptrs, phase, in_ptrs, in_ticked, in_valid);
    return fault()[0];
}

static void print_state(void) {
    printf(" state=");
    for (int i = 0; i < n_state; i++)
        printf("%s%016" PRIx64, i ? "," : "", state_cells[i]);
    if (n_state == 0) printf("-");
}

static void print_ticked(void) {
    printf(" ticked=");
    for (int i = 0; i < n_out; i++) printf("%s%d", i ? "," : "", out_ticked[i]);
    if (n_out == 0) printf("-");
}

static void print_outputs(void) {
    printf(" out=");
    for (int i = 0; i < n_out; i++) {
        if (i) printf(",");
        if (!out_ticked[i]) {
            printf("null");
            continue;
        }
        switch (out_types[i]) {
        case 'i': printf("%lld", (long long)(int64_t)out_cells[i]); break;
        case 'f': printf("%016" PRIx64, out_cells[i]); break;
        case 'b': printf("%d", *(uint8_t *)&out_cells[i] != 0); break;
        }
    }
    if (n_out == 0) printf("-");
}

static void set_inputs(const char *tick) {
    char *copy = strdup(tick), *save = NULL, *tok = strtok_r(copy, ",", &save);
    for (int i = 0; i < n_in; i++, tok = strtok_r(NULL, ",", &save)) {
        if (!tok) die("too few input values", tick);
        char *end;
        errno = 0;
        switch (in_types[i]) {
        case 'i': {
            int64_t v = strtoll(tok, &end, 10);
            memcpy(&in_cells[i], &v, 8);
            break;
        }
        case 'f': {
            double v = strtod(tok, &end);
            memcpy(&in_cells[i], &v, 8);
            break;
        }
        case 'b':
            in_cells[i] = 0;
            *(uint8_t *)&in_cells[i] = (uint8_t)(strtol(tok, &end, 10) != 0);
            break;
        }
        if (errno || *end) die("bad input value", tok);
        in_ticked[i] = 1;
        in_valid[i] = 1;
    }
    if (tok) die("too many input values", tick);
    free(copy);
}

static void execute(int n, const char *tick) {
    set_inputs(tick);
    memset(out_ticked, 0, sizeof out_ticked); /* the host clears the flags */
    int32_t code = call(0);
    printf("tick %d fault=%d", n, code);
    print_ticked();
    print_outputs();
    print_state();
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 7)
        die("usage", "host SO NATIVE_NAME FAULT_SYMBOL IN_TYPES OUT_TYPES N_STATE [TICK]...");
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) die("dlopen", dlerror());
    node = (node_fn)dlsym(lib, argv[2]);
    if (!node) die("dlsym node", dlerror());
    fault = (fault_fn)dlsym(lib, argv[3]);
    if (!fault) die("dlsym fault", dlerror());
    in_types = argv[4];
    out_types = argv[5];
    n_in = count_types(in_types);
    n_out = count_types(out_types);
    n_state = atoi(argv[6]);
    if (n_state < 0 || n_state > MAX_SLOTS) die("bad state count", argv[6]);

    for (int i = 0; i < MAX_SLOTS; i++) {
        /* A recognisable garbage pattern: START must overwrite state cells. */
        state_cells[i] = 0xA5A5A5A5A5A5A5A5ull;
        out_cells[i] = 0;
        in_ptrs[i] = &in_cells[i];
        out_ptrs[i] = &out_cells[i];
        state_ptrs[i] = &state_cells[i];
    }

    int32_t code = call(1);
    printf("start fault=%d", code);
    print_state();
    printf("\n");

    int n = 0;
    for (int a = 7; a < argc; a++) execute(n++, argv[a]);

    /* Phase 7: must not touch outputs, flags or state. */
    uint64_t out_before[MAX_SLOTS], state_before[MAX_SLOTS];
    for (int i = 0; i < MAX_SLOTS; i++) out_cells[i] = 0x5A5A5A5A5A5A5A5Aull;
    memcpy(out_before, out_cells, sizeof out_cells);
    memcpy(state_before, state_cells, sizeof state_cells);
    memset(out_ticked, 0, sizeof out_ticked);
    code = call(7);
    printf("phase7 fault=%d", code);
    print_ticked();
    printf(" outputs_unchanged=%d state_unchanged=%d\n",
           memcmp(out_before, out_cells, sizeof out_cells) == 0,
           memcmp(state_before, state_cells, sizeof state_cells) == 0);

    /* State must carry on as though phase 7 never happened. */
    if (argc > 7) execute(n++, argv[argc - 1]);

    code = call(2);
    printf("stop fault=%d\n", code);
    fflush(stdout);
    dlclose(lib);
    return 0;
}
