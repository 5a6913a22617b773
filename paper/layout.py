"""A page to print: fpdf2 with the embedded DejaVu font, plain black on white, one column.

Everything here is about ink on paper; the words come from the caller (`templates/<locale>/`). One column
and no colour: it prints in black and white, and on a phone a reader zooms into one column and scrolls.
"""

from __future__ import annotations

from functools import cache

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from templates import ROOT

FONTS = ROOT / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
FORMAT = "Letter"  # US Letter: also prints on A4 (the text stays inside both)
MARGIN = 16.0  # mm on every side
LINE = 1.45  # line height, as a multiple of the font size
INK = 0  # black
RULE = 150  # grey of the write-in lines: light enough to write over, dark enough to photocopy
PT = 0.3528  # mm per point


@cache
def _covered() -> frozenset[int]:
    """The characters both fonts can draw. Anything else (an emoji in a name) is left out, so nothing is
    drawn as a box and fpdf2 never logs the missing characters (they are user text)."""
    cmaps = [TTFont(path, lazy=True).getBestCmap() for path in (REGULAR, BOLD)]
    return frozenset(cmaps[0]) & frozenset(cmaps[1])


def printable(text: str) -> str:
    """`text` with only what the font can draw (line breaks kept)."""
    covered = _covered()
    return "".join(c for c in text if c == "\n" or ord(c) in covered)


class Paper:
    """One PDF being written, top to bottom. Sizes are in points; `scale` shrinks them all together so a
    long sheet still fits its pages."""

    def __init__(
        self, footer: str, scale: float = 1.0, title: str = "", leading: float = LINE, margin: float = MARGIN
    ) -> None:
        self.scale = scale
        self.leading = leading
        self.margin = margin
        pdf = _Pdf(footer, self.size(8), margin)
        pdf.set_margins(margin, margin, margin)
        pdf.set_auto_page_break(True, margin + 4)
        pdf.add_font(FAMILY, "", str(REGULAR))
        pdf.add_font(FAMILY, "B", str(BOLD))
        pdf.set_text_color(INK)
        pdf.set_title(printable(title))
        pdf.set_creator("Second Opinion Companion")
        pdf.add_page()
        self.pdf = pdf

    def size(self, points: float) -> float:
        return points * self.scale

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    @property
    def pages(self) -> int:
        return int(self.pdf.page_no())

    def _font(self, points: float, bold: bool = False) -> float:
        size = self.size(points)
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        return size * PT * self.leading  # the height of one line, in mm

    def title(self, text: str) -> None:
        height = self._font(17, bold=True)
        self.pdf.multi_cell(0, height, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str) -> None:
        """A section's name, with a rule under it. Kept with at least two lines of what follows."""
        height = self._font(13, bold=True)
        if self.pdf.will_page_break(height * 3):
            self.pdf.add_page()
        self.gap(2.5)
        self.pdf.multi_cell(0, height, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = self.pdf.get_y() + 0.6
        self.pdf.set_draw_color(INK)
        self.pdf.set_line_width(0.4)
        self.pdf.line(self.margin, y, self.margin + self.width, y)
        self.pdf.set_y(y + 1.5)

    def text(self, text: str, bold: bool = False, points: float = 11, indent: float = 0) -> None:
        height = self._font(points, bold)
        self.pdf.set_x(self.margin + indent)
        self.pdf.multi_cell(
            self.width - indent, height, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def field(self, name: str, value: str | None, points: float = 11) -> None:
        """ "Name: value" on one line (wrapped if long); with no value, a line to write it on."""
        height = self._font(points, bold=True)
        label = printable(name) + "  "
        label_width = self.pdf.get_string_width(label)
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
        if value:
            self._font(points)
            fits = label_width + self.pdf.get_string_width(printable(value)) <= self.width
            self._font(points, bold=True)
            if not fits and label_width > self.width / 3:  # a long label: the value goes under it
                self.text(name, bold=True, points=points)
                self.text(value, points=points, indent=4)
                return
            self.pdf.cell(label_width, height, label)
            self._font(points)
            self.pdf.multi_cell(0, height, printable(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.pdf.cell(label_width, height, label)
            y = self.pdf.get_y() + height - 0.8
            self._rule(self.margin + label_width, y)
            self.pdf.set_xy(self.margin, self.pdf.get_y() + height)

    def numbered(self, mark: str, text: str, bold: bool = False, points: float = 11) -> None:
        """An item of a list: its mark (a number, a star) hanging left of its text."""
        height = self._font(points, bold)
        hang = self.pdf.get_string_width("★ 00.  ")  # the same for every item, so the texts line up
        if self.pdf.will_page_break(height):
            self.pdf.add_page()
        self.pdf.cell(hang, height, printable(mark))
        self.pdf.multi_cell(
            self.width - hang, height, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def write_in(self, lines: int, points: float = 11, indent: float = 0) -> None:
        """Empty ruled lines to write on by hand."""
        height = self.size(points) * PT * 2.1  # room for handwriting
        for _ in range(lines):
            if self.pdf.will_page_break(height):
                self.pdf.add_page()
            y = self.pdf.get_y() + height
            self._rule(self.margin + indent, y)
            self.pdf.set_y(y)
        self.gap(1)

    def check(self, text: str, points: float = 11, indent: float = 0) -> None:
        """A box to tick, then its text."""
        self.text("☐  " + text, points=points, indent=indent)

    def gap(self, mm: float) -> None:
        self.pdf.set_y(self.pdf.get_y() + mm * self.scale)

    def _rule(self, x: float, y: float) -> None:
        self.pdf.set_draw_color(RULE)
        self.pdf.set_line_width(0.2)
        self.pdf.line(x, y, self.margin + self.width, y)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


class _Pdf(FPDF):
    """fpdf2's page with our footer: the plan's name for the page and "page n of m"."""

    def __init__(self, footer: str, points: float, margin: float) -> None:
        super().__init__(orientation="portrait", unit="mm", format=FORMAT)
        self._footer = footer
        self._margin = margin
        self._footer_points = points

    def footer(self) -> None:
        self.set_y(-self._margin)
        self.set_font(FAMILY, "", self._footer_points)
        text = printable(self._footer).replace("{n}", str(self.page_no()))
        self.cell(0, self._footer_points * PT * LINE, text, align="C")
