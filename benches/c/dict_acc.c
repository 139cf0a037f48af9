/* Hand-written equivalent of benches/nodes/dict_acc.py, same ABI and the
 * same container convention as a cfuncc node (design.md §2): START puts a
 * map pointer in state[0], STOP frees it. Its own growable open-addressing
 * hash map (linear probing, occupancy bytes, load factor 1/2). */
#include <stdint.h>
#include <stdlib.h>

typedef struct {
    int64_t *keys;
    double *vals;
    uint8_t *used;
    int64_t cap, len;
} map;

static uint64_t slot_of(int64_t k, int64_t cap) {
    return ((uint64_t)k * 0x9E3779B97F4A7C15ULL) >> (64 - __builtin_ctzll((uint64_t)cap));
}

static map *map_new(int64_t cap) {
    map *m = calloc(1, sizeof *m);
    m->cap = cap;
    m->keys = calloc((size_t)cap, sizeof *m->keys);
    m->vals = calloc((size_t)cap, sizeof *m->vals);
    m->used = calloc((size_t)cap, 1);
    return m;
}

static void map_free(map *m) {
    if (!m) return;
    free(m->keys);
    free(m->vals);
    free(m->used);
    free(m);
}

static double *map_slot(map *m, int64_t k);

static void grow(map *m) {
    map *n = map_new(m->cap * 2);
    for (int64_t i = 0; i < m->cap; i++)
        if (m->used[i]) *map_slot(n, m->keys[i]) = m->vals[i];
    free(m->keys);
    free(m->vals);
    free(m->used);
    *m = *n;
    free(n);
}

/* The value cell of k, inserted as 0.0 when missing. */
static double *map_slot(map *m, int64_t k) {
    uint64_t mask = (uint64_t)m->cap - 1, i = slot_of(k, m->cap);
    for (;; i = (i + 1) & mask) {
        if (!m->used[i]) break;
        if (m->keys[i] == k) return &m->vals[i];
    }
    if (2 * (m->len + 1) > m->cap) {
        grow(m);
        return map_slot(m, k);
    }
    m->used[i] = 1;
    m->keys[i] = k;
    m->vals[i] = 0.0;
    m->len++;
    return &m->vals[i];
}

void c_dict_acc(void **outputs, int8_t *output_ticked, void **state, int8_t phase,
                void **inputs, int8_t *input_ticked, int8_t *input_valid) {
    (void)input_ticked;
    (void)input_valid;
    switch (phase) {
    case 0: {
        map *m = state[0];
        int64_t k = *(int64_t *)inputs[0];
        double v = *(double *)inputs[1];
        double *cell = map_slot(m, k);
        *cell += v;
        *(double *)outputs[0] = *cell;
        output_ticked[0] = 1;
        break;
    }
    case 1:
        map_free(state[0]);
        state[0] = map_new(8);
        break;
    case 2:
        map_free(state[0]);
        state[0] = NULL;
        break;
    }
}
