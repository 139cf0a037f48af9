/* cfrt.c: the container runtime of cfuncc (see cfrt.h for the contract).
 *
 * Portable C11 plus two GCC/Clang extensions (the noinline/cold attributes
 * and __builtin_ctzll, with a plain-C fallback). Only libc's malloc,
 * realloc, free, memcpy and memmove are called; there is no mutable global
 * state. The public functions are plain extern functions, and the hot paths
 * below are written to inline well, with every slow path split into a
 * separate noinline cold function.
 *
 * ---- parts -----------------------------------------------------------------
 * build.rs compiles this file once per part (-DCFRT_PARTS=<part>); a native
 * build (the C tests) defines every part:
 *   CFRT_PART_INLINE  the operations that inline into a node: O(1) work or
 *                     one loop (new, len, get, append, find, sum,
 *                     dict_find, dict_set, dict_next, free_arena, ...).
 *                     LLVM bitcode, linked into each node that calls them,
 *                     before LLVM's optimisation, then internal, so they
 *                     inline;
 *   CFRT_PART_FREE    cfrt_free: START and STOP free containers, and a
 *                     tick's arena one call per container it holds (a
 *                     chain of calls to free() anyway),
 *   CFRT_PART_LIST    list growth (cfrt_slow_list_*),
 *   CFRT_PART_DICT    dict growth, compaction, the dead-bitmap scan
 *                     (cfrt_slow_dict_*),
 *   CFRT_PART_SORT    list.sort(), CPython's listsort,
 *   CFRT_PART_SLICE   slicing into a new list:
 *                     machine code, compiled once at build time (assembly,
 *                     appended to a node's module only when the optimised
 *                     node still calls into the part): no node pays for
 *                     optimising or code-generating them again.
 * The parts share only `static` helpers (each part compiles its own copy)
 * and call each other only from the inline part into the others, through
 * the `cfrt_slow_*` functions declared below and cfrt_free, or the node
 * calls them (cfrt_free, cfrt_list_sort_*, cfrt_list_slice).
 *
 * ---- list ------------------------------------------------------------------
 * cf_list { hdr, len, cap, data }: `data` holds `cap` 8-byte cells, the first
 * `len` in use. An empty list may have data == NULL and cap == 0 (a new list
 * allocates nothing). Growth doubles the capacity, starting at 8 (or jumps
 * straight to the needed size if that is larger), so appends are amortised
 * O(1). Lists never shrink: pop/remove and clear keep the capacity.
 *
 * ---- dict ------------------------------------------------------------------
 * cf_dict is CPython's compact dict specialised to int64 keys:
 *   entries[0 .. n_entries)  key/value pairs in insertion order; a removed
 *                            one stays in place and is marked in `dead`;
 *   dead                     bitmap of cap bits, 1 = removed. Bits at and
 *                            above n_entries are always 0;
 *   index[0 .. 2^(64-shift)) int32 slots: an entry number (always a live
 *                            entry), CFRT_EMPTY or CFRT_DELETED (tombstone).
 * A key is looked up by linear probing from
 *   slot = ((uint64_t)key * 0x9E3779B97F4A7C15) >> shift
 * until its entry or an EMPTY slot. Every non-EMPTY slot was claimed by a
 * distinct entry appended since the last rebuild, so at most n_entries <= cap
 * slots are non-EMPTY, and the index always has exactly 2 * cap slots: at
 * least half of them are EMPTY, so probes are short and always terminate.
 *
 * Policy: a new dict allocates no storage (index == entries == dead == NULL,
 * cap == 0, shift == 63); the first insert allocates cap = 8 (index of 16
 * slots). When an insert finds n_entries == cap, the entries are compacted
 * (dead ones dropped, order kept) and the index rebuilt without tombstones:
 * in place when at most 3/4 of the entries are live (len <= cap - cap/4:
 * compaction frees at least cap/4 entries, so it stays amortised O(1), and
 * delete-then-reinsert churn does not double the table),
 * otherwise into cap * 2 (entries realloc'd, new index and bitmap). Both
 * are amortised O(1) per insert. Removal leaves a tombstone and a dead
 * entry; re-inserting a removed key appends it at the end (Python's order).
 * clear() keeps the storage when it was reasonably used (n_entries >= cap/8,
 * reset cost is then paid for by the inserts) and otherwise frees it, so a
 * once-huge dict cleared every tick does not pay O(cap) per clear.
 *
 * Memory: cap is a power of two >= the number of entries, so at 1,000,000
 * entries cap = 2^20: 16 MiB of entries + 8 MiB of index + 128 KiB of bitmap
 * = 25,296,896 bytes + the 80-byte header (about 25.3 bytes per entry).
 *
 * The compiler also emits constant containers as static data with these
 * layouts. Requirements for those (all read-only functions accept them):
 * a list with len == 0 may have data == NULL; a dict must satisfy the
 * invariants above (entry numbers in the index, at least one EMPTY slot,
 * 1 <= shift <= 63), except that an empty dict may have index == NULL, and
 * dead may be NULL when no entry is dead.
 */
#include <stdlib.h>
#include <string.h>

#include "cfrt.h"

#define CFRT_PART_INLINE 1
#define CFRT_PART_LIST 2
#define CFRT_PART_DICT 4
#define CFRT_PART_SORT 8
#define CFRT_PART_SLICE 16
#define CFRT_PART_FREE 32
#ifndef CFRT_PARTS
#define CFRT_PARTS 63 /* a native build: every part */
#endif
#define CFRT_IN(part) (((CFRT_PARTS) & (part)) != 0)

#if defined(__GNUC__) || defined(__clang__)
#define CFRT_COLD __attribute__((noinline, cold))
/* A slow path another part calls: hidden, so a node calls it directly. */
#define CFRT_SLOW __attribute__((noinline, cold, visibility("hidden")))
/* A helper some parts do not use. */
#define CFRT_SHARED static __attribute__((unused))
#else
#define CFRT_COLD
#define CFRT_SLOW
#define CFRT_SHARED static
#endif

