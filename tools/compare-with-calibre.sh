#!/usr/bin/env bash
# Compares the metadata our readers return with what calibre's ebook-meta reads, per field,
# over every EPUB and PDF file under the given folders.
#
#   tools/compare-with-calibre.sh FOLDER...
#
# Needs calibre (Debian: apt-get install calibre) and the .NET SDK. Comic archives are skipped:
# calibre 6.13 ignores ComicInfo.xml and reads only ComicBookInfo zip comments, so the corpus
# expected.json and the reader tests cover comics instead.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FOLDER...  (compares every .epub and .pdf file under each FOLDER)" >&2
  exit 2
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v calibre-debug >/dev/null; then
  echo "error: calibre-debug not found; install calibre (Debian: apt-get install calibre)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

books=()
skipped_comics=0
skipped_other=0
while IFS= read -r -d '' file; do
  case "${file,,}" in
    *.epub | *.pdf) books+=("$(realpath "$file")") ;;
    *.cbz | *.cbr | *.cb7 | *.cbt) skipped_comics=$((skipped_comics + 1)) ;;
    *) skipped_other=$((skipped_other + 1)) ;;
  esac
done < <(find "$@" -type f -print0 | sort -z)

echo "Comparing ${#books[@]} EPUB and PDF files with $(ebook-meta --version | head -n 1)."
echo "Skipped ${skipped_comics} comic archives: calibre ignores ComicInfo.xml (it reads only"
echo "ComicBookInfo zip comments), so expected.json covers comics instead."
echo "Skipped ${skipped_other} other files (package documents, schemas, notes)."
echo
if [ "${#books[@]}" -eq 0 ]; then
  exit 0
fi

dotnet build "$repo/tools/MetadataDump" -c Release -nologo -v quiet -o "$work/dump" >"$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }
dotnet "$work/dump/MetadataDump.dll" "${books[@]}" >"$work/ours.jsonl"
# calibre's PDF reader prints poppler's complaints about damaged files on stderr; they are
# shown only when calibre-debug fails.
calibre-debug -e "$repo/tools/calibre_dump.py" -- "${books[@]}" >"$work/calibre.jsonl" 2>"$work/calibre.log" \
  || { cat "$work/calibre.log" >&2; exit 1; }

python3 "$repo/tools/compare_with_calibre.py" "$work/ours.jsonl" "$work/calibre.jsonl"
