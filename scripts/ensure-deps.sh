#!/usr/bin/env bash
# Installs the system packages Parallax needs (Debian/Ubuntu) when they are missing:
# ncursesw headers to build, tmux for the end-to-end tests.
set -euo pipefail
missing=()
[ -e /usr/include/ncursesw/curses.h ] || missing+=(libncursesw5-dev)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ -e /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
