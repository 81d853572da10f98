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
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from smr_register.domain.i18n import _
from smr_register.errors import InputFileError
from smr_register.importer.columns import Layout, header_key
from smr_register.importer.used_range import check_used_range, column_letter

# The largest file read (a provider's attendance list is a few MiB; 100,000 rows of xlsx are 5).
MAX_FILE_BYTES = 200 * 2**20

# How far below the top of a sheet the header row may be (title rows, logos, blank lines).
HEADER_SEARCH_ROWS = 30

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


@dataclass
class SheetRead:
    """How one file was read: the file (by name and content), its sheet or its encoding and
    delimiter, and its header. A Table has it for reading, the import report for telling."""

    path: Path
    sha256: str
    file_type: str
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_row: int
    headers: list[str]
    unknown: list[str]

    @property
    def name(self) -> str:
        """The file's name as the report shows it."""
        return self.path.name

    def describe(self) -> str:
        """What was used, for the summary: sheet or encoding and delimiter, and header row."""
        if self.file_type == "csv":
            shown = {";": "';'", ",": "','", "\t": "tab"}.get(self.delimiter or "", "?")
            return _("{type}, encoding {encoding}, delimiter {delimiter}, header on row "
                     "{row}").format(type=self.file_type, encoding=self.encoding,
                                     delimiter=shown, row=self.header_row)
        return _("{type}, sheet {sheet!r}, header on row {row}").format(
            type=self.file_type, sheet=self.sheet, row=self.header_row)


@dataclass
class Table(SheetRead):
    """One sheet of one file, its header recognised, its rows still to be iterated."""

    columns: dict[str, int]  # field -> index of its cell in a row
    column_offset: int = 0
    _rows: Iterable[tuple[int, list[Any]]] = field(default=(), repr=False)
    size: int | None = None

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


