"""Fitting a table to the terminal: dates, numbers, registration numbers and statuses are
never cut; less important columns are left out, names wrap between words.

Every column gets a fixed width from here, so rich never shortens a cell with "…": a column
that must stay whole (`Column.no_wrap`, or every value a date or a number) is as wide as its
widest cell; a column that wraps is at least as wide as its longest word (a long word beyond
`LONGEST_WORD` is folded); a header wraps between its words. When even that does not fit, the
columns of the highest `Column.priority` go first, the rightmost of equals first, and the
table says under it which ones were left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from smr_register.render.cells import Column

# A word longer than this (a file path, an e-mail address) is folded rather than widening its
# column beyond it.
LONGEST_WORD = 20


@dataclass(frozen=True)
class Fitted:
    """The columns shown (indexes into the table's columns) and their widths, and the headers
    of those left out."""

    shown: list[int]
    widths: list[int]
    left_out: list[str]


def _cell_width(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def stays_whole(column: Column, values: Sequence[Any]) -> bool:
    """A column shown whole or not at all: declared so, or all its values are dates/numbers."""
    if column.no_wrap is not None:
        return column.no_wrap
    present = [v for v in values if v is not None and v != ""]
    return bool(present) and all(isinstance(v, date | int | float | Decimal) for v in present)


def table_overhead(count: int) -> int:
    """Characters a rich table with edges and one space of padding adds to `count` columns."""
    return 3 * count + 1


def fit(columns: Sequence[Column], headers: Sequence[str], cells: Sequence[Sequence[str]],
        whole: Sequence[bool], width: int) -> Fitted:
    """Which columns to show, how wide, within `width` characters (cells: per row, per column,
    as shown)."""
    n = len(columns)
    least: list[int] = []
    most: list[int] = []
    for i in range(n):
        texts = [row[i] for row in cells]
        widest = max((_cell_width(t) for t in texts), default=0)
        header_word = _longest_word(headers[i])
        if whole[i]:
            low = max(widest, header_word)
        else:
            words = min(max((_longest_word(t) for t in texts), default=0), LONGEST_WORD)
            low = max(words, header_word, columns[i].min_width or 0, 1)
        least.append(low)
        most.append(max(low, widest, _cell_width(headers[i])))
    shown = list(range(n))
    # the highest priority number first, the rightmost of equals first
    order = sorted((i for i in range(n) if columns[i].priority > 0),
                   key=lambda i: (-columns[i].priority, -i))
    for candidate in order:
        if sum(least[i] for i in shown) + table_overhead(len(shown)) <= width:
            break
        shown.remove(candidate)
    room = width - table_overhead(len(shown))
    widths = _share(room, [least[i] for i in shown], [most[i] for i in shown])
    left_out = [headers[i] for i in range(n) if i not in shown]
    return Fitted(shown, widths, left_out)


def _share(room: int, least: list[int], most: list[int]) -> list[int]:
    """Each column its least width, then what is left of `room` shared out in proportion to
    what each still wants, never more than its most."""
    widths = list(least)
    spare = room - sum(widths)
    if spare <= 0:
        return widths
    wants = [m - w for m, w in zip(most, widths, strict=True)]
    total = sum(wants)
    if total <= spare:
        return list(most)
    for i, want in enumerate(wants):
        widths[i] += want * spare // total
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: widths[i] - most[i]):
        if spare <= 0:
            break
        if widths[i] < most[i]:
            widths[i] += 1
            spare -= 1
    return widths
