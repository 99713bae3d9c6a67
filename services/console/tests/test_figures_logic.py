"""The figures dashboard's own logic, without I/O: bars drawn from the numbers, the bureau's
figure added up from its departments, and every message the dashboard shows in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.charts import bar_chart, overall
from console.messages import CATALOGUE
from console.pages.figures import HISTORIES, figure_history

pytestmark = pytest.mark.unit
TEMPLATES = Path(__file__).parents[1] / "src" / "console" / "templates"
ANSWER = {
    "group_by": "department",
    "months": ["2026-01", "2026-02", "2026-03"],
    "rows": [
        {"department": "稽查科", "total": 3, "done": 2, "months": [
            {"month": "2026-01", "total": 2, "done": 2},
            {"month": "2026-02", "total": 0, "done": 0},
            {"month": "2026-03", "total": 1, "done": 0}]},
        {"department": None, "total": 2, "done": 1, "months": [
            {"month": "2026-01", "total": 0, "done": 0},
            {"month": "2026-02", "total": 2, "done": 1},
            {"month": "2026-03", "total": 0, "done": 0}]},
    ],
}  # fmt: skip


def test_a_bar_is_as_tall_as_its_share_and_a_month_with_nothing_due_has_none() -> None:
    chart = bar_chart(ANSWER["rows"][0]["months"])
    full, empty, none_done = chart.bars
    assert full.height == chart.baseline - chart.full  # 100% reaches the top line
    assert (full.percent, full.short, full.counts) == ("100.0%", False, "2 / 2")
    assert (empty.share, empty.height, empty.percent) == (None, 0, "—")
    assert (none_done.percent, none_done.short, none_done.height) == ("0.0%", True, 0)
    assert full.x < empty.x < none_done.x  # oldest on the left


def test_the_bureaus_figure_adds_up_its_departments_month_by_month() -> None:
    assert overall(ANSWER["rows"], ANSWER["months"]) == [
        {"month": "2026-01", "total": 2, "done": 2},
        {"month": "2026-02", "total": 2, "done": 1},
        {"month": "2026-03", "total": 1, "done": 0},
    ]
    history = figure_history("figures.handling", ANSWER)
    assert [bar.percent for bar in history.chart.bars] == ["100.0%", "50.0%", "0.0%"]
    assert [(row.name, row.done, row.total) for row in history.rows] == [
        ("稽查科", 2, 3), (None, 1, 2),
    ]  # fmt: skip


def test_every_message_a_template_names_is_in_the_catalogue() -> None:
    named = {
        key
        for template in TEMPLATES.glob("*.html")
        for key in re.findall(r"\bt\('([a-z_.]+)'[),]", template.read_text(encoding="utf-8"))
    }
    for figure in HISTORIES:
        named |= {figure, f"{figure}.history", f"{figure}.rule"}
    named |= {"figures.group.department", "figures.group.region"}
    assert sorted(named - set(CATALOGUE)) == []
