"""The archiving period is a setting, checked at start-up with one Danish line."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings


@pytest.mark.parametrize("months", ["5", "1201"])
def test_an_archiving_period_out_of_range_stops_start_up(months: str) -> None:
    with pytest.raises(ConfigError, match="SAGSFLOW_ARKIVERING_EFTER_MAANEDER skal være mellem 6 og 1200"):
        Settings.from_env({"SAGSFLOW_ARKIVERING_EFTER_MAANEDER": months}).check()


def test_the_archiving_period_is_read() -> None:
    assert Settings.from_env({"SAGSFLOW_ARKIVERING_EFTER_MAANEDER": "60"}).archive_after_months == 60
    assert Settings.from_env({}).archive_after_months == 24
