"""A workbook bound into a volume: a copy that prints only some of its sheets, with a margin for
the volume's page number.

The copy keeps the workbook as it is (data, widths, charts, print titles) and hides the sheets not
printed, without their print ranges (LibreOffice exports no hidden sheet but the range of one). Every printed sheet gets the binding margins below:
22 mm on every side but the right. An upright page is bound at its left edge and numbered at its
foot; a landscape page is bound with its head towards the binding edge (as
``stamping.read_geometry`` turns Word's landscape sections), so its left edge becomes the foot
where the number goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook

from pipeline.printing.stamping import PageGeometry
from pipeline.wordkit.spec import MM

BINDING_IN = 22 / 25.4  # inches, as spreadsheets give margins
OTHER_IN = 0.4


def print_copy(src: Path, dst: Path, sheets: Sequence[str]) -> tuple[PageGeometry, PageGeometry]:
    """Write ``dst``: ``src`` with only ``sheets`` printed (all of them when empty), each with the
    binding margins; returns the (upright, landscape) page geometries for the number stamps."""
    wb = load_workbook(src)
    shown = [ws for ws in wb.worksheets if not sheets or ws.title in sheets] or wb.worksheets[:1]
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws in shown else "hidden"
        if ws not in shown:
            ws.print_area = None  # LibreOffice prints a hidden sheet's print range
    wb.active = wb.worksheets.index(shown[0])
    for ws in shown:
        margins = ws.page_margins
        margins.left = margins.top = margins.bottom = BINDING_IN
        margins.right = OTHER_IN
    wb.save(dst)
    binding, other = BINDING_IN * 25.4 * MM, OTHER_IN * 25.4 * MM
    upright = PageGeometry(210 * MM, 297 * MM, top=binding, bottom=binding, left=binding, right=other)
    # A landscape page turned upright: its right margin is the top, its left margin the foot.
    landscape = PageGeometry(210 * MM, 297 * MM, top=other, bottom=binding, left=binding, right=binding)
    return upright, landscape
