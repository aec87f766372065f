#!/usr/bin/env bash
# Issue 17, bounded memory: long statements made of the bundled statement's real paragraphs
# (sections of them in a varying order, as batch.sh varies them), built to PDF with their
# wall time and peak RSS. Usage: benches/long.sh [MEGABYTES...] (default: 0.2 2 20).
# BIN=… times another binary; KEEP=1 keeps each input as /tmp/long-MB.md (to compare binaries
# on the same input, or to cmp their PDFs).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/communique}
[ -x "$bin" ] || cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
for mb in "${@:-0.2 2 20}"; do
  for m in $mb; do
    python3 - "$m" "$work/long-$m.md" <<'PY'
import random, sys
mb, out = float(sys.argv[1]), sys.argv[2]
src = open("content/us-upr-review.md", encoding="utf-8").read()
end = src.index("\n---\n", 3) + 5
front, body = src[:end], src[end:]
paras = [p for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "!", "|", "<"))]
rng = random.Random(17)
parts, size, n = [], len(front), 0
while size < mb * 1e6:
    n += 1
    ps = paras[:]
    rng.shuffle(ps)
    sec = f"## Section {n}\n\n" + "\n\n".join(ps[: rng.randint(3, len(ps))])
    parts.append(sec)
    size += len(sec.encode()) + 2
open(out, "w", encoding="utf-8").write(front + "\n" + "\n\n".join(parts) + "\n")
PY
    [ "${KEEP:-}" = 1 ] && cp "$work/long-$m.md" "/tmp/long-$m.md"
    /usr/bin/time -f "$m MB → PDF: %e s, %M KB peak" "$bin" build -q -f pdf -o "$work/out-$m" "$work/long-$m.md"
  done
done
