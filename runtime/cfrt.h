/* cfrt: the container runtime of cfuncc.
 *
 * Compiled to LLVM bitcode at build time (clang-22 -O2 -emit-llvm), embedded
 * in the compiler and linked into every module that uses a list or dict,
 * before LLVM optimisation and with internal linkage, so the hot operations
 * inline into the node. A compiled .so needs nothing but libc (malloc,
 * realloc, free, memcpy, memmove).
 *
 * Values are 8-byte bit patterns: int is int64, float is the double's bits,
 * bool is 0 or 1. Dict keys are int64 (bool keys as 0/1). There is no
 * reserved key value.
 *
 * Functions marked "unchecked" trust their caller (the compiled node checks
 * indices, emptiness and missing keys first and raises a fault instead);
 * every other function is safe on any input. An allocation failure returns
 * 0 / NULL and leaves the container unchanged.
 *
 * The layouts below are part of the contract: the compiler builds constant
 * containers as static data with exactly these layouts (never freed, never
 * mutated).
 */
#ifndef CFRT_H
#define CFRT_H
#include <stdint.h>

/* Every container starts with a 64-bit tag, its kind. A state slot may hold
 * a host's zeroed 8-byte cell, NULL or a container (design.md §2); reading
 * the first 8 bytes is in bounds for each, and only a container this runtime
 * allocated (or a constant the compiler built) carries a tag, so START frees
 * only what a START allocated and EXECUTE runs only on a live container. */
typedef struct cf_obj {
    int64_t kind;              /* CFRT_LIST or CFRT_DICT: the tag, at offset 0 */
    struct cf_obj *next_local; /* chain of tick-local containers (the arena) */
} cf_obj;

/* "cfrtlist" and "cfrtdict" as little-endian bytes: never 0, never a small
 * int or a double a host cell is likely to hold. */
#define CFRT_LIST ((int64_t)0x7473696C74726663LL)
#define CFRT_DICT ((int64_t)0x7463696474726663LL)

typedef struct cf_list {
    cf_obj hdr;
    int64_t len;
    int64_t cap;
    uint64_t *data;
} cf_list;

typedef struct cf_entry {
    int64_t key;
    uint64_t value;
} cf_entry;

/* An insertion-ordered open-addressing hash map, laid out as CPython's
 * compact dict: `entries` in insertion order (deleted ones marked in the
 * `dead` bitmap), and an `index` table of 2^(64 - shift) int32 slots holding
 * an entry number, CFRT_EMPTY or CFRT_DELETED, probed linearly from
 * slot = (uint64)(key * 0x9E3779B97F4A7C15) >> shift. */
typedef struct cf_dict {
    cf_obj hdr;
    int64_t len;       /* live entries */
    int64_t n_entries; /* used entries, dead ones included */
    int64_t cap;       /* capacity of entries (and bits in dead) */
    int64_t shift;     /* index table size is 1 << (64 - shift) */
    int64_t version;   /* bumped on every insert of a new key, delete, clear */
    int32_t *index;
    cf_entry *entries;
    uint64_t *dead;    /* bitmap, cap bits */
} cf_dict;

enum { CFRT_EMPTY = -1, CFRT_DELETED = -2 };

/* ---- lifetime ------------------------------------------------------------
 * `arena` is NULL for a state container; for a tick-local one it is the
 * address of the tick's chain head, and the new container is pushed on it. */
cf_list *cfrt_list_new(cf_obj **arena);
cf_dict *cfrt_dict_new(cf_obj **arena);
void cfrt_free(cf_obj *o);             /* a list or a dict; NULL or anything
                                          without a tag (a host's cell) is left alone */
int32_t cfrt_is_live(const void *p, int64_t kind); /* p is a container of that kind */
void cfrt_free_arena(cf_obj *head);    /* frees the whole chain */

/* ---- list ---------------------------------------------------------------- */
int64_t cfrt_list_len(const cf_list *l);
uint64_t cfrt_list_get(const cf_list *l, int64_t i);            /* unchecked: 0 <= i < len */
void cfrt_list_set(cf_list *l, int64_t i, uint64_t v);          /* unchecked: 0 <= i < len */
int32_t cfrt_list_append(cf_list *l, uint64_t v);               /* 1, or 0 when out of memory */
uint64_t cfrt_list_remove_at(cf_list *l, int64_t i);            /* unchecked: 0 <= i < len */
int32_t cfrt_list_insert(cf_list *l, int64_t i, uint64_t v);    /* Python's clamping of i */
void cfrt_list_clear(cf_list *l);
int32_t cfrt_list_extend(cf_list *l, const cf_list *other);     /* other may be l */
int64_t cfrt_list_find_i64(const cf_list *l, int64_t v);        /* first index, or -1 */
int64_t cfrt_list_find_f64(const cf_list *l, double v);         /* == semantics */
int64_t cfrt_list_sum_i64(const cf_list *l);                    /* wraps */
double cfrt_list_sum_f64(const cf_list *l);                     /* left to right, as CPython 3.11 */
int64_t cfrt_list_min_i64(const cf_list *l);                    /* unchecked: len > 0 */
int64_t cfrt_list_max_i64(const cf_list *l);
double cfrt_list_min_f64(const cf_list *l);                     /* Python's order: keeps the */
double cfrt_list_max_f64(const cf_list *l);                     /* first unless v < best (v > best) */
/* CPython 3.11's list.sort() by `<`, bit for bit (NaN and -0.0 included).
 * 1, or 0 when out of memory (only above 513 elements), list unchanged. */
int32_t cfrt_list_sort_i64(cf_list *l);
int32_t cfrt_list_sort_f64(cf_list *l);
/* l[start:stop:step] as a new tick-local list; `flags` bit 0: start given,
 * bit 1: stop given. Unchecked: step != 0. NULL when out of memory. */
cf_list *cfrt_list_slice(cf_obj **arena, const cf_list *l, int64_t start, int64_t stop,
                         int64_t step, int32_t flags);

/* ---- dict ---------------------------------------------------------------- */
int64_t cfrt_dict_len(const cf_dict *d);
uint64_t *cfrt_dict_find(const cf_dict *d, int64_t key);        /* the value's cell, or NULL */
int32_t cfrt_dict_set(cf_dict *d, int64_t key, uint64_t v);     /* 1, or 0 when out of memory */
uint64_t *cfrt_dict_slot(cf_dict *d, int64_t key, uint64_t dflt); /* key's cell, inserted as dflt if
                                                                     missing; NULL when out of memory */
int32_t cfrt_dict_remove(cf_dict *d, int64_t key, uint64_t *out); /* 1 removed (value to *out), 0 missing */
void cfrt_dict_clear(cf_dict *d);
int64_t cfrt_dict_version(const cf_dict *d);
/* Iteration in insertion order: pos starts at 0; next returns the first live
 * entry number >= pos, or -1 at the end (also for any pos past the end). */
int64_t cfrt_dict_next(const cf_dict *d, int64_t pos);
int64_t cfrt_dict_entry_key(const cf_dict *d, int64_t pos);     /* unchecked: a live entry */
uint64_t cfrt_dict_entry_value(const cf_dict *d, int64_t pos);  /* unchecked: a live entry */

#endif