def read_table(path: Path, layout: Layout, sheet: str | None = None) -> Table:
    """Open `path`, find its header and recognise its columns; raises InputFileError."""
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    kind = _file_type(path, data)
    if kind == "csv":
        if sheet is not None:
            raise InputFileError(_("{path}: --sheet {sheet!r} does not "
                                   "apply to a .csv file").format(
                                   path=path, sheet=sheet))
        return _csv_table(path, data, digest, layout)
    return _spreadsheet_table(path, data, digest, kind, layout, sheet)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: only a regular file of a sane size (a pipe would wait for ever, a link
    to /dev/zero would fill the memory)."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(_("{path}: is a directory, not a file").format(path=path))
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(_("{path}: is not a regular file (a "
                                   "device, pipe or socket)").format(
                                   path=path))
        if info.st_size > MAX_FILE_BYTES:
            raise InputFileError(_("{path}: is {size} MiB; the importer reads files of at most "
                                   "{MAX_FILE_BYTES} MiB").format(
                                   path=path, size=info.st_size // 2**20,
                                   MAX_FILE_BYTES=MAX_FILE_BYTES // 2**20))
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputFileError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise InputFileError(_("{path}: cannot be read ({strerror})").format(
                               path=path, strerror=exc.strerror)) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputFileError(_("{path}: grew past {MAX_FILE_BYTES} MiB while read").format(
                               path=path, MAX_FILE_BYTES=MAX_FILE_BYTES // 2**20))
    if not data.strip():
        raise InputFileError(_("{path}: the file is empty").format(path=path))
    return data


def _file_type(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML in data[:65536] or _ENCRYPTED_OOXML in data:
            raise InputFileError(_("{path}: the workbook is password-protected; save it without "
                                   "a password and import it again").format(path=path))
        return "xls"
    if data.startswith(_ZIP_MAGIC):
        return {".ods": "ods", ".xlsb": "xlsb"}.get(suffix, "xlsx")
    if suffix in SPREADSHEET_SUFFIXES:
        raise InputFileError(_("{path}: is not a {suffix} workbook (corrupt, or another kind of "
                               "file renamed)").format(path=path, suffix=suffix))
    if b"\x00" in data[:8192]:
        raise InputFileError(_("{path}: is neither a spreadsheet nor a text (.csv) file").format(
                               path=path))
    return "csv"


# ---- spreadsheets --------------------------------------------------------------------------


def _spreadsheet_table(path: Path, data: bytes, digest: str, kind: str, layout: Layout,
                       sheet: str | None) -> Table:
    """A workbook's sheet as a Table; calamine's panics (Rust, BaseExceptions: a cut-off .xls)
    become the file's InputFileError, here and while the rows are read later."""
    try:
        return _calamine_table(path, data, digest, kind, layout, sheet)
    except BaseException as exc:
        raise _unreadable(path, kind, exc) from None


def _unreadable(path: Path, kind: str, exc: BaseException) -> BaseException:
    """The error to raise for `exc` from a reader: its own for ours and for interrupts."""
    if isinstance(exc, InputFileError | KeyboardInterrupt | SystemExit | MemoryError):
        return exc
    if type(exc).__name__ == "PanicException" or isinstance(exc, csv.Error | ValueError):
        return InputFileError(_("{path}: cannot be read as a {kind} file (corrupt or cut off?): "
                                "{exc}").format(
                                path=path, kind=kind,
                                exc=str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    return exc


def guarded_rows(path: Path, kind: str, rows: Iterator[tuple[int, list[Any]]]
                 ) -> Iterator[tuple[int, list[Any]]]:
    """`rows`, with a reader's failure while they are read turned into the file's error."""
    try:
        yield from rows
    except BaseException as exc:
        raise _unreadable(path, kind, exc) from None


@contextmanager
def _calamine_errors(path: Path, corrupt: str, **facts: str) -> Iterator[None]:
    """The reader's failures in opening a workbook or one of its sheets, as an InputFileError
    naming the file: a password is the user's to remove, anything else is a corrupt file
    (`corrupt` is the message, formatted with `path`, the reader's `exc` and `facts`)."""
    from python_calamine import CalamineError, PasswordError

    try:
        yield
    except PasswordError:
        raise InputFileError(_("{path}: the workbook is password-protected; save it without a "
                               "password and import it again").format(path=path)) from None
    except CalamineError as exc:
        raise InputFileError(corrupt.format(path=path, exc=exc, **facts)) from None


def _calamine_table(path: Path, data: bytes, digest: str, kind: str, layout: Layout,
                    sheet: str | None) -> Table:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    if kind == "xlsx":
        check_used_range(path, data)
    with _calamine_errors(path, _("{path}: cannot be read as a {kind} workbook (corrupt?): "
                                  "{exc}"), kind=kind):
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = list(workbook.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise InputFileError(_("{path}: no sheet {sheet!r} (sheets: {sheets})").format(
                                   path=path, sheet=sheet,
                                   sheets=', '.join(repr(n) for n in names)))
        candidates = [sheet]
    else:
        candidates = [meta.name for meta in workbook.sheets_metadata
                      if meta.visible == SheetVisibleEnum.Visible
                      and meta.typ == SheetTypeEnum.WorkSheet] or names
    first_problem: InputFileError | None = None
    for name in candidates:
        with _calamine_errors(path, _("{path}: sheet {name!r} cannot be read (corrupt?): "
                                      "{exc}"), name=name):
            sheet_data = workbook.get_sheet_by_name(name)
        rows = guarded_rows(path, kind, enumerate(sheet_data.iter_rows(), start=1))
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
        raise InputFileError(_("{path}: is not a text file in UTF-8 or cp1252 (Windows) "
                               "encoding").format(
                               path=path)) from None


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits most of the first lines into the same, largest number of
    fields: title lines have one field whatever the delimiter, decimal commas do not line up."""
    best, best_score = ";", (0, 0)
    for delimiter in (";", ",", "\t"):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        except csv.Error:  # a field past the csv module's limit: the rows' reader says so
            continue
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
        rows = guarded_rows(path, "csv", ((number, [cell.strip() for cell in cells])
                                          for number, cells in enumerate(reader, start=1)))
        return _table(path, digest, "csv", rows, layout, encoding=encoding, delimiter=delimiter,
                      size=text.count("\n") + 1)
    except csv.Error as exc:
        raise InputFileError(_("{path}: is not a readable .csv file: {exc}").format(
                               path=path, exc=exc)) from None


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
        raise InputFileError((_("{path}: sheet {sheet!r} holds no rows") if sheet else
                              _("{path}: holds no rows")).format(path=path, sheet=sheet))
    if best is None:
        expected = ", ".join(layout.label(group[0]) for group in layout.required)
        raise InputFileError((_("{path}: no header row found in the first {rows} rows of sheet "
                                "{sheet!r} (expected columns such as {expected})") if sheet else
                              _("{path}: no header row found in the first {rows} rows "
                                "(expected columns such as {expected})")).format(
                               path=path, rows=HEADER_SEARCH_ROWS, sheet=sheet,
                               expected=expected))
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
        raise InputFileError(_("{path}: the header on row {header_number} has no column for "
                               "{names} (found: {found})").format(
                               path=path, header_number=header_number, names=names,
                               found=", ".join(h for h in headers if h)))
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
