#!/usr/bin/env bash
# Times one page render at a fixed width with mutool draw and pdftoppm, PNG output.
# Usage: bench/pdf-renderers.sh [corpus-folder] [width] [runs]
set -euo pipefail

corpus="${1:-../shared/corpus}"
width="${2:-1000}"
runs="${3:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# file|page pairs: text, vector music, a long book, a tall page, scanned images.
cases=(
  "pdf/pypdf/pdflatex-4-pages.pdf|2"
  "pdf/kavita/test.pdf|1"
  "pdf/stump/rust_book.pdf|100"
  "pdf/stump/tall.pdf|1"
  "pdf/pypdf/GeoTopo-komprimiert.pdf|10"
  "pdf/pdfpig/Old Gutnish Internet Explorer.pdf|1"
)

time_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

mean_ms() {
  local total=0 i
  for ((i = 0; i < runs; i++)); do
    total=$((total + $(time_ms "$@")))
  done
  echo $((total / runs))
}

printf '| file | page | mutool draw (ms) | pdftoppm (ms) |\n|---|---|---|---|\n'
for entry in "${cases[@]}"; do
  file="$corpus/${entry%|*}"
  page="${entry#*|}"
  mutool_ms=$(mean_ms mutool draw -q -o "$out/m.png" -w "$width" -F png "$file" "$page")
  poppler_ms=$(mean_ms pdftoppm -png -f "$page" -l "$page" -scale-to-x "$width" -scale-to-y -1 \
    -singlefile "$file" "$out/p")
  printf '| %s | %s | %s | %s |\n' "${entry%|*}" "$page" "$mutool_ms" "$poppler_ms"
done
