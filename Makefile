# The two commands: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: deps build demo test bench clean

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
	$(CARGO) test
	$(CARGO) run --example order_book_extension
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --lib

bench: deps
	$(CARGO) bench

clean:
	$(CARGO) clean
