"""The one effective-dated table of every ARE parameter, and how to look a value up.

Each entry is a ``Parameter(name, value, effective_from, source)``: the value is in
force from ``effective_from`` until the next entry of the same name. Which date a
rule looks a parameter up on is part of the rule and is said where the lookup is
made: the contract end date for the regime switches of 1 April 2025 (reference
period, non-worked days cap, age bands, dégressivité age, seasonal eligibility),
the day or month of the allowance for amounts (fixed part, minimum, thresholds,
contributions, monthly basis), the month of the wage for the PMSS.

``TABLE_START`` (1 Feb 2023, when the 0.75 duration coefficient started) is the
first date this table vouches for the rules that have no dated history in
``docs/are-rules.md``; a lookup before an entry's first date raises ``ParameterNotFound``
rather than guessing. Entries marked "hors are-rules.md" are public values added so
that reference periods and claims reaching back before 2024 can be computed.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ParameterValue = Decimal | int | bool | tuple[tuple[Decimal | None, Decimal], ...]


@dataclass(frozen=True)
class Parameter:
    """One value of a named rule parameter, in force from ``effective_from``."""

    name: str
    value: ParameterValue
    effective_from: date
    source: str


class ParameterNotFound(LookupError):
    """No value of that parameter is known for that day (unknown name or too early)."""


D = Decimal
TABLE_START = date(2023, 2, 1)
REFORM_2025 = date(2025, 4, 1)

_UNEDIC_2 = "Unédic, fiche 2 — montant de l'allocation"
_UNEDIC_1 = "Unédic, fiche 1 — salaire de référence"
_UNEDIC_3 = "Unédic, fiche 3 — durée d'indemnisation"
_UNEDIC_DEG = "Unédic, fiche dégressivité"
_UNEDIC_DIFF = "Unédic, fiche différés et délai d'attente"
_RG_2024 = "Règlement général annexé à la convention du 15 nov. 2024"
_SP = "service-public.fr A17953"
_SAISIE = "Code du travail R3252-2, barème des saisies sur rémunérations"


def _money_table(name: str, rows: Iterable[tuple[date, str, str]]) -> list[Parameter]:
    return [Parameter(name, D(value), start, source) for start, value, source in rows]


_PARAMETERS: list[Parameter] = [
    # §1 — Salaire journalier de référence (SJR)
    Parameter("reference_period_months", 24, TABLE_START, f"{_UNEDIC_1} — 24 mois"),
    Parameter("reference_period_months_senior", 36, TABLE_START, f"{_UNEDIC_1} — 36 mois"),
    Parameter("senior_reference_period_age", 53, TABLE_START, f"{_UNEDIC_1} — 36 mois dès 53 ans"),
    Parameter("senior_reference_period_age", 55, REFORM_2025, f"{_RG_2024} — 36 mois dès 55 ans"),
    Parameter("non_worked_days_cap", D("0.75"), TABLE_START, f"{_UNEDIC_1} — plafond 75 %"),
    Parameter("non_worked_days_cap", D("0.70"), REFORM_2025, f"{_RG_2024} — plafond 70 %"),
    # Looked up per wage month: a 36-month reference period reaches back before TABLE_START.
    Parameter(
        "wage_cap_pmss_multiple",
        4,
        date(2020, 1, 1),
        f"{_UNEDIC_1} — 4 PMSS par mois (déjà en vigueur en 2020, hors are-rules.md)",
    ),
    Parameter("pmss", D(3428), date(2020, 1, 1), "URSSAF, PMSS 2020-2022 (hors are-rules.md)"),
    Parameter("pmss", D(3666), date(2023, 1, 1), "URSSAF, PMSS 2023 (hors are-rules.md)"),
    Parameter("pmss", D(3864), date(2024, 1, 1), "URSSAF, PMSS 2024"),
    Parameter("pmss", D(3925), date(2025, 1, 1), "URSSAF, PMSS 2025"),
    Parameter("pmss", D(4005), date(2026, 1, 1), "URSSAF, PMSS 2026"),
    # §2 — Allocation journalière (AJ)
    Parameter("aj_variable_rate", D("0.404"), date(2022, 7, 1), f"{_UNEDIC_2} — 40,4 %"),
    Parameter("aj_alternative_rate", D("0.57"), date(2022, 7, 1), f"{_UNEDIC_2} — 57 %"),
    Parameter("aj_cap_rate", D("0.75"), date(2022, 7, 1), f"{_UNEDIC_2} — plafond 75 %"),
    *_money_table(
        "aj_fixed_part",
        [
            (date(2022, 7, 1), "12.47", f"{_UNEDIC_2} — revalorisation 1er juillet 2022"),
            (date(2023, 4, 1), "12.71", f"{_UNEDIC_2} — revalorisation 1er avril 2023"),
            (date(2023, 7, 1), "12.95", f"{_UNEDIC_2} — revalorisation 1er juillet 2023"),
            (date(2024, 7, 1), "13.11", f"{_UNEDIC_2} — revalorisation 1er juillet 2024"),
            (date(2025, 7, 1), "13.18", f"{_UNEDIC_2} — revalorisation 1er juillet 2025"),
        ],
    ),
    *_money_table(
        "aj_minimum",
        [
            (date(2022, 7, 1), "30.42", f"{_UNEDIC_2} — revalorisation 1er juillet 2022"),
            (date(2023, 4, 1), "31.00", f"{_UNEDIC_2} — revalorisation 1er avril 2023"),
            (date(2023, 7, 1), "31.59", f"{_UNEDIC_2} — revalorisation 1er juillet 2023"),
            (date(2024, 7, 1), "31.97", f"{_UNEDIC_2} — revalorisation 1er juillet 2024"),
            (date(2025, 7, 1), "32.13", f"{_UNEDIC_2} — revalorisation 1er juillet 2025"),
        ],
    ),
    *_money_table(
        "aj_minimum_training",
        [
            (date(2022, 7, 1), "21.78", f"{_UNEDIC_2} — AREF, 1er juillet 2022"),
            (date(2023, 4, 1), "22.19", f"{_UNEDIC_2} — AREF, 1er avril 2023"),
            (date(2023, 7, 1), "22.61", f"{_UNEDIC_2} — AREF, 1er juillet 2023"),
            (date(2024, 7, 1), "22.88", f"{_UNEDIC_2} — AREF, 1er juillet 2024"),
            (date(2025, 7, 1), "22.99", f"{_UNEDIC_2} — AREF, 1er juillet 2025"),
        ],
    ),
    # §3 — Ouverture des droits et durée
    Parameter("eligibility_days", 130, TABLE_START, f"{_UNEDIC_1} — 130 jours travaillés"),
    Parameter("eligibility_hours", 910, TABLE_START, f"{_UNEDIC_1} — 910 heures"),
    Parameter("eligibility_days_seasonal", 130, TABLE_START, f"{_UNEDIC_1} — 130 jours"),
    Parameter("eligibility_days_seasonal", 108, REFORM_2025, f"{_RG_2024} — saisonniers 108 j"),
    Parameter("eligibility_hours_seasonal", 910, TABLE_START, f"{_UNEDIC_1} — 910 heures"),
    Parameter("eligibility_hours_seasonal", 758, REFORM_2025, f"{_RG_2024} — saisonniers 758 h"),
    Parameter("affiliation_max_days_per_week", 5, TABLE_START, f"{_RG_2024} — 5 jours par semaine civile"),
    Parameter("duration_coefficient", D("0.75"), TABLE_START, f"{_UNEDIC_3} — coefficient 0,75"),
    Parameter("min_duration_days", 182, TABLE_START, f"{_UNEDIC_3} — 182 jours minimum"),
    Parameter("middle_band_age", 53, TABLE_START, f"{_UNEDIC_3} — 53-54 ans"),
    Parameter("middle_band_age", 55, REFORM_2025, f"{_RG_2024} — 55-56 ans"),
    Parameter("oldest_band_age", 55, TABLE_START, f"{_UNEDIC_3} — 55 ans et plus"),
    Parameter("oldest_band_age", 57, REFORM_2025, f"{_RG_2024} — 57 ans et plus"),
    Parameter("max_duration_under", 548, TABLE_START, f"{_UNEDIC_3} — 548 jours"),
    Parameter("max_duration_middle", 685, TABLE_START, f"{_UNEDIC_3} — 685 jours"),
    Parameter("max_duration_oldest", 822, TABLE_START, f"{_UNEDIC_3} — 822 jours"),
    # §4 — Dégressivité
    Parameter("degressivity_coefficient", D("0.7"), TABLE_START, f"{_UNEDIC_DEG} — coef. 0,7"),
    Parameter("degressivity_start_day", 183, TABLE_START, f"{_UNEDIC_DEG} — 183e jour"),
    Parameter("degressivity_age_limit", 57, TABLE_START, f"{_UNEDIC_DEG} — moins de 57 ans"),
    Parameter("degressivity_age_limit", 55, REFORM_2025, f"{_RG_2024} — moins de 55 ans"),
    *_money_table(
        "degressivity_threshold",
        [
            (date(2022, 7, 1), "87.65", f"{_UNEDIC_DEG} — 2022 (hors are-rules.md)"),
            (date(2023, 4, 1), "89.35", f"{_UNEDIC_DEG} — avril 2023 (hors are-rules.md)"),
            (date(2023, 7, 1), "91.02", f"{_UNEDIC_DEG} — juillet 2023 (hors are-rules.md)"),
            (date(2024, 7, 1), "92.11", f"{_UNEDIC_DEG} — 1er juillet 2024"),
            (date(2025, 7, 1), "92.57", f"{_UNEDIC_DEG} — 1er juillet 2025"),
        ],
    ),
    # §5 — Différés et délai d'attente
    Parameter("specific_deferral_divisor", D("107.9"), date(2024, 1, 1), f"{_UNEDIC_DIFF} — 2024"),
    Parameter("specific_deferral_max_days", 150, TABLE_START, f"{_UNEDIC_DIFF} — 150 jours"),
    Parameter("specific_deferral_max_days_economic", 75, TABLE_START, f"{_UNEDIC_DIFF} — 75 jours (éco.)"),
    Parameter("paid_leave_lookback_days", 182, TABLE_START, f"{_UNEDIC_DIFF} — ICCP, 182 jours"),
    Parameter("paid_leave_deferral_max_days", 30, TABLE_START, f"{_UNEDIC_DIFF} — 30 jours"),
    Parameter("waiting_period_days", 7, TABLE_START, f"{_UNEDIC_DIFF} — 7 jours"),
    Parameter("waiting_period_reuse_months", 12, TABLE_START, f"{_UNEDIC_DIFF} — 12 mois"),
    # §6 — Paiement mensuel et actualisation
    Parameter("monthly_flat_basis", False, TABLE_START, "France Travail — jours calendaires"),
    Parameter("monthly_flat_basis", True, REFORM_2025, "France Travail — mensualisation 04/2025"),
    Parameter("flat_month_days", 30, REFORM_2025, "France Travail — 30 jours par mois"),
    Parameter("declaration_opens_day", 28, TABLE_START, "France Travail — actualisation dès le 28"),
    Parameter("declaration_opens_day_february", 26, TABLE_START, "France Travail — dès le 26 en février"),
    Parameter("declaration_closes_day", 15, TABLE_START, "France Travail — jusqu'au 15 minuit"),
    Parameter("payment_delay_working_days", 3, TABLE_START, "France Travail — 3 jours ouvrés"),
    Parameter("payment_delay_working_days_max", 5, TABLE_START, "France Travail — 5 jours ouvrés"),
    Parameter("payment_first_days_until", 4, TABLE_START, "France Travail — paiements du 1er au 4"),
    # §7 — Cumul allocation et salaire
    Parameter("cumul_earnings_rate", D("0.70"), TABLE_START, f"{_RG_2024} — 70 % du salaire"),
    Parameter("cumul_ceiling_days", D("30.42"), TABLE_START, f"{_RG_2024} — SJR × 30,42"),
    Parameter("cumul_ceiling_days", D(30), REFORM_2025, "docs/are-rules.md §7 — SJR × 30 (non confirmé)"),
    # Whether the ceiling above is a published value; the bot must say when it is not.
    Parameter("cumul_ceiling_confirmed", True, TABLE_START, f"{_RG_2024} — SJR × 30,42"),
    Parameter("cumul_ceiling_confirmed", False, REFORM_2025, "docs/are-rules.md §7 — non confirmé"),
    # §8 — Prélèvements
    Parameter("retirement_rate", D("0.03"), TABLE_START, f"{_UNEDIC_2} — retraite complém. 3 %"),
    Parameter("csg_rate_normal", D("0.062"), TABLE_START, "CSS L136-8 — CSG 6,2 %"),
    Parameter("csg_rate_reduced", D("0.038"), TABLE_START, "CSS L136-8 — CSG 3,8 %"),
    Parameter("crds_rate", D("0.005"), TABLE_START, "Ordonnance 96-50 — CRDS 0,5 %"),
    Parameter("csg_base_rate", D("0.9825"), TABLE_START, "CSS — abattement de 1,75 %, assiette 98,25 %"),
    Parameter("daily_net_floor", D(57), date(2023, 1, 1), "SMIC 11,27 € × 5 (hors are-rules.md)"),
    Parameter("daily_net_floor", D(58), date(2023, 5, 1), "SMIC 11,52 € × 5 (hors are-rules.md)"),
    Parameter("daily_net_floor", D(59), date(2024, 1, 1), "SMIC 11,65 € × 5 (hors are-rules.md)"),
    Parameter("daily_net_floor", D(60), date(2024, 11, 1), "SMIC 11,88 € × 35 / 7, arrondi"),
    Parameter("daily_net_floor", D(61), date(2026, 1, 1), "SMIC 12,02 € × 35 / 7, arrondi"),
    Parameter("alsace_moselle_rate", D("0.015"), TABLE_START, "Régime local Alsace-Moselle — 1,5 %"),
    # §9 — Trop-perçus
    Parameter("overpayment_min_recovery", D(77), TABLE_START, f"{_SP} — seuil de 77 €"),
    Parameter("overpayment_max_instalments", 24, TABLE_START, f"{_SP} — 24 mensualités"),
    # Not a rule: how many months of withholding a plan lists before giving the balance.
    Parameter("overpayment_plan_months", 24, TABLE_START, "allocbot — horizon du plan de retenues"),
    Parameter("overpayment_contest_months", 2, TABLE_START, f"{_SP} — 2 mois pour contester"),
    Parameter("overpayment_limitation_years", 3, TABLE_START, "Code du travail L5422-5 — 3 ans"),
    Parameter("overpayment_limitation_years_fraud", 10, TABLE_START, "Code du travail L5422-5 — 10 ans"),
    # Looked up on the month of each withholding; the 3-year limitation reaches back to 2023.
    Parameter(
        "seizable_scale",
        (
            (D(3940), D(1) / 20),
            (D(7690), D(1) / 10),
            (D(11460), D(1) / 5),
            (D(15200), D(1) / 4),
            (D(18950), D(1) / 3),
            (D(22770), D(2) / 3),
            (None, D(1)),
        ),
        date(2022, 1, 1),
        f"{_SAISIE} — barème 2022, remplacé par le décret 2022-1648 (hors are-rules.md)",
    ),
    Parameter(
        "seizable_scale",
        (
            (D(4170), D(1) / 20),
            (D(8140), D(1) / 10),
            (D(12130), D(1) / 5),
            (D(16080), D(1) / 4),
            (D(20050), D(1) / 3),
            (D(24090), D(2) / 3),
            (None, D(1)),
        ),
        date(2023, 1, 1),
        f"{_SAISIE} — décret 2022-1648 du 23 décembre 2022 (hors are-rules.md)",
    ),
    Parameter(
        "seizable_scale",
        (
            (D(4370), D(1) / 20),
            (D(8520), D(1) / 10),
            (D(12690), D(1) / 5),
            (D(16820), D(1) / 4),
            (D(20970), D(1) / 3),
            (D(25200), D(2) / 3),
            (None, D(1)),
        ),
        date(2024, 1, 1),
        f"{_SAISIE} — décret 2023-1228 du 20 décembre 2023 (hors are-rules.md)",
    ),
    Parameter(
        "seizable_scale",
        (
            (D(4440), D(1) / 20),
            (D(8660), D(1) / 10),
            (D(12890), D(1) / 5),
            (D(17090), D(1) / 4),
            (D(21300), D(1) / 3),
            (D(25600), D(2) / 3),
            (None, D(1)),
        ),
        date(2025, 1, 1),
        f"{_SAISIE} — décret 2024-1231 (hors are-rules.md)",
    ),
    # Knowledge base (issue 20): figures that the general answers say and no computation uses.
    Parameter("change_report_hours", 72, TABLE_START, "docs/are-rules.md §9 — changement signalé sous 72 heures"),
    Parameter("ass_work_years", 5, TABLE_START, "service-public.fr F12484 — ASS : 5 ans d'activité salariée"),
    Parameter("ass_lookback_years", 10, TABLE_START, "service-public.fr F12484 — ASS : dans les 10 ans"),
    Parameter("absence_days_per_year", 35, TABLE_START, "francetravail.fr — absence de 35 jours par an"),
    Parameter("registration_deadline_months", 12, TABLE_START, "Unédic — inscription dans les 12 mois"),
    Parameter("contest_months", 2, TABLE_START, "service-public.fr — recours administratif préalable, 2 mois"),
    Parameter("resignation_review_days", 121, TABLE_START, "Unédic — démission : réexamen après 121 jours"),
    Parameter("resignation_project_years", 5, TABLE_START, "Unédic — démission pour un projet de reconversion, 5 ans"),
    Parameter("seizable_dependent_increment", D(1520), date(2022, 1, 1), f"{_SAISIE} — 2022, par personne"),
    Parameter("seizable_dependent_increment", D(1610), date(2023, 1, 1), f"{_SAISIE} — 2023, par personne"),
    Parameter("seizable_dependent_increment", D(1690), date(2024, 1, 1), f"{_SAISIE} — 2024, par personne"),
    Parameter("seizable_dependent_increment", D(1720), date(2025, 1, 1), f"{_SAISIE} — 2025, par personne"),
]

PARAMETERS: tuple[Parameter, ...] = tuple(_PARAMETERS)


def _index(parameters: Iterable[Parameter]) -> dict[str, list[Parameter]]:
    index: dict[str, list[Parameter]] = {}
    for parameter in parameters:
        index.setdefault(parameter.name, []).append(parameter)
    for name, history in index.items():
        history.sort(key=lambda p: p.effective_from)
        starts = [p.effective_from for p in history]
        # Two values from the same day would make the table ambiguous: refuse at import.
        if len(set(starts)) != len(starts):
            raise ValueError(f"parameter {name!r} has two entries on the same date")
    return index


_INDEX = _index(PARAMETERS)
_HISTORY = {name: tuple(entries) for name, entries in _INDEX.items()}


def parameter_names() -> tuple[str, ...]:
    """Every parameter name, sorted."""
    return tuple(sorted(_INDEX))


def history(name: str) -> tuple[Parameter, ...]:
    """Every dated value of ``name``, oldest first."""
    if name not in _HISTORY:
        raise ParameterNotFound(f"unknown parameter {name!r}")
    return _HISTORY[name]


_STARTS = {name: [p.effective_from for p in entries] for name, entries in _INDEX.items()}


def parameter_on(name: str, day: date) -> Parameter:
    """The entry of ``name`` in force on ``day``."""
    entries = history(name)
    position = bisect.bisect_right(_STARTS[name], day)
    if position == 0:
        raise ParameterNotFound(
            f"no value of {name!r} before {entries[0].effective_from.isoformat()} (asked for {day.isoformat()})"
        )
    return entries[position - 1]


def value_on(name: str, day: date) -> ParameterValue:
    """The value of ``name`` in force on ``day``."""
    return parameter_on(name, day).value


def decimal_on(name: str, day: date) -> Decimal:
    """A money amount or rate in force on ``day``."""
    value = value_on(name, day)
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"parameter {name!r} is not a number")
    return Decimal(value)


def int_on(name: str, day: date) -> int:
    """A count (days, months, years, age) in force on ``day``."""
    value = value_on(name, day)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"parameter {name!r} is not a whole number")
    return value


def flag_on(name: str, day: date) -> bool:
    """A yes/no regime switch in force on ``day``."""
    value = value_on(name, day)
    if not isinstance(value, bool):
        raise TypeError(f"parameter {name!r} is not a yes/no switch")
    return value
