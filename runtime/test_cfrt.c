/* test_cfrt.c: tests of the cfuncc container runtime (cfrt.c).
 *
 *   gcc -std=c11 -O1 -g -Wall -Wextra runtime/test_cfrt.c -o /tmp/test_cfrt && /tmp/test_cfrt
 *   valgrind --error-exitcode=1 --leak-check=full /tmp/test_cfrt   (about 7 s)
 *
 * The optional argument (or the CFRT_TEST_N environment variable) is the
 * size of the big dict test (default 1,000,000); the memory bound at
 * exactly 1,000,000 entries is always checked.
 *
 * cfrt.c is included directly, after malloc/realloc/free are redefined to
 * counting wrappers: the test knows the runtime's live heap bytes at any
 * time and can make the k-th allocation fail. Expectations derived from
 * CPython 3.11 come from slice_cases.inc (runtime/gen_slice_cases.py).
 * Exits nonzero, after printing each failed check, on any failure.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- counting allocator -------------------------------------------------- */

typedef union {
    size_t size;
    max_align_t align; /* keeps the payload aligned like malloc's */
} alloc_hdr;

static int64_t heap_bytes;   /* live payload bytes allocated by cfrt */
static int64_t heap_blocks;  /* live blocks */
static int64_t alloc_budget = -1; /* >= 0: allocations left before failing */
static int64_t alloc_calls;       /* malloc / realloc calls made by cfrt */

static int budget_allows(void) {
    alloc_calls++;
    if (alloc_budget < 0) return 1;
    if (alloc_budget == 0) return 0;
    alloc_budget--;
    return 1;
}

static void *t_malloc(size_t n) {
    if (!budget_allows()) return NULL;
    alloc_hdr *h = (alloc_hdr *)malloc(sizeof(alloc_hdr) + n);
    if (h == NULL) return NULL;
    h->size = n;
    heap_bytes += (int64_t)n;
    heap_blocks++;
    return h + 1;
}

static void t_free(void *p) {
    if (p == NULL) return;
    alloc_hdr *h = (alloc_hdr *)p - 1;
    heap_bytes -= (int64_t)h->size;
    heap_blocks--;
    free(h);
}

static void *t_realloc(void *p, size_t n) {
    if (p == NULL) return t_malloc(n);
    if (!budget_allows()) return NULL;
    alloc_hdr *h = (alloc_hdr *)p - 1;
    size_t old = h->size;
    alloc_hdr *nh = (alloc_hdr *)realloc(h, sizeof(alloc_hdr) + n);
    if (nh == NULL) return NULL;
    nh->size = n;
    heap_bytes += (int64_t)n - (int64_t)old;
    return nh + 1;
}

#define malloc t_malloc
#define realloc t_realloc
#define free t_free
#include "cfrt.c"
#undef malloc
#undef realloc
#undef free

#include "slice_cases.inc"

/* ---- checking ------------------------------------------------------------ */

static int64_t n_checks, n_failures;

#define CHECK(cond, ...)                                                         \
    do {                                                                         \
        n_checks++;                                                              \
        if (!(cond)) {                                                           \
            n_failures++;                                                        \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            if (n_failures >= 30) {                                              \
                fprintf(stderr, "too many failures\n");                          \
                exit(1);                                                         \
            }                                                                    \
        }                                                                        \
    } while (0)

