"""CSV files people open in a spreadsheet: no cell may run as a formula.

A cell starting with = + - @ (or a tab or carriage return, which some programs
skip before looking) is prefixed with an apostrophe, so Excel, LibreOffice and
Google Sheets show it as text (OWASP's advice on CSV injection)."""
import csv
import io
from typing import Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet must not run a cell as a formula: prefix those with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The header and rows as CSV, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
