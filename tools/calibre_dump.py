"""Print what calibre's ebook-meta reads from each book file, one JSON object per line.

Run it with calibre's interpreter:

    calibre-debug -e tools/calibre_dump.py -- FILE...

Each FILE is read with get_metadata(stream, ext, force_read_metadata=True), the call that
ebook-meta makes (calibre/ebooks/metadata/cli.py in calibre 6.13), so the values match
ebook-meta's without starting one process per file. Paths in the output are absolute.
"""

import io
import json
import os
import sys
import traceback
from contextlib import redirect_stdout

from calibre.ebooks.metadata.meta import get_metadata, metadata_from_filename
from calibre.utils.date import as_utc, is_date_undefined
from calibre.utils.localization import lang_as_iso639_1


def read(path):
    ext = os.path.splitext(path)[1].lstrip('.').lower()
    # calibre fills a missing title or author from the file name ("Title - Author.epub").
    # These are reported so the comparison can treat them as "no value in the file".
    from_name = metadata_from_filename(os.path.basename(path))
    line = {
        'path': os.path.abspath(path),
        'filenameTitle': from_name.title,
        'filenameAuthors': list(from_name.authors or []),
    }
    noise = io.StringIO()
    try:
        with open(path, 'rb') as stream, redirect_stdout(noise):
            mi = get_metadata(stream, ext, force_read_metadata=True)
    except Exception as error:  # calibre raises many types; each becomes this file's error.
        line['error'] = f'{type(error).__name__}: {error}'
        return line

    pubdate = None if mi.pubdate is None or is_date_undefined(mi.pubdate) else as_utc(mi.pubdate)
    line.update({
        'title': mi.title,
        'authors': list(mi.authors or []),
        'series': mi.series,
        'seriesIndex': mi.series_index if mi.series else None,
        'publisher': mi.publisher,
        'languages': list(mi.languages or []),
        'languagesIso6391': [lang_as_iso639_1(code) for code in mi.languages or []],
        'pubdate': pubdate.isoformat() if pubdate else None,
        'identifiers': dict(mi.get_identifiers()),
        'tags': list(mi.tags or []),
        'comments': mi.comments,
        'log': noise.getvalue().strip() or None,
    })
    return line


def main(args):
    if not args:
        print('usage: calibre-debug -e calibre_dump.py -- FILE...', file=sys.stderr)
        return 2

    for path in args:
        try:
            line = read(path)
        except Exception:
            line = {'path': os.path.abspath(path), 'error': traceback.format_exc(limit=1)}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