static uint64_t bits_of(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static double dbl(uint64_t b) {
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static cf_list *list_of(cf_obj **arena, const uint64_t *v, int64_t n) {
    cf_list *l = cfrt_list_new(arena);
    if (l == NULL) return NULL;
    for (int64_t i = 0; i < n; i++)
        if (!cfrt_list_append(l, v[i])) return NULL;
    return l;
}

static int list_equals(const cf_list *l, const uint64_t *v, int64_t n) {
    if (l->len != n) return 0;
    for (int64_t i = 0; i < n; i++)
        if (l->data[i] != v[i]) return 0;
    return 1;
}

/* Structural invariants of a list. */
static void check_list(const cf_list *l, const char *what) {
    CHECK(l->hdr.kind == CFRT_LIST, "%s: kind", what);
    CHECK(l->len >= 0 && l->len <= l->cap, "%s: len %" PRId64 " cap %" PRId64, what, l->len,
          l->cap);
    CHECK(l->cap == 0 || l->data != NULL, "%s: data", what);
}

static int dead_bit(const cf_dict *d, int64_t j) { return (int)(d->dead[j >> 6] >> (j & 63) & 1); }

/* Every structural invariant documented in cfrt.c's banner. */
static void check_dict(const cf_dict *d, const char *what) {
    CHECK(d->hdr.kind == CFRT_DICT, "%s: kind", what);
    CHECK(0 <= d->len && d->len <= d->n_entries && d->n_entries <= d->cap, "%s: counts", what);
    if (d->index == NULL) {
        CHECK(d->cap == 0 && d->n_entries == 0 && d->entries == NULL && d->dead == NULL,
              "%s: no storage", what);
        return;
    }
    int64_t size = (int64_t)1 << (64 - d->shift);
    CHECK(d->cap >= 8 && (d->cap & (d->cap - 1)) == 0, "%s: cap %" PRId64, what, d->cap);
    CHECK(size == 2 * d->cap, "%s: index size %" PRId64 " cap %" PRId64, what, size, d->cap);
    int64_t live = 0;
    for (int64_t j = 0; j < d->n_entries; j++) live += !dead_bit(d, j);
    CHECK(live == d->len, "%s: live %" PRId64 " len %" PRId64, what, live, d->len);
    for (int64_t j = d->n_entries; j < (d->cap + 63) / 64 * 64; j++)
        if (dead_bit(d, j)) {
            CHECK(0, "%s: dead bit %" PRId64 " above n_entries", what, j);
            break;
        }
    int64_t used = 0, refs = 0;
    for (int64_t i = 0; i < size; i++) {
        int32_t ix = d->index[i];
        if (ix == CFRT_EMPTY) continue;
        used++;
        if (ix == CFRT_DELETED) continue;
        refs++;
        if (!(ix >= 0 && ix < d->n_entries && !dead_bit(d, ix))) {
            CHECK(0, "%s: slot %" PRId64 " -> %d", what, i, ix);
            return;
        }
    }
    CHECK(refs == d->len, "%s: index refs %" PRId64 " len %" PRId64, what, refs, d->len);
    CHECK(used <= d->n_entries, "%s: used slots %" PRId64 " > n_entries", what, used);
    /* Each live entry is found, as itself, by a probe. */
    for (int64_t j = 0; j < d->n_entries; j++) {
        if (dead_bit(d, j)) continue;
        uint64_t *cell = cfrt_dict_find(d, d->entries[j].key);
        if (cell != &d->entries[j].value) {
            CHECK(0, "%s: entry %" PRId64 " not found by its key", what, j);
            return;
        }
    }
}

/* Dict contents in iteration order via the public API. */
static int64_t dict_items(const cf_dict *d, uint64_t *out, int64_t max_pairs) {
    int64_t n = 0;
    for (int64_t p = cfrt_dict_next(d, 0); p >= 0; p = cfrt_dict_next(d, p + 1)) {
        if (n < max_pairs) {
            out[2 * n] = (uint64_t)cfrt_dict_entry_key(d, p);
            out[2 * n + 1] = cfrt_dict_entry_value(d, p);
        }
        n++;
    }
    return n;
}

/* The generator's content_hash(). */
static uint32_t dict_hash(const cf_dict *d) {
    uint32_t h = 0x811C9DC5u;
    for (int64_t p = cfrt_dict_next(d, 0); p >= 0; p = cfrt_dict_next(d, p + 1)) {
        uint64_t w[2] = {(uint64_t)cfrt_dict_entry_key(d, p), cfrt_dict_entry_value(d, p)};
        for (int k = 0; k < 2; k++) {
            h = (h ^ (uint32_t)(w[k] & 0xFFFFFFFFu)) * 0x01000193u;
            h = (h ^ (uint32_t)(w[k] >> 32)) * 0x01000193u;
        }
    }
    return h;
}

/* ---- list ---------------------------------------------------------------- */

static void test_list_basic(void) {
    int64_t base = heap_bytes;
    cf_list *l = cfrt_list_new(NULL);
    CHECK(l != NULL && l->hdr.next_local == NULL && l->len == 0 && cfrt_list_len(l) == 0, "new");
    check_list(l, "new");
    /* growth: 8, 16, 32, ... */
    for (int64_t i = 0; i < 1000; i++) {
        CHECK(cfrt_list_append(l, (uint64_t)i * 3), "append %" PRId64, i);
        int64_t want = 8;
        while (want < i + 1) want *= 2;
        if (l->cap != want) {
            CHECK(0, "cap %" PRId64 " after %" PRId64 " appends, want %" PRId64, l->cap, i + 1,
                  want);
            break;
        }
    }
    CHECK(cfrt_list_len(l) == 1000, "len");
    for (int64_t i = 0; i < 1000; i++)
        if (cfrt_list_get(l, i) != (uint64_t)i * 3) {
            CHECK(0, "get %" PRId64, i);
            break;
        }
    cfrt_list_set(l, 5, 77);
    CHECK(cfrt_list_get(l, 5) == 77, "set");
    CHECK(cfrt_list_remove_at(l, 999) == 999 * 3 && l->len == 999, "pop last");
    CHECK(cfrt_list_remove_at(l, 0) == 0 && l->len == 998 && cfrt_list_get(l, 0) == 3,
          "pop first");
    CHECK(cfrt_list_remove_at(l, 4) == 77 && cfrt_list_get(l, 4) == 18, "pop middle");
    /* remove_at at every position of small lists. */
    for (int64_t n = 1; n <= 10; n++)
        for (int64_t i = 0; i < n; i++) {
            uint64_t v[10], want[10];
            int64_t m = 0;
            for (int64_t k = 0; k < n; k++) {
                v[k] = (uint64_t)k + 100;
                if (k != i) want[m++] = v[k];
            }
            cf_list *t = list_of(NULL, v, n);
            CHECK(cfrt_list_remove_at(t, i) == (uint64_t)i + 100 && list_equals(t, want, n - 1),
                  "remove_at(%" PRId64 ") of %" PRId64, i, n);
            cfrt_free(&t->hdr);
        }
    int64_t cap = l->cap;
    cfrt_list_clear(l);
    CHECK(l->len == 0 && l->cap == cap, "clear keeps capacity");
    CHECK(cfrt_list_append(l, 9) && cfrt_list_get(l, 0) == 9, "append after clear");
    cfrt_free(&l->hdr);
    CHECK(heap_bytes == base, "free: %" PRId64 " bytes leaked", heap_bytes - base);
    cfrt_free(NULL);
    /* A host's zeroed 8-byte cell (the seed's hosts pass one for container
     * state) and other untagged memory: not live, and never freed. */
    int64_t cell = 0;
    cfrt_free((cf_obj *)&cell);
    CHECK(cell == 0 && heap_bytes == base, "free of a host cell");
    CHECK(!cfrt_is_live(&cell, CFRT_LIST) && !cfrt_is_live(NULL, CFRT_LIST), "host cell, NULL");
    cf_list *live = cfrt_list_new(NULL);
    CHECK(cfrt_is_live(live, CFRT_LIST) && !cfrt_is_live(live, CFRT_DICT), "live list");
    cfrt_free(&live->hdr);
    CHECK(heap_bytes == base, "tagged free");
}

static void test_list_insert(void) {
    /* Hand-derived from Python: l = [10, 11, 12]; l.insert(i, 99). */
    static const struct {
        int64_t i;
        uint64_t want[4];
    } cases[] = {
        {INT64_MIN, {99, 10, 11, 12}}, {-100, {99, 10, 11, 12}}, {-4, {99, 10, 11, 12}},
        {-3, {99, 10, 11, 12}},        {-2, {10, 99, 11, 12}},   {-1, {10, 11, 99, 12}},
        {0, {99, 10, 11, 12}},         {1, {10, 99, 11, 12}},    {2, {10, 11, 99, 12}},
        {3, {10, 11, 12, 99}},         {4, {10, 11, 12, 99}},    {INT64_MAX, {10, 11, 12, 99}},
    };
    static const uint64_t init[3] = {10, 11, 12};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        cf_obj *arena = NULL;
        cf_list *l = list_of(&arena, init, 3);
        CHECK(cfrt_list_insert(l, cases[c].i, 99), "insert");
        CHECK(list_equals(l, cases[c].want, 4), "insert at %" PRId64, cases[c].i);
        cfrt_free_arena(arena);
    }
    /* Into an empty list, at any index; then many front inserts (growth). */
    cf_list *l = cfrt_list_new(NULL);
    CHECK(cfrt_list_insert(l, -5, 1) && l->len == 1 && l->data[0] == 1, "insert into empty");
    for (uint64_t v = 2; v <= 100; v++) CHECK(cfrt_list_insert(l, 0, v), "insert front");
    int ok = 1;
    for (int64_t i = 0; i < 100; i++) ok &= l->data[i] == (uint64_t)(100 - i);
    CHECK(ok && l->len == 100, "front inserts");
    cfrt_free(&l->hdr);
}

static void test_list_extend(void) {
    cf_obj *arena = NULL;
    uint64_t v[40];
    for (int i = 0; i < 40; i++) v[i] = (uint64_t)i + 1;
    /* self-extend at every fill level, including exactly full (len == cap). */
    for (int64_t n = 0; n <= 33; n++) {
        cf_list *l = list_of(&arena, v, n);
        int64_t cap_before = l->cap;
        CHECK(cfrt_list_extend(l, l), "self extend");
        int ok = l->len == 2 * n;
        for (int64_t i = 0; ok && i < 2 * n; i++) ok = l->data[i] == v[i % (n ? n : 1)];
        CHECK(ok, "l.extend(l) with len %" PRId64 " cap %" PRId64, n, cap_before);
        check_list(l, "self extend");
    }
    cf_list *a = list_of(&arena, v, 5);
    cf_list *b = list_of(&arena, v + 10, 30);
    cf_list *empty = cfrt_list_new(&arena);
    CHECK(cfrt_list_extend(a, empty) && a->len == 5, "extend by empty");
    CHECK(cfrt_list_extend(empty, empty) && empty->len == 0 && empty->data == NULL,
          "empty.extend(empty)");
    CHECK(cfrt_list_extend(a, b), "extend");
    uint64_t want[35];
    memcpy(want, v, 5 * sizeof(uint64_t));
    memcpy(want + 5, v + 10, 30 * sizeof(uint64_t));
    CHECK(list_equals(a, want, 35) && list_equals(b, v + 10, 30), "extend contents");
    CHECK(cfrt_list_extend(empty, b) && list_equals(empty, v + 10, 30), "extend empty");
    cfrt_free_arena(arena);
}

static void test_list_find_agg(void) {
    cf_obj *arena = NULL;
    const double nan = dbl(0x7ff8000000000000ULL);
    uint64_t fv[6] = {bits_of(1.5), bits_of(-0.0), bits_of(nan), bits_of(2.0), bits_of(0.0),
                      bits_of(1.5)};
    cf_list *f = list_of(&arena, fv, 6);
    CHECK(cfrt_list_find_f64(f, 1.5) == 0, "find 1.5");
    CHECK(cfrt_list_find_f64(f, 0.0) == 1, "0.0 finds -0.0");
    CHECK(cfrt_list_find_f64(f, -0.0) == 1, "-0.0 finds -0.0");
    CHECK(cfrt_list_find_f64(f, nan) == -1, "NaN finds nothing");
    CHECK(cfrt_list_find_f64(f, 2.0) == 3 && cfrt_list_find_f64(f, 3.0) == -1, "find");
    uint64_t iv[5] = {5, (uint64_t)-1, (uint64_t)INT64_MIN, 5, (uint64_t)INT64_MAX};
    cf_list *il = list_of(&arena, iv, 5);
    CHECK(cfrt_list_find_i64(il, 5) == 0 && cfrt_list_find_i64(il, -1) == 1 &&
              cfrt_list_find_i64(il, INT64_MIN) == 2 && cfrt_list_find_i64(il, INT64_MAX) == 4 &&
              cfrt_list_find_i64(il, 0) == -1,
          "find_i64");
    CHECK(cfrt_list_min_i64(il) == INT64_MIN && cfrt_list_max_i64(il) == INT64_MAX, "min/max");
    CHECK(cfrt_list_sum_i64(il) == 8, "sum wraps: %" PRId64, cfrt_list_sum_i64(il));
    cf_list *empty = cfrt_list_new(&arena);
    CHECK(cfrt_list_find_i64(empty, 0) == -1 && cfrt_list_find_f64(empty, 0.0) == -1,
          "find in empty");
    CHECK(cfrt_list_sum_i64(empty) == 0 && bits_of(cfrt_list_sum_f64(empty)) == 0, "empty sums");

    /* CPython-derived float sum / min / max. */
    for (size_t c = 0; c < sizeof agg_cases / sizeof agg_cases[0]; c++) {
        const agg_case *k = &agg_cases[c];
        cf_list *l = list_of(&arena, agg_data + k->in, k->n);
        uint64_t s = bits_of(cfrt_list_sum_f64(l));
        int s_ok = s == k->sum || (dbl(s) != dbl(s) && dbl(k->sum) != dbl(k->sum));
        CHECK(s_ok, "sum case %zu: %016" PRIx64 " want %016" PRIx64, c, s, k->sum);
        if (k->n > 0) {
            /* NaN payloads are preserved, so min/max bits are exact. */
            CHECK(bits_of(cfrt_list_min_f64(l)) == k->min, "min case %zu", c);
            CHECK(bits_of(cfrt_list_max_f64(l)) == k->max, "max case %zu", c);
        }
    }
    for (size_t c = 0; c < sizeof isum_cases / sizeof isum_cases[0]; c++) {
        const isum_case *k = &isum_cases[c];
        cf_list *l = list_of(&arena, isum_data + k->in, k->n);
        CHECK((uint64_t)cfrt_list_sum_i64(l) == k->sum, "int sum case %zu", c);
    }
    cfrt_free_arena(arena);
}

/* ---- sort ---------------------------------------------------------------- */

static void decode(const char *s, const uint64_t *pool, uint64_t *out) {
    for (int64_t i = 0; s[i]; i++) out[i] = pool[strchr(SORT_ALPHABET, s[i]) - SORT_ALPHABET];
}

static void test_sort_cases(void) {
    for (size_t c = 0; c < sizeof sort_cases / sizeof sort_cases[0]; c++) {
        const sort_case *k = &sort_cases[c];
        int64_t n = (int64_t)strlen(k->in);
        const uint64_t *pool = k->is_float ? sort_pool_f64 : sort_pool_i64;
        uint64_t *in = (uint64_t *)malloc(sizeof(uint64_t) * (size_t)(n + 1));
        uint64_t *want = (uint64_t *)malloc(sizeof(uint64_t) * (size_t)(n + 1));
        decode(k->in, pool, in);
        decode(k->out, pool, want);
        cf_obj *arena = NULL;
        cf_list *l = list_of(&arena, in, n);
        int32_t ok = k->is_float ? cfrt_list_sort_f64(l) : cfrt_list_sort_i64(l);
        CHECK(ok && l->len == n, "sort case %zu returned %d", c, ok);
        int64_t bad = -1;
        for (int64_t i = 0; i < n && bad < 0; i++)
            if (l->data[i] != want[i]) bad = i;
        CHECK(bad < 0, "sort case %zu (%s, n=%" PRId64 "): first difference at %" PRId64, c,
              k->is_float ? "float" : "int", n, bad);
        cfrt_free_arena(arena);
        free(in);
        free(want);
    }
}

/* gen_sort_input() of gen_slice_cases.py, which must stay identical. */
#define GOLDEN 0x9E3779B97F4A7C15ULL

static uint64_t splitmix_next(uint64_t *state) {
    uint64_t r = splitmix64(*state); /* mixes *state + GOLDEN */
    *state += GOLDEN;
    return r;
}

static void gen_sort_input(const sort_gen_case *k, uint64_t *out) {
    static const uint64_t nans[4] = {0x7FF8000000000000ULL, 0xFFF8000000000000ULL,
                                     0x7FF0000000000001ULL, 0x7FFC00000000BEEFULL};
    /* 0.0 -0.0 1.0 -1.0 2.5 inf -inf */
    static const uint64_t few[7] = {0, 0x8000000000000000ULL, 0x3FF0000000000000ULL,
                                    0xBFF0000000000000ULL, 0x4004000000000000ULL,
                                    0x7FF0000000000000ULL, 0xFFF0000000000000ULL};
    uint64_t state = k->seed;
    int64_t n = k->n;
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = splitmix_next(&state), r2 = splitmix_next(&state), v;
        switch (k->shape) {
        case 0: v = bits_of((double)((int64_t)(r >> 11) - ((int64_t)1 << 52))); break;
        case 1: v = few[r % 7]; break;
        case 2: v = bits_of((double)(r % 16)); break;
        case 3: v = bits_of((double)(i / 3)); break;
        case 4: v = bits_of((double)(n - i)); break;
        case 5: v = bits_of((double)((n - i) / 4)); break;
        case 6: v = bits_of((double)(i % 37)); break;
        case 7: v = bits_of((double)(i % 300)); break;
        case 8: v = bits_of((double)(i < n / 2 ? i : n - i)); break;
        case 9: v = bits_of((double)(r % 16 ? i : (int64_t)((r >> 40) % (uint64_t)(n + 1))));
            break;
        case 10: v = r; break;
        default: v = bits_of((double)(-(i % 100))); break;
        }
        if ((int)(r2 % 1000) < k->nan_pm)
            v = nans[(r2 >> 10) & 3];
        else if ((int)((r2 >> 20) % 1000) < k->zero_pm)
            v = (r2 >> 40 & 1) << 63;
        else if ((int)((r2 >> 30) % 1000) < k->inf_pm)
            v = r2 >> 50 & 1 ? few[5] : few[6];
        out[i] = v;
    }
}

