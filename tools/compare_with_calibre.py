"""Compare our readers' metadata with calibre's, field by field.

    python3 tools/compare_with_calibre.py OURS.jsonl CALIBRE.jsonl

OURS.jsonl comes from tools/MetadataDump and CALIBRE.jsonl from tools/calibre_dump.py, both
with one object per file keyed by absolute path. tools/compare-with-calibre.sh runs all three.
A field counts only where calibre has a value; the normalisation rules are printed with the
report so every number can be checked against them.
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import datetime

FIELDS = [
    'title', 'authors', 'series', 'series index', 'publisher', 'language',
    'published date', 'isbn', 'identifiers', 'tags', 'description',
]

RULES = """\
Normalisation rules:
- Text: whitespace runs collapse to one space and control characters are dropped (calibre
  keeps the NUL some PDF producers append); case and punctuation must match.
- Title: calibre has no subtitle field and joins an EPUB 3 subtitle as "Title: Subtitle",
  so either our title or "title: subtitle" matches.
- Title and authors: calibre's "Unknown" placeholder, and a value calibre took from the file
  name (not from the file) when ours differs, mean "calibre has no value".
- Authors: our contributors with role "author", compared as a set (order ignored).
- Language: calibre's ISO 639-2 code and our BCP 47 tag are both reduced to ISO 639-1
  ("eng" and "en-US" both give "en").
- Published date: compared to the precision we have (year, month or day); calibre's date is
  in UTC.
- ISBN: both sides converted to ISBN-13.
- Identifiers: every non-ISBN identifier calibre reports must be among ours, by value.
- Tags: compared as case-insensitive sets. calibre tags cannot contain commas, so calibre
  splits a dc:subject such as "Detective and mystery stories, English" at its commas; ours
  are split the same way before comparing (we keep the subject whole). For PDFs calibre adds the Info /Subject as a tag,
  while we read /Subject as the description, so a calibre tag equal to our description is
  dropped.
- Description: only its presence is compared.
- Page count: calibre's get_metadata returns no page count for EPUB or PDF, so it is not
  compared."""


def collapse(text):
    if not isinstance(text, str):
        return None
    text = ''.join(char for char in text if char.isspace() or unicodedata.category(char) != 'Cc')
    return re.sub(r'\s+', ' ', text).strip() or None


def isbn13(value):
    digits = re.sub(r'[^0-9Xx]', '', value or '').upper()
    if len(digits) == 13:
        return digits
    if len(digits) != 10:
        return None
    stem = '978' + digits[:9]
    check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(stem)) % 10) % 10
    return stem + str(check)


def calibre_values(cal, ours_meta):
    """Calibre's value per field, or None where calibre has no value read from the file."""
    title = collapse(cal.get('title'))
    if title == 'Unknown' or (title == cal.get('filenameTitle') and title != collapse(ours_meta.get('title'))):
        title = None

    authors = sorted(collapse(a) for a in cal.get('authors') or [])
    our_authors = sorted(a['name'] for a in ours_meta.get('authors') or [] if a['role'] == 'author')
    if authors == ['Unknown'] or (authors == sorted(cal.get('filenameAuthors') or []) and authors != our_authors):
        authors = []

    languages = [code or lang for code, lang in zip(cal.get('languagesIso6391') or [], cal.get('languages') or [])]
    languages = [code for code in languages if code and code != 'und']
    identifiers = dict(cal.get('identifiers') or {})
    isbn = identifiers.pop('isbn', None)
    tags = {collapse(tag).casefold() for tag in cal.get('tags') or [] if collapse(tag)}
    description = collapse(ours_meta.get('description'))
    if cal['path'].lower().endswith('.pdf') and description:
        tags.discard(description.casefold())

    return {
        'title': title,
        'authors': authors or None,
        'series': collapse(cal.get('series')),
        'series index': cal.get('seriesIndex') if cal.get('series') else None,
        'publisher': collapse(cal.get('publisher')),
        'language': languages[0] if languages else None,
        'published date': cal.get('pubdate'),
        'isbn': isbn13(isbn) if isbn else None,
        'identifiers': identifiers or None,
        'tags': tags or None,
        'description': True if collapse(cal.get('comments')) else None,
    }


def our_values(meta):
    title = collapse(meta.get('title'))
    subtitle = collapse(meta.get('subtitle'))
    language = meta.get('language')
    return {
        'title': title,
        'title with subtitle': f'{title}: {subtitle}' if title and subtitle else None,
        'authors': sorted(a['name'] for a in meta.get('authors') or [] if a['role'] == 'author') or None,
        'series': collapse(meta.get('seriesName')),
        'series index': meta.get('seriesNumber'),
        'publisher': collapse(meta.get('publisher')),
        'language': language.split('-')[0].lower() if language else None,
        'published date': meta.get('publishedDate'),
        'isbn': meta.get('isbn13') or (isbn13(meta['isbn10']) if meta.get('isbn10') else None),
        'identifiers': {i['value'].casefold() for i in meta.get('identifiers') or []},
        'tags': {collapse(part).casefold() for s in meta.get('subjects') or [] for part in s.split(',')
                 if collapse(part)} or None,
        'description': True if meta.get('description') else None,
    }


