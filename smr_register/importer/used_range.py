"""An xlsx's used range, measured from its XML before the reader sees the file.

python-calamine allocates the bounding box of a sheet's cells at once: one cell at XFD1048576
asked for 512 GiB and aborted the process. `check_used_range` refuses such a sheet first, naming
the file and the far cell, so a provider's stray cell is an exit 3 with a way out, not a crash.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

from smr_register.domain.i18n import _
from smr_register.errors import InputFileError

# The largest used range of a sheet (rows x columns) handed to the reader, which allocates it
# whole: one cell at XFD1048576 asked for 512 GiB and aborted the process.
MAX_CELLS = 20_000_000
# The largest part of an xlsx zip read to find the used range (an XML bomb stops here).
MAX_SHEET_XML = 1024 * 2**20


def check_used_range(path: Path, data: bytes) -> None:
    """Refuse an xlsx whose sheets' used range is larger than MAX_CELLS before calamine, which
    allocates the bounding box of all the cells at once, sees it. The extent is read from the
    sheets' XML, not from the <dimension> element a hostile file can leave out: rows from the
    first and last <row> elements (xlsx writes them in order), then every cell or row element
    that could reach further: past column Z, or numbered with as many digits as the last row or
    more (neither a cell's nor a row's number need follow the order). One C regex pass finds next
    to nothing in an ordinary list."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/sheet"):
                    continue
                if info.file_size > MAX_SHEET_XML:
                    raise InputFileError(_("{path}: a sheet of {size} MiB unpacked is more than "
                                           "the importer reads").format(
                                           path=path, size=info.file_size // 2**20))
                xml = archive.read(info)
                first = _FIRST_ROW.search(xml)
                rows = [int(r[:_MOST_DIGITS])
                        for r in (first.group(1) if first else None, _last_row(xml)) if r]
                top, bottom, width = min(rows, default=1), max(rows, default=1), 26
                for wide, wide_row, row in _far_cells(len(str(bottom))).findall(xml):
                    if wide:  # a cell past column Z (a row element has no letters)
                        width = max(width, _column_index(wide[:_MOST_LETTERS]) + 1)
                    bottom = max(bottom, int((wide_row or row)[:_MOST_DIGITS]))
                cells = width * (bottom - min(top, bottom) + 1)
                if cells > MAX_CELLS:
                    raise InputFileError(
                        _("{path}: a sheet's used range spans {width:,} cells (up to "
                          "{column_letter}{rows}); delete the stray cells far from the list and "
                          "import it again").format(
                          path=path, width=cells, column_letter=column_letter(width - 1),
                          rows=bottom))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise InputFileError(_("{path}: cannot be read as a xlsx "
                               "workbook (corrupt?): {exc}").format(
                               path=path, exc=exc)
                             ) from None


# References past Excel's limits (XFD, 1048576) count too: calamine reads any number it is given
# (row 99,999,999 made it allocate for minutes; column ZZZZZZZZ asked for 78 GB). A number is
# cut to _MOST_DIGITS or _MOST_LETTERS before it is read: still far past MAX_CELLS, never a
# number Python refuses to convert.
_FIRST_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"')
_MOST_DIGITS, _MOST_LETTERS = 13, 8


@cache
def _far_cells(digits: int) -> re.Pattern[bytes]:
    """Cell references (an attribute r) past column Z, or cell or row references (`<row r=`)
    with a row number of `digits` digits or more: a cell without a reference of its own is
    placed in its row element's row. The pattern starts with the literal `r="`, which the regex
    engine skips to (a word boundary or a look-behind in front made it 8x slower on a
    100,000-row sheet); the look-behind after it keeps out attributes such as xr="..."."""
    return re.compile(rb'r="(?<=\sr=")(?:([A-Z]{2,})([0-9]+)|[A-Z]?([0-9]{%d,}))"' % digits)


def _last_row(xml: bytes) -> bytes | None:
    start = xml.rfind(b"<row ")
    found = _FIRST_ROW.match(xml, start) if start >= 0 else None
    return found.group(1) if found else None


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