/* Before a float loop of the inline part (no vectoriser takes it: IEEE
 * order): unrolled 8 times here, at build time, after which LLVM marks the
 * loop done, so the node's own optimiser does not unroll it again once
 * inlined. Without it, `sum(window)` of floats became 32 adds and an
 * 8-wide remainder in every node that calls it, a quarter of a list node's
 * code generation; 8 runs as fast or faster at 8 to 1,000 elements
 * (docs/pipeline.md, "The container runtime"). gcc (the C tests) has its
 * own spelling. */
#if defined(__clang__)
#define CFRT_UNROLL8 _Pragma("clang loop unroll_count(8)")
#elif defined(__GNUC__)
#define CFRT_UNROLL8 _Pragma("GCC unroll 8")
#else
#define CFRT_UNROLL8
#endif

/* The slow paths the inline part calls (see "parts" above). */
CFRT_SLOW int32_t cfrt_slow_list_reserve(cf_list *l, int64_t need);
CFRT_SLOW int32_t cfrt_slow_list_grow_append(cf_list *l, uint64_t v);
CFRT_SLOW int32_t cfrt_slow_dict_grow_and_set(cf_dict *d, int64_t key, uint64_t v);
CFRT_SLOW uint64_t *cfrt_slow_dict_insert_slot(cf_dict *d, int64_t key, uint64_t dflt);
CFRT_SLOW int64_t cfrt_slow_dict_next(const cf_dict *d, int64_t pos);

#define CFRT_HASH_MUL 0x9E3779B97F4A7C15ULL
#define CFRT_LIST_MIN_CAP 8
#define CFRT_DICT_MIN_CAP 8
/* Entry numbers are int32 and the index has 2 * cap slots: cap <= 2^30. */
#define CFRT_DICT_MAX_CAP ((int64_t)1 << 30)

