"""The review rules, one module per family: importing this package registers them all in :data:`RULES`.

R01–R13 are the rules of DOMAIN.md; R14–R17 are further reviewer practice.

* :mod:`lib.review.rules.categories` -- indicator categories: missing
  categories (R01), indicators filed under the wrong one (R12);
* :mod:`lib.review.rules.values` -- how a value is written: empty or a
  placeholder (R02), a quantity without a unit (R03), vague words (R06),
  unlike the unit the name declares (R17);
* :mod:`lib.review.rules.targets` -- what a target asks for: a ratio above
  100% (R04), the comparator's direction (R05), timeliness that is not a
  time (R07), satisfaction outside 85%–95% (R10);
* :mod:`lib.review.rules.money` -- amounts against the budget: cost caps
  (R08), unit cost × quantity (R09);
* :mod:`lib.review.rules.periods` -- annual values against the
  implementation period's (R11);
* :mod:`lib.review.rules.duplicates` -- repeated indicators: boilerplate
  across projects (R13), near-duplicates within a project (R14);
* :mod:`lib.review.rules.goals` -- the goal text's numbers against the
  budget and the indicators (R15, R16).

A new family is a new module here, imported below.
"""

from __future__ import annotations

from lib.review.registry import REGISTRY, Rule

# Importing a family's module registers its rules with lib.review.registry.
from lib.review.rules import categories, duplicates, goals, money, periods, targets, values  # noqa: F401

__all__ = ["RULES"]

#: Every rule, in id order.
RULES: tuple[Rule, ...] = tuple(spec for spec, _ in sorted(REGISTRY.values(), key=lambda x: x[0].id))
