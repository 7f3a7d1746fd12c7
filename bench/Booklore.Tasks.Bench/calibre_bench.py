"""Time calibre's metadata reader over lists of book files, one format at a time.

    calibre-debug -e calibre_bench.py -- LIST_FILE

LIST_FILE has one "FORMAT<TAB>PATH" line per file. For each format the script reads the
first file once to load calibre's reader modules, then times one loop of
get_metadata(stream, ext) over every file of that format and prints one JSON line:
{"format": ..., "files": ..., "seconds": ...}. Each format is timed twice: as get_metadata
reads it by default, which also extracts or renders a cover (for an EPUB without a cover
image calibre renders the title page, and for a PDF it runs pdftoppm), and inside
calibre's quick_metadata mode, which skips the cover as our readers do.
"""

import io
import json
import os
import sys
import time
from collections import defaultdict
from contextlib import redirect_stderr, redirect_stdout

from calibre.customize.ui import quick_metadata
from calibre.ebooks.metadata.meta import get_metadata


def read_all(paths):
    for path in paths:
        ext = os.path.splitext(path)[1].lstrip('.').lower()
        with open(path, 'rb') as stream:
            try:
                get_metadata(stream, ext)
            except Exception:  # A damaged file fails in calibre as in our reader; both count it.
                pass


def time_loop(paths):
    noise = io.StringIO()
    with redirect_stdout(noise), redirect_stderr(noise):
        read_all(paths[:1])
        started = time.perf_counter()
        read_all(paths)
        return time.perf_counter() - started


def main(list_file):
    by_format = defaultdict(list)
    with open(list_file, encoding='utf-8') as handle:
        for line in handle:
            book_format, path = line.rstrip('\n').split('\t', 1)
            by_format[book_format].append(path)

    for book_format, paths in by_format.items():
        print(json.dumps({'format': book_format, 'files': len(paths), 'seconds': time_loop(paths)}), flush=True)
        with quick_metadata:
            seconds = time_loop(paths)
        print(json.dumps({'format': f'{book_format}-quick', 'files': len(paths), 'seconds': seconds}), flush=True)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: calibre-debug -e calibre_bench.py -- LIST_FILE')
    main(sys.argv[1])
