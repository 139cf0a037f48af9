/* Hand-written equivalent of benches/nodes/accumulate.py, same ABI as a
 * cfuncc node (design.md §2). int64 wraps, as in the compiled node. */
#include <stdint.h>

void c_accumulate(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
                  void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)input_ticked;
    (void)input_valid;
    int64_t *total = (int64_t *)state[0];
    switch (phase) {
    case 0: {
        int64_t x = *(int64_t *)inputs[0];
        *total = (int64_t)((uint64_t)*total + (uint64_t)x);
        *(int64_t *)outputs[0] = *total;
        output_ticked[0] = 1;
        break;
    }
    case 1:
        *total = 100;
        break;
    default:
        break;
    }
}
