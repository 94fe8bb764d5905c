# Shared by the scripts: install what a fresh machine lacks, skipping what is already there.
# Only package registries are used: rustup's target, crates.io, npm and Debian.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WEB_DIR="$TARGET_DIR/web"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Run as root, or through sudo when there is one.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

need_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
need_wasm_bindgen() {
  local want have
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (a few minutes, once)"
    # Not --locked: with it, a yanked dependency of the CLI fails to resolve.
    cargo install wasm-bindgen-cli --version "=$want"
  fi
}

need_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    say "installing Node.js and npm from Debian"
    as_root apt-get update
    as_root apt-get install -y nodejs npm
  fi
}

# npm ci in a folder, unless its node_modules is newer than package-lock.json.
need_npm_packages() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] \
     || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing Node packages in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

need_chromium() {
  if ! command -v chromium >/dev/null; then
    say "installing Debian's chromium for the browser tests"
    as_root apt-get update
    as_root apt-get install -y chromium fonts-dejavu-core
  fi
}

# Fonts for the PNG pictures of boards (the server draws text with the system's fonts).
need_fonts() {
  if [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    say "installing Debian's DejaVu fonts for board pictures"
    as_root apt-get update
    as_root apt-get install -y fonts-dejavu-core
  fi
}

# cargo-fuzz (libFuzzer) for the fuzz targets; pinned, built once. Runs on stable Rust with
# `--sanitizer none` (the code is safe Rust; coverage guidance is what we need).
need_cargo_fuzz() {
  local want="0.13.2"
  if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing cargo-fuzz $want (about a minute, once)"
    cargo install cargo-fuzz --version "=$want" --locked
  fi
}

# y-sweet (crates.io), the second server scripts/bench compares with; pinned, built once.
need_y_sweet() {
  local want="0.9.1"
  if [ "$(y-sweet version 2>/dev/null)" != "$want" ]; then
    say "installing y-sweet $want (several minutes, once)"
    cargo install y-sweet --version "=$want" --locked
  fi
}

# A free loopback port (Node asks the kernel for one), for servers the bench scripts start.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Until something accepts connections on loopback port $1 (20 s at most).
wait_for_port() {
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return; fi
    sleep 0.1
  done
  echo "the server on port $1 did not start" >&2
  exit 1
}
