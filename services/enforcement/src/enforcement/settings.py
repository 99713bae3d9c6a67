"""Settings of the enforcement service, read from `ENFORCEMENT_*` environment variables."""

from __future__ import annotations

from datetime import date

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from ccc_shared.runtime.settings import ServiceSettings
from ccc_shared.sealing import Seal
from enforcement.domain.calendar import CHINA, WorkingCalendar


class Settings(ServiceSettings):
    """Settings of the enforcement service, read from `ENFORCEMENT_*` environment variables.

    The holiday table (days off on weekdays) and the make-up working days (weekend days worked)
    come from the State Council's yearly notice; give them as JSON lists of ISO dates. Given,
    they replace the built-in table (2025 and 2026) whole: list every year still needed.
    """

    model_config = SettingsConfigDict(env_prefix="ENFORCEMENT_")

    service_name: str = "enforcement"
    http_port: int = 8103
    holidays: list[date] = Field(default_factory=lambda: sorted(CHINA.holidays))
    makeup_working_days: list[date] = Field(
        default_factory=lambda: sorted(CHINA.makeup_working_days)
    )
    deadline_sweep_minutes: float = Field(default=60.0, gt=0)
    # Fernet keys sealing informants (the first seals, all open); empty: the data folder's key file
    informant_keys: list[SecretStr] = Field(default_factory=list)

    def informant_seal(self) -> Seal:
        """The informant keys from the settings, or from (new) ``<data dir>/informant.keys``."""
        key_file = self.data_dir / "informant.keys"
        return Seal.configured(self.informant_keys, key_file, "ENFORCEMENT_INFORMANT_KEYS")

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar the deadlines are counted on."""
        return WorkingCalendar(frozenset(self.holidays), frozenset(self.makeup_working_days))
