"""Tapis desktop application: offline-first field records for Lampung's
cooperative and UMKM offices."""

__version__ = "0.1.0"
