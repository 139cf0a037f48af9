/* Hand-written equivalent of benches/nodes/append_last.py: a growable
 * int64 array in state[0] (START allocates, STOP frees). */
#include <stdint.h>
#include <stdlib.h>

typedef struct {
    int64_t len, cap;
    int64_t *data;
} vec;

void c_append_last(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
                   void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)input_ticked;
    (void)input_valid;
    vec *v = state[0];
    switch (phase) {
    case 0: {
        if (v->len >= 1024) v->len = 0;
        if (v->len == v->cap) {
            v->cap = v->cap ? v->cap * 2 : 8;
            v->data = realloc(v->data, (size_t)v->cap * sizeof *v->data);
        }
        v->data[v->len++] = *(int64_t *)inputs[0];
        *(int64_t *)outputs[0] = v->data[v->len - 1] + v->len;
        output_ticked[0] = 1;
        break;
    }
    case 1:
        if (v) free(v->data);
        free(v);
        state[0] = calloc(1, sizeof(vec));
        break;
    case 2:
        if (v) free(v->data);
        free(v);
        state[0] = NULL;
        break;
    }
}
