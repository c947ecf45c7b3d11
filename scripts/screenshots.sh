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

# 6. Annotation on a copy of the corpus: a session started inside the reader, two annotators
#    (one conflicting label), the form; then the article edited, and the panel re-anchoring.
WORK=$(mktemp -d)
trap 'cleanup; rm -rf "$WORK"' EXIT
cp -r corpus "$WORK/corpus"
k() { tmux -L "$SOCK" send-keys -t shot "$@"; }
lit() { tmux -L "$SOCK" send-keys -t shot -l "$1"; }
annotate() {  # label digit, note
  k a; wait_for "Annotate —"; k "$1"; lit "$2"; k Enter; wait_for "annotated"
}
tmux -L "$SOCK" respawn-pane -k -t shot "$BIN --panes 2 $WORK/corpus; sleep 30"
wait_for "NORMAL"
k :; lit "session review --annotator ana"; k Enter
wait_for "session review, annotator ana"
k w ")" V; annotate 1 "the ask itself is on the recording"
k "}" V; annotate 5 "angry x2: Trump's words, check the audio"
k :; lit "session review --annotator ben"; k Enter
wait_for "session review, annotator ben"
k "(" V; annotate 2 "other outlets give 11,780, not 11,000"
k Tab w ")" V a
wait_for "Annotate —"
k 3; lit "keeps the “um” that other outlets drop"
shoot annotate-form
k Enter; wait_for "annotated"
k q
sleep 0.5
# The outlet updates its story: a note on top, a figure corrected, one sentence cut.
python3 - "$WORK/corpus/000_f96229f3062a7620.txt" <<'PY'
import sys
p = sys.argv[1]
t = open(p, encoding="utf-8").read()
head, body = t.split("\n\n", 1)
body = body.replace("more than 11,000 ballots", "11,780 ballots")
body = body.replace("The people of Georgia are angry, the people in the country are angry. ", "")
open(p, "w", encoding="utf-8").write(head + "\n\nEditor's note: this story has been updated.\n\n" + body)
PY
tmux -L "$SOCK" respawn-pane -k -t shot "$BIN --panes 2 $WORK/corpus; sleep 30"
wait_for "NORMAL"
k :; lit "session review --annotator ana"; k Enter
wait_for "session review"
k A
wait_for "Annotations 4"
k j j
wait_for "orphaned ·"
shoot annotation-panel
k Escape q
