"""Reading a provider's file into a `Table`: header found, columns recognised, rows numbered.

Spreadsheets (.xlsx/.xlsm/.xls/.xlsb/.ods) go through python-calamine, about ten times faster
than openpyxl's read-only mode; the format is told from the bytes, not the file name. A .csv has
its encoding detected (UTF-8 with or without BOM, else cp1252, as Dutch Excel writes) and its
delimiter sniffed (`;` `,` tab). Row numbers are the ones a spreadsheet program shows (1 is the
first line of the file), in the report and in the register alike.

A file that cannot be used at all raises `InputFileError` with one line naming the file; the
rows' contents are not judged here.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from smr_register.errors import InputFileError
from smr_register.importer.columns import Layout, header_key

# How far below the top of a sheet the header row may be (title rows, logos, blank lines).
HEADER_SEARCH_ROWS = 30

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


@dataclass
class Table:
    """One sheet of one file, its header recognised, its rows still to be iterated."""

    path: Path
    sha256: str
    file_type: str
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_row: int
    headers: list[str]
    columns: dict[str, int]
    unknown: list[str]
    column_offset: int = 0
    _rows: Iterable[tuple[int, list[Any]]] = field(default=(), repr=False)
    size: int | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) of every row below the header, cells padded to the header."""
        if self.file_type != "csv":  # calamine's rows all have the sheet's width
            yield from self._rows
            return
        width = len(self.headers)
        for number, cells in self._rows:
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            yield number, cells

    def describe(self) -> str:
        """What was used, for the summary: sheet or encoding and delimiter, and header row."""
        if self.file_type == "csv":
            shown = {";": "';'", ",": "','", "\t": "tab"}.get(self.delimiter or "", "?")
            return (f"{self.file_type}, encoding {self.encoding}, delimiter {shown}, "
                    f"header on row {self.header_row}")
        return f"{self.file_type}, sheet {self.sheet!r}, header on row {self.header_row}"


def read_table(path: Path, layout: Layout, sheet: str | None = None) -> Table:
    """Open `path`, find its header and recognise its columns; raises InputFileError."""
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    kind = _file_type(path, data)
    if kind == "csv":
        if sheet is not None:
            raise InputFileError(f"{path}: --sheet {sheet!r} does not apply to a .csv file")
        return _csv_table(path, data, digest, layout)
    return _spreadsheet_table(path, data, digest, kind, layout, sheet)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputFileError(f"{path}: the file is empty")
    return data