CFRT_SHARED inline double f64_of(uint64_t bits) {
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* ======================================================================= */
/* lifetime                                                                */
/* ======================================================================= */

/* cfrt_list_new, also for cfrt_list_slice (another part). */
CFRT_SHARED cf_list *list_alloc(cf_obj **arena) {
    cf_list *l = (cf_list *)malloc(sizeof *l);
    if (l == NULL) return NULL;
    l->hdr.kind = CFRT_LIST;
    l->len = 0;
    l->cap = 0;
    l->data = NULL;
    if (arena != NULL) {
        l->hdr.next_local = *arena;
        *arena = &l->hdr;
    } else {
        l->hdr.next_local = NULL;
    }
    return l;
}

#if CFRT_IN(CFRT_PART_INLINE)
cf_list *cfrt_list_new(cf_obj **arena) { return list_alloc(arena); }

cf_dict *cfrt_dict_new(cf_obj **arena) {
    cf_dict *d = (cf_dict *)malloc(sizeof *d);
    if (d == NULL) return NULL;
    d->hdr.kind = CFRT_DICT;
    d->len = 0;
    d->n_entries = 0;
    d->cap = 0;
    d->shift = 63;
    d->version = 0;
    d->index = NULL;
    d->entries = NULL;
    d->dead = NULL;
    if (arena != NULL) {
        d->hdr.next_local = *arena;
        *arena = &d->hdr;
    } else {
        d->hdr.next_local = NULL;
    }
    return d;
}
#endif

#if CFRT_IN(CFRT_PART_FREE)
void cfrt_free(cf_obj *o) {
    if (o == NULL) return;
    int64_t kind;
    memcpy(&kind, o, sizeof kind); /* 8 bytes: in bounds for a host cell too */
    if (kind != CFRT_LIST && kind != CFRT_DICT) return;
    if (kind == CFRT_LIST) {
        free(((cf_list *)o)->data);
    } else {
        cf_dict *d = (cf_dict *)o;
        free(d->index);
        free(d->entries);
        free(d->dead);
    }
    free(o);
}
#endif

#if CFRT_IN(CFRT_PART_INLINE)
int32_t cfrt_is_live(const void *p, int64_t kind) {
    int64_t tag;
    if (p == NULL) return 0;
    memcpy(&tag, p, sizeof tag);
    return tag == kind;
}

void cfrt_free_arena(cf_obj *head) {
    while (head != NULL) {
        cf_obj *next = head->next_local;
        cfrt_free(head);
        head = next;
    }
}
#endif

/* ======================================================================= */
/* list                                                                    */
/* ======================================================================= */

/* Makes room for at least `need` cells (need > cap). 1, or 0 when out of
 * memory (list unchanged). */
#if CFRT_IN(CFRT_PART_LIST)
CFRT_SLOW int32_t cfrt_slow_list_reserve(cf_list *l, int64_t need) {
    /* Keep cap * 2 * 8 bytes representable in both int64_t and size_t. */
    const int64_t max_cap = (int64_t)((SIZE_MAX / 16 < (uint64_t)INT64_MAX / 16)
                                          ? SIZE_MAX / 16 : (uint64_t)INT64_MAX / 16);
    if (need < 0 || need > max_cap) return 0;
    int64_t cap = l->cap < CFRT_LIST_MIN_CAP ? CFRT_LIST_MIN_CAP : l->cap * 2;
    if (cap < need) cap = need;
    uint64_t *data = (uint64_t *)realloc(l->data, (size_t)cap * sizeof *data);
    if (data == NULL) return 0;
    l->data = data;
    l->cap = cap;
    return 1;
}

CFRT_SLOW int32_t cfrt_slow_list_grow_append(cf_list *l, uint64_t v) {
    if (!cfrt_slow_list_reserve(l, l->len + 1)) return 0;
    l->data[l->len++] = v;
    return 1;
}
#endif

#if CFRT_IN(CFRT_PART_INLINE)

int64_t cfrt_list_len(const cf_list *l) { return l->len; }

uint64_t cfrt_list_get(const cf_list *l, int64_t i) { return l->data[i]; }

void cfrt_list_set(cf_list *l, int64_t i, uint64_t v) { l->data[i] = v; }

int32_t cfrt_list_append(cf_list *l, uint64_t v) {
    if (l->len < l->cap) {
        l->data[l->len++] = v;
        return 1;
    }
    return cfrt_slow_list_grow_append(l, v);
}

uint64_t cfrt_list_remove_at(cf_list *l, int64_t i) {
    uint64_t v = l->data[i];
    int64_t tail = l->len - i - 1;
    if (tail > 0) memmove(l->data + i, l->data + i + 1, (size_t)tail * sizeof(uint64_t));
    l->len--;
    return v;
}

int32_t cfrt_list_insert(cf_list *l, int64_t i, uint64_t v) {
    int64_t n = l->len;
    if (i < 0) {
        i += n; /* no overflow: n >= 0 */
        if (i < 0) i = 0;
    } else if (i > n) {
        i = n;
    }
    if (n == l->cap && !cfrt_slow_list_reserve(l, n + 1)) return 0;
    if (i < n) memmove(l->data + i + 1, l->data + i, (size_t)(n - i) * sizeof(uint64_t));
    l->data[i] = v;
    l->len = n + 1;
    return 1;
}

void cfrt_list_clear(cf_list *l) { l->len = 0; }

int32_t cfrt_list_extend(cf_list *l, const cf_list *other) {
    int64_t n = other->len; /* read before any growth: other may be l */
    if (n == 0) return 1;
    if (n > l->cap - l->len && !cfrt_slow_list_reserve(l, l->len + n)) return 0;
    /* When other == l, other->data is now l->data; the source [0, n) and
     * the destination [n, 2n) do not overlap. */
    memcpy(l->data + l->len, other->data, (size_t)n * sizeof(uint64_t));
    l->len += n;
    return 1;
}

int64_t cfrt_list_find_i64(const cf_list *l, int64_t v) {
    for (int64_t i = 0, n = l->len; i < n; i++)
        if ((int64_t)l->data[i] == v) return i;
    return -1;
}

int64_t cfrt_list_find_f64(const cf_list *l, double v) {
    for (int64_t i = 0, n = l->len; i < n; i++)
        if (f64_of(l->data[i]) == v) return i;
    return -1;
}

int64_t cfrt_list_sum_i64(const cf_list *l) {
    uint64_t s = 0;
    for (int64_t i = 0, n = l->len; i < n; i++) s += l->data[i];
    return (int64_t)s;
}

/* CPython 3.11's sum() of floats: int 0 + x0 (= 0.0 + x0), then += each
 * following item, left to right, no compensation. sum([]) is 0. */
double cfrt_list_sum_f64(const cf_list *l) {
    double s = 0.0;
    CFRT_UNROLL8
    for (int64_t i = 0, n = l->len; i < n; i++) s += f64_of(l->data[i]);
    return s;
}

int64_t cfrt_list_min_i64(const cf_list *l) {
    int64_t best = (int64_t)l->data[0];
    for (int64_t i = 1, n = l->len; i < n; i++) {
        int64_t v = (int64_t)l->data[i];
        if (v < best) best = v;
    }
    return best;
}

int64_t cfrt_list_max_i64(const cf_list *l) {
    int64_t best = (int64_t)l->data[0];
    for (int64_t i = 1, n = l->len; i < n; i++) {
        int64_t v = (int64_t)l->data[i];
        if (v > best) best = v;
    }
    return best;
}

double cfrt_list_min_f64(const cf_list *l) {
    double best = f64_of(l->data[0]);
    CFRT_UNROLL8
    for (int64_t i = 1, n = l->len; i < n; i++) {
        double v = f64_of(l->data[i]);
        if (v < best) best = v;
    }
    return best;
}

double cfrt_list_max_f64(const cf_list *l) {
    double best = f64_of(l->data[0]);
    CFRT_UNROLL8
    for (int64_t i = 1, n = l->len; i < n; i++) {
        double v = f64_of(l->data[i]);
        if (v > best) best = v;
    }
    return best;
}

#endif

/* ---- sort ---------------------------------------------------------------
 * CPython 3.11's list.sort() (Objects/listobject.c, "listsort"), specialised
 * to 8-byte cells compared by `<` only: ISLT(x, y) is `x < y` on int64 or on
 * double. Every comparison CPython makes is made here, in the same order,
 * and every element moves as it does there, so the result is CPython's bit
 * for bit even when `<` is no strict weak order (NaN: every comparison with
 * it is false). The pieces, with CPython's names:
 *   count_run      the longest run from lo: non-descending, or strictly
 *                  descending (then reversed in place, which is stable);
 *   minrun         n for n < 64, else a k in [32, 64] with n / k just below
 *                  a power of two (merge_compute_minrun);
 *   binarysort     binary insertion, extending a short run to minrun;
 *   found_new_run  powersort (3.11's merge strategy, not the older
 *                  timsort stack invariants): the "power" of the run pair
 *                  (powerloop) decides which pending runs merge;
 *   merge_at       trims each side with one gallop, then merge_lo (the
 *                  left part is the smaller, copied out) or merge_hi;
 *   gallop_left/right  exponential then binary search from a hint;
 *   min_gallop     starts at 7, adapts across merges within one sort.
 * Below 64 elements this is one count_run plus binarysort and needs no
 * memory (it is inlined into the caller). From 64 on the merge buffer holds
 * n / 2 cells (enough for any merge: the smaller side is copied out): on
 * the stack up to 513 elements, else one malloc before anything moves, so
 * out of memory returns 0 with the list unchanged. */

#if CFRT_IN(CFRT_PART_SORT)
#define CFRT_SORT_SMALL 64
#define CFRT_SORT_MIN_GALLOP 7
#define CFRT_SORT_STACK_CELLS 256 /* CPython's MERGESTATE_TEMP_SIZE */
#define CFRT_SORT_MAX_PENDING 64  /* CPython's MAX_MERGE_PENDING */

/* The algorithm is written once over `fl` (1: double, 0: int64) and always
 * inlined into per-type copies: the gallops and merge_at (with merge_lo/hi)
 * are separate noinline functions per type, to keep the code small. */
#if defined(__GNUC__) || defined(__clang__)
#define CFRT_INLINE __attribute__((always_inline)) inline
#define CFRT_NOINLINE __attribute__((noinline))
#else
#define CFRT_INLINE inline
#define CFRT_NOINLINE
#endif

static CFRT_INLINE int sort_lt(uint64_t a, uint64_t b, int fl) {
    return fl ? f64_of(a) < f64_of(b) : (int64_t)a < (int64_t)b;
}

/* binarysort: a[0, start) is sorted, start >= 1; insert a[start, n) one by
 * one, each after the elements it is not less than. */
static CFRT_INLINE void sort_binary_insert(uint64_t *a, int64_t start, int64_t n, int fl) {
    for (; start < n; start++) {
        int64_t l = 0, r = start;
        uint64_t pivot = a[start];
        do {
            int64_t p = l + ((r - l) >> 1);
            if (sort_lt(pivot, a[p], fl))
                r = p;
            else
                l = p + 1;
        } while (l < r);
        for (int64_t p = start; p > l; p--) a[p] = a[p - 1];
        a[l] = pivot;
    }
}

/* count_run over a[0, n), n >= 1; a descending run is reversed in place. */
static CFRT_INLINE int64_t sort_count_run(uint64_t *a, int64_t n, int fl) {
    if (n == 1) return 1;
    int64_t run = 2;
    if (sort_lt(a[1], a[0], fl)) {
        while (run < n && sort_lt(a[run], a[run - 1], fl)) run++;
        for (int64_t i = 0, j = run - 1; i < j; i++, j--) {
            uint64_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    } else {
        while (run < n && !sort_lt(a[run], a[run - 1], fl)) run++;
    }
    return run;
}

/* gallop_left: the k in [0, n] with a[k-1] < key <= a[k], searched from
 * a[hint] (0 <= hint < n). */
static CFRT_INLINE int64_t gallop_left_impl(uint64_t key, const uint64_t *a, int64_t n,
                                            int64_t hint, int fl) {
    int64_t lastofs = 0, ofs = 1;
    if (sort_lt(a[hint], key, fl)) {
        /* gallop right until a[hint + lastofs] < key <= a[hint + ofs] */
        const int64_t maxofs = n - hint;
        while (ofs < maxofs && sort_lt(a[hint + ofs], key, fl)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        lastofs += hint;
        ofs += hint;
    } else {
        /* gallop left until a[hint - ofs] < key <= a[hint - lastofs] */
        const int64_t maxofs = hint + 1;
        while (ofs < maxofs && !sort_lt(a[hint - ofs], key, fl)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        int64_t k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    }
    /* a[lastofs] < key <= a[ofs]: binary search in between */
    lastofs++;
    while (lastofs < ofs) {
        int64_t m = lastofs + ((ofs - lastofs) >> 1);
        if (sort_lt(a[m], key, fl))
            lastofs = m + 1;
        else
            ofs = m;
    }
    return ofs;
}

/* gallop_right: the k in [0, n] with a[k-1] <= key < a[k]. */
static CFRT_INLINE int64_t gallop_right_impl(uint64_t key, const uint64_t *a, int64_t n,
                                             int64_t hint, int fl) {
    int64_t lastofs = 0, ofs = 1;
    if (sort_lt(key, a[hint], fl)) {
        /* gallop left until a[hint - ofs] <= key < a[hint - lastofs] */
        const int64_t maxofs = hint + 1;
        while (ofs < maxofs && sort_lt(key, a[hint - ofs], fl)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        int64_t k = lastofs;
        lastofs = hint - ofs;
        ofs = hint - k;
    } else {
        /* gallop right until a[hint + lastofs] <= key < a[hint + ofs] */
        const int64_t maxofs = n - hint;
        while (ofs < maxofs && !sort_lt(key, a[hint + ofs], fl)) {
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs) ofs = maxofs;
        lastofs += hint;
        ofs += hint;
    }
    lastofs++;
    while (lastofs < ofs) {
        int64_t m = lastofs + ((ofs - lastofs) >> 1);
        if (sort_lt(key, a[m], fl))
            ofs = m;
        else
            lastofs = m + 1;
    }
    return ofs;
}

static CFRT_NOINLINE int64_t gallop_left_i64(uint64_t key, const uint64_t *a, int64_t n,
                                             int64_t hint) {
    return gallop_left_impl(key, a, n, hint, 0);
}
static CFRT_NOINLINE int64_t gallop_left_f64(uint64_t key, const uint64_t *a, int64_t n,
                                             int64_t hint) {
    return gallop_left_impl(key, a, n, hint, 1);
}
static CFRT_NOINLINE int64_t gallop_right_i64(uint64_t key, const uint64_t *a, int64_t n,
                                              int64_t hint) {
    return gallop_right_impl(key, a, n, hint, 0);
}
static CFRT_NOINLINE int64_t gallop_right_f64(uint64_t key, const uint64_t *a, int64_t n,
                                              int64_t hint) {
    return gallop_right_impl(key, a, n, hint, 1);
}
static CFRT_INLINE int64_t sort_gallop_left(uint64_t key, const uint64_t *a, int64_t n,
                                            int64_t hint, int fl) {
    return fl ? gallop_left_f64(key, a, n, hint) : gallop_left_i64(key, a, n, hint);
}
static CFRT_INLINE int64_t sort_gallop_right(uint64_t key, const uint64_t *a, int64_t n,
                                             int64_t hint, int fl) {
    return fl ? gallop_right_f64(key, a, n, hint) : gallop_right_i64(key, a, n, hint);
}

typedef struct {
    int64_t base, len;
    int power;
} sort_run;

typedef struct {
    uint64_t *tmp; /* merge buffer: n / 2 cells */
    int64_t min_gallop;
    int n_runs;
    sort_run pending[CFRT_SORT_MAX_PENDING];
} sort_state;

/* merge_lo: merge a[0, na) with b = a + na, b[0, nb), in place; na <= nb,
 * na, nb > 0, and a's last element belongs at the very end. */
static CFRT_INLINE void sort_merge_lo(sort_state *ms, uint64_t *pa, int64_t na, uint64_t *pb,
                                      int64_t nb, int fl) {
    memcpy(ms->tmp, pa, (size_t)na * sizeof(uint64_t));
    uint64_t *dest = pa, *sa = ms->tmp;
    *dest++ = *pb++;
    if (--nb == 0) goto succeed;
    if (na == 1) goto copy_b;
    int64_t min_gallop = ms->min_gallop;
    for (;;) {
        int64_t acount = 0, bcount = 0; /* times a / b won in a row */
        for (;;) {
            if (sort_lt(*pb, *sa, fl)) {
                *dest++ = *pb++;
                bcount++;
                acount = 0;
                if (--nb == 0) goto succeed;
                if (bcount >= min_gallop) break;
            } else {
                *dest++ = *sa++;
                acount++;
                bcount = 0;
                if (--na == 1) goto copy_b;
                if (acount >= min_gallop) break;
            }
        }
        min_gallop++;
        do {
            min_gallop -= min_gallop > 1;
            ms->min_gallop = min_gallop;
            int64_t k = sort_gallop_right(*pb, sa, na, 0, fl);
            acount = k;
            if (k) {
                memcpy(dest, sa, (size_t)k * sizeof(uint64_t));
                dest += k;
                sa += k;
                na -= k;
                if (na == 1) goto copy_b;
                if (na == 0) goto succeed; /* only if `<` is inconsistent (NaN) */
            }
            *dest++ = *pb++;
            if (--nb == 0) goto succeed;
            k = sort_gallop_left(*sa, pb, nb, 0, fl);
            bcount = k;
            if (k) {
                memmove(dest, pb, (size_t)k * sizeof(uint64_t));
                dest += k;
                pb += k;
                nb -= k;
                if (nb == 0) goto succeed;
            }
            *dest++ = *sa++;
            if (--na == 1) goto copy_b;
        } while (acount >= CFRT_SORT_MIN_GALLOP || bcount >= CFRT_SORT_MIN_GALLOP);
        min_gallop++; /* penalty for leaving galloping mode */
        ms->min_gallop = min_gallop;
    }
succeed:
    if (na) memcpy(dest, sa, (size_t)na * sizeof(uint64_t));
    return;
copy_b: /* na == 1: a's last element goes after the rest of b */
    memmove(dest, pb, (size_t)nb * sizeof(uint64_t));
    dest[nb] = *sa;
}

/* merge_hi: as merge_lo, for na >= nb (b is copied out, merged from the
 * right). */
static CFRT_INLINE void sort_merge_hi(sort_state *ms, uint64_t *pa, int64_t na, uint64_t *pb,
                                      int64_t nb, int fl) {
    memcpy(ms->tmp, pb, (size_t)nb * sizeof(uint64_t));
    uint64_t *dest = pb + nb - 1, *base_a = pa, *base_b = ms->tmp;
    uint64_t *sa = pa + na - 1, *sb = ms->tmp + nb - 1;
    *dest-- = *sa--;
    if (--na == 0) goto succeed;
    if (nb == 1) goto copy_a;
    int64_t min_gallop = ms->min_gallop;
    for (;;) {
        int64_t acount = 0, bcount = 0;
        for (;;) {
            if (sort_lt(*sb, *sa, fl)) {
                *dest-- = *sa--;
                acount++;
                bcount = 0;
                if (--na == 0) goto succeed;
                if (acount >= min_gallop) break;
            } else {
                *dest-- = *sb--;
                bcount++;
                acount = 0;
                if (--nb == 1) goto copy_a;
                if (bcount >= min_gallop) break;
            }
        }
        min_gallop++;
        do {
            min_gallop -= min_gallop > 1;
            ms->min_gallop = min_gallop;
            int64_t k = na - sort_gallop_right(*sb, base_a, na, na - 1, fl);
            acount = k;
            if (k) {
                dest -= k;
                sa -= k;
                memmove(dest + 1, sa + 1, (size_t)k * sizeof(uint64_t));
                na -= k;
                if (na == 0) goto succeed;
            }
            *dest-- = *sb--;
            if (--nb == 1) goto copy_a;
            k = nb - sort_gallop_left(*sa, base_b, nb, nb - 1, fl);
            bcount = k;
            if (k) {
                dest -= k;
                sb -= k;
                memcpy(dest + 1, sb + 1, (size_t)k * sizeof(uint64_t));
                nb -= k;
                if (nb == 1) goto copy_a;
                if (nb == 0) goto succeed; /* only if `<` is inconsistent (NaN) */
            }
            *dest-- = *sa--;
            if (--na == 0) goto succeed;
        } while (acount >= CFRT_SORT_MIN_GALLOP || bcount >= CFRT_SORT_MIN_GALLOP);
        min_gallop++;
        ms->min_gallop = min_gallop;
    }
succeed:
    if (nb) memcpy(dest - (nb - 1), base_b, (size_t)nb * sizeof(uint64_t));
    return;
copy_a: /* nb == 1: b's first element goes before the rest of a */
    memmove(dest + 1 - na, sa + 1 - na, (size_t)na * sizeof(uint64_t));
    dest -= na;
    sa -= na;
    *dest = *sb;
}

/* merge_at: merge pending runs i and i + 1 (i is the second or third from
 * the top). */
static CFRT_INLINE void merge_at_impl(sort_state *ms, uint64_t *a, int i, int fl) {
    uint64_t *pa = a + ms->pending[i].base, *pb = a + ms->pending[i + 1].base;
    int64_t na = ms->pending[i].len, nb = ms->pending[i + 1].len;
    ms->pending[i].len = na + nb;
    if (i == ms->n_runs - 3) ms->pending[i + 1] = ms->pending[i + 2];
    ms->n_runs--;
    /* a's elements before b[0]'s place are already in place */
    int64_t k = sort_gallop_right(*pb, pa, na, 0, fl);
    pa += k;
    na -= k;
    if (na == 0) return;
    /* so are b's elements after a's last element's place */
    nb = sort_gallop_left(pa[na - 1], pb, nb, nb - 1, fl);
    if (nb == 0) return;
    if (na <= nb)
        sort_merge_lo(ms, pa, na, pb, nb, fl);
    else
        sort_merge_hi(ms, pa, na, pb, nb, fl);
}

static CFRT_NOINLINE void merge_at_i64(sort_state *ms, uint64_t *a, int i) {
    merge_at_impl(ms, a, i, 0);
}
static CFRT_NOINLINE void merge_at_f64(sort_state *ms, uint64_t *a, int i) {
    merge_at_impl(ms, a, i, 1);
}
static CFRT_INLINE void sort_merge_at(sort_state *ms, uint64_t *a, int i, int fl) {
    if (fl)
        merge_at_f64(ms, a, i);
    else
        merge_at_i64(ms, a, i);
}

/* powerloop: the power of the run pair [s1, s1 + n1), [s1 + n1, + n2) in a
 * list of n: the first bit in which the binary fractions of their midpoints
 * (over n) differ. */
static CFRT_INLINE int sort_power(int64_t s1, int64_t n1, int64_t n2, int64_t n) {
    int result = 0;
    int64_t a = 2 * s1 + n1; /* twice the midpoints, to stay integral */
    int64_t b = a + n1 + n2;
    for (;;) {
        result++;
        if (a >= n) { /* both bits 1 */
            a -= n;
            b -= n;
        } else if (b >= n) { /* the bits differ */
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return result;
}

/* The whole sort for n >= 2; tmp has room for n / 2 cells. */
static CFRT_INLINE void sort_timsort(uint64_t *a, int64_t n, uint64_t *tmp, int fl) {
    sort_state ms;
    ms.tmp = tmp;
    ms.min_gallop = CFRT_SORT_MIN_GALLOP;
    ms.n_runs = 0;
    int64_t minrun = n, r = 0;
    while (minrun >= 64) {
        r |= minrun & 1;
        minrun >>= 1;
    }
    minrun += r;
    int64_t lo = 0, remaining = n;
    do {
        int64_t len = sort_count_run(a + lo, remaining, fl);
        if (len < minrun) {
            int64_t force = remaining <= minrun ? remaining : minrun;
            sort_binary_insert(a + lo, len, force, fl);
            len = force;
        }
        /* found_new_run: merge the pending runs of higher power */
        if (ms.n_runs > 0) {
            sort_run *top = &ms.pending[ms.n_runs - 1];
            int power = sort_power(top->base, top->len, len, n);
            while (ms.n_runs > 1 && ms.pending[ms.n_runs - 2].power > power)
                sort_merge_at(&ms, a, ms.n_runs - 2, fl);
            ms.pending[ms.n_runs - 1].power = power;
        }
        ms.pending[ms.n_runs].base = lo;
        ms.pending[ms.n_runs].len = len;
        ms.n_runs++;
        lo += len;
        remaining -= len;
    } while (remaining);
    /* merge_force_collapse */
    while (ms.n_runs > 1) {
        int i = ms.n_runs - 2;
        if (i > 0 && ms.pending[i - 1].len < ms.pending[i + 1].len) i--;
        sort_merge_at(&ms, a, i, fl);
    }
}

/* 64 elements or more: find the merge buffer, then sort. */
static CFRT_INLINE int32_t sort_large(uint64_t *a, int64_t n, int fl) {
    uint64_t stack[CFRT_SORT_STACK_CELLS];
    int64_t need = n / 2;
    if (need <= CFRT_SORT_STACK_CELLS) {
        sort_timsort(a, n, stack, fl);
        return 1;
    }
    if ((uint64_t)need > SIZE_MAX / sizeof(uint64_t)) return 0;
    uint64_t *tmp = (uint64_t *)malloc((size_t)need * sizeof(uint64_t));
    if (tmp == NULL) return 0; /* nothing touched yet */
    sort_timsort(a, n, tmp, fl);
    free(tmp);
    return 1;
}

static CFRT_COLD int32_t sort_large_i64(uint64_t *a, int64_t n) { return sort_large(a, n, 0); }
static CFRT_COLD int32_t sort_large_f64(uint64_t *a, int64_t n) { return sort_large(a, n, 1); }

static CFRT_INLINE int32_t sort_impl(cf_list *l, int fl) {
    int64_t n = l->len;
    if (n < CFRT_SORT_SMALL) {
        /* CPython: one run, extended to the whole list by binarysort */
        if (n >= 2) sort_binary_insert(l->data, sort_count_run(l->data, n, fl), n, fl);
        return 1;
    }
    return fl ? sort_large_f64(l->data, n) : sort_large_i64(l->data, n);
}

int32_t cfrt_list_sort_i64(cf_list *l) { return sort_impl(l, 0); }

int32_t cfrt_list_sort_f64(cf_list *l) { return sort_impl(l, 1); }
#endif

/* ---- slice -------------------------------------------------------------- */

#if CFRT_IN(CFRT_PART_SLICE)
cf_list *cfrt_list_slice(cf_obj **arena, const cf_list *l, int64_t start, int64_t stop,
                         int64_t step, int32_t flags) {
    /* PySlice_Unpack: defaults, and a step of -2^63 is read as -(2^63 - 1). */
    if (step < -INT64_MAX) step = -INT64_MAX;
    if (!(flags & 1)) start = step < 0 ? INT64_MAX : 0;
    if (!(flags & 2)) stop = step < 0 ? INT64_MIN : INT64_MAX;
    /* PySlice_AdjustIndices. */
    int64_t n = l->len;
    if (start < 0) {
        start += n;
        if (start < 0) start = step < 0 ? -1 : 0;
    } else if (start >= n) {
        start = step < 0 ? n - 1 : n;
    }
    if (stop < 0) {
        stop += n;
        if (stop < 0) stop = step < 0 ? -1 : 0;
    } else if (stop >= n) {
        stop = step < 0 ? n - 1 : n;
    }
    int64_t count = 0;
    if (step < 0) {
        if (stop < start) count = (start - stop - 1) / -step + 1;
    } else {
        if (start < stop) count = (stop - start - 1) / step + 1;
    }

    cf_list *r = list_alloc(NULL);
    if (r == NULL) return NULL;
    if (count > 0) {
        uint64_t *data = (uint64_t *)malloc((size_t)count * sizeof(uint64_t));
        if (data == NULL) {
            free(r);
            return NULL;
        }
        if (step == 1) {
            memcpy(data, l->data + start, (size_t)count * sizeof(uint64_t));
        } else {
            /* Only step between elements taken: start + count * step may
             * overflow for huge steps. */
            int64_t src = start, k = 0;
            for (;;) {
                data[k] = l->data[src];
                if (++k == count) break;
                src += step;
            }
        }
        r->data = data;
        r->len = count;
        r->cap = count;
    }
    if (arena != NULL) {
        r->hdr.next_local = *arena;
        *arena = &r->hdr;
    }
    return r;
}
#endif

/* ======================================================================= */
/* dict                                                                    */
/* ======================================================================= */

CFRT_SHARED inline uint64_t dict_slot(int64_t key, int64_t shift) {
    return ((uint64_t)key * CFRT_HASH_MUL) >> shift;
}

/* Fills n >= 1 int32 cells with v using memcpy doubling (a plain loop would
 * be turned into a memset call, which is not on the runtime's import list). */
CFRT_SHARED void fill_i32(int32_t *p, int64_t n, int32_t v) {
    p[0] = v;
    for (int64_t k = 1; k < n; k *= 2) {
        int64_t m = n - k < k ? n - k : k;
        memcpy(p + k, p, (size_t)m * sizeof(int32_t));
    }
}

CFRT_SHARED void fill_u64(uint64_t *p, int64_t n, uint64_t v) {
    p[0] = v;
    for (int64_t k = 1; k < n; k *= 2) {
        int64_t m = n - k < k ? n - k : k;
        memcpy(p + k, p, (size_t)m * sizeof(uint64_t));
    }
}

CFRT_SHARED inline int64_t dead_words(int64_t bits) { return (bits + 63) / 64; }

/* Appends a new entry for an absent key; n_entries < cap. Claims the first
 * EMPTY or DELETED slot of the key's probe sequence. */
CFRT_SHARED inline void dict_append_new(cf_dict *d, int64_t key, uint64_t v, uint64_t slot) {
    int64_t j = d->n_entries++;
    d->entries[j].key = key;
    d->entries[j].value = v;
    d->index[slot] = (int32_t)j;
    d->len++;
    d->version++;
}

/* The lookup and the insert, for cfrt_dict_find/cfrt_dict_set and the dict
 * part's cfrt_slow_dict_insert_slot. */
CFRT_SHARED inline uint64_t *dict_find_impl(const cf_dict *d, int64_t key) {
    const int32_t *index = d->index;
    if (index == NULL) return NULL;
    int64_t shift = d->shift;
    uint64_t mask = UINT64_MAX >> shift;
    uint64_t i = dict_slot(key, shift);
    for (;;) {
        int32_t ix = index[i];
        if (ix >= 0) {
            if (d->entries[ix].key == key) return &d->entries[ix].value;
        } else if (ix == CFRT_EMPTY) {
            return NULL;
        }
        i = (i + 1) & mask;
    }
}

CFRT_SHARED inline int32_t dict_set_impl(cf_dict *d, int64_t key, uint64_t v) {
    int32_t *index = d->index;
    if (index != NULL) {
        int64_t shift = d->shift;
        uint64_t mask = UINT64_MAX >> shift;
        uint64_t i = dict_slot(key, shift);
        uint64_t free_slot = UINT64_MAX;
        for (;;) {
            int32_t ix = index[i];
            if (ix >= 0) {
                if (d->entries[ix].key == key) {
                    d->entries[ix].value = v; /* overwrite: no version bump */
                    return 1;
                }
            } else if (ix == CFRT_EMPTY) {
                break;
            } else if (free_slot == UINT64_MAX) {
                free_slot = i; /* first tombstone: reusable */
            }
            i = (i + 1) & mask;
        }
        if (d->n_entries < d->cap) {
            dict_append_new(d, key, v, free_slot != UINT64_MAX ? free_slot : i);
            return 1;
        }
    }
    return cfrt_slow_dict_grow_and_set(d, key, v);
}

#if CFRT_IN(CFRT_PART_DICT)
/* Moves the live entries of entries[0, n_entries) to the front (order
 * kept), clears the used bitmap words, and rebuilds the index (of
 * 2^(64-shift) slots) without tombstones. */
static void dict_rebuild(cf_dict *d) {
    cf_entry *e = d->entries;
    int64_t n = d->n_entries, live = 0;
    if (d->len != n) {
        for (int64_t j = 0; j < n; j++) {
            if (d->dead[j >> 6] >> (j & 63) & 1) continue;
            e[live++] = e[j];
        }
        fill_u64(d->dead, dead_words(n), 0);
    } else {
        live = n;
    }
    d->n_entries = live;
    int64_t shift = d->shift;
    uint64_t mask = UINT64_MAX >> shift;
    int32_t *index = d->index;
    fill_i32(index, (int64_t)mask + 1, CFRT_EMPTY);
    for (int64_t j = 0; j < live; j++) {
        uint64_t i = dict_slot(e[j].key, shift);
        while (index[i] != CFRT_EMPTY) i = (i + 1) & mask;
        index[i] = (int32_t)j;
    }
}

/* Makes room for one more entry (n_entries == cap): allocates the first
 * storage, compacts in place, or grows cap x2. 1, or 0 when out of memory
 * (dict unchanged). */
static CFRT_COLD int32_t dict_make_room(cf_dict *d) {
    int64_t cap = d->cap;
    if (d->index != NULL && d->len <= cap - cap / 4) {
        dict_rebuild(d);
        return 1;
    }
    int64_t new_cap = d->index == NULL ? CFRT_DICT_MIN_CAP : cap * 2;
    if (new_cap > CFRT_DICT_MAX_CAP) return 0;
    if ((uint64_t)new_cap > SIZE_MAX / 2 / sizeof(cf_entry)) return 0; /* 32-bit hosts */
    int64_t n_words = dead_words(new_cap);
    int32_t *index = (int32_t *)malloc((size_t)new_cap * 2 * sizeof(int32_t));
    uint64_t *dead = (uint64_t *)malloc((size_t)n_words * sizeof(uint64_t));
    if (index == NULL || dead == NULL) {
        free(index);
        free(dead);
        return 0;
    }
    /* Last, so that its failure leaves the old entries in place. */
    cf_entry *entries = (cf_entry *)realloc(d->entries, (size_t)new_cap * sizeof(cf_entry));
    if (entries == NULL) {
        free(index);
        free(dead);
        return 0;
    }
    fill_u64(dead, n_words, 0);
    /* Compact using the old bitmap, then switch to the new one. */
    d->entries = entries;
    int64_t n = d->n_entries, live = 0;
    for (int64_t j = 0; j < n; j++) {
        if (d->dead[j >> 6] >> (j & 63) & 1) continue;
        entries[live++] = entries[j];
    }
    free(d->dead);
    free(d->index);
    d->dead = dead;
    d->index = index;
    d->n_entries = live;
    d->len = live;
    d->cap = new_cap;
    /* new_cap = 2^k, index = 2^(k+1) slots, shift = 64 - (k + 1). */
    int64_t shift = 63;
    while (((int64_t)1 << (64 - shift)) < new_cap * 2) shift--;
    d->shift = shift;
    dict_rebuild(d); /* nothing dead now: just rebuilds the index */
    return 1;
}

CFRT_SLOW int32_t cfrt_slow_dict_grow_and_set(cf_dict *d, int64_t key, uint64_t v) {
    if (!dict_make_room(d)) return 0;
    /* The fresh index has no tombstones: take the first EMPTY slot. */
    uint64_t mask = UINT64_MAX >> d->shift;
    uint64_t i = dict_slot(key, d->shift);
    while (d->index[i] != CFRT_EMPTY) i = (i + 1) & mask;
    dict_append_new(d, key, v, i);
    return 1;
}

/* Inserts a missing key, then finds its cell again: the rare half of
 * cfrt_dict_slot, kept out of line. */
CFRT_SLOW uint64_t *cfrt_slow_dict_insert_slot(cf_dict *d, int64_t key, uint64_t dflt) {
    if (!dict_set_impl(d, key, dflt)) return NULL;
    return dict_find_impl(d, key);
}

static inline int ctz64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(x);
#else
    int n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* The first live entry >= pos (pos < n_entries, entry pos is dead). */
CFRT_SLOW int64_t cfrt_slow_dict_next(const cf_dict *d, int64_t pos) {
    int64_t n = d->n_entries;
    int64_t w = pos >> 6;
    uint64_t live = ~d->dead[w] & (UINT64_MAX << (pos & 63));
    while (live == 0) {
        w++;
        if (w * 64 >= n) return -1;
        live = ~d->dead[w];
    }
    int64_t j = w * 64 + ctz64(live);
    return j < n ? j : -1;
}
#endif

#if CFRT_IN(CFRT_PART_INLINE)
int64_t cfrt_dict_len(const cf_dict *d) { return d->len; }

uint64_t *cfrt_dict_find(const cf_dict *d, int64_t key) { return dict_find_impl(d, key); }

int32_t cfrt_dict_set(cf_dict *d, int64_t key, uint64_t v) { return dict_set_impl(d, key, v); }

uint64_t *cfrt_dict_slot(cf_dict *d, int64_t key, uint64_t dflt) {
    uint64_t *cell = cfrt_dict_find(d, key);
    return cell != NULL ? cell : cfrt_slow_dict_insert_slot(d, key, dflt);
}

int32_t cfrt_dict_remove(cf_dict *d, int64_t key, uint64_t *out) {
    int32_t *index = d->index;
    if (index == NULL) return 0;
    int64_t shift = d->shift;
    uint64_t mask = UINT64_MAX >> shift;
    uint64_t i = dict_slot(key, shift);
    for (;;) {
        int32_t ix = index[i];
        if (ix >= 0) {
            if (d->entries[ix].key == key) {
                if (out != NULL) *out = d->entries[ix].value;
                index[i] = CFRT_DELETED;
                d->dead[ix >> 6] |= (uint64_t)1 << (ix & 63);
                d->len--;
                d->version++;
                return 1;
            }
        } else if (ix == CFRT_EMPTY) {
            return 0;
        }
        i = (i + 1) & mask;
    }
}

void cfrt_dict_clear(cf_dict *d) {
    d->version++;
    d->len = 0;
    if (d->index == NULL) return;
    if (d->n_entries >= d->cap / 8) {
        /* Reasonably used: keep the storage, reset it in O(cap). */
        if (d->n_entries > 0) fill_u64(d->dead, dead_words(d->n_entries), 0);
        fill_i32(d->index, (int64_t)(UINT64_MAX >> d->shift) + 1, CFRT_EMPTY);
        d->n_entries = 0;
    } else {
        free(d->index);
        free(d->entries);
        free(d->dead);
        d->index = NULL;
        d->entries = NULL;
        d->dead = NULL;
        d->n_entries = 0;
        d->cap = 0;
        d->shift = 63;
    }
}

int64_t cfrt_dict_version(const cf_dict *d) { return d->version; }

int64_t cfrt_dict_next(const cf_dict *d, int64_t pos) {
    if (pos < 0 || pos >= d->n_entries) return -1;
    if (d->dead == NULL || !(d->dead[pos >> 6] >> (pos & 63) & 1)) return pos;
    return cfrt_slow_dict_next(d, pos);
}

int64_t cfrt_dict_entry_key(const cf_dict *d, int64_t pos) { return d->entries[pos].key; }

uint64_t cfrt_dict_entry_value(const cf_dict *d, int64_t pos) { return d->entries[pos].value; }
#endif
