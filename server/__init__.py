"""The provincial sync server: FastAPI over the same models as the laptop.

SQLite for a demo or a regency office, PostgreSQL for the province: the same
code, one URL apart.
"""
