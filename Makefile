# Entry points. `make test` installs what is missing and runs every check;
# CI runs it through .ci/run.

CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

# CI replays one fixed set of random cases so that a run is repeatable;
# local runs draw new ones (and PU_CASES=20000 draws many more).
ifdef CI
export PROPTEST_RNG_SEED := 20261122
endif

.PHONY: test setup setup-e2e test-e2e test-browser bench-web lint test-native test-wasm build-web serve bench bench-wasm golden profile profile-update handover accuracy michi

# Trunk finds wasm-opt (npm's binaryen) here.
WEB_PATH := $(CURDIR)/node_modules/.bin:$(PATH)

test: setup-e2e lint test-native test-wasm test-browser build-web test-e2e

setup:
	./scripts/setup.sh

setup-e2e:
	./scripts/setup.sh --e2e

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --release -- -D warnings
	$(CARGO) clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

test-native:
	$(CARGO) test --release

test-wasm:
	$(CARGO) test --release --target wasm32-unknown-unknown --test wasm_golden

# The wasm32 build in headless Chromium through chromedriver (webdriver.json
# holds the browser's flags).
test-browser:
	CHROMEDRIVER=/usr/bin/chromedriver $(CARGO) test --release --target wasm32-unknown-unknown --test wasm_browser

# The web app, built for release into dist/ (any static host serves it).
build-web:
	PATH="$(WEB_PATH)" TRUNK_SKIP_VERSION_CHECK=true trunk build --release

# The built site in Debian's Chromium: every route, playback, the address,
# hostile input, a bad profile, the embed in a host page, an axe audit.
test-e2e: build-web
	node tests/e2e/run.mjs

# Serve the web app on http://127.0.0.1:8080 with the shipped profile.
serve: setup
	PATH="$(WEB_PATH)" TRUNK_SKIP_VERSION_CHECK=true trunk serve --release

# Speed and size of the built site in headless Chromium (README numbers).
bench-web: build-web
	node scripts/bench-web.mjs 5

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

# Measure some benchmarks again into the shipped profile, keeping the rest of
# it (make profile-update BENCH=handover); then `make golden`.
BENCH ?= handover
profile-update:
	$(CARGO) run --release -- calibrate $(foreach p,$(CPYTHONS) /usr/bin/python3,--python $(p)) $(foreach b,$(BENCH),--only $(b)) --base profiles/default.json --out target/profile-update.json
	mv target/profile-update.json profiles/default.json

# One call through an idle one-worker pool, step by step, and a no-op call's
# cost pinned and unpinned (README, accuracy section).
handover:
	for p in $(CPYTHONS); do $$p calibrate/handover.py; done > reports/handover.jsonl

accuracy:
	$(CARGO) run --release -- validate $(foreach p,$(CPYTHONS),--python $(p)) --out reports/accuracy.json --markdown reports/accuracy.md

# A real program, timed on this machine: the Michi Go engine's tree search
# (https://github.com/nascheme/michi, not shipped here) under one and N GIL
# threads and N processes; tests/programs.rs predicts the report.
# make michi MICHI=/path/to/michi/michi.py
michi:
	test -n "$(MICHI)" || { echo "make michi MICHI=/path/to/michi.py"; exit 2; }
	$(lastword $(CPYTHONS)) calibrate/michi.py --michi $(MICHI) > target/michi.json
	mv target/michi.json reports/michi.json
