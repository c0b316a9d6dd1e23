"""The office's spreadsheet layouts, shared by the laptop's exports and the
provincial server's console: each export's columns (columns.py), the labels
its cells show (labels.py) and the xlsx/csv writers (writers.py).

Models and openpyxl only: nothing of the laptop's store, sync, services or
GUI, nothing of the server (pyproject.toml, contract 'sheets-alone'), so
that both sides write the same file from their own data.
"""
