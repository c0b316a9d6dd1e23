"""The shipped reference data as the rules see it, without a database: the
health methods and aid rounds exactly as resources/reference defines them,
so rule tests check the boundaries of the data the laptops load."""

from __future__ import annotations

from desktop_app.models.rules import health
from desktop_app.models.rules.eligibility import RoundRules, round_rules
from desktop_app.resources import reference_dir
from desktop_app.models.reference_data import table_rows


def rows(table: str) -> list[dict[str, object]]:
    return table_rows(reference_dir(), table)


def shipped_methods() -> dict[str, health.HealthMethod]:
    return health.methods_from_rows(rows("health_method"), rows("health_aspect"),
                                    rows("health_indicator"), rows("health_band"))


def shipped_rounds() -> dict[str, RoundRules]:
    credit = {str(r["code"]): (str(r["name_id"]), str(r["name_en"])) for r in rows("capital_access")}
    return {str(r["code"]): round_rules(r, credit_names=credit) for r in rows("aid_round")}


PERDEP_2016 = "perdep_06_2016"
PERMENKOP_2020 = "permenkop_9_2020"
