"""Writing the spreadsheets staff open (audit, import reports, expiry, statistics).

Every workbook: an "Info" sheet saying what the file is, for which date, made when, with which
rules version (labels in column A, values in column B, one printed page); then data sheets with
a bold frozen header, autofilter, sensible widths, real Excel dates shown dd-mm-jjjj, numbers
as numbers (decimals with a number format), coloured status cells, optional native charts. The
workbook opens on the first data sheet. Each data sheet prints landscape, as wide as the page
and as many pages long as it takes, its header row repeated on every page; long texts wrap.
Every cell is text unless the tool means a number or a date: text that Excel would run as a
formula (in a header, a title or a cell) is stored as a string, so a provider's sheet cannot
smuggle a formula into a report. Files are written atomically (temp file, then rename).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from smr_register.render.cells import Column, people_value, spreadsheet_safe
from smr_register.render.files import atomic_path

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
DECIMAL_FORMAT = "0.0##"  # 15.0, 24.5, 2.25: points and hours as numbers, never as text
# A text column wider than this wraps its cells (an explanation, a list of what is missing).
WRAP_WIDTH = 50
SHEET_NAME_LENGTH = 31  # Excel's limit
INFO_WIDTH = 80  # the Info sheet's value column: with the labels, one portrait page wide

# Fill colours per status value (audit statuses and import outcomes).
STATUS_FILLS = {
    "on-track": "C6EFCE",
    "renewed": "C6EFCE",
    "behind": "FFF2CC",
    "credited": "C6EFCE",
    "due": "FFEB9C",
    "held": "FFEB9C",
    "at-risk": "FFC7CE",
    "non-compliant": "FF9999",
    "rejected": "FF9999",
    "expired": "D9D9D9",
    "suspended": "D9D9D9",
    "withdrawn": "BFBFBF",
    "skipped": "EDEDED",
    "duplicate": "EDEDED",
}


@dataclass(frozen=True)
class ChartSpec:
    """A native Excel chart over the sheet's columns: one category column, value columns."""

    kind: str  # "bar" | "line"
    title: str
    category_key: str
    value_keys: Sequence[str]
    y_title: str | None = None


@dataclass(frozen=True)
class Sheet:
    """One data sheet: a bold frozen header, autofilter, widths, status fills, a chart."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    status_key: str | None = None
    chart: ChartSpec | None = None
    widths: Mapping[str, int] = field(default_factory=dict)


def _cell_value(value: Any) -> Any:
    """Excel-native values: dates stay dates, Decimals become numbers, text is guarded."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(_cell_value(v)) for v in value)
    return str(value)


def _as_text(cells: Any) -> None:
    """A cell whose text starts like a formula is stored as a string (shown, never run)."""
    for cell in cells:
        if isinstance(cell.value, str) and spreadsheet_safe(cell.value) != cell.value:
            cell.data_type = "s"
            cell.quotePrefix = True


def _width(values: Sequence[Any], header: str) -> int:
    """Characters wide enough for the values (a sample) and the header's longest word (the
    header row wraps)."""
    longest = max((len(word) for word in header.split()), default=0)
    for value in values[:500]:
        if isinstance(value, date):
            text_len = 10
        elif value is None:
            text_len = 0
        else:
            text_len = max((len(part) for part in str(value).split("\n")), default=0)
        longest = max(longest, text_len)
    return min(max(longest + 2, 8), WRAP_WIDTH + 10)


def _lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide."""
    import textwrap

    return sum(max(len(textwrap.wrap(part, max(width - 1, 1))), 1)
               for part in text.split("\n"))


def _height(lines: int) -> float:
    """A row's height in points for `lines` lines of text: set, because a spreadsheet does not
    always grow a row for wrapped text (LibreOffice printed headers over one another)."""
    return 15.0 * lines


def sheet_title(name: str, used: Sequence[str] = ()) -> str:
    """A sheet name Excel accepts: at most 31 characters, cut between words (never mid-word),
    without the characters Excel refuses, unique among `used`."""
    clean = "".join(ch for ch in name if ch not in "[]:*?/\\").strip() or "Sheet"
    if len(clean) > SHEET_NAME_LENGTH:
        words = clean[:SHEET_NAME_LENGTH + 1].split()
        cut = " ".join(words[:-1]) if len(words) > 1 else clean[:SHEET_NAME_LENGTH]
        clean = cut.rstrip(" ,;-")[:SHEET_NAME_LENGTH]
    title, n = clean, 2
    taken = {u.casefold() for u in used}
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = clean[:SHEET_NAME_LENGTH - len(suffix)] + suffix, n + 1
    return title


def print_setup(ws: Any, *, one_page: bool = False) -> None:
    """Landscape A4, as wide as the page (as many pages long as it takes: fitToHeight 0), the
    header row on every page, the page number in the footer. `one_page`: portrait, one page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if one_page else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if not one_page:
        ws.print_title_rows = "1:1"
        ws.oddHeader.left.text = "&A"
        ws.oddFooter.right.text = "&P / &N"


