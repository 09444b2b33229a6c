"""Text for the PDF report, in every script the users write.

User text is never markup: it is escaped before it reaches a reportlab Paragraph. Runs of Chinese,
Japanese or Korean go in a CJK font and runs of Arabic script in DejaVu Sans, whatever the paragraph's
own font; Arabic is shaped (joined letter forms) and laid out right to left, because reportlab draws
glyphs left to right as given.

Fonts come from the system, installed by `make install` / the Dockerfile from Debian's packages (never
committed): DejaVu Sans (fonts-dejavu-core) and WenQuanYi Micro Hei (fonts-wqy-microhei), a TrueType
collection; reportlab cannot embed the CFF outlines of Noto CJK. REPORT_CJK_FONT names another file.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from django.conf import settings
from django.utils.translation import get_language
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger(__name__)

DEJAVU = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
# CJK ideographs, kana, Hangul, CJK punctuation and full-width forms.
CJK_RE = re.compile(r"[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
                    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]+")
ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")


@dataclass(frozen=True)
class ReportFonts:
    regular: str
    bold: str
    latin: str  # DejaVu (or Vera): Latin, Greek, Cyrillic and Arabic
    cjk: str | None  # None when no CJK font is installed: CJK then prints as empty boxes


@cache
def _registered() -> tuple[str, str, str | None]:
    regular, bold = DEJAVU if all(Path(p).exists() for p in DEJAVU) else ("Vera.ttf", "VeraBd.ttf")
    pdfmetrics.registerFont(TTFont("ReportSans", regular))
    pdfmetrics.registerFont(TTFont("ReportSans-Bold", bold))
    configured = getattr(settings, "REPORT_CJK_FONT", "")
    for path in ([configured] if configured else []) + list(CJK_CANDIDATES):
        if path and Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont("ReportCJK", path, subfontIndex=0))
            except TTFError:
                logger.warning("The CJK font %s cannot be embedded in PDFs (not TrueType outlines).", path)
                continue
            return "ReportSans", "ReportSans-Bold", "ReportCJK"
    logger.warning("No CJK font installed: Chinese text in PDF reports will not print (run `make install`).")
    return "ReportSans", "ReportSans-Bold", None


def report_fonts() -> ReportFonts:
    """The fonts of a report in the active language: a Chinese UI prints its own labels in the CJK font."""
    latin, latin_bold, cjk = _registered()
    if cjk and (get_language() or "").lower().startswith("zh"):
        return ReportFonts(regular=cjk, bold=cjk, latin=latin, cjk=cjk)
    return ReportFonts(regular=latin, bold=latin_bold, latin=latin, cjk=cjk)


def visual_order(text: str) -> str:
    """Arabic script shaped and reordered for a left-to-right renderer; other text unchanged."""
    if not ARABIC_RE.search(text):
        return text
    return get_display(arabic_reshaper.reshape(text))


def markup(value: object) -> str:
    """Paragraph markup for a user's text: escaped, with each script's runs in a font that has its glyphs."""
    fonts = report_fonts()
    text = visual_order("" if value is None else str(value))
    pieces, position = [], 0
    for run in re.finditer(f"{CJK_RE.pattern}|{ARABIC_RE.pattern}", text):
        pieces.append(escape(text[position:run.start()]))
        font = fonts.latin if ARABIC_RE.fullmatch(run.group()) else fonts.cjk
        if font and font != fonts.regular:
            pieces.append(f'<font name="{font}">{escape(run.group())}</font>')
        else:
            pieces.append(escape(run.group()))
        position = run.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def drawing_font(texts: list[str], fonts: ReportFonts, *, bold: bool = False) -> str:
    """One font for chart labels (a drawing string takes a single font): the CJK one if any label needs it."""
    if fonts.cjk and any(CJK_RE.search(t) for t in texts):
        return fonts.cjk
    return fonts.bold if bold else fonts.regular


def has_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))