static uint64_t hash_bits(const uint64_t *b, int64_t n) {
    uint64_t h = 0x6A09E667F3BCC908ULL ^ (uint64_t)n;
    for (int64_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * GOLDEN;
        h ^= h >> 32;
    }
    return h;
}

/* CPython's sorted() of float lists up to 2049 long, NaN included: the input,
 * the result and the result of sorting the reversed result, bit for bit.
 * Also: a sort allocates nothing below 514 elements and exactly one buffer
 * from there on. */
static void test_sort_generated(void) {
    int64_t max_n = 0;
    size_t n_cases = sizeof sort_gen_cases / sizeof sort_gen_cases[0];
    for (size_t c = 0; c < n_cases; c++)
        if (sort_gen_cases[c].n > max_n) max_n = sort_gen_cases[c].n;
    uint64_t *in = (uint64_t *)malloc(sizeof(uint64_t) * (size_t)(max_n + 1));
    for (size_t c = 0; c < n_cases; c++) {
        const sort_gen_case *k = &sort_gen_cases[c];
        int64_t n = k->n;
        gen_sort_input(k, in);
        CHECK(hash_bits(in, n) == k->in_hash,
              "generated sort case %zu: input differs from gen_slice_cases.py's", c);
        cf_list *l = list_of(NULL, in, n);
        int64_t calls = alloc_calls;
        CHECK(cfrt_list_sort_f64(l) == 1, "generated sort case %zu", c);
        CHECK(alloc_calls - calls == (n / 2 > 256), "generated sort case %zu (n=%d): %" PRId64
              " allocations", c, k->n, alloc_calls - calls);
        CHECK(l->len == n && hash_bits(l->data, n) == k->out_hash,
              "generated sort case %zu (shape %d, n=%d, NaN %d/1000): differs from CPython", c,
              k->shape, k->n, k->nan_pm);
        for (int64_t i = 0, j = n - 1; i < j; i++, j--) {
            uint64_t t = l->data[i];
            l->data[i] = l->data[j];
            l->data[j] = t;
        }
        CHECK(cfrt_list_sort_f64(l) == 1 && hash_bits(l->data, n) == k->again_hash,
              "generated sort case %zu (shape %d, n=%d): re-sort of the reversed result differs",
              c, k->shape, k->n);
        cfrt_free(&l->hdr);
    }
    free(in);
}