def _write_sheet(workbook: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from smr_register.domain.i18n import _

    ws = workbook.create_sheet(sheet_title(sheet.name, workbook.sheetnames))
    ws.append([_(col.header) if col.header else "" for col in sheet.columns])
    bold = Font(bold=True)
    header_alignment = Alignment(wrap_text=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = header_alignment
    _as_text(ws[1])  # a provider's header is text like its cells: `=HYPERLINK(...)` stays text
    fills = {status: PatternFill("solid", start_color=rgb, end_color=rgb)
             for status, rgb in STATUS_FILLS.items()}
    status_index = next((i for i, col in enumerate(sheet.columns)
                         if col.key == sheet.status_key), None)
    widths = [sheet.widths.get(col.key) or _width([r.get(col.key) for r in sheet.rows],
                                                  col.header) for col in sheet.columns]
    wrapped = Alignment(wrap_text=True)  # bottom-aligned, as the row's other cells
    wraps = {index for index, width in enumerate(widths, start=1) if width >= WRAP_WIDTH}
    tallest: dict[int, int] = {}  # rows with a wrapped cell: their number of lines
    header_lines = max((_lines(_(col.header) if col.header else "", width)
                        for col, width in zip(sheet.columns, widths, strict=True)), default=1)
    if header_lines > 1:
        ws.row_dimensions[1].height = _height(header_lines)
    excel_row = 1  # our own counter: ws.max_row and ws[row] scan every cell (quadratic)
    for row in sheet.rows:
        excel_row += 1
        values = [row.get(col.key) for col in sheet.columns]
        written = [_cell_value(people_value(col, value))
                   for col, value in zip(sheet.columns, values, strict=True)]
        ws.append(written)
        for index, (value, text) in enumerate(zip(values, written, strict=True), start=1):
            if isinstance(value, datetime):
                ws.cell(excel_row, index).number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                ws.cell(excel_row, index).number_format = DATE_FORMAT
            elif isinstance(text, float):
                ws.cell(excel_row, index).number_format = DECIMAL_FORMAT
            elif isinstance(text, str):
                if spreadsheet_safe(text) != text:
                    _as_text([ws.cell(excel_row, index)])  # also a list joined into text
                if index in wraps:
                    ws.cell(excel_row, index).alignment = wrapped
                    lines = _lines(text, WRAP_WIDTH)
                    if lines > 1:
                        tallest[excel_row] = max(tallest.get(excel_row, 1), lines)
        if status_index is not None:
            status = str(row.get(sheet.status_key or "") or "")
            if status in fills:
                ws.cell(excel_row, status_index + 1).fill = fills[status]
    for excel_row_number, lines in tallest.items():
        ws.row_dimensions[excel_row_number].height = _height(lines)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(sheet.columns), 1))
    ws.auto_filter.ref = f"A1:{last}{excel_row}"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(width, WRAP_WIDTH) \
            if index in wraps else width
    print_setup(ws)
    if sheet.chart and sheet.rows:
        _chart(ws, sheet)


def _chart(ws: Any, sheet: Sheet) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.utils import get_column_letter

    assert sheet.chart is not None
    spec = sheet.chart
    chart = BarChart() if spec.kind == "bar" else LineChart()
    chart.title = spec.title
    if spec.y_title:
        chart.y_axis.title = spec.y_title
    keys = [col.key for col in sheet.columns]
    cat_col = keys.index(spec.category_key) + 1
    n = len(sheet.rows)
    for key in spec.value_keys:
        col_index = keys.index(key) + 1
        data = Reference(ws, min_col=col_index, min_row=1, max_row=n + 1)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=cat_col, min_row=2, max_row=n + 1))
    if len(spec.value_keys) == 1:  # one series: its name is the title already
        chart.legend = None
    chart.width, chart.height = 24, 12
    ws.add_chart(chart, f"{get_column_letter(len(sheet.columns) + 2)}2")


