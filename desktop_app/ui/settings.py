"""The laptop's preferences, declared once with their types and defaults.

Kept in the data folder (settings.ini), next to the database they belong
to, so a test or a second copy of the application never reads another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_SERVER = "https://tapis.lampungprov.go.id"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    kind: type


LANGUAGE = Setting("ui/language", "id", str)
SERVER_URL = Setting("sync/server_url", DEFAULT_SERVER, str)
AUTO_SYNC = Setting("sync/automatic", True, bool)
PROBE_SECONDS = Setting("sync/probe_seconds", 60, int)
LAST_USERNAME = Setting("account/last_username", "", str)
GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)


class Settings:
    def __init__(self, data_dir: Path) -> None:
        self.qsettings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)

    def get(self, setting: Setting) -> Any:
        value = self.qsettings.value(setting.key, setting.default)
        if setting.kind is bool and isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        try:
            return setting.kind(value)
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting, value: Any) -> None:
        self.qsettings.setValue(setting.key, value)
        self.qsettings.sync()
