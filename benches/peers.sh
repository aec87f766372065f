#!/usr/bin/env bash
# Side-by-side whole-process timings of the bundled statement against peer tools, in ONE
# hyperfine run (absolute times drift on a shared machine; the ratios are what to quote),
# and the page faults of Communique's run (`/usr/bin/time -v`, which do not drift).
#
# Sets up what is missing: hyperfine and pandoc (Debian packages), Crowbook
# (`cargo install crowbook`, several minutes of compiling;
# CARGO_BUILD_JOBS=1 keeps the machine usable) into $PEERS_ROOT (default
# ~/.cache/communique-peers); CROWBOOK=path uses a Crowbook already built.
#   benches/peers.sh            # set up, then measure
#   RUNS=60 benches/peers.sh    # more runs
set -euo pipefail
cd "$(dirname "$0")/.."
root=${PEERS_ROOT:-$HOME/.cache/communique-peers}
runs=${RUNS:-40}
bin=${CARGO_TARGET_DIR:-target}/release/communique
[ -x "$bin" ] || cargo build --release
for tool in hyperfine pandoc; do
  command -v "$tool" >/dev/null || apt-get install -y "$tool"
done
crowbook=${CROWBOOK:-$(command -v crowbook || true)}
if [ -z "$crowbook" ]; then
  crowbook=$root/bin/crowbook
  # (0.17.1 does not build without its default `syntect` feature.)
  [ -x "$crowbook" ] || CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo install crowbook \
    --version 0.17.1 --root "$root"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1795824000
src=content/us-upr-review.md
# Crowbook reads its metadata from a .book file, not from front matter: the same title,
# author and language, and the body as its one chapter.
python3 - "$src" "$work" <<'PY'
import sys, os
src, work = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
end = text.index("\n---\n", 3)
front, body = text[4:end], text[end + 5:]
meta = {}
for line in front.splitlines():
    if ":" in line and not line.startswith(" "):
        k, v = line.split(":", 1)
        meta[k.strip()] = v.strip().strip('"')
open(os.path.join(work, "body.md"), "w", encoding="utf-8").write(body)
with open(os.path.join(work, "statement.book"), "w", encoding="utf-8") as f:
    f.write(f"title: \"{meta['title']}\"\nauthor: \"{meta['author']}\"\nlang: en\n")
    f.write(f"output.epub: {work}/crowbook.epub\n\n+ body.md\n")
PY
cp "$src" "$work/statement.md"

echo "== page faults, Communique PDF + EPUB (whole process)"
/usr/bin/time -v "$bin" build -q "$src" -o "$work/pf" 2>&1 |
  grep -E 'Minor|Major|Maximum resident|Elapsed'
echo "== page faults, Crowbook EPUB"
(cd "$work" && /usr/bin/time -v "$crowbook" statement.book 2>&1 |
  grep -E 'Minor|Major|Maximum resident|Elapsed') || true

hyperfine -N -w 5 -r "$runs" --export-markdown "$work/peers.md" --export-json "$work/peers.json" \
  -n 'communique PDF+EPUB' "$bin build -q $src -o $work/c1" \
  -n 'communique EPUB' "$bin build -q -f epub $src -o $work/c2" \
  -n 'communique check' "$bin check -q $src" \
  -n 'crowbook EPUB' "$crowbook $work/statement.book" \
  -n 'pandoc EPUB' "pandoc $work/statement.md -o $work/pandoc.epub"
cat "$work/peers.md"
# Medians (a run that the machine interrupts moves the mean, not the median), and the ratio
# the issue asks for: Communique's PDF + EPUB to Crowbook's EPUB alone.
python3 - "$work/peers.json" <<'PY'
import json, sys
res = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
for name, ms in res.items():
    print(f"{name:24} median {ms:7.2f} ms")
print(f"ratio communique PDF+EPUB / crowbook EPUB: {res['communique PDF+EPUB'] / res['crowbook EPUB']:.2f}")
print(f"ratio communique PDF+EPUB / pandoc EPUB:   {res['communique PDF+EPUB'] / res['pandoc EPUB']:.2f}")
PY
