# Entry points. `make test` installs what is missing and runs every check;
# CI runs it through .ci/run.

CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

# CI replays one fixed set of random cases so that a run is repeatable;
# local runs draw new ones (and PU_CASES=20000 draws many more).
ifdef CI
export PROPTEST_RNG_SEED := 20261122
endif

.PHONY: test setup lint test-native test-wasm bench bench-wasm golden profile accuracy

test: setup lint test-native test-wasm

setup:
	./scripts/setup.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --release -- -D warnings
	$(CARGO) clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

test-native:
	$(CARGO) test --release

test-wasm:
	$(CARGO) test --release --target wasm32-unknown-unknown --test wasm_golden

bench:
	$(CARGO) bench --bench simulate

golden:
	UPDATE_GOLDEN=1 $(CARGO) test --release --test golden

bench-wasm:
	$(CARGO) test --release --target wasm32-unknown-unknown --test wasm_speed -- --nocapture

# The shipped profile and the kept accuracy report: measured on this machine
# with Debian's CPython 3.13 and 3.14 (../shared/tools/get-cpython) and the
# system 3.11. Regenerate the golden runs afterwards (`make golden`): they
# follow the shipped profile.
CPYTHONS = $(shell ../shared/tools/get-cpython 3.13 3.14)

profile:
	$(CARGO) run --release -- calibrate $(foreach p,$(CPYTHONS) /usr/bin/python3,--python $(p)) --out profiles/default.json

accuracy:
	$(CARGO) run --release -- validate $(foreach p,$(CPYTHONS),--python $(p)) --out reports/accuracy.json --markdown reports/accuracy.md
