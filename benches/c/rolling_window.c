/* Hand-written equivalent of benches/nodes/rolling_window.py: a 16-element
 * rolling window in a circular buffer of doubles, the host's memory behind
 * state[0] (as the compiled node's array state), its write position in
 * state[1]; START zero-fills both. */
#include <stdint.h>
#include <string.h>

void c_rolling_window(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
                      void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)input_ticked;
    (void)input_valid;
    double *w = state[0];
    int64_t *pos = state[1];
    switch (phase) {
    case 0: {
        w[*pos] = *(double *)inputs[0];
        *pos = (*pos + 1) % 16;
        double m = 0.0;
        for (int i = 0; i < 16; i++) m += w[i];
        m = m / 16.0;
        double s = 0.0;
        for (int i = 0; i < 16; i++) s += (w[i] - m) * (w[i] - m);
        *(double *)outputs[0] = s / 16.0;
        output_ticked[0] = 1;
        break;
    }
    case 1:
        memset(w, 0, 16 * sizeof *w);
        *pos = 0;
        break;
    }
}
