"""The local SQLite store: engine, migrations, change capture, search, backup.

Only the services and the sync engine use this package; the UI never does.
"""

from .store import Store, open_store

__all__ = ["Store", "open_store"]
