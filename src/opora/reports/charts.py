"""Chart pictures of a report: pie charts and (grouped) bar charts.

- :func:`svg` draws a chart as inline SVG with our own code: no JavaScript and no CDN, so
  the HTML preview stays fast;
- :func:`png` draws it as a PNG picture with Pillow (``PIL.ImageDraw``, DejaVu Sans found by fontconfig): a few
  milliseconds per chart and a cheap import (matplotlib cost about a second to import and as much to draw); the DOCX
  embeds the PNG, the PDF the same picture as drawn (:func:`draw`).

Grouped bars show several series side by side: "this year against last", "plan against fact".
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
import subprocess
from decimal import Decimal
from html import escape
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from opora.lib.formats import round_half_up
from opora.reports import formatting
from opora.reports.model import Chart

PALETTE = ["#2f6db5", "#e07b39", "#4a9a5b", "#c0504d", "#8064a2", "#4bacc6", "#f2c314", "#7f7f7f",
           "#9bbb59", "#d16ba5", "#5a5a8c", "#b3823f"]
FONT = "DejaVu Sans, Arial, sans-serif"


def _num(value: int | Decimal) -> float:
    return float(value)


def _label(value: int | Decimal) -> str:
    return formatting.integer(value) if isinstance(value, int) else formatting.decimal(value)


# --- our own SVG --------------------------------------------------------------------------------------------

def svg(chart: Chart, width: int = 640, height: int = 320) -> str:
    """The chart as an inline ``<svg>`` element."""
    body = _svg_pie(chart, width, height) if chart.kind == "pie" else _svg_bar(chart, width, height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(chart.title)}" '
            f'font-family="{FONT}" font-size="12">{body}</svg>')


def _svg_pie(chart: Chart, width: int, height: int) -> str:
    values = [max(_num(v), 0.0) for v in (chart.series[0].values if chart.series else [])]
    total = sum(values)
    r = min(height / 2 - 10, width / 4)
    cx, cy = r + 10, height / 2
    parts = []
    angle = -math.pi / 2
    for i, value in enumerate(values):
        if total <= 0 or value <= 0:
            continue
        color = PALETTE[i % len(PALETTE)]
        sweep = 2 * math.pi * value / total
        if sweep >= 2 * math.pi - 1e-9:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{color}"/>')
        else:
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(angle + sweep), cy + r * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            parts.append(f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{r:.1f},{r:.1f} 0 {large} 1 '
                         f'{x2:.1f},{y2:.1f} Z" fill="{color}" stroke="#fff" stroke-width="1"/>')
        angle += sweep
    # the legend: category, value, share
    lx = 2 * r + 30
    line = min(20.0, (height - 10) / max(len(values), 1))
    for i, (name, value) in enumerate(zip(chart.categories, values, strict=False)):
        y = 10 + i * line
        share = formatting.percent(Decimal(str(value)) * 100 / Decimal(str(total))) if total else ""
        raw = chart.series[0].values[i]
        parts.append(f'<rect x="{lx:.1f}" y="{y:.1f}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{lx + 18:.1f}" y="{y + 10:.1f}">{escape(name)}: {escape(_label(raw))} '
                     f'({escape(share)})</text>')
    return "".join(parts)


def _svg_bar(chart: Chart, width: int, height: int) -> str:
    series = chart.series
    n_cat = max(len(chart.categories), 1)
    top = max([_num(v) for s in series for v in s.values] + [0.0])
    scale_top = _nice(top)
    left, right, bottom, legend = 60, 10, 60, 22
    plot_w, plot_h = width - left - right, height - bottom - legend - 10
    y0 = legend + 10 + plot_h
    parts = []
    for i, s in enumerate(series):  # legend
        lx = left + i * 160
        parts.append(f'<rect x="{lx}" y="4" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{lx + 18}" y="14">{escape(s.name)}</text>')
    for k in range(5):  # the grid and the scale
        v = scale_top * k / 4
        y = y0 - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(formatting.integer(int(round_half_up(v, 0))))}</text>')
    group_w = plot_w / n_cat
    bar_w = group_w * 0.8 / max(len(series), 1)
    shown, _key = short_labels(list(chart.categories), lambda c: len(c) <= 18)
    for c, name in enumerate(chart.categories):
        gx = left + c * group_w + group_w * 0.1
        for i, s in enumerate(series):
            value = _num(s.values[c]) if c < len(s.values) else 0.0
            h = plot_h * value / scale_top if scale_top else 0.0
            x = gx + i * bar_w
            parts.append(f'<rect x="{x:.1f}" y="{y0 - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(s.name)}: '
                         f'{escape(_label(s.values[c]) if c < len(s.values) else "")}</title></rect>')
        label = shown[c] if len(shown[c]) <= 18 else shown[c][:17] + "…"
        parts.append(f'<text x="{gx + group_w * 0.4:.1f}" y="{y0 + 14}" text-anchor="middle" font-size="10">'
                     f'<title>{escape(name)}</title>{escape(label)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y0}" y2="{y0}" stroke="#333"/>')
    return "".join(parts)


def _nice(top: float) -> float:
    """A round upper bound of the scale: 1, 2, 2.5 or 5 × 10ⁿ above the largest value."""
    if top <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= top:
            return step * exp
    return 10 * exp


# --- PNG with Pillow ----------------------------------------------------------------------------------------

PNG_SIZE = (1200, 700)
_BG, _INK, _GRID, _AXIS = "#ffffff", "#222222", "#dddddd", "#333333"
_FALLBACK_FONTS = {False: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   True: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}


@functools.cache
def _font_file(bold: bool = False) -> str | None:
    """The DejaVu Sans TTF as fontconfig finds it (None: not found, Pillow's default font is used)."""
    pattern = "DejaVu Sans:bold" if bold else "DejaVu Sans"
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,  # noqa: S603,S607
                               timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found.lower().endswith((".ttf", ".otf")) and "dejavu" in found.lower():
        return found
    return _FALLBACK_FONTS[bold] if os.path.exists(_FALLBACK_FONTS[bold]) else None


@functools.cache
def _font(size: int, bold: bool = False) -> Any:
    path = _font_file(bold) or (_font_file(False) if bold else None)
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size)