/* Reference: stable insertion sort by `<`. */
static void ref_sort(uint64_t *a, int64_t n, int fl) {
    for (int64_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        int64_t j = i;
        while (j > 0 && (fl ? dbl(v) < dbl(a[j - 1]) : (int64_t)v < (int64_t)a[j - 1])) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static void test_sort_big(void) {
    /* Larger random lists against the reference (floats: many +-0.0 ties,
     * so stability is observable), and already sorted / reversed ones. */
    const int64_t sizes[] = {64, 65, 96, 127, 1000, 4099};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        int64_t n = sizes[si];
        for (int fl = 0; fl < 2; fl++) {
            for (int shape = 0; shape < 3; shape++) {
                uint64_t *a = (uint64_t *)malloc(sizeof(uint64_t) * (size_t)n);
                for (int64_t i = 0; i < n; i++) {
                    uint64_t r = splitmix64((uint64_t)(i + 1000 * n + 7 * fl + 100 * shape));
                    if (fl) {
                        double d = (double)(int64_t)(r % 41) - 20.0;
                        if (d == 0.0 && (r >> 32) & 1) d = -0.0;
                        a[i] = bits_of(d);
                    } else {
                        a[i] = (r >> 33) & 1 ? (uint64_t)(int64_t)(r % 17) - 8 : r;
                    }
                }
                if (shape > 0) ref_sort(a, n, fl);
                if (shape == 2)
                    for (int64_t i = 0, j = n - 1; i < j; i++, j--) {
                        uint64_t t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                    }
                cf_list *l = list_of(NULL, a, n);
                ref_sort(a, n, fl);
                CHECK(fl ? cfrt_list_sort_f64(l) : cfrt_list_sort_i64(l), "sort");
                CHECK(list_equals(l, a, n), "big sort n=%" PRId64 " fl=%d shape=%d", n, fl, shape);
                cfrt_free(&l->hdr);
                free(a);
            }
        }
    }
}

/* ---- slice --------------------------------------------------------------- */

static void check_slice(const cf_list *src, int64_t n, int64_t start, int64_t stop, int64_t step,
                        int32_t flags, const char *expect) {
    cf_obj *arena = NULL;
    cf_list *r = cfrt_list_slice(&arena, src, start, stop, step, flags);
    int64_t m = (int64_t)strlen(expect);
    int ok = r != NULL && arena == &r->hdr && r->hdr.next_local == NULL && r->len == m &&
             r->cap == m;
    for (int64_t i = 0; ok && i < m; i++) ok = r->data[i] == (uint64_t)(expect[i] - '0');
    CHECK(ok, "list(range(%" PRId64 "))[%s%" PRId64 ":%s%" PRId64 ":%" PRId64 "] want [%s]", n,
          flags & 1 ? "" : "None=", start, flags & 2 ? "" : "None=", stop, step, expect);
    cfrt_free_arena(arena);
}

static void test_slice(void) {
    int64_t count = 0;
    for (int64_t n = 0; n <= 6; n++) {
        cf_list *src = cfrt_list_new(NULL);
        for (int64_t i = 0; i < n; i++) cfrt_list_append(src, (uint64_t)i);
        for (int si = 0; si < 14; si++) {
            int64_t step = si < 7 ? si - 7 : si - 6;
            for (int sp = 0; sp < 16; sp++)
                for (int tp = 0; tp < 16; tp++) {
                    int32_t flags = (sp != 0) | (tp != 0) << 1;
                    /* Garbage in the absent fields: they must be ignored. */
                    int64_t start = sp ? sp - 8 : 12345, stop = tp ? tp - 8 : -999;
                    check_slice(src, n, start, stop, step, flags, slice_expect[n][si][sp][tp]);
                    count++;
                }
        }
        cfrt_free(&src->hdr);
    }
    for (size_t c = 0; c < sizeof slice_extreme / sizeof slice_extreme[0]; c++) {
        const slice_case *k = &slice_extreme[c];
        cf_list *src = cfrt_list_new(NULL);
        for (int64_t i = 0; i < k->n; i++) cfrt_list_append(src, (uint64_t)i);
        check_slice(src, k->n, k->start, k->stop, k->step, k->flags, k->expect);
        cfrt_free(&src->hdr);
        count++;
    }
    CHECK(count == 7 * 14 * 256 + (int64_t)(sizeof slice_extreme / sizeof slice_extreme[0]),
          "slice count");
    /* NULL arena: a standalone list. */
    cf_list *src = cfrt_list_new(NULL);
    for (int i = 0; i < 10; i++) cfrt_list_append(src, (uint64_t)i);
    cf_list *r = cfrt_list_slice(NULL, src, 2, 0, 3, 1);
    const uint64_t want[3] = {2, 5, 8};
    CHECK(r != NULL && r->hdr.next_local == NULL && list_equals(r, want, 3), "slice, no arena");
    CHECK(cfrt_list_append(r, 11) && r->len == 4, "append to a slice");
    cfrt_free(&r->hdr);
    cfrt_free(&src->hdr);
}

/* ---- dict ---------------------------------------------------------------- */

static void run_dict_sequence(const char *name, const dict_op *ops, size_t n_ops,
                              const dict_dump *dumps, size_t n_dumps, const uint64_t *dump_data) {
    cf_dict *d = cfrt_dict_new(NULL);
    size_t next_dump = 0;
    int64_t version = cfrt_dict_version(d);
    int64_t max_cap = 0;
    uint64_t *items = (uint64_t *)malloc(sizeof(uint64_t) * 2 * 1000);
    for (size_t i = 0; i < n_ops; i++) {
        const dict_op *op = &ops[i];
        int64_t key = (int64_t)op->key;
        int64_t before = cfrt_dict_len(d);
        int bump = 0;
        switch (op->op) {
        case OP_SET:
            bump = cfrt_dict_find(d, key) == NULL;
            CHECK(cfrt_dict_set(d, key, op->value) == 1, "%s op %zu: set", name, i);
            break;
        case OP_REMOVE: {
            uint64_t out = 0xDEAD;
            int32_t r = cfrt_dict_remove(d, key, &out);
            CHECK(r == op->ret && (!r || out == op->value), "%s op %zu: remove %" PRId64, name,
                  i, key);
            CHECK(r || out == 0xDEAD, "%s op %zu: remove of a missing key wrote *out", name, i);
            bump = r;
            break;
        }
        case OP_GET: {
            const uint64_t *cell = cfrt_dict_find(d, key);
            CHECK((cell != NULL) == op->ret && (!cell || *cell == op->value),
                  "%s op %zu: find %" PRId64, name, i, key);
            break;
        }
        case OP_CLEAR:
            cfrt_dict_clear(d);
            bump = 1;
            break;
        }
        version += bump;
        CHECK(cfrt_dict_version(d) == version, "%s op %zu: version", name, i);
        CHECK(cfrt_dict_len(d) == op->len, "%s op %zu: len %" PRId64 " (was %" PRId64
              ") want %" PRId64, name, i, cfrt_dict_len(d), before, op->len);
        CHECK(dict_hash(d) == op->hash, "%s op %zu (op %d key %" PRId64 "): contents differ",
              name, i, op->op, key);
        check_dict(d, name);
        if (d->cap > max_cap) max_cap = d->cap;
        if (next_dump < n_dumps && dumps[next_dump].after == (int64_t)i) {
            const dict_dump *dd = &dumps[next_dump++];
            int64_t n = dict_items(d, items, 1000);
            CHECK(n == dd->n && memcmp(items, dump_data + dd->at,
                                       sizeof(uint64_t) * 2 * (size_t)n) == 0,
                  "%s: dump after op %" PRId64, name, dd->after);
        }
    }
    CHECK(next_dump == n_dumps, "%s: dumps", name);
    printf("  %s: %zu ops, max cap %" PRId64 "\n", name, n_ops, max_cap);
    free(items);
    cfrt_free(&d->hdr);
}

static void test_dict_sequences(void) {
    run_dict_sequence("dseq_small", dseq_small_ops, sizeof dseq_small_ops / sizeof(dict_op),
                      dseq_small_dumps, sizeof dseq_small_dumps / sizeof(dict_dump),
                      dseq_small_dump_data);
    run_dict_sequence("dseq_wide", dseq_wide_ops, sizeof dseq_wide_ops / sizeof(dict_op),
                      dseq_wide_dumps, sizeof dseq_wide_dumps / sizeof(dict_dump),
                      dseq_wide_dump_data);
}

static void test_dict_basic(void) {
    int64_t base = heap_bytes;
    cf_dict *d = cfrt_dict_new(NULL);
    CHECK(d != NULL && d->hdr.next_local == NULL && cfrt_dict_len(d) == 0, "new");
    /* Empty (no storage yet): everything is safe. */
    uint64_t out = 7;
    CHECK(cfrt_dict_find(d, 0) == NULL && cfrt_dict_find(d, INT64_MIN) == NULL, "find empty");
    CHECK(cfrt_dict_remove(d, 0, &out) == 0 && out == 7, "remove empty");
    CHECK(cfrt_dict_next(d, 0) == -1 && cfrt_dict_next(d, -1) == -1 &&
              cfrt_dict_next(d, INT64_MAX) == -1 && cfrt_dict_next(d, INT64_MIN) == -1,
          "next empty");
    CHECK(cfrt_dict_version(d) == 0, "version 0");
    cfrt_dict_clear(d);
    CHECK(cfrt_dict_version(d) == 1 && cfrt_dict_len(d) == 0, "clear empty");
    check_dict(d, "empty");

    /* Special keys: no reserved value. */
    const int64_t keys[] = {-1, 0, INT64_MIN, INT64_MAX, 1, INT64_MIN + 1, INT64_MAX - 1};
    const int nk = (int)(sizeof keys / sizeof keys[0]);
    for (int i = 0; i < nk; i++) CHECK(cfrt_dict_set(d, keys[i], (uint64_t)i + 100), "set");
    CHECK(cfrt_dict_len(d) == nk && cfrt_dict_version(d) == 1 + nk, "len/version");
    for (int i = 0; i < nk; i++) {
        uint64_t *c = cfrt_dict_find(d, keys[i]);
        CHECK(c && *c == (uint64_t)i + 100, "find key %" PRId64, keys[i]);
    }
    CHECK(cfrt_dict_find(d, 2) == NULL && cfrt_dict_find(d, -2) == NULL, "absent");
    /* Overwrite: value changes, order and version do not. */
    CHECK(cfrt_dict_set(d, INT64_MIN, 5), "overwrite");
    CHECK(cfrt_dict_version(d) == 1 + nk && *cfrt_dict_find(d, INT64_MIN) == 5, "overwrite");
    CHECK(cfrt_dict_entry_key(d, 2) == INT64_MIN && cfrt_dict_entry_value(d, 2) == 5,
          "overwrite in place");
    /* The cell is writable. */
    *cfrt_dict_find(d, INT64_MAX) = 42;
    CHECK(cfrt_dict_entry_value(d, 3) == 42, "write through the cell");
    /* Remove, then re-insert: goes to the end. */
    CHECK(cfrt_dict_remove(d, 0, &out) == 1 && out == 101, "remove 0");
    CHECK(cfrt_dict_remove(d, 0, &out) == 0, "remove 0 again");
    CHECK(cfrt_dict_remove(d, -1, NULL) == 1, "remove with NULL out");
    CHECK(cfrt_dict_version(d) == 3 + nk && cfrt_dict_len(d) == nk - 2, "after removes");
    CHECK(cfrt_dict_next(d, 0) == 2 && cfrt_dict_next(d, 1) == 2, "next skips dead");
    CHECK(cfrt_dict_set(d, 0, 9), "re-insert");
    uint64_t items[32];
    int64_t n = dict_items(d, items, 16);
    const uint64_t want[] = {(uint64_t)INT64_MIN, 5, (uint64_t)INT64_MAX, 42, 1, 104,
                             (uint64_t)(INT64_MIN + 1), 105, (uint64_t)(INT64_MAX - 1), 106,
                             0, 9};
    CHECK(n == 6 && memcmp(items, want, sizeof want) == 0, "order after re-insert");
    check_dict(d, "special keys");
    /* next past the end, negative, after clear. */
    CHECK(cfrt_dict_next(d, d->n_entries) == -1 && cfrt_dict_next(d, d->n_entries + 100) == -1 &&
              cfrt_dict_next(d, -1) == -1 && cfrt_dict_next(d, INT64_MIN) == -1 &&
              cfrt_dict_next(d, INT64_MAX) == -1,
          "next out of range");
    int64_t v = cfrt_dict_version(d);
    cfrt_dict_clear(d);
    CHECK(cfrt_dict_len(d) == 0 && cfrt_dict_version(d) == v + 1, "clear");
    for (int64_t p = -3; p < 20; p++) CHECK(cfrt_dict_next(d, p) == -1, "next after clear %" PRId64, p);
    for (int i = 0; i < nk; i++) CHECK(cfrt_dict_find(d, keys[i]) == NULL, "find after clear");
    check_dict(d, "after clear");
    CHECK(cfrt_dict_set(d, 3, 4) && cfrt_dict_next(d, 0) == 0 && cfrt_dict_entry_key(d, 0) == 3,
          "usable after clear");
    cfrt_free(&d->hdr);
    CHECK(heap_bytes == base, "dict leak %" PRId64, heap_bytes - base);
}

static void test_dict_growth_compaction(void) {
    cf_dict *d = cfrt_dict_new(NULL);
    CHECK(d->cap == 0 && d->index == NULL, "lazy storage");
    CHECK(cfrt_dict_set(d, 100, 1) && d->cap == 8 && d->shift == 60, "first insert: cap 8");
    for (int64_t k = 1; k < 8; k++) cfrt_dict_set(d, 100 + k, (uint64_t)k);
    CHECK(d->cap == 8 && d->n_entries == 8, "full at 8");
    cfrt_dict_set(d, 108, 8);
    CHECK(d->cap == 16 && d->shift == 59 && d->n_entries == 9, "grow to 16");
    for (int64_t k = 9; k < 16; k++) cfrt_dict_set(d, 100 + k, (uint64_t)k);
    /* 16 used entries; remove 9 of them -> len 7 <= 8: the next insert compacts. */
    for (int64_t k = 0; k < 16; k += 2) cfrt_dict_remove(d, 100 + k, NULL);
    cfrt_dict_remove(d, 101, NULL);
    CHECK(d->len == 7 && d->n_entries == 16, "before compaction");
    check_dict(d, "before compaction");
    int32_t *index_before = d->index;
    cfrt_dict_set(d, 500, 5);
    CHECK(d->cap == 16 && d->n_entries == 8 && d->len == 8 && d->index == index_before,
          "compacted in place: cap %" PRId64 " n_entries %" PRId64, d->cap, d->n_entries);
    check_dict(d, "compacted");
    uint64_t items[64];
    int64_t n = dict_items(d, items, 32);
    const int64_t want_keys[] = {103, 105, 107, 109, 111, 113, 115, 500};
    int ok = n == 8;
    for (int i = 0; ok && i < 8; i++) ok = (int64_t)items[2 * i] == want_keys[i];
    CHECK(ok, "order after compaction");
    /* Dead entries but more than 3/4 live: grows (and compacts). */
    for (int64_t k = 0; k < 8; k++) cfrt_dict_set(d, 1000 + k, 0); /* n_entries 16, len 16 */
    cfrt_dict_remove(d, 103, NULL);
    CHECK(d->n_entries == 16 && d->len == 15, "before grow");
    cfrt_dict_set(d, 2000, 0);
    CHECK(d->cap == 32 && d->n_entries == 16 && d->len == 16, "grew and dropped the dead");
    check_dict(d, "grown");
    CHECK(dict_items(d, items, 32) == 16 && (int64_t)items[0] == 105 && (int64_t)items[30] == 2000,
          "order after grow");

    /* Churn with a few live keys: the table must not grow. */
    for (int64_t i = 0; i < 100000; i++) {
        cfrt_dict_set(d, 10000 + i, (uint64_t)i);
        if (i >= 3) cfrt_dict_remove(d, 10000 + i - 3, NULL);
    }
    /* 19 live keys when cap 32 fills up (<= 24 = 3/4 of 32): always
     * compacts in place, never grows. */
    CHECK(d->cap == 32 && d->len == 19, "churn: cap %" PRId64 " len %" PRId64, d->cap, d->len);
    check_dict(d, "churn");
    /* Tombstone-heavy: insert 20 keys, remove them, again with other keys. */
    cfrt_dict_clear(d);
    CHECK(d->cap == 32, "clear keeps a used table");
    for (int round = 0; round < 50; round++) {
        for (int64_t k = 0; k < 20; k++) cfrt_dict_set(d, round * 1000 + k, (uint64_t)k);
        for (int64_t k = 0; k < 20; k++) cfrt_dict_remove(d, round * 1000 + k, NULL);
    }
    CHECK(d->cap == 32 && d->len == 0, "tombstones: cap %" PRId64, d->cap);
    check_dict(d, "tombstones");

    /* dead-bitmap word boundaries for next(). */
    cfrt_dict_clear(d);
    for (int64_t k = 0; k < 200; k++) cfrt_dict_set(d, k, (uint64_t)k);
    for (int64_t k = 0; k < 64; k++) cfrt_dict_remove(d, k, NULL);
    CHECK(cfrt_dict_next(d, 0) == 64 && cfrt_dict_next(d, 63) == 64, "next across a word");
    for (int64_t k = 65; k < 190; k++) cfrt_dict_remove(d, k, NULL);
    CHECK(cfrt_dict_next(d, 65) == 190 && cfrt_dict_next(d, 199) == 199 &&
              cfrt_dict_next(d, 200) == -1,
          "next across words");
    for (int64_t k = 190; k < 200; k++) cfrt_dict_remove(d, k, NULL);
    CHECK(cfrt_dict_next(d, 0) == 64 && cfrt_dict_next(d, 65) == -1, "next: only dead left");
    cfrt_dict_remove(d, 64, NULL);
    CHECK(cfrt_dict_next(d, 0) == -1 && d->len == 0, "all dead");
    check_dict(d, "all dead");
    /* clear policy: a lightly used big table is released. */
    int64_t v = d->version;
    cfrt_dict_clear(d);
    CHECK(d->version == v + 1 && cfrt_dict_next(d, 0) == -1, "clear all dead");
    cfrt_dict_set(d, 1, 1);
    cfrt_dict_clear(d);
    CHECK(d->index == NULL && d->cap == 0, "clear releases a barely used table (cap %" PRId64 ")",
          d->cap);
    cfrt_dict_set(d, 1, 1);
    CHECK(*cfrt_dict_find(d, 1) == 1, "reuse after release");
    cfrt_free(&d->hdr);
}

/* A dict laid out as the compiler's static constants may be: no dead bitmap,
 * and an empty one without any storage. */
static void test_dict_static_layout(void) {
    cf_dict empty = {{CFRT_DICT, NULL}, 0, 0, 0, 63, 0, NULL, NULL, NULL};
    CHECK(cfrt_dict_find(&empty, 0) == NULL && cfrt_dict_next(&empty, 0) == -1 &&
              cfrt_dict_len(&empty) == 0,
          "static empty dict");
    cf_entry entries[8] = {{5, 50}, {-1, 10}, {INT64_MIN, 7}};
    int32_t index[16];
    for (int i = 0; i < 16; i++) index[i] = CFRT_EMPTY;
    for (int j = 0; j < 3; j++) {
        uint64_t s = ((uint64_t)entries[j].key * 0x9E3779B97F4A7C15ULL) >> 60;
        while (index[s] != CFRT_EMPTY) s = (s + 1) & 15;
        index[s] = j;
    }
    cf_dict c = {{CFRT_DICT, NULL}, 3, 3, 8, 60, 0, index, entries, NULL};
    CHECK(cfrt_dict_find(&c, -1) && *cfrt_dict_find(&c, -1) == 10 && !cfrt_dict_find(&c, 6),
          "static dict find");
    CHECK(cfrt_dict_next(&c, 0) == 0 && cfrt_dict_next(&c, 2) == 2 && cfrt_dict_next(&c, 3) == -1,
          "static dict next");
    uint64_t data[3] = {3, 1, 2};
    cf_list sl = {{CFRT_LIST, NULL}, 3, 3, data};
    cf_list se = {{CFRT_LIST, NULL}, 0, 0, NULL};
    cf_obj *arena = NULL;
    cf_list *r = cfrt_list_slice(&arena, &sl, 0, 0, -1, 0);
    const uint64_t want[3] = {2, 1, 3};
    CHECK(r && list_equals(r, want, 3) && cfrt_list_sum_i64(&sl) == 6, "static list");
    r = cfrt_list_slice(&arena, &se, 0, 0, 1, 0);
    CHECK(r && r->len == 0 && cfrt_list_find_i64(&se, 0) == -1, "static empty list");
    cf_list *x = cfrt_list_new(&arena);
    CHECK(cfrt_list_extend(x, &sl) && cfrt_list_extend(x, &se) && list_equals(x, data, 3),
          "extend from static");
    cfrt_free_arena(arena);
}

static void test_dict_big(int64_t n) {
    int64_t base = heap_bytes;
    cf_dict *d = cfrt_dict_new(NULL);
    /* Keys: even i -> a small sequential key, odd i -> a scattered one with
     * bit 62 set (so the two families never meet). */
#define KEY(i) ((i) % 2 ? (int64_t)(splitmix64((uint64_t)(i)) | (1ULL << 62)) : (int64_t)(i) / 2 - n / 4)
    for (int64_t i = 0; i < n; i++)
        if (!cfrt_dict_set(d, KEY(i), (uint64_t)i)) {
            CHECK(0, "big insert %" PRId64, i);
            break;
        }
    CHECK(cfrt_dict_len(d) == n && cfrt_dict_version(d) == n, "big len %" PRId64,
          cfrt_dict_len(d));
    int64_t bytes = heap_bytes - base;
    printf("  %" PRId64 " entries: %" PRId64 " heap bytes (%.2f per entry), cap %" PRId64 "\n", n,
           bytes, (double)bytes / (double)n, d->cap);
    if (n == 1000000)
        CHECK(bytes <= 32000000, "1M entries use %" PRId64 " bytes > 32,000,000", bytes);
    int ok = 1;
    for (int64_t i = 0; ok && i < n; i++) {
        const uint64_t *c = cfrt_dict_find(d, KEY(i));
        ok = c != NULL && *c == (uint64_t)i;
        if (!ok) CHECK(0, "big find %" PRId64, i);
    }
    for (int64_t k = 1; k <= 1000; k++)
        CHECK(cfrt_dict_find(d, -n - k) == NULL && cfrt_dict_find(d, n + k) == NULL, "absent");
    /* overwrite a few: no version change */
    for (int64_t i = 0; i < 100 && i < n; i++) cfrt_dict_set(d, KEY(i), (uint64_t)i);
    CHECK(cfrt_dict_version(d) == n, "overwrite keeps the version");
    /* delete half (even i) */
    for (int64_t i = 0; i < n; i += 2) {
        uint64_t out;
        if (!(cfrt_dict_remove(d, KEY(i), &out) && out == (uint64_t)i)) {
            CHECK(0, "big remove %" PRId64, i);
            break;
        }
    }
    int64_t half = n / 2;
    CHECK(cfrt_dict_len(d) == n - (n + 1) / 2, "len after deleting half");
    CHECK(cfrt_dict_version(d) == n + (n + 1) / 2, "version after deletes");
    /* iteration: the odd i, in insertion order */
    int64_t i = 1, count = 0;
    for (int64_t p = cfrt_dict_next(d, 0); p >= 0; p = cfrt_dict_next(d, p + 1), i += 2) {
        if (cfrt_dict_entry_key(d, p) != KEY(i) || cfrt_dict_entry_value(d, p) != (uint64_t)i) {
            CHECK(0, "big iteration at %" PRId64, i);
            break;
        }
        count++;
    }
    CHECK(count == half, "iterated %" PRId64 " want %" PRId64, count, half);
    for (int64_t j = 0; j < n && j < 2000; j += 2) CHECK(!cfrt_dict_find(d, KEY(j)), "deleted");
    /* re-insert the deleted ones: they go to the end, in re-insertion order;
     * the table compacts or grows on the way. */
    for (int64_t j = 0; j < n; j += 2) cfrt_dict_set(d, KEY(j), (uint64_t)j + 1);
    CHECK(cfrt_dict_len(d) == n, "len after re-insert");
    int64_t p = cfrt_dict_next(d, 0);
    for (int64_t j = 1; j < n && p >= 0; j += 2, p = cfrt_dict_next(d, p + 1))
        if (cfrt_dict_entry_key(d, p) != KEY(j)) {
            CHECK(0, "order (old part) at %" PRId64, j);
            break;
        }
    for (int64_t j = 0; j < n && p >= 0; j += 2, p = cfrt_dict_next(d, p + 1))
        if (cfrt_dict_entry_key(d, p) != KEY(j) || cfrt_dict_entry_value(d, p) != (uint64_t)j + 1) {
            CHECK(0, "order (re-inserted part) at %" PRId64, j);
            break;
        }
    CHECK(p == -1, "iteration end");
    check_dict(d, "big");
    printf("  after delete/re-insert: %" PRId64 " heap bytes, cap %" PRId64 "\n",
           heap_bytes - base, d->cap);
    cfrt_free(&d->hdr);
    CHECK(heap_bytes == base, "big dict leak");
#undef KEY
}

/* Exactly 1,000,000 int -> float entries: total heap bytes <= 32,000,000. */
static void test_dict_memory_1m(void) {
    int64_t base = heap_bytes;
    cf_dict *d = cfrt_dict_new(NULL);
    for (int64_t i = 0; i < 1000000; i++) cfrt_dict_set(d, i * 7 - 3000000, bits_of((double)i * 0.5));
    int64_t bytes = heap_bytes - base;
    printf("  1,000,000 int->float entries: %" PRId64 " heap bytes = %.3f bytes/entry "
           "(raw key+value: 16; bound: 32)\n", bytes, (double)bytes / 1e6);
    CHECK(cfrt_dict_len(d) == 1000000 && bytes <= 32000000, "memory %" PRId64, bytes);
    cfrt_free(&d->hdr);
    CHECK(heap_bytes == base, "leak");
}

/* ---- arena --------------------------------------------------------------- */

static void test_arena(void) {
    int64_t base = heap_bytes, base_blocks = heap_blocks;
    cf_obj *arena = NULL;
    cf_list *l1 = cfrt_list_new(&arena);
    cf_dict *d1 = cfrt_dict_new(&arena);
    cf_list *l2 = cfrt_list_new(&arena);
    cf_dict *d2 = cfrt_dict_new(&arena); /* stays empty: no storage */
    CHECK(arena == &d2->hdr && d2->hdr.next_local == &l2->hdr &&
              l2->hdr.next_local == &d1->hdr && d1->hdr.next_local == &l1->hdr &&
              l1->hdr.next_local == NULL,
          "arena chain");
    CHECK(l1->hdr.kind == CFRT_LIST && d1->hdr.kind == CFRT_DICT, "kinds");
    for (int64_t i = 0; i < 1000; i++) {
        cfrt_list_append(l1, (uint64_t)i);
        cfrt_dict_set(d1, i, (uint64_t)i);
    }
    cf_list *s = cfrt_list_slice(&arena, l1, 0, 0, 3, 0);
    CHECK(arena == &s->hdr && s->hdr.next_local == &d2->hdr && s->len == 334, "slice on arena");
    cfrt_list_append(l2, 1);
    CHECK(heap_bytes > base, "allocated");
    cfrt_free_arena(arena);
    CHECK(heap_bytes == base && heap_blocks == base_blocks,
          "free_arena leaked %" PRId64 " bytes in %" PRId64 " blocks", heap_bytes - base,
          heap_blocks - base_blocks);
    cfrt_free_arena(NULL);
}

/* ---- out of memory ------------------------------------------------------- */

typedef struct {
    int64_t len, cap;
    uint64_t *data;
    uint64_t copy[64];
} list_snap;

static void snap_list(const cf_list *l, list_snap *s) {
    s->len = l->len;
    s->cap = l->cap;
    s->data = l->data;
    memcpy(s->copy, l->data, sizeof(uint64_t) * (size_t)(l->len < 64 ? l->len : 64));
}

static int list_unchanged(const cf_list *l, const list_snap *s) {
    return l->len == s->len && l->cap == s->cap && l->data == s->data &&
           memcmp(s->copy, l->data, sizeof(uint64_t) * (size_t)(l->len < 64 ? l->len : 64)) == 0;
}

typedef struct {
    cf_dict d;
    uint32_t hash;
} dict_snap;

static int dict_unchanged(const cf_dict *d, const dict_snap *s) {
    return memcmp(d, &s->d, sizeof *d) == 0 && dict_hash(d) == s->hash;
}

static void test_oom(void) {
    int64_t base = heap_bytes;
    cf_obj *arena = NULL;
    /* new */
    alloc_budget = 0;
    CHECK(cfrt_list_new(&arena) == NULL && cfrt_dict_new(&arena) == NULL && arena == NULL,
          "new under OOM");
    alloc_budget = -1;

    uint64_t v[64];
    for (int i = 0; i < 64; i++) v[i] = (uint64_t)i * 11;
    cf_list *l = list_of(&arena, v, 8); /* len == cap == 8 */
    cf_list *big = list_of(&arena, v, 64);
    list_snap s;
    snap_list(l, &s);
    alloc_budget = 0;
    CHECK(cfrt_list_append(l, 1) == 0 && list_unchanged(l, &s), "append OOM");
    CHECK(cfrt_list_insert(l, 3, 1) == 0 && list_unchanged(l, &s), "insert OOM");
    CHECK(cfrt_list_extend(l, l) == 0 && list_unchanged(l, &s), "self extend OOM");
    CHECK(cfrt_list_extend(l, big) == 0 && list_unchanged(l, &s), "extend OOM");
    /* These need no memory. */
    CHECK(cfrt_list_sort_i64(l) == 1 && cfrt_list_insert(l, 0, 5) == 0,
          "a small sort allocates nothing");
    /* Up to 513 elements the merge buffer is on the stack. */
    for (int i = 0; i < 64; i++) big->data[i] = (uint64_t)(64 - i);
    CHECK(cfrt_list_sort_i64(big) == 1 && big->data[0] == 1 && big->data[63] == 64,
          "a 64-element sort allocates nothing");
    for (int i = 0; i < 64; i++) big->data[i] = (uint64_t)i * 11;
    alloc_budget = -1;
    cf_list *huge = cfrt_list_new(&arena);
    for (int i = 0; i < 514; i++)
        CHECK(cfrt_list_append(huge, bits_of((double)(514 - i))), "append");
    alloc_budget = 0;
    huge->len = 513;
    CHECK(cfrt_list_sort_f64(huge) == 1 && huge->data[0] == bits_of(2.0),
          "a 513-element sort allocates nothing");
    /* 514 elements need a buffer: descending data, so a sort would visibly
     * change it */
    huge->len = 514;
    for (int i = 0; i < 514; i++) huge->data[i] = bits_of((double)(514 - i));
    snap_list(huge, &s);
    CHECK(cfrt_list_sort_i64(huge) == 0 && list_unchanged(huge, &s), "sort OOM");
    CHECK(cfrt_list_sort_f64(huge) == 0 && list_unchanged(huge, &s), "sort f64 OOM");
    int untouched = 1;
    for (int i = 0; i < 514; i++) untouched &= huge->data[i] == bits_of((double)(514 - i));
    CHECK(untouched, "sort OOM leaves every element in place");
    cf_obj *before = arena;
    for (int64_t k = 0; k < 2; k++) {
        alloc_budget = k;
        CHECK(cfrt_list_slice(&arena, big, 1, 0, 2, 1) == NULL && arena == before,
              "slice OOM at allocation %" PRId64, k);
    }
    alloc_budget = 0;
    CHECK(cfrt_list_slice(&arena, big, 5, 5, 1, 3) == NULL && arena == before, "empty slice OOM");
    alloc_budget = 1; /* an empty slice needs only the list itself */
    CHECK(cfrt_list_slice(&arena, big, 5, 5, 1, 3) != NULL && arena != before, "empty slice");
    alloc_budget = -1;

    /* dict: first storage (3 allocations), growth (3), in-place compaction (0). */
    cf_dict *d = cfrt_dict_new(&arena);
    dict_snap ds;
    for (int64_t k = 0; k < 3; k++) {
        ds.d = *d;
        ds.hash = dict_hash(d);
        alloc_budget = k;
        CHECK(cfrt_dict_set(d, 1, 1) == 0 && dict_unchanged(d, &ds),
              "first dict insert OOM at allocation %" PRId64, k);
    }
    alloc_budget = -1;
    for (int64_t k = 0; k < 8; k++) cfrt_dict_set(d, k, (uint64_t)k);
    cfrt_dict_remove(d, 2, NULL); /* len 7 > 4: the next new key must grow */
    for (int64_t k = 0; k < 3; k++) {
        ds.d = *d;
        ds.hash = dict_hash(d);
        alloc_budget = k;
        CHECK(cfrt_dict_set(d, 100, 1) == 0 && dict_unchanged(d, &ds),
              "dict grow OOM at allocation %" PRId64, k);
        check_dict(d, "after OOM");
    }
    alloc_budget = 0;
    CHECK(cfrt_dict_set(d, 3, 33) == 1 && *cfrt_dict_find(d, 3) == 33, "overwrite under OOM");
    CHECK(cfrt_dict_remove(d, 4, NULL) && cfrt_dict_remove(d, 5, NULL) &&
              cfrt_dict_remove(d, 6, NULL),
          "remove under OOM");
    CHECK(cfrt_dict_set(d, 100, 1) == 1 && d->cap == 8, "compaction needs no memory");
    check_dict(d, "compacted under OOM");
    alloc_budget = -1;
    CHECK(cfrt_dict_set(d, 200, 2) && cfrt_dict_set(d, 201, 2) && cfrt_dict_set(d, 202, 2) &&
              cfrt_dict_set(d, 203, 2) && d->cap == 16,
          "grows once memory is back");
    uint64_t items[40];
    const uint64_t want[] = {0, 0, 1, 1, 3, 33, 7, 7, 100, 1, 200, 2, 201, 2, 202, 2, 203, 2};
    CHECK(dict_items(d, items, 20) == 9 && memcmp(items, want, sizeof want) == 0,
          "contents after OOM episodes");
    cfrt_free_arena(arena);
    CHECK(heap_bytes == base, "OOM test leaked %" PRId64, heap_bytes - base);
}

int main(int argc, char **argv) {
    int64_t n = 1000000;
    const char *env = getenv("CFRT_TEST_N");
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    else if (env != NULL)
        n = strtoll(env, NULL, 10);
    if (n < 1) n = 1;

    struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        {"list basic", test_list_basic},
        {"list insert", test_list_insert},
        {"list extend", test_list_extend},
        {"list find / sum / min / max", test_list_find_agg},
        {"sort (CPython cases)", test_sort_cases},
        {"sort (generated, CPython)", test_sort_generated},
        {"sort (big, vs reference)", test_sort_big},
        {"slice", test_slice},
        {"dict basic", test_dict_basic},
        {"dict growth / compaction / next", test_dict_growth_compaction},
        {"dict static layout", test_dict_static_layout},
        {"dict sequences (CPython)", test_dict_sequences},
        {"dict memory at 1M", test_dict_memory_1m},
        {"arena", test_arena},
        {"out of memory", test_oom},
    };
    for (size_t t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        int64_t f = n_failures;
        printf("%s\n", tests[t].name);
        tests[t].fn();
        if (n_failures != f) printf("  FAILED\n");
    }
    printf("dict big (n = %" PRId64 ")\n", n);
    test_dict_big(n);
    CHECK(heap_bytes == 0 && heap_blocks == 0, "runtime heap at exit: %" PRId64 " bytes",
          heap_bytes);
    printf("%" PRId64 " checks, %" PRId64 " failures\n", n_checks, n_failures);
    return n_failures != 0;
}
