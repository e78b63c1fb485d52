#!/usr/bin/env bash
# Gets a clone of goingnats ready to run: checks Node, and makes sure nats-server is installed (with
# the system package manager where it can: apt-get on Debian/Ubuntu, Homebrew on macOS; otherwise it
# says exactly what to do and exits non-zero). `--test` also installs tmux, which the end-to-end
# terminal tests drive. Safe to run again: it installs only what is missing.
#
#   bash scripts/setup.sh [--test]
set -euo pipefail

want_test_tools=false
for arg in "$@"; do
  case "$arg" in
    --test) want_test_tools=true ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Debian installs nats-server in /usr/sbin, which is not on every user's PATH (goingnats looks there too).
export PATH="$PATH:/usr/sbin:/usr/local/sbin"

# ---- Node ----------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail "Node.js is not installed: goingnats needs Node 20 or newer (https://nodejs.org)."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node $(node --version) is too old: goingnats needs Node 20 or newer (https://nodejs.org)."
command -v npm >/dev/null 2>&1 || fail "npm is missing (it normally comes with Node.js)."

# ---- how to install system packages --------------------------------------------------------------
# Runs a command as root: directly when we are root, with sudo when it needs no password or can ask
# for one at a terminal; otherwise returns 1 so the caller explains what to do instead.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    sudo "$@"
  else
    return 1
  fi
}

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if ! $apt_updated; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    apt_updated=true
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || return 1
}

install_help() {
  cat >&2 <<'EOF'
setup: nats-server is not installed, and this machine's package manager could not install it for you.
Install it one of these ways, then run this again:
  Debian/Ubuntu:  sudo apt-get install nats-server   (Debian puts it in /usr/sbin)
  macOS:          brew install nats-server
  Windows:        scoop install nats-server   or   choco install nats-server
                  (or unzip nats-server.exe from https://github.com/nats-io/nats-server/releases)
  Other Linux:    the release archive from https://github.com/nats-io/nats-server/releases
                  (unpack it and put nats-server on your PATH)
  Any OS with Go: go install github.com/nats-io/nats-server/v2@latest
Or skip it and use a server you already have: goingnats --server nats://host:4222 (or NATS_URL).
EOF
}

# ---- nats-server ---------------------------------------------------------------------------------
if command -v nats-server >/dev/null 2>&1; then
  say "nats-server found: $(command -v nats-server) ($(nats-server --version 2>&1 | head -n1))"
else
  case "$(uname -s)" in
    Linux)
      apt_install nats-server || { install_help; exit 1; }
      ;;
    Darwin)
      if command -v brew >/dev/null 2>&1; then
        say "brew install nats-server"
        brew install nats-server || { install_help; exit 1; }
      else
        install_help
        exit 1
      fi
      ;;
    *)
      install_help
      exit 1
      ;;
  esac
  command -v nats-server >/dev/null 2>&1 || { install_help; exit 1; }
  say "nats-server installed: $(command -v nats-server) ($(nats-server --version 2>&1 | head -n1))"
fi

# ---- test tools ----------------------------------------------------------------------------------
if $want_test_tools && ! command -v tmux >/dev/null 2>&1; then
  if [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null 2>&1; then
    brew install tmux || fail "could not install tmux (the terminal UI tests need it): brew install tmux"
  else
    apt_install tmux || fail "could not install tmux (the terminal UI tests need it): install it with your package manager"
  fi
  say "tmux installed: $(tmux -V)"
fi

say "ready"
