/* Two hosts written the way the seed's (numba-cfunc-compiler) hosts drive a
 * node, with no knowledge of cfuncc (README "Lifecycle and hosts"):
 *
 *   seed  the seed's harness and C runner (tests/harness.py CompiledNode,
 *         tests/cfunc_caller.c): every input, output and state slot,
 *         container slots included, points at a zeroed 8-byte cell of one
 *         host array (a struct slot at a zeroed buffer of its size). The
 *         host never writes state before START. Inputs always point at
 *         their cells.
 *   csp   csp's numba node: `inputs[i]` is NULL until input i first ticks
 *         valid, and every input pointer is NULL during START and STOP.
 *         Container state slots are NULL. Each scalar state slot gets its
 *         own heap cell holding its `state_values` entry, written before
 *         the first START, and each struct state its own buffer holding the
 *         manifest's `initial_bytes`. Outputs are 8-byte heap cells, so a
 *         node with a larger output (a struct) is refused.
 *
 * Usage: host seed|csp PLAN
 *
 * PLAN is a text file of nodes, each:
 *   node SO NATIVE_NAME FAULT_SLOT  FAULT_SLOT: the state slot of the
 *                               instance's fault cell (manifest fault_slot)
 *   inputs N SIZE...            8 for a scalar, a struct's size
 *   outputs N SIZE...           the manifest's cell_size
 *   state N SPEC...             c (container) | v:HEX16 (a scalar's initial
 *                               cell) | s:SIZE:HEXBYTES (a struct)
 *   then operations, one a line: start | stop |
 *   tick TICKED VALID VALUE...  TICKED/VALID: one 0/1 per input ("-" for
 *                               none); VALUE: HEX16 or HEXBYTES per input
 *   end
 *
 * Output: per node `node NATIVE_NAME` (or `refused NATIVE_NAME WHY`), then
 * one line per tick: `tick fault=C ticked=T... out=HEX,...` with an output
 * as its cell's bytes in hex ("-" when not ticked). The fault is read from
 * the instance's fault cell (a state slot, zeroed before each call, packed
 * as { uint16 code, col; uint32 line }), only to report it: neither host
 * needs it, and neither reads a fault symbol.
 * Every byte the host allocates is freed, so valgrind's leak check speaks
 * for the node. Errors: a message on stderr, exit 2.
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define HOST_NAME "host"
#include "host_util.h"

typedef void (*node_fn)(void **outputs, int8_t *output_ticked, void **state,
                        int8_t lifecycle_phase, void **inputs,
                        int8_t *input_ticked, int8_t *input_valid);

enum { EXECUTE = 0, START = 1, STOP = 2 };
enum { MAX_SLOTS = 64, MAX_LINE = 1 << 16 };

static int csp;

static void print_bytes(const unsigned char *p, size_t size) {
    if (size == 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        printf("%016llx", (unsigned long long)v);
        return;
    }
    for (size_t i = 0; i < size; i++) printf("%02x", p[i]);
}

typedef struct {
    void *lib;
    node_fn fn;
    int fault_slot;
    int n_in, n_out, n_state;
    size_t in_size[MAX_SLOTS], out_size[MAX_SLOTS];
    char st_kind[MAX_SLOTS];
    size_t st_size[MAX_SLOTS];
    unsigned char *st_init[MAX_SLOTS];
    /* seed: one zeroed cell array per kind of slot */
    uint64_t *in_cells, *out_cells, *state_cells;
    /* buffers the host allocated, each freed at the end */
    void *in_buf[MAX_SLOTS], *out_buf[MAX_SLOTS], *st_buf[MAX_SLOTS];
    void *inputs[MAX_SLOTS], *outputs[MAX_SLOTS], *state[MAX_SLOTS];
    void *no_inputs[MAX_SLOTS];
    int8_t in_ticked[MAX_SLOTS], in_valid[MAX_SLOTS], no_flags[MAX_SLOTS];
    int8_t out_ticked[MAX_SLOTS];
} Node;

