"""Inline SVG line charts for the generated pages, drawn from the numbers without a plotting
library.

The SVG uses no external fonts, images or styles: text takes the generic `sans-serif` family
and `currentColor`, so it follows the page's light or dark scheme. Every text is escaped. The
output is one line per element with no blank lines, so Markdown keeps it as one raw HTML block,
and the same numbers always give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from markupsafe import Markup, escape

from ..model.cost import (
    BACKEND_D1,
    BACKEND_KV,
    BACKEND_SHARDED,
    BACKENDS,
    PLAN_LABELS,
    CostReport,
    format_usd,
)

WIDTH = 720
HEIGHT = 400
_LEFT = 76
_RIGHT = 32
_TOP = 20
_PLOT_BOTTOM = 290
_Y_DIVISIONS = 5
_LEGEND_SWATCH = 28
_LEGEND_CHAR_WIDTH = 6.6
"""Estimated average width of a 12 px sans-serif character, in pixels."""
_LEGEND_GAP = 28
_LEGEND_ROW = 20

# Okabe-Ito colors, which stay distinct for the common color vision deficiencies; each line
# also has its own dash pattern.
_STYLES = {
    BACKEND_SHARDED: ("#0072B2", ""),
    BACKEND_D1: ("#009E73", "9 5"),
    BACKEND_KV: ("#D55E00", "2 4"),
}


class Series(NamedTuple):
    """One line of a chart."""

    label: str
    values: tuple[float, ...]
    color: str
    dash: str = ""
    """An SVG stroke-dasharray, or "" for a solid line."""
    emphasized: bool = False


def _number(value: float) -> str:
    """Format a coordinate with one decimal, the same way on every run."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _text(value: object) -> str:
    return str(escape(str(value)))


def short_count(value: float) -> str:
    """Format a request count for an axis label: 1M, 20M, 1B."""
    for divisor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= divisor:
            return f"{value / divisor:g}{suffix}"
    return f"{value:g}"


