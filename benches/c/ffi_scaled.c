/* Hand-written equivalent of benches/nodes/ffi_scaled.py, with `scale` in
 * the same translation unit (so cc inlines it), same ABI as a cfuncc node
 * (design.md §2). */
#include <stdint.h>

static double scale(double x) { return x * 1.5 + 0.25; }

void c_ffi_scaled(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
                  void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)state;
    (void)input_ticked;
    (void)input_valid;
    if (phase == 0) {
        double x = *(double *)inputs[0];
        *(double *)outputs[0] = scale(x) - x;
        output_ticked[0] = 1;
    }
}