static int32_t call(Node *n, int8_t phase) {
    uint64_t *cell = n->state[n->fault_slot];
    *cell = 0;
    if (csp && phase != EXECUTE) {
        /* csp passes no input pointers or flags in START and STOP */
        n->fn(n->outputs, n->out_ticked, n->state, phase, n->no_inputs, n->no_flags, n->no_flags);
    } else {
        n->fn(n->outputs, n->out_ticked, n->state, phase, n->inputs, n->in_ticked, n->in_valid);
    }
    return (int32_t)(*cell & 0xFFFF);
}

static void setup_slots(Node *n) {
    n->in_cells = zalloc(8 * (size_t)(n->n_in + 1));
    n->out_cells = zalloc(8 * (size_t)(n->n_out + 1));
    n->state_cells = zalloc(8 * (size_t)(n->n_state + 1));
    for (int i = 0; i < n->n_in; i++) {
        if (csp) {
            n->inputs[i] = NULL; /* until the input first ticks valid */
        } else if (n->in_size[i] > 8) {
            n->inputs[i] = n->in_buf[i] = zalloc(n->in_size[i]);
        } else {
            n->inputs[i] = &n->in_cells[i];
        }
    }
    for (int i = 0; i < n->n_out; i++) {
        if (n->out_size[i] > 8)
            n->outputs[i] = n->out_buf[i] = zalloc(n->out_size[i]);
        else if (csp)
            n->outputs[i] = n->out_buf[i] = zalloc(8);
        else
            n->outputs[i] = &n->out_cells[i];
    }
    for (int i = 0; i < n->n_state; i++) {
        switch (n->st_kind[i]) {
        case 'c':
            n->state[i] = csp ? NULL : (void *)&n->state_cells[i];
            break;
        case 'v':
            if (csp) {
                n->state[i] = n->st_buf[i] = zalloc(8);
                memcpy(n->st_buf[i], n->st_init[i], 8); /* state_values */
            } else {
                n->state[i] = &n->state_cells[i];
            }
            break;
        case 's':
            n->state[i] = n->st_buf[i] = zalloc(n->st_size[i]);
            if (csp) memcpy(n->st_buf[i], n->st_init[i], n->st_size[i]);
            break;
        }
    }
}

static void teardown(Node *n) {
    for (int i = 0; i < MAX_SLOTS; i++) {
        free(n->in_buf[i]);
        free(n->out_buf[i]);
        free(n->st_buf[i]);
        free(n->st_init[i]);
    }
    free(n->in_cells);
    free(n->out_cells);
    free(n->state_cells);
    dlclose(n->lib);
    memset(n, 0, sizeof *n);
}

static void tick(Node *n, char *args) {
    char *save = NULL;
    char *ticked = strtok_r(args, " \n", &save), *valid = strtok_r(NULL, " \n", &save);
    if (!ticked || !valid) die("tick needs TICKED VALID", NULL);
    for (int i = 0; i < n->n_in; i++) {
        char *v = strtok_r(NULL, " \n", &save);
        if (!v || (int)strlen(ticked) != n->n_in || (int)strlen(valid) != n->n_in)
            die("tick does not fit the node's inputs", v);
        n->in_ticked[i] = (int8_t)(ticked[i] == '1');
        n->in_valid[i] = (int8_t)(valid[i] == '1');
        if (csp && n->in_valid[i] && !n->inputs[i])
            n->inputs[i] = n->in_buf[i] = zalloc(n->in_size[i]);
        /* An input keeps its last valid value while not valid. */
        if (n->in_valid[i]) parse_value(v, n->inputs[i], n->in_size[i]);
    }
    memset(n->out_ticked, 0, sizeof n->out_ticked); /* the host clears the flags */
    int32_t code = call(n, EXECUTE);
    printf("tick fault=%d ticked=", code);
    for (int i = 0; i < n->n_out; i++) printf("%d", n->out_ticked[i] != 0);
    printf(" out=");
    for (int i = 0; i < n->n_out; i++) {
        if (i) printf(",");
        if (n->out_ticked[i])
            print_bytes(n->outputs[i], n->out_size[i] > 8 ? n->out_size[i] : 8);
        else
            printf("-");
    }
    printf("\n");
}

