#!/bin/sh
# Regenerates the assets of this example (run once; the results are committed).
# Needs ImageMagick 6 (`apt-get install imagemagick`) and the photos of Debian's
# `mate-backgrounds` package (`apt-get install mate-backgrounds`); see LICENSES.txt.
set -eu
cd "$(dirname "$0")"
SRC=/usr/share/backgrounds/mate/nature
FONT=DejaVu-Sans-Bold

# Photos: downscaled to 1200 px wide, metadata stripped, JPEG quality 82.
convert "$SRC/Storm.jpg" -resize 1200x -strip -quality 82 -sampling-factor 4:2:0 storm-road.jpg
convert "$SRC/Dune.jpg" -resize 1200x -strip -quality 82 -sampling-factor 4:2:0 dune-grass.jpg

# Logo: a navy disc with a white "ERW" and the name beside it, on a transparent ground.
convert -size 720x200 xc:none \
  -fill '#1d3557' -draw 'circle 100,100 100,10' \
  -fill '#f1c40f' -draw 'polygon 100,30 118,82 172,82 128,114 145,166 100,134 55,166 72,114 28,82 82,82' \
  -font "$FONT" -pointsize 54 -fill '#1d3557' -annotate +215+95 'Example' \
  -font "$FONT" -pointsize 54 -fill '#1d3557' -annotate +215+160 'Rights Watch' \
  -strip PNG32:logo.png

# Chart: people displaced by quarter (illustrative figures), bars with labels.
W=1000; H=560
BARS=""
i=0
for v in 120 340 910 1480 620 410 280 190; do
  x=$((110 + i * 106)); y=$((480 - v * 280 / 1000))
  BARS="$BARS rectangle $x,$y,$((x + 70)),480"
  i=$((i + 1))
done
convert -size ${W}x${H} xc:white \
  -stroke '#333333' -strokewidth 2 -draw "line 90,480 960,480" -draw "line 90,60 90,480" \
  -stroke none -font DejaVu-Sans -pointsize 17 -fill '#333333' \
  -annotate +70+486 '0' -annotate +50+346 '500' -annotate +40+206 '1000' -annotate +40+66 '1500' \
  -stroke '#dddddd' -strokewidth 1 -draw "line 91,340 960,340" -draw "line 91,200 960,200" -draw "line 91,60 960,60" \
  -stroke none \
  -fill '#1d3557' -draw "$BARS" \
  -fill '#333333' -pointsize 19 \
  -annotate +112+510 'Q1 2025' -annotate +218+510 'Q2 2025' -annotate +324+510 'Q3 2025' -annotate +430+510 'Q4 2025' \
  -annotate +536+510 'Q1 2026' -annotate +642+510 'Q2 2026' -annotate +748+510 'Q3 2026' -annotate +854+510 'Q4 2026' \
  -font "$FONT" -pointsize 24 -annotate +110+40 'People displaced per quarter (illustrative figures)' \
  -strip PNG24:chart-displacement.png
