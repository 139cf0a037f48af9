# The two commands: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: deps build demo test bench clean fuzz

deps:
	./scripts/install-deps

build: deps
	$(CARGO) build --bins

demo: build
	./target/debug/cfuncc compile examples/ema.py --function ema --const alpha=0.5 -o target/ema.so
	@echo "--- ticks in: 10, 10, 0, 4 ---"
	printf '{"inputs": [10.0]}\n{"inputs": [10.0]}\n{"inputs": [0.0]}\n{"inputs": [4.0]}\n' | ./target/debug/cfuncc run target/ema.so

test: deps
	$(CARGO) fmt --check
	$(CARGO) test --workspace
	$(CARGO) run --example order_book_extension
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --lib
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps -p cfuncc-host

# The three fuzzers (docs/fuzzing.md) against the release binaries for SECONDS
# in all (half differential, a quarter each mutation and lifecycle); findings
# in target/fuzz/{diff,mut,life}. SEED picks the programs (default: the time).
SECONDS ?= 3600
SEED ?= $(shell date +%s)
FUZZ_BIN = target/release
fuzz: export CFUNCC_CACHE = off
fuzz: deps
	$(CARGO) build --release --bins
	mkdir -p target/fuzz
	python3 tests/fuzz/difffuzz.py --cfuncc $(FUZZ_BIN)/cfuncc --seed $(SEED) \
	  --seconds $$(( $(SECONDS) / 2 )) --out target/fuzz/diff; d=$$?; \
	python3 tests/fuzz/mutfuzz.py --cfuncc $(FUZZ_BIN)/cfuncc --cfunc-opt $(FUZZ_BIN)/cfunc-opt \
	  --seed $(SEED) --seconds $$(( $(SECONDS) / 4 )) --verify-each --out target/fuzz/mut; m=$$?; \
	python3 tests/fuzz/lifefuzz.py --cfuncc $(FUZZ_BIN)/cfuncc --seed $(SEED) \
	  --seconds $$(( $(SECONDS) / 4 )) --out target/fuzz/life; l=$$?; \
	echo "fuzz seed $(SEED): findings in target/fuzz"; test $$d$$m$$l = 000

bench: deps
	$(CARGO) bench

clean:
	$(CARGO) clean
