#!/usr/bin/env bash
# Regenerates screenshots/*.png from a real terminal: the reader runs in tmux, a real xterm
# under Xvfb attaches to it, and xwd captures the window.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for cmd in Xvfb xterm xwd xwdtopnm pnmtopng tmux; do command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd"); done
if [ ${#need[@]} -gt 0 ] || ! fc-list | grep -qi "DejaVu Sans Mono"; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq xvfb xterm x11-apps netpbm fonts-dejavu-core fonts-noto-cjk
fi
BIN=${BIN:-.build/debug/parallax}
[ -x "$BIN" ] || swift build --product parallax
DISPLAY_NUM=:${SCREENSHOT_DISPLAY:-97}
SOCK=parallax-shots-$$
COLS=160
ROWS=45
Xvfb "$DISPLAY_NUM" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
cleanup() {
  tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
  kill "$XVFB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
sleep 1

wait_for() {
  local text=$1
  for _ in $(seq 1 200); do
    tmux -L "$SOCK" capture-pane -p -t shot | grep -qF -- "$text" && return 0
    sleep 0.05
  done
  echo "screenshot: timed out waiting for '$text'" >&2
  return 1
}

shoot() {
  local name=$1
  sleep 0.4
  DISPLAY=$DISPLAY_NUM xwd -silent -name "parallax-shot" | xwdtopnm 2>/dev/null | pnmtopng > "screenshots/$name.png"
  echo "screenshots/$name.png"
}

tmux -L "$SOCK" -f /dev/null new-session -d -s shot -x $COLS -y $ROWS \
  -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TERM=tmux-256color "$BIN corpus; sleep 5"
tmux -L "$SOCK" set-option -t shot status off
DISPLAY=$DISPLAY_NUM xterm -T parallax-shot -geometry ${COLS}x${ROWS}+0+0 -fa "DejaVu Sans Mono" -fs 11 \
  -fd "Noto Sans Mono CJK JP" -u8 -bg "#1c1c1c" -fg "#d0d0d0" \
  -e env TERM=xterm-256color tmux -L "$SOCK" attach -t shot >/dev/null 2>&1 &
wait_for "NORMAL"
for _ in $(seq 1 100); do
  tmux -L "$SOCK" capture-pane -p -t shot | grep -q "analysing entities" || break
  sleep 0.05
done

# 1. Reader: three panes on the seeds, a search highlighted across them.
tmux -L "$SOCK" send-keys -t shot / && tmux -L "$SOCK" send-keys -t shot -l "Raffensperger" && tmux -L "$SOCK" send-keys -t shot Enter
wait_for "match 1 of"
shoot reader

# 2. Picker.
tmux -L "$SOCK" send-keys -t shot Escape o
wait_for "Open article"
shoot picker

# 3. Help overlay.
tmux -L "$SOCK" send-keys -t shot Escape h
wait_for "Help"
shoot help

# 4. An entity aligned across panes, then the entity panel.
tmux -L "$SOCK" send-keys -t shot q Escape g
tmux -L "$SOCK" send-keys -t shot E /
tmux -L "$SOCK" send-keys -t shot -l "raff"
tmux -L "$SOCK" send-keys -t shot Enter Enter
wait_for "PERSON Brad Raffensperger"
tmux -L "$SOCK" send-keys -t shot "]" E "*"
wait_for "Brad Raffensperger:"
shoot entity-twins
tmux -L "$SOCK" send-keys -t shot E
wait_for "Entities —"
shoot entities

# 5. A quote aligned with its twins, then the quote map and one quote's versions.
tmux -L "$SOCK" send-keys -t shot q C-o g Tab g
tmux -L "$SOCK" send-keys -t shot "]" q "]" q "]" q "]" q "]" q
wait_for "quote 5/"
tmux -L "$SOCK" send-keys -t shot t
wait_for "twins:"
shoot quote-twins
tmux -L "$SOCK" send-keys -t shot Q
wait_for "Quote map"
shoot quote-map
tmux -L "$SOCK" send-keys -t shot Enter
wait_for "Versions"
shoot quote-versions
tmux -L "$SOCK" send-keys -t shot q q