def _text_w(draw: ImageDraw.ImageDraw, text: str, font: Any) -> float:
    return draw.textlength(text, font=font)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Any, width: float) -> str:
    """The text, cut with an ellipsis to fit the width."""
    if _text_w(draw, text, font) <= width:
        return text
    while text and _text_w(draw, text + "…", font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: float, max_lines: int) -> list[str]:
    """The text in lines that fit the width (by words; the last line cut with an ellipsis)."""
    lines: list[str] = []
    current = ""
    words = text.split(" ")  # not at a no-break space: «0,16 %» and «450 529» stay whole
    for n, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if _text_w(draw, trial, font) <= width or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[n:])
            break
    if current:
        lines.append(current)
    return [_fit(draw, line, font, width) for line in lines[:max_lines]]


Box = tuple[float, float, float, float]


class Canvas:
    """A picture being drawn, and the box of every label put on it (a test checks that none overlap)."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.labels: list[tuple[str, Box]] = []

    def text(self, xy: tuple[float, float], text: str, font: Any, anchor: str, fill: str = _INK) -> Box:
        self.draw.text(xy, text, fill=fill, font=font, anchor=anchor)
        box = self.draw.textbbox(xy, text, font=font, anchor=anchor)
        self.labels.append((text, box))
        return box


_SMALL_WORDS = {"на", "в", "во", "и", "с", "со", "по", "для", "у", "з", "та", "і", "й", "of", "the", "and", "for",
                "at", "in"}
_NUMBER = re.compile(r"^(?P<head>.*?)(?P<tail>\s*(№\s*\d+|\d+))?$")


def abbreviation(name: str) -> tuple[str, str]:
    """(short name, what it stands for): «Отделение социального обслуживания на дому № 1» → («ОСОД № 1»,
    «Отделение социального обслуживания на дому»); a name of one significant word is kept whole."""
    m = _NUMBER.match(name.strip())
    head = (m.group("head") if m else name).strip()
    tail = (m.group("tail") or "").strip() if m else ""
    significant = [w for w in re.split(r"[\s\-]+", head) if w and w.lower() not in _SMALL_WORDS]
    if len(significant) < 2:
        return name, ""
    short = "".join(w[0].upper() for w in significant if w[0].isalnum())
    return (f"{short} {tail}" if tail else short), head


def short_labels(categories: list[str], fits: Any) -> tuple[list[str], list[str]]:
    """The category labels, each one that does not fit (``fits(label)`` is False) by its abbreviation, and the key
    of the abbreviations used («ОСОД — Отделение социального обслуживания на дому»)."""
    if all(fits(c) for c in categories):
        return list(categories), []
    labels: list[str] = []
    key: dict[str, str] = {}
    for c in categories:
        short, stands_for = abbreviation(c) if not fits(c) else (c, "")
        if stands_for:
            acronym = short.split(" ")[0]
            while key.get(acronym, stands_for) != stands_for:  # two names, one acronym: tell them apart
                acronym += "'"
            key[acronym] = stands_for
            short = acronym + short[len(short.split(" ")[0]):]
        labels.append(short)
    return labels, [f"{a} — {name}" for a, name in key.items()]


def _title(canvas: Canvas, chart: Chart, width: int) -> int:
    """Draws the title centred at the top; returns the y below it."""
    font = _font(30, bold=True)
    text = _fit(canvas.draw, chart.title, font, width - 40)
    canvas.text((width / 2, 16), text, font, "mt")
    return 64


def _footer(canvas: Canvas, lines: list[str], width: int, size: int = 18) -> int:
    """The height the key of abbreviations and the note take at the bottom (drawn there when ``lines``)."""
    if not lines:
        return 0
    font = _font(size)
    wrapped = [w for line in lines for w in _wrap(canvas.draw, line, font, width - 40, 3)]
    step = size + 6
    y = canvas.image.size[1] - 10 - step * len(wrapped)
    for line in wrapped:
        canvas.text((20, y), line, font, "lt")
        y += step
    return step * len(wrapped) + 14


def _png_pie(chart: Chart, canvas: Canvas) -> None:
    image = canvas.image
    width, height = image.size
    draw = canvas.draw
    top = _title(canvas, chart, width)
    bottom = _footer(canvas, [chart.note] if chart.note else [], width)
    height -= bottom
    raw = list(chart.series[0].values) if chart.series else []
    values = [max(_num(v), 0.0) for v in raw]
    total = sum(values)
    r = int(min((height - top - 20) / 2, width * 0.2))
    cx, cy = 20 + r, top + (height - top) // 2
    if total > 0:
        # drawn at twice the size and scaled down: Pillow's pieslice has no anti-aliasing
        k = 2
        layer = Image.new("RGB", (2 * r * k + 2, 2 * r * k + 2), _BG)
        ldraw = ImageDraw.Draw(layer)
        angle = -90.0
        for i, value in enumerate(values):
            if value <= 0:
                continue
            sweep = 360.0 * value / total
            box = (1, 1, 2 * r * k, 2 * r * k)
            if sweep >= 360 - 1e-9:
                ldraw.ellipse(box, fill=PALETTE[i % len(PALETTE)])
            else:
                ldraw.pieslice(box, angle, angle + sweep, fill=PALETTE[i % len(PALETTE)], outline=_BG, width=2 * k)
            angle += sweep
        layer = layer.resize((2 * r + 1, 2 * r + 1), Image.Resampling.LANCZOS)
        image.paste(layer, (cx - r, cy - r))
        # the share on the slice itself, when the slice is wide enough
        font = _font(24, bold=True)
        angle = -90.0
        for value in values:
            if value <= 0:
                continue
            sweep = 360.0 * value / total
            if sweep >= 18:
                mid = math.radians(angle + sweep / 2)
                x, y = cx + 0.65 * r * math.cos(mid), cy + 0.65 * r * math.sin(mid)
                share = formatting.percent(Decimal(str(value)) * 100 / Decimal(str(total)), 1)
                canvas.text((x, y), share, font, "mm", fill="#ffffff")
            angle += sweep
    # the legend: colour, category, value and share; a long name wraps over up to three lines (its figures are
    # never cut)
    lx = cx + r + 40
    n = max(len(chart.categories), 1)
    line = min(48.0, (height - top - 20) / n)
    size = max(12, min(22, int(line * 0.45)))
    font = _font(size)
    square = int(size * 0.9)
    room = width - 20 - (lx + square + 12)
    step = size + 3
    entries = []
    for i, name in enumerate(chart.categories):
        amount = raw[i] if i < len(raw) else 0
        part = values[i] if i < len(values) else 0.0
        share = formatting.percent(Decimal(str(part)) * 100 / Decimal(str(total))) if total else ""
        tail = f"{_label(amount)}" + (f" ({share})" if share else "")
        lines = _wrap(draw, f"{name}: {tail}", font, room, 3)
        if lines and lines[-1].endswith("…"):  # the name is cut, never the figures
            lines = [*_wrap(draw, name + ":", font, room, 2), tail]
        entries.append(lines)
    heights = [max(line, step * len(lines) + 6) for lines in entries]
    y = top + max(0.0, (height - top - 20 - sum(heights)) / 2)
    for i, (lines, h) in enumerate(zip(entries, heights, strict=True)):
        draw.rectangle((lx, y + (h - square) / 2, lx + square, y + (h + square) / 2), fill=PALETTE[i % len(PALETTE)])
        y0 = y + h / 2 - step * (len(lines) - 1) / 2
        for k, part_text in enumerate(lines):
            canvas.text((lx + square + 12, y0 + k * step), part_text, font, "lm")
        y += h


def _scale_label(value: float, step: float) -> str:
    if step >= 1 and float(step).is_integer():
        return formatting.integer(int(round_half_up(value, 0)))
    places = 1 if (step * 10).is_integer() else 2
    return formatting.decimal(value, places)


def _vertical_text(image: Image.Image, xy: tuple[float, float], text: str, font: Any, fill: str) -> None:
    """The text turned 90° (reading upwards), its bottom centre at xy."""
    w, h = int(_text_w(ImageDraw.Draw(image), text, font)) + 4, font.size + 8
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).text((2, h / 2), text, fill=255, font=font, anchor="lm")
    mask = mask.rotate(90, expand=True)
    image.paste(Image.new("RGB", mask.size, fill), (int(xy[0] - mask.width / 2), int(xy[1] - mask.height)), mask)


def _png_bar(chart: Chart, canvas: Canvas) -> None:
    image = canvas.image
    width, height = image.size
    draw = canvas.draw
    top = _title(canvas, chart, width)
    series = chart.series
    # the legend, one line of colour squares and series names under the title
    font = _font(24)
    x = 80.0
    for i, s in enumerate(series):
        draw.rectangle((x, top, x + 22, top + 22), fill=PALETTE[i % len(PALETTE)])
        name = _fit(draw, s.name, font, 300)
        canvas.text((x + 30, top + 11), name, font, "lm")
        x += 30 + _text_w(draw, name, font) + 40
    top += 44
    # the scale: a round top, four steps
    biggest = max([_num(v) for s in series for v in s.values] + [0.0])
    scale_top = _nice(biggest)
    step = scale_top / 4
    tick_font = _font(20)
    ticks = [_scale_label(step * k, step) for k in range(5)]
    left = 30 + max(_text_w(draw, t, tick_font) for t in ticks)
    right = 20
    n_cat = max(len(chart.categories), 1)
    group_w = (width - left - right) / n_cat
    cat_font = _font(20 if group_w >= 140 else 16)
    lines_room = 3

    def fits(text: str) -> bool:
        return _wrap(draw, text, cat_font, group_w - 8, lines_room) == _wrap(draw, text, cat_font, group_w - 8, 99)

    shown, key = short_labels(list(chart.categories), fits)
    labels = [_wrap(draw, c, cat_font, group_w - 8, lines_room) for c in shown]
    footer = _footer(canvas, key + ([chart.note] if chart.note else []), width)
    bottom = footer + 24 + (cat_font.size + 4) * max([len(lines) for lines in labels] + [1])
    y0 = height - bottom
    plot_h = y0 - top - 34  # room for the value labels above the tallest bar
    for k in range(5):
        y = y0 - plot_h * k / 4
        draw.line((left, y, width - right, y), fill=_GRID if k else _AXIS, width=1 if k else 2)
        canvas.text((left - 10, y), ticks[k], tick_font, "rm")
    draw.line((left, top, left, y0), fill=_AXIS, width=2)
    n_s = max(len(series), 1)
    bar_w = group_w * 0.8 / n_s
    value_font = _font(max(12, min(20, int(bar_w / 4))))
    for c in range(len(chart.categories)):
        gx = left + c * group_w + group_w * 0.1
        for i, s in enumerate(series):
            value = s.values[c] if c < len(s.values) else 0
            h = plot_h * max(_num(value), 0.0) / scale_top if scale_top else 0.0
            x0, x1 = gx + i * bar_w + 1, gx + (i + 1) * bar_w - 1
            if h >= 1:
                draw.rectangle((x0, y0 - h, x1, y0 - 1), fill=PALETTE[i % len(PALETTE)])
            text = _label(value)
            if _text_w(draw, text, value_font) <= bar_w + group_w * 0.05:
                draw.text(((x0 + x1) / 2, y0 - h - 4), text, fill=_INK, font=value_font, anchor="md")
            else:
                _vertical_text(image, ((x0 + x1) / 2, y0 - h - 4), text, value_font, _INK)
        for n, line_text in enumerate(labels[c]):
            canvas.text((left + (c + 0.5) * group_w, y0 + 10 + n * (cat_font.size + 4)), line_text, cat_font, "mt")


def _png_hbar(chart: Chart, canvas: Canvas) -> None:
    """One series over many categories: horizontal bars, the category names on the left (wrapped), the value at
    the end of each bar. Used for categories a person may share (no pie: the shares would not add up)."""
    image = canvas.image
    width, height = image.size
    draw = canvas.draw
    top = _title(canvas, chart, width) + 6
    values = list(chart.series[0].values) if chart.series else []
    bottom = _footer(canvas, [chart.note] if chart.note else [], width)
    n = max(len(chart.categories), 1)
    row = (height - top - bottom - 10) / n
    size = max(12, min(22, int(row * 0.42)))
    font = _font(size)
    label_w = width * 0.36
    labels = [_wrap(draw, c, font, label_w - 20, 2) for c in chart.categories]
    biggest = max([_num(v) for v in values] + [0.0]) or 1.0
    value_w = max([_text_w(draw, _label(v), font) for v in values] + [0.0]) + 16
    plot_x, plot_w = label_w, width - label_w - value_w - 20
    draw.line((plot_x, top, plot_x, top + row * n), fill=_AXIS, width=2)
    for c in range(len(chart.categories)):
        y = top + c * row
        step = size + 3
        y0 = y + row / 2 - step * (len(labels[c]) - 1) / 2
        for k, text in enumerate(labels[c]):
            canvas.text((label_w - 12, y0 + k * step), text, font, "rm")
        value = values[c] if c < len(values) else 0
        w = plot_w * max(_num(value), 0.0) / biggest
        if w >= 1:
            draw.rectangle((plot_x + 1, y + row * 0.15, plot_x + w, y + row * 0.85), fill=PALETTE[0])
        canvas.text((plot_x + w + 8, y + row / 2), _label(value), font, "lm")


def _horizontal(chart: Chart) -> bool:
    return chart.kind == "bar" and len(chart.series) == 1 and len(chart.categories) > 5


def draw(chart: Chart, size: tuple[int, int] = PNG_SIZE) -> Canvas:
    """The chart drawn on a canvas that remembers where each label went."""
    canvas = Canvas(Image.new("RGB", size, _BG))
    if chart.kind == "pie":
        _png_pie(chart, canvas)
    elif _horizontal(chart):
        _png_hbar(chart, canvas)
    else:
        _png_bar(chart, canvas)
    return canvas


def png(chart: Chart, size: tuple[int, int] = PNG_SIZE) -> bytes:
    """The chart as a PNG picture drawn by Pillow, ``size`` pixels (1200 × 700 by default)."""
    image = draw(chart, size).image
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()