static int read_sizes(char *rest, size_t *sizes) {
    char *save = NULL;
    int count = atoi(strtok_r(rest, " \n", &save));
    if (count < 0 || count > MAX_SLOTS) die("too many slots", rest);
    for (int i = 0; i < count; i++) {
        char *t = strtok_r(NULL, " \n", &save);
        if (!t) die("missing slot size", NULL);
        sizes[i] = (size_t)strtoul(t, NULL, 10);
    }
    return count;
}

static void read_state(Node *n, char *rest) {
    char *save = NULL;
    n->n_state = atoi(strtok_r(rest, " \n", &save));
    if (n->n_state < 0 || n->n_state > MAX_SLOTS) die("too many state slots", NULL);
    for (int i = 0; i < n->n_state; i++) {
        char *t = strtok_r(NULL, " \n", &save);
        if (!t) die("missing state slot", NULL);
        n->st_kind[i] = t[0];
        if (t[0] == 'v') {
            n->st_size[i] = 8;
            n->st_init[i] = zalloc(8);
            parse_value(t + 2, n->st_init[i], 8);
        } else if (t[0] == 's') {
            char *colon = strchr(t + 2, ':');
            if (!colon) die("bad struct state", t);
            n->st_size[i] = (size_t)strtoul(t + 2, NULL, 10);
            n->st_init[i] = zalloc(n->st_size[i]);
            parse_value(colon + 1, n->st_init[i], n->st_size[i]);
        } else if (t[0] != 'c') {
            die("bad state slot", t);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "seed") && strcmp(argv[1], "csp")))
        die("usage", "host seed|csp PLAN");
    csp = strcmp(argv[1], "csp") == 0;
    FILE *plan = fopen(argv[2], "r");
    if (!plan) die("cannot open", argv[2]);
    static char line[MAX_LINE];
    static Node n;
    int refused = 0;
    while (fgets(line, sizeof line, plan)) {
        char *rest = strchr(line, ' ');
        rest = rest ? rest + 1 : line + strlen(line);
        if (strncmp(line, "node ", 5) == 0) {
            char so[4096], name[256];
            if (sscanf(rest, "%4095s %255s %d", so, name, &n.fault_slot) != 3) die("bad node line", line);
            n.lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
            if (!n.lib) die("dlopen", dlerror());
            n.fn = (node_fn)dlsym(n.lib, name);
            if (!n.fn) die("dlsym", dlerror());
            printf("node %s\n", name);
            refused = 0;
        } else if (strncmp(line, "inputs ", 7) == 0) {
            n.n_in = read_sizes(rest, n.in_size);
        } else if (strncmp(line, "outputs ", 8) == 0) {
            n.n_out = read_sizes(rest, n.out_size);
            for (int i = 0; i < n.n_out; i++)
                if (csp && n.out_size[i] > 8) refused = 1;
        } else if (strncmp(line, "state ", 6) == 0) {
            read_state(&n, rest);
            if (n.fault_slot < 0 || n.fault_slot >= n.n_state || n.st_kind[n.fault_slot] != 'v')
                die("the fault slot is not a scalar state slot", NULL);
            if (refused)
                printf("refused: an output needs %s bytes, csp offers 8\n", "more than 8");
            else
                setup_slots(&n);
        } else if (refused && strncmp(line, "end", 3) != 0) {
            continue;
        } else if (strncmp(line, "start", 5) == 0) {
            printf("start fault=%d\n", call(&n, START));
        } else if (strncmp(line, "stop", 4) == 0) {
            printf("stop fault=%d\n", call(&n, STOP));
        } else if (strncmp(line, "tick ", 5) == 0) {
            tick(&n, rest);
        } else if (strncmp(line, "end", 3) == 0) {
            if (refused) {
                for (int i = 0; i < MAX_SLOTS; i++) free(n.st_init[i]);
                dlclose(n.lib);
                memset(&n, 0, sizeof n);
            } else {
                teardown(&n);
            }
            fflush(stdout);
        } else if (line[0] != '\n') {
            die("bad plan line", line);
        }
    }
    fclose(plan);
    return 0;
}
