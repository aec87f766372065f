#!/usr/bin/env bash
# Whole-process timings for benches/README.md (needs hyperfine and a release build):
#   1. the bundled statement to PDF and EPUB;
#   2. 1,000 distinct statements (made here by varying the real text) to PDF and EPUB in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/communique
[ -x "$bin" ] || cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1795824000

python3 - "$work/batch" <<'PY'
import os, random, sys
out = sys.argv[1]
os.makedirs(out)
src = open("content/us-upr-review.md", encoding="utf-8").read()
end = src.index("\n---\n", 3) + 5
front, body = src[:end], src[end:]
paras = [p for p in body.split("\n\n") if p.strip()]
cities = ["WASHINGTON", "NEW YORK", "GENEVA", "CHICAGO", "LOS ANGELES", "ATLANTA"]
rng = random.Random(7)
for i in range(1000):
    ps = paras[:]
    rng.shuffle(ps)
    k = rng.randint(3, len(ps))
    text = "\n\n".join(ps[:k])
    fm = front.replace("dateline: WASHINGTON", "dateline: " + cities[i % len(cities)])
    fm = fm.replace('title: "', f'title: "No. {i + 1}: ', 1)
    fm = fm.replace("date: 2026-11-27", f"date: 2026-{1 + i % 12:02d}-{1 + i % 28:02d}")
    with open(os.path.join(out, f"statement-{i:04}.md"), "w", encoding="utf-8") as f:
        f.write(fm + "\n" + text + f"\n\nStatement {i + 1} of the benchmark batch.\n")
PY

hyperfine -N -w 3 -r 20 "$bin build -q content/ -o $work/one"
hyperfine -w 1 -r 10 "$bin build -q $work/batch -o $work/many"
/usr/bin/time -f "1000 statements: %e s wall, %M KB peak" "$bin" build -q "$work/batch" -o "$work/many"
/usr/bin/time -f "1 statement: %e s wall, %M KB peak" "$bin" build -q content/ -o "$work/one"
ls -l "$work/one"
