#!/usr/bin/env python3
"""Picks a small regression corpus from a libFuzzer merge control file.

usage: pick_regressions.py CONTROL_FILE MAX_FILES MAX_BYTES OUT_DIR

CONTROL_FILE comes from `publish -set_cover_merge=1 -merge_control_file=CONTROL_FILE ...`,
which records every feature each input reaches (see fuzz/README.md). Inputs are taken greedily,
each time the one that adds most features not yet reached, while the count and the total size
stay within bounds; they are copied into OUT_DIR under their own names.
"""
import os
import shutil
import sys

control, max_files, max_bytes, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lines = open(control).read().split("\n")
n = int(lines[0])
files = lines[2 : 2 + n]
features = {}
for line in lines[2 + n :]:
    parts = line.split()
    if parts and parts[0] == "FT":
        features[int(parts[1])] = set(map(int, parts[2:]))
size = {i: os.path.getsize(f) for i, f in enumerate(files) if os.path.exists(f)}
all_features = set().union(*features.values())
reached, chosen, total = set(), [], 0
while len(chosen) < max_files:
    best, gain = None, 0
    for i, ft in features.items():
        if i in chosen or not size.get(i) or total + size[i] > max_bytes:
            continue
        g = len(ft - reached)
        if g > gain:
            best, gain = i, g
    if best is None:
        break
    chosen.append(best)
    reached |= features[best]
    total += size[best]
os.makedirs(out, exist_ok=True)
for i in chosen:
    shutil.copy(files[i], out)
print(f"{len(chosen)} inputs, {total} bytes: {len(reached)} of the corpus's {len(all_features)} features")
