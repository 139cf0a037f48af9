/* Hand-written equivalent of benches/nodes/ema.py (alpha = 0.5), same ABI
 * as a cfuncc node (design.md §2). */
#include <stdint.h>

void c_ema(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
           void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)input_ticked;
    (void)input_valid;
    const double alpha = 0.5;
    double *s = (double *)state[0];
    switch (phase) {
    case 0: {
        double x = *(double *)inputs[0];
        *s = alpha * x + (1.0 - alpha) * *s;
        *(double *)outputs[0] = *s;
        output_ticked[0] = 1;
        break;
    }
    case 1:
        *s = 0.0;
        break;
    default:
        break;
    }
}
