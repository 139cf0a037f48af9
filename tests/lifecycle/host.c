/* Drives a node through an arbitrary lifecycle order, for valgrind.
 *
 * Usage: host SO NATIVE_NAME FAULT_SYMBOL N_STATE SEQUENCE
 *
 * The node has one int input and one int output; its N_STATE state slots
 * are all containers, so the host passes them as NULL before the first
 * START (design.md §2). SEQUENCE is a string of phases: S = START,
 * E = EXECUTE (input = 1, 2, 3, ... one more per E), T = STOP, X = the
 * unknown phase 7. For each call it prints one line:
 *   PHASE x=INPUT fault=CODE ticked=0|1 out=VALUE line=FAULT_LINE
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*node_fn)(void **, int8_t *, void **, int8_t, void **, int8_t *, int8_t *);
typedef int32_t *(*fault_fn)(void);

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: host SO NATIVE FAULT N_STATE SEQUENCE\n");
        return 2;
    }
    void *so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 2;
    }
    node_fn node = (node_fn)dlsym(so, argv[2]);
    fault_fn fault = (fault_fn)dlsym(so, argv[3]);
    if (!node || !fault) {
        fprintf(stderr, "dlsym failed\n");
        return 2;
    }
    int n_state = atoi(argv[4]);
    void **state = calloc((size_t)(n_state > 0 ? n_state : 1), sizeof(void *));
    int64_t in = 0, out = 0;
    void *ins[1] = {&in}, *outs[1] = {&out};
    int8_t ticked[1], in_ticked[1] = {1}, in_valid[1] = {1};
    for (const char *p = argv[5]; *p; p++) {
        int8_t phase = *p == 'E' ? 0 : *p == 'S' ? 1 : *p == 'T' ? 2 : 7;
        if (*p == 'E') in++;
        ticked[0] = 0;
        out = 0;
        *fault() = 0;
        node(outs, ticked, state, phase, ins, in_ticked, in_valid);
        printf("%c x=%" PRId64 " fault=%d ticked=%d out=%" PRId64 " line=%d\n", *p, in,
               fault()[0], ticked[0], out, fault()[1]);
    }
    free(state);
    dlclose(so);
    return 0;
}
