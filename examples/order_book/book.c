/* Accessors of the order book struct used by examples/order_book_extension.rs.
 * build.rs compiles this file to LLVM bitcode; the example links it into the
 * node, where the calls inline. The layout matches the struct registered in
 * the example: four 8-byte fields. */
#include <stdint.h>

typedef struct {
    double best_bid;
    double best_ask;
    int64_t bid_size;
    int64_t ask_size;
} order_book;

double book_mid(const order_book *b) { return 0.5 * (b->best_bid + b->best_ask); }

/* (bid size - ask size) / total size, 0 for an empty book. */
double book_imbalance(const order_book *b) {
    int64_t total = b->bid_size + b->ask_size;
    return total == 0 ? 0.0 : (double)(b->bid_size - b->ask_size) / (double)total;
}