def _info_sheet(workbook: Any, info: Sequence[tuple[str, Any]]) -> None:
    """Labels in column A, their values in column B, all left-aligned at the top of their cell
    (a date beside a text reads as one list), long values wrapped: one printed page."""
    from openpyxl.styles import Alignment, Font

    ws = workbook.active
    ws.title = "Info"
    label_style = Font(bold=True)
    aligned = Alignment(horizontal="left", vertical="top", wrap_text=True)
    for row, (label, value) in enumerate(info, start=1):
        ws.cell(row, 1, label)
        ws.cell(row, 2, _cell_value(value))
        _as_text([ws.cell(row, 1), ws.cell(row, 2)])
        if isinstance(value, datetime):
            ws.cell(row, 2).number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            ws.cell(row, 2).number_format = DATE_FORMAT
        ws.cell(row, 1).font = label_style
        ws.cell(row, 1).alignment = aligned
        ws.cell(row, 2).alignment = aligned
        lines = _lines(str(ws.cell(row, 2).value or ""), INFO_WIDTH)
        if lines > 1:
            ws.row_dimensions[row].height = _height(lines)
    ws.column_dimensions["A"].width = max((len(str(label)) for label, _v in info),
                                          default=10) + 2
    ws.column_dimensions["B"].width = INFO_WIDTH
    print_setup(ws, one_page=True)


def write_workbook(
    path: Path,
    sheets: Sequence[Sheet],
    *,
    title: str,
    as_of: date | None,
    made_at: datetime,
    rules_version: str | None,
    extra_info: Sequence[tuple[str, Any]] = (),
) -> None:
    """Write `sheets` after an Info sheet, atomically, with fixed zip timestamps.

    With the same inputs (including `made_at`) the bytes are the same, so nightly files can
    be compared.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    info: list[tuple[str, Any]] = [("Rapport / report", title)]
    if as_of is not None:
        info.append(("Peildatum / as of", as_of))
    info.append(("Gemaakt / made", made_at.replace(tzinfo=None)))
    if rules_version:
        info.append(("Regels / rules version", rules_version))
    info.extend(extra_info)
    info.append(("Register", "Kwaliteitsregister Stoppen met Roken (smr-register)"))
    _info_sheet(workbook, info)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    if sheets:  # it opens on the data, not on the Info sheet
        workbook.active = 1
        for ws in workbook.worksheets:
            ws.sheet_view.tabSelected = ws is workbook.active
    stamp = made_at.replace(tzinfo=None)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "smr-register"
    with atomic_path(path) as tmp:
        _save(workbook, tmp)


def _save(workbook: Any, path: Path) -> None:
    """`workbook.save(path)`, byte-identical on every rerun with the same data: openpyxl's
    save stamps the properties' `modified` with the clock (two nightly reports with
    SOURCE_DATE_EPOCH differed whenever they straddled a second) and each zip entry with the
    time of writing. Its ExcelWriter leaves the properties alone; the entries are written into
    memory and copied to `path` with one fixed timestamp."""
    import io

    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    with zipfile.ZipFile(buffer) as source, \
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))


@dataclass(frozen=True)
class Workbook:
    """A whole workbook to write: what the Info sheet says, and the data sheets."""

    sheets: Sequence[Sheet]
    title: str
    as_of: date | None
    rules_version: str | None
    extra_info: Sequence[tuple[str, Any]] = ()
    made: datetime | None = None  # None: `made_at()` when written

    def write(self, path: Path) -> None:
        """Write it atomically to `path`."""
        write_workbook(path, self.sheets, title=self.title, as_of=self.as_of,
                       made_at=self.made or made_at(), rules_version=self.rules_version,
                       extra_info=self.extra_info)


def made_at() -> datetime:
    """When a file is made: now, or SOURCE_DATE_EPOCH (reproducible builds) for reruns that
    must be byte-identical, e.g. a nightly report compared with yesterday's."""
    from datetime import UTC

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