def nice_maximum(value: float) -> float:
    """Return the smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `value`."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exponent = math.floor(math.log10(value))
    for mantissa in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = mantissa * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)


def _money_tick(value: float, step: float) -> str:
    if step >= 1:
        return f"${value:,.0f}"
    return f"${value:,.2f}"


def line_chart_svg(
    *,
    element_id: str,
    title: str,
    description: str,
    x_values: Sequence[float],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    marker: float | None = None,
    marker_label: str = "",
) -> Markup:
    """Return an SVG line chart with a logarithmic x axis and a linear dollar y axis.

    `x_values` must be positive and increasing, and every series must have one value per x.
    `element_id` prefixes the ids of the title and description, which must be unique on the
    page. `marker` draws a vertical line at that x when it is inside the range. Raises
    ValueError on empty or mismatched data.
    """
    if len(x_values) < 2 or any(x <= 0 for x in x_values):
        raise ValueError("x_values needs at least two positive values")
    if any(len(line.values) != len(x_values) for line in series):
        raise ValueError("every series needs one value per x value")

    x_min, x_max = math.log10(x_values[0]), math.log10(x_values[-1])
    plot_right = WIDTH - _RIGHT
    y_max = nice_maximum(max((max(line.values) for line in series), default=0.0))

    def x_at(value: float) -> float:
        fraction = (math.log10(value) - x_min) / (x_max - x_min)
        return _LEFT + fraction * (plot_right - _LEFT)

    def y_at(value: float) -> float:
        return _PLOT_BOTTOM - value / y_max * (_PLOT_BOTTOM - _TOP)

    title_id = f"{element_id}-title"
    desc_id = f"{element_id}-desc"
    lines = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="{_text(element_id)}" role="img" '
            f'aria-labelledby="{_text(title_id)} {_text(desc_id)}" '
            f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'style="max-width:100%;height:auto" '
            'font-family="sans-serif" font-size="12" fill="currentColor">'
        ),
        f'<title id="{_text(title_id)}">{_text(title)}</title>',
        f'<desc id="{_text(desc_id)}">{_text(description)}</desc>',
    ]

    # Horizontal grid lines and dollar labels.
    step = y_max / _Y_DIVISIONS
    for index in range(_Y_DIVISIONS + 1):
        value = step * index
        y = _number(y_at(value))
        lines.append(
            f'<line x1="{_LEFT}" y1="{y}" x2="{plot_right}" y2="{y}" stroke="currentColor" '
            f'stroke-opacity="{"0.6" if index == 0 else "0.15"}"/>'
        )
        lines.append(
            f'<text x="{_LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle">'
            f"{_text(_money_tick(value, step))}</text>"
        )

    # Vertical grid lines: a labelled one per decade, lighter ones at 2x and 5x.
    first_decade = math.floor(x_min + 1e-9)
    last_decade = math.ceil(x_max - 1e-9)
    for exponent in range(first_decade, last_decade + 1):
        for multiple in (1, 2, 5):
            value = multiple * 10.0**exponent
            if not x_values[0] * (1 - 1e-9) <= value <= x_values[-1] * (1 + 1e-9):
                continue
            x = _number(x_at(value))
            opacity = "0.3" if multiple == 1 else "0.1"
            lines.append(
                f'<line x1="{x}" y1="{_TOP}" x2="{x}" y2="{_PLOT_BOTTOM}" stroke="currentColor" '
                f'stroke-opacity="{opacity}"/>'
            )
            if multiple == 1:
                lines.append(
                    f'<text x="{x}" y="{_PLOT_BOTTOM + 18}" text-anchor="middle">'
                    f"{_text(short_count(value))}</text>"
                )

    lines.append(
        f'<text x="{_number((_LEFT + plot_right) / 2)}" y="{_PLOT_BOTTOM + 40}" '
        f'text-anchor="middle">{_text(x_label)}</text>'
    )
    lines.append(
        f'<text x="16" y="{_number((_TOP + _PLOT_BOTTOM) / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 16 {_number((_TOP + _PLOT_BOTTOM) / 2)})">{_text(y_label)}</text>'
    )

    if marker is not None and x_values[0] <= marker <= x_values[-1]:
        x = _number(x_at(marker))
        lines.append(
            f'<line x1="{x}" y1="{_TOP}" x2="{x}" y2="{_PLOT_BOTTOM}" stroke="currentColor" '
            'stroke-dasharray="3 3" stroke-opacity="0.7"/>'
        )
        lines.append(
            f'<text x="{x}" y="{_TOP - 6}" text-anchor="middle">{_text(marker_label)}</text>'
        )

    for line in series:
        points = " ".join(
            f"{_number(x_at(x))},{_number(y_at(y))}" for x, y in zip(x_values, line.values)
        )
        dash = f' stroke-dasharray="{_text(line.dash)}"' if line.dash else ""
        width = "3.5" if line.emphasized else "2"
        lines.append(
            f'<polyline fill="none" stroke="{_text(line.color)}" stroke-width="{width}"{dash} '
            f'stroke-linejoin="round" points="{points}"><title>{_text(line.label)}</title>'
            "</polyline>"
        )

    # Legend below the x axis title, one entry per series, wrapped onto more rows when needed.
    # Text widths are estimated from the character count, because no font metrics are available.
    legend_x = float(_LEFT)
    legend_y = _PLOT_BOTTOM + 66
    for line in series:
        entry_width = _LEGEND_SWATCH + 6 + len(line.label) * _LEGEND_CHAR_WIDTH
        if legend_x > _LEFT and legend_x + entry_width > plot_right:
            legend_x = float(_LEFT)
            legend_y += _LEGEND_ROW
        dash = f' stroke-dasharray="{_text(line.dash)}"' if line.dash else ""
        width = "3.5" if line.emphasized else "2"
        lines.append(
            f'<line x1="{_number(legend_x)}" y1="{legend_y}" '
            f'x2="{_number(legend_x + _LEGEND_SWATCH)}" y2="{legend_y}" '
            f'stroke="{_text(line.color)}" stroke-width="{width}"{dash}/>'
        )
        lines.append(
            f'<text x="{_number(legend_x + _LEGEND_SWATCH + 6)}" y="{legend_y}" '
            f'dominant-baseline="middle">{_text(line.label)}</text>'
        )
        legend_x += entry_width + _LEGEND_GAP
    lines.append("</svg>")
    return Markup("\n".join(lines))


def cost_chart_svg(report: CostReport, element_id: str = "wrangler-docs-cost-chart") -> Markup:
    """Return the chart of each backend's monthly cost against page requests per month.

    The result is a `<figure>` block for Markdown: it starts at column 0 and has no blank line.
    """
    curve = report.curve
    labels = {estimate.backend: estimate.label for estimate in report.selected}
    series = []
    for backend in BACKENDS:
        color, dash = _STYLES[backend]
        label = labels[backend]
        in_use = backend == report.backend_in_use
        if in_use:
            label += " (in use)"
        series.append(Series(label, curve.totals[backend], color, dash, emphasized=in_use))

    first, last = curve.requests[0], curve.requests[-1]
    plan = PLAN_LABELS[curve.plan]
    ends = "; ".join(
        f"{line.label}: {format_usd(line.values[0])} at {short_count(first)}, "
        f"{format_usd(line.values[-1])} at {short_count(last)}"
        for line in series
    )
    description = (
        f"Line chart of the monthly tag cache cost on {plan}, beyond the Workers Paid minimum, "
        f"against page requests per month on a logarithmic axis from {short_count(first)} to "
        f"{short_count(last)}. The other assumptions are those stated above. {ends}."
    )
    title = f"Monthly tag cache cost by page requests per month ({plan})"
    requests = report.traffic.requests_per_month
    svg = line_chart_svg(
        element_id=element_id,
        title=title,
        description=description,
        x_values=curve.requests,
        series=series,
        x_label="Page requests per month (logarithmic scale)",
        y_label="US dollars per month",
        marker=requests if requests > 0 else None,
        marker_label=f"assumed: {short_count(requests)}",
    )
    caption = (
        f"{title}. The dashed vertical line marks the assumed {requests:,} requests; "
        "the other assumptions stay as stated."
    )
    return Markup(
        f'<figure class="wrangler-docs-chart">\n{svg}\n'
        f"<figcaption>{_text(caption)}</figcaption>\n</figure>"
    )