def _file_type(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML in data[:65536] or _ENCRYPTED_OOXML in data:
            raise InputFileError(f"{path}: the workbook is password-protected; save it "
                                 f"without a password and import it again")
        return "xls"
    if data.startswith(_ZIP_MAGIC):
        return {".ods": "ods", ".xlsb": "xlsb"}.get(suffix, "xlsx")
    if suffix in SPREADSHEET_SUFFIXES:
        raise InputFileError(f"{path}: is not a {suffix} workbook (corrupt, or another kind "
                             f"of file renamed)")
    if b"\x00" in data[:8192]:
        raise InputFileError(f"{path}: is neither a spreadsheet nor a text (.csv) file")
    return "csv"


# ---- spreadsheets --------------------------------------------------------------------------


def _spreadsheet_table(path: Path, data: bytes, digest: str, kind: str, layout: Layout,
                       sheet: str | None) -> Table:
    from python_calamine import (
        CalamineError,
        CalamineWorkbook,
        PasswordError,
        SheetTypeEnum,
        SheetVisibleEnum,
    )

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise InputFileError(f"{path}: the workbook is password-protected; save it without a "
                             f"password and import it again") from None
    except CalamineError as exc:
        raise InputFileError(f"{path}: cannot be read as a {kind} workbook (corrupt?): "
                             f"{exc}") from None
    names = list(workbook.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise InputFileError(f"{path}: no sheet {sheet!r} (sheets: "
                                 f"{', '.join(repr(n) for n in names)})")
        candidates = [sheet]
    else:
        candidates = [meta.name for meta in workbook.sheets_metadata
                      if meta.visible == SheetVisibleEnum.Visible
                      and meta.typ == SheetTypeEnum.WorkSheet] or names
    first_problem: InputFileError | None = None
    for name in candidates:
        try:
            sheet_data = workbook.get_sheet_by_name(name)
        except PasswordError:
            raise InputFileError(f"{path}: the workbook is password-protected; save it "
                                 f"without a password and import it again") from None
        except CalamineError as exc:
            raise InputFileError(f"{path}: sheet {name!r} cannot be read (corrupt?): "
                                 f"{exc}") from None
        rows = enumerate(sheet_data.iter_rows(), start=1)
        try:
            return _table(path, digest, kind, rows, layout, sheet=name,
                          column_offset=(sheet_data.start or (0, 0))[1],
                          size=sheet_data.height)
        except InputFileError as problem:
            if sheet is not None or len(candidates) == 1:
                raise
            first_problem = first_problem or problem
    assert first_problem is not None
    raise first_problem


# ---- csv -------------------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes, else cp1252 (Windows Excel's default)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return data[3 if bom else 0:].decode("utf-8"), "utf-8 with BOM" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: is not a text file in UTF-8 or cp1252 (Windows) "
                             f"encoding") from None


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits most of the first lines into the same, largest number of
    fields: title lines have one field whatever the delimiter, decimal commas do not line up."""
    best, best_score = ";", (0, 0)
    for delimiter in (";", ",", "\t"):
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not widths:
            continue
        width, count = Counter(w for w in widths if w > 1).most_common(1)[0] \
            if any(w > 1 for w in widths) else (1, 0)
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_table(path: Path, data: bytes, digest: str, layout: Layout) -> Table:
    text, encoding = _decode(path, data)
    sample = text[:200_000].splitlines()[:HEADER_SEARCH_ROWS + 20]
    delimiter = sniff_delimiter(sample)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = ((number, [cell.strip() for cell in cells])
                for number, cells in enumerate(reader, start=1))
        return _table(path, digest, "csv", rows, layout, encoding=encoding, delimiter=delimiter,
                      size=text.count("\n") + 1)
    except csv.Error as exc:
        raise InputFileError(f"{path}: is not a readable .csv file: {exc}") from None


# ---- the header --------------------------------------------------------------------------


def _table(path: Path, digest: str, kind: str, rows: Iterator[tuple[int, list[Any]]],
           layout: Layout, *, sheet: str | None = None, encoding: str | None = None,
           delimiter: str | None = None, column_offset: int = 0,
           size: int | None = None) -> Table:
    lookup = layout.lookup()
    seen: list[tuple[int, list[Any]]] = []
    best: tuple[int, int, list[Any]] | None = None  # (score, row number, cells)
    for number, cells in rows:
        seen.append((number, cells))
        score = len({lookup[k] for k in map(header_key, cells) if k in lookup})
        if score >= 2 and (best is None or score > best[0]):
            best = (score, number, cells)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise InputFileError(f"{path}: {'sheet ' + repr(sheet) + ' ' if sheet else ''}"
                             f"holds no rows")
    if best is None:
        expected = ", ".join(layout.label(group[0]) for group in layout.required)
        raise InputFileError(f"{path}: no header row found in the first {HEADER_SEARCH_ROWS} "
                             f"rows{' of sheet ' + repr(sheet) if sheet else ''} (expected "
                             f"columns such as {expected})")
    _score, header_number, header_cells = best
    headers: list[str] = []
    for index, cell in enumerate(header_cells):  # unique, so a report can key cells by header
        text = _header_text(cell, index)
        headers.append(text if text not in headers else f"{text} ({column_letter(index)})")
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header_cells):
        key = lookup.get(header_key(cell))
        if key is not None and key not in columns:
            columns[key] = index
        elif str(cell).strip():
            unknown.append(headers[index])
    missing = [group for group in layout.required if not any(k in columns for k in group)]
    if missing:
        names = "; ".join(" or ".join(layout.label(k) for k in group) for group in missing)
        raise InputFileError(f"{path}: the header on row {header_number} has no column for "
                             f"{names} (found: {', '.join(h for h in headers if h)})")
    below = chain(((n, c) for n, c in seen if n > header_number), rows)
    return Table(path=path, sha256=digest, file_type=kind, sheet=sheet, encoding=encoding,
                 delimiter=delimiter, header_row=header_number, headers=headers,
                 columns=columns, unknown=unknown, column_offset=column_offset, _rows=below,
                 size=None if size is None else max(size - header_number, 0))


def _header_text(cell: Any, index: int) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = " ".join(str(cell).split()) if cell is not None else ""
    return text or f"({column_letter(index)})"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

