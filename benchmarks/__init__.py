"""Benchmarks of Tapis, run with ``python -m benchmarks [NAME ...]``.

Every benchmark is registered once in :data:`benchmarks.registry.BENCHMARKS`;
``python -m benchmarks`` runs them all, ``python -m benchmarks store`` one.
Each prints a table and refreshes its own section of docs/PERFORMANCE.md,
between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->``.
"""
