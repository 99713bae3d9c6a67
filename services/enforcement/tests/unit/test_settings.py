"""The working-day calendar comes from the settings' holiday table (JSON lists of ISO dates)."""

from __future__ import annotations

from datetime import date

import pytest

from enforcement.main import Settings

pytestmark = pytest.mark.unit


def test_the_holiday_table_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENFORCEMENT_HOLIDAYS", '["2026-10-01", "2026-10-02"]')
    monkeypatch.setenv("ENFORCEMENT_MAKEUP_WORKING_DAYS", '["2026-10-10"]')
    calendar = Settings().calendar()
    assert not calendar.is_working_day(date(2026, 10, 1))  # a Thursday off
    assert calendar.is_working_day(date(2026, 10, 10))  # a Saturday worked
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 5)


def test_by_default_the_2025_table_is_used() -> None:
    calendar = Settings().calendar()
    assert not calendar.is_working_day(date(2025, 10, 8))
    assert calendar.is_working_day(date(2025, 9, 28))
