"""What a server worker keeps in its own memory stays bounded however long
it runs (issue 17: a worker's RSS flat over a soak). The soak that measures
it is ``python -m benchmarks soak-province``; these check the bounds one by
one, without waiting for a leak to show in the RSS."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from server import dependencies
from server.console import routes


def test_the_dashboard_figures_kept_per_worker_are_todays_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker running for weeks keeps one set of figures per regency (and
    the province) for today; the days before are dropped, not accumulated."""
    day = [date(2026, 12, 1)]

    class Today(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return day[0]

    monkeypatch.setattr(routes, "date", Today)
    monkeypatch.setattr(routes, "figures", lambda _s, regency, today: (regency, today))
    monkeypatch.setattr(routes, "_figures", {})
    regencies: list[Any] = [None, "18.71", "18.06"]
    for _ in range(30):
        for regency in regencies:
            computed, _stamp = routes.cached_figures(None, regency)  # type: ignore[arg-type]
            assert computed == (regency, day[0])
        assert len(routes._figures) == len(regencies)
        assert {k[1] for k in routes._figures} == {day[0]}
        day[0] += timedelta(days=1)


def test_the_per_device_push_counts_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pushes finished per device (they wake a pipelined push's successor)
    for 50,000 devices: the dict never holds more than its bound."""
    monkeypatch.setattr(dependencies, "_done", {})
    for n in range(50_000):
        dependencies.push_finished(f"device-{n}")
        assert len(dependencies._done) <= 10_001
