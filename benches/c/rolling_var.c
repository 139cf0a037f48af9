/* Hand-written equivalent of benches/nodes/rolling_var.py: a growable
 * double array in state[0]; pop(0) is a memmove, as in the compiled node. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t len, cap;
    double *data;
} vec;

void c_rolling_var(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
                   void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)input_ticked;
    (void)input_valid;
    vec *w = state[0];
    switch (phase) {
    case 0: {
        if (w->len == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 8;
            w->data = realloc(w->data, (size_t)w->cap * sizeof *w->data);
        }
        w->data[w->len++] = *(double *)inputs[0];
        if (w->len > 16) {
            memmove(w->data, w->data + 1, (size_t)(w->len - 1) * sizeof *w->data);
            w->len--;
        }
        int64_t n = w->len;
        double m = 0.0;
        for (int64_t i = 0; i < n; i++) m += w->data[i];
        m = m / (double)n;
        double s = 0.0;
        for (int64_t i = 0; i < n; i++) s += (w->data[i] - m) * (w->data[i] - m);
        *(double *)outputs[0] = s / (double)n;
        output_ticked[0] = 1;
        break;
    }
    case 1:
        if (w) free(w->data);
        free(w);
        state[0] = calloc(1, sizeof(vec));
        break;
    case 2:
        if (w) free(w->data);
        free(w);
        state[0] = NULL;
        break;
    }
}
