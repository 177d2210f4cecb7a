#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine with
# rustup, cargo and Node already present: the wasm32 target and
# wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (its
# test runner runs the wasm32 tests under Node). Safe to run repeatedly:
# it installs only what is missing or at the wrong version.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
if [ -z "$want" ]; then
  echo "setup: cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
  # Not --locked: the CLI's own lock file names a crate the registry lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi

command -v node >/dev/null || { echo "setup: Node.js is required for the wasm32 tests" >&2; exit 1; }

# The calibration tests run the harness on the machine's own CPython 3.
if ! command -v python3 >/dev/null; then
  echo "setup: installing python3 for the calibration tests"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3; else sudo apt-get update -qq && sudo apt-get install -y -qq python3; fi
fi

# The web app: Trunk builds it (0.22 needs a newer rustc than this project's
# floor, so 0.21), and wasm-opt comes from npm's binaryen package, at the
# version Trunk.toml names. Trunk would otherwise try to download both.
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  echo "setup: installing Trunk 0.21 (found: $(trunk --version 2>/dev/null || echo none)); this takes about ten minutes"
  cargo install --locked trunk --version '~0.21'
fi
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || ! node_modules/.bin/wasm-opt --version | grep -q "version_123"; then
  echo "setup: installing the Node packages (binaryen for wasm-opt, playwright-core and axe-core for the end-to-end tests)"
  npm ci --no-audit --no-fund
fi

# The browser tests (`setup.sh --e2e`) drive Debian's Chromium, through
# playwright-core (which never downloads a browser here) and through
# chromedriver for the wasm-bindgen tests.
if [ "${1:-}" = "--e2e" ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  echo "setup: installing Debian's chromium and chromium-driver for the browser tests"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi
