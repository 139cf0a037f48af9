/* Bodies of the @extern functions declared in tests/ffi/nodes.py.
 *
 * tests/ffi.rs builds this file three ways: to LLVM bitcode with
 * `clang-22 -c -emit-llvm -O2` for --link-bitcode, to a shared library for
 * `cfuncc run --preload`, and into the C host (tests/c_host/host.c, linked
 * with -rdynamic) so that the host process itself provides the symbols.
 */
#include <stdbool.h>
#include <stdint.h>

/* Calls of the two mid functions, so a test can see how often the node
 * really called them. */
static int64_t n_calls;
static double last;

double book_mid(int64_t bid, int64_t ask) {
    n_calls++;
    return ((double)bid + (double)ask) * 0.5;
}

double book_mid_impure(int64_t bid, int64_t ask) {
    n_calls++;
    return ((double)bid + (double)ask) * 0.5;
}

bool crossed(bool strict, int64_t bid, int64_t ask) {
    return strict ? bid >= ask : bid > ask;
}

int64_t calls(void) { return n_calls; }

void note(double x) { last = x; }

double last_note(void) { return last; }

/* The struct `Book` registered by tests/ffi.rs (bid at 0, ask at 8, size at
 * 16), passed to extern methods as a pointer to the node's struct memory. */
struct Book {
    double bid;
    double ask;
    int64_t size;
};

double book_struct_mid(const struct Book *b) { return (b->bid + b->ask) * 0.5; }

double book_notional(const struct Book *b, double px) { return px * (double)b->size; }

/* datetime and timedelta cross as int64 nanoseconds; wraps like the node's
 * int64 arithmetic. */
int64_t age_ns(int64_t then, int64_t now) { return (int64_t)((uint64_t)now - (uint64_t)then); }
