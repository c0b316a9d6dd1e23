"""Pure domain rules: identity numbers, size class, health score, aid eligibility.

Nothing here reads a clock, a database or Qt: every rule takes plain values and
returns plain values, so it can be tested at its boundaries on its own.
"""
