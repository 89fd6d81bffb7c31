"""Chart pictures of a report: pie charts and (grouped) bar charts.

- :func:`svg` draws a chart as inline SVG with our own code: no JavaScript, no CDN and no matplotlib import, so
  the HTML preview and the PDF stay fast;
- :func:`png` (and :func:`matplotlib_svg`) draw it with matplotlib (a bare Figure on the Agg canvas, without
  pyplot), imported lazily on the first chart only (the import costs about half a second); the DOCX embeds the PNG.

Grouped bars show several series side by side: "this year against last", "plan against fact".
"""

from __future__ import annotations

import io
import math
from decimal import Decimal
from html import escape
from typing import Any

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
                     f'{escape(formatting.integer(round(v)))}</text>')
    group_w = plot_w / n_cat
    bar_w = group_w * 0.8 / max(len(series), 1)
    for c, name in enumerate(chart.categories):
        gx = left + c * group_w + group_w * 0.1
        for i, s in enumerate(series):
            value = _num(s.values[c]) if c < len(s.values) else 0.0
            h = plot_h * value / scale_top if scale_top else 0.0
            x = gx + i * bar_w
            parts.append(f'<rect x="{x:.1f}" y="{y0 - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(s.name)}: '
                         f'{escape(_label(s.values[c]) if c < len(s.values) else "")}</title></rect>')
        label = name if len(name) <= 18 else name[:17] + "…"
        parts.append(f'<text x="{gx + group_w * 0.4:.1f}" y="{y0 + 14}" text-anchor="middle" font-size="10">'
                     f'{escape(label)}</text>')
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


# --- matplotlib ---------------------------------------------------------------------------------------------

def _new_figure() -> Any:
    """A bare matplotlib Figure on the Agg canvas: no pyplot (slower to import, global state, not thread-safe)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.4))
    FigureCanvasAgg(fig)
    return fig


_FONT_SET = False


def _figure(chart: Chart) -> Any:
    global _FONT_SET
    if not _FONT_SET:
        import matplotlib

        matplotlib.rcParams["font.family"] = "DejaVu Sans"
        matplotlib.rcParams["svg.fonttype"] = "none"
        _FONT_SET = True
    fig = _new_figure()
    ax = fig.add_subplot()
    if chart.kind == "pie":
        values = [max(_num(v), 0.0) for v in (chart.series[0].values if chart.series else [])]
        if sum(values) > 0:
            wedges, _texts, _auto = ax.pie(values, colors=PALETTE[:len(values)] * (len(values) // len(PALETTE) + 1),
                                           autopct=lambda p: f"{formatting.decimal(Decimal(str(p)), 1)} %",
                                           startangle=90, counterclock=False, pctdistance=0.75,
                                           textprops={"fontsize": 8})
            ax.legend(wedges, [f"{c}: {_label(v)}" for c, v in zip(chart.categories, chart.series[0].values,
                                                                     strict=False)],
                      loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
        ax.axis("equal")
    else:
        n = max(len(chart.series), 1)
        width = 0.8 / n
        xs = list(range(len(chart.categories)))
        for i, s in enumerate(chart.series):
            ax.bar([x - 0.4 + width * (i + 0.5) for x in xs], [_num(v) for v in s.values], width,
                   label=s.name, color=PALETTE[i % len(PALETTE)])
        ax.set_xticks(xs)
        ax.set_xticklabels(chart.categories, fontsize=8, rotation=20 if len(chart.categories) > 4 else 0,
                           ha="right" if len(chart.categories) > 4 else "center")
        ax.yaxis.set_major_formatter(lambda v, _pos: formatting.integer(round(v)))
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            ax.legend(fontsize=8, frameon=False)
    if chart.kind == "pie":
        fig.suptitle(chart.title, fontsize=10)
    else:
        ax.set_title(chart.title, fontsize=10)
    # fixed margins instead of tight_layout(), which draws the figure once more just to measure it
    if chart.kind == "pie":
        ax.set_position((0.02, 0.04, 0.42, 0.84))
    else:
        fig.subplots_adjust(left=0.12, right=0.98, top=0.88, bottom=0.24 if len(chart.categories) > 4 else 0.12)
    return fig


def png(chart: Chart, dpi: int = 110) -> bytes:
    """The chart as a PNG picture (matplotlib, Agg)."""
    fig = _figure(chart)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def matplotlib_svg(chart: Chart) -> str:
    """The chart as SVG drawn by matplotlib (the same picture as :func:`png`)."""
    fig = _figure(chart)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()
