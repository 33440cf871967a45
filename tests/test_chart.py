"""Tests for the inline SVG cost chart."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from wrangler_docs.model.cost import (
    BACKEND_SHARDED,
    TrafficAssumptions,
    build_cost_report,
    chart_requests,
)
from wrangler_docs.model.sharding import sharding_options
from wrangler_docs.render.chart import (
    Series,
    cost_chart_svg,
    line_chart_svg,
    nice_maximum,
    short_count,
)

SVG = "{http://www.w3.org/2000/svg}"


def report(**changes):  # type: ignore[no-untyped-def]
    return build_cost_report(
        TrafficAssumptions(**changes),
        sharding_options({"baseShardSize": 4}, True),
        backend_in_use=BACKEND_SHARDED,
    )


def svg_root(figure: str) -> ElementTree.Element:
    """Parse the <svg> element inside the chart's <figure>."""
    start = figure.index("<svg")
    end = figure.index("</svg>") + len("</svg>")
    return ElementTree.fromstring(figure[start:end])


def simple_chart(**overrides) -> str:  # type: ignore[no-untyped-def]
    arguments = {
        "element_id": "chart",
        "title": "Title",
        "description": "Description",
        "x_values": (1e6, 1e7, 1e8, 1e9),
        "series": (Series("Line", (0.0, 1.0, 2.0, 4.0), "#000000"),),
        "x_label": "x",
        "y_label": "y",
    }
    arguments.update(overrides)
    return str(line_chart_svg(**arguments))


def test_chart_same_numbers_same_bytes() -> None:
    assert cost_chart_svg(report()) == cost_chart_svg(report())


def test_chart_changes_with_numbers() -> None:
    assert cost_chart_svg(report()) != cost_chart_svg(report(tags_per_request=5))


def test_chart_is_one_block() -> None:
    figure = str(cost_chart_svg(report()))
    lines = figure.split("\n")
    assert lines[0] == '<figure class="wrangler-docs-chart">'
    assert lines[-1] == "</figure>"
    assert all(line and not line[0].isspace() for line in lines)


def test_chart_is_valid_xml() -> None:
    root = svg_root(str(cost_chart_svg(report())))
    assert root.tag == f"{SVG}svg"


def test_chart_accessible_name() -> None:
    root = svg_root(str(cost_chart_svg(report())))
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.get("role") == "img"
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Monthly tag cache cost by page requests per month (Workers Paid)"


def test_chart_description_states_numbers() -> None:
    desc = svg_root(str(cost_chart_svg(report()))).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "KV (experimental): $0.00 at 1M, $1,495.00 at 1B" in desc.text


def test_chart_one_line_per_backend() -> None:
    root = svg_root(str(cost_chart_svg(report())))
    titles = [line.findtext(f"{SVG}title") for line in root.iter(f"{SVG}polyline")]
    assert titles == ["Sharded Durable Objects (in use)", "D1", "KV (experimental)"]


def test_chart_in_use_line_thicker() -> None:
    root = svg_root(str(cost_chart_svg(report())))
    widths = [line.get("stroke-width") for line in root.iter(f"{SVG}polyline")]
    assert widths == ["3.5", "2", "2"]


def test_chart_points_per_request_count() -> None:
    root = svg_root(str(cost_chart_svg(report())))
    line = next(root.iter(f"{SVG}polyline"))
    assert len(line.get("points", "").split()) == len(chart_requests())


def test_chart_x_axis_logarithmic() -> None:
    root = svg_root(simple_chart())
    labels = {text.text: float(text.get("x", "nan")) for text in root.iter(f"{SVG}text")}
    left, right = labels["1M"], labels["1B"]
    assert labels["10M"] == pytest.approx(left + (right - left) / 3, abs=0.1)
    assert labels["100M"] == pytest.approx(left + 2 * (right - left) / 3, abs=0.1)


def test_chart_y_axis_linear() -> None:
    root = svg_root(simple_chart())
    ticks = {
        text.text: float(text.get("y", "nan"))
        for text in root.iter(f"{SVG}text")
        if (text.text or "").startswith("$")
    }
    assert list(ticks) == ["$0", "$1", "$2", "$3", "$4", "$5"]
    steps = [b - a for a, b in zip(list(ticks.values()), list(ticks.values())[1:])]
    assert steps == pytest.approx([steps[0]] * 5)


def test_chart_escapes_text() -> None:
    chart = simple_chart(
        title='<script>alert("t")</script>',
        description="a & b",
        series=(Series("</title><b>", (1.0, 1.0, 1.0, 1.0), '#000" onload="x'),),
        x_label="<x>",
    )
    assert "<script>" not in chart
    assert "<b>" not in chart
    assert 'onload="x' not in chart
    root = ElementTree.fromstring(chart)
    assert root.findtext(f"{SVG}title") == '<script>alert("t")</script>'
    assert root.findtext(f"{SVG}desc") == "a & b"


def test_chart_no_external_resources() -> None:
    figure = str(cost_chart_svg(report()))
    for pattern in (r"href", r"@import", r"url\(", r"<image", r"@font-face", r"<style", r"<link"):
        assert not re.search(pattern, figure), pattern
    assert re.findall(r"https?://[^\"]+", figure) == ["http://www.w3.org/2000/svg"]


def test_chart_marker_inside_range() -> None:
    chart = simple_chart(marker=1e7, marker_label="assumed: 10M")
    assert "assumed: 10M" in chart


def test_chart_marker_outside_range() -> None:
    chart = simple_chart(marker=1e10, marker_label="assumed: 10B")
    assert "assumed" not in chart


def test_chart_free_plan_shows_paid_costs() -> None:
    root = svg_root(str(cost_chart_svg(report(plan="free"))))
    assert root.findtext(f"{SVG}title") == (
        "Monthly tag cache cost by page requests per month (Workers Paid)"
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"x_values": (1e6,)},
        {"x_values": (0.0, 1e6)},
        {"series": (Series("Short", (1.0,), "#000000"),)},
    ],
)
def test_chart_rejects_bad_data(overrides: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        simple_chart(**overrides)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.0, 1.0), (0.3, 0.5), (1.0, 1.0), (3.32, 5.0), (1495.0, 2000.0), (2400.0, 2500.0)],
)
def test_nice_maximum(value: float, expected: float) -> None:
    assert nice_maximum(value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "text"), [(1_000_000, "1M"), (20_000_000, "20M"), (1e9, "1B"), (5_000, "5k")]
)
def test_short_count(value: float, text: str) -> None:
    assert short_count(value) == text


def test_chart_requests_grid() -> None:
    grid = chart_requests()
    assert grid[0] == 1_000_000
    assert grid[-1] == 1_000_000_000
    assert 10_000_000 in grid
    assert grid == tuple(sorted(grid))