def agrees(field, ours, theirs):
    mine = ours[field]
    if field == 'title':
        return theirs in (mine, ours['title with subtitle'])
    if field == 'series index':
        return mine is not None and abs(float(mine) - float(theirs)) < 1e-9
    if field == 'published date':
        # Compare the UTC date to the precision of ours: "2012", "2012-05" or "2012-05-20".
        return mine is not None and datetime.fromisoformat(theirs).date().isoformat().startswith(mine)
    if field == 'identifiers':
        return all(value.casefold() in mine for value in theirs.values())
    return mine == theirs


def shown(value):
    if isinstance(value, (set, list)):
        return '[' + ', '.join(sorted(repr(item) for item in value)) + ']'
    if isinstance(value, dict):
        return ', '.join(f'{key}:{item}' for key, item in sorted(value.items()))
    return repr(value)


def main(ours_path, calibre_path):
    ours_by_path = {}
    with open(ours_path, encoding='utf-8') as handle:
        for line in handle:
            entry = json.loads(line)
            ours_by_path[entry['path']] = entry
    with open(calibre_path, encoding='utf-8') as handle:
        calibre = [json.loads(line) for line in handle]

    root = common_root([entry['path'] for entry in calibre])
    compared, agreed, ours_only = Counter(), Counter(), Counter()
    disagreements, outcomes, unread = [], Counter(), []
    for cal in calibre:
        ours = ours_by_path.get(cal['path'])
        if ours is None:
            sys.exit(f"error: no result of ours for {cal['path']}: the two dumps were made from different files")

        meta = ours.get('metadata') or {}
        theirs = calibre_values(cal, meta) if 'error' not in cal else dict.fromkeys(FIELDS)
        mine = our_values(meta)
        calibre_read = any(value is not None for value in theirs.values())
        relative = cal['path'][len(root):]
        outcomes[(ours['error'] is None, calibre_read)] += 1
        if ours['error'] is not None or not calibre_read:
            unread.append((relative, ours['error'], calibre_read))
        for field in FIELDS:
            if theirs[field] is None:
                ours_only[field] += mine[field] is not None and mine[field] != set()
                continue
            compared[field] += 1
            if agrees(field, mine, theirs[field]):
                agreed[field] += 1
            else:
                note = f" (our read failed: {ours['error']})" if ours['error'] else ''
                disagreements.append((relative, field, shown(mine[field]), shown(theirs[field]), note))

    print_report(compared, agreed, ours_only, disagreements, outcomes, len(calibre))
    print_unread(unread)


def print_unread(unread):
    print()
    print(f'Files that we failed to read or where calibre returned no value ({len(unread)}):')
    for path, error, calibre_read in unread:
        ours = f'our error: {error}' if error else 'we read it'
        theirs = 'calibre read it' if calibre_read else 'calibre returned nothing from the file'
        print(f'- {path}: {ours}; {theirs}')


def common_root(paths):
    if not paths:
        return ''
    prefix = paths[0].rsplit('/', 1)[0] + '/'
    for path in paths:
        while not path.startswith(prefix):
            prefix = prefix[:-1].rsplit('/', 1)[0] + '/'
    return prefix


def print_report(compared, agreed, ours_only, disagreements, outcomes, file_count):
    print(f'Files compared with calibre: {file_count}')
    print(f'  read by both: {outcomes[(True, True)]}, only by us: {outcomes[(True, False)]}, '
          f'only by calibre: {outcomes[(False, True)]}, by neither: {outcomes[(False, False)]}')
    print('  ("read by calibre" means it returned at least one value from the file itself)')
    print()
    print(f"{'field':<16}{'calibre has':>12}{'agree':>8}{'disagree':>10}{'agreement':>11}{'only ours':>11}")
    for field in FIELDS:
        total, same = compared[field], agreed[field]
        percent = f'{100 * same / total:.1f} %' if total else '-'
        print(f'{field:<16}{total:>12}{same:>8}{total - same:>10}{percent:>11}{ours_only[field]:>11}')
    total, same = sum(compared.values()), sum(agreed.values())
    percent = f'{100 * same / total:.1f} %' if total else '-'
    print(f"{'all fields':<16}{total:>12}{same:>8}{total - same:>10}{percent:>11}{sum(ours_only.values()):>11}")
    print('"only ours": files where we read a value and calibre has none (not counted above).')
    print()
    print(f'Disagreements ({len(disagreements)}):')
    for path, field, mine, theirs, note in disagreements:
        print(f'- {path} [{field}]: ours {mine}, calibre {theirs}{note}')
    print()
    print(RULES)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: compare_with_calibre.py OURS.jsonl CALIBRE.jsonl')
    main(sys.argv[1], sys.argv[2])
