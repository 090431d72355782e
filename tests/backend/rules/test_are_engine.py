"""The engine end to end: rights of a claim, explanations, regime switch, bad input."""

from datetime import date
from decimal import Decimal

import pytest
from are_builders import born_aged, claim, contract, projection

from bot.backend.rules import (
    ClaimFacts,
    Contract,
    MonthlyWage,
    compute_rights,
    monthly_allowance,
)
from bot.backend.wording import as_text, detail, label

pytestmark = pytest.mark.unit  # the fast loop: make unit


def test_rights_of_a_one_year_contract():
    # §1 SJR 36 000 / 365 = 98,63 €; §2 AJ max(40,4 % × 98,63 + 13,18 = 53,03,
    # 57 % × 98,63 = 56,22) = 56,22 €; §3 365 × 0,75 -> 274 days; §5 waiting 1–7 July,
    # first paid day 8 July 2025; §6 end 10 Apr 2026; §4 56,22 € < 92,57 €: no reduction.
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 3000))
    rights = compute_rights(facts)
    assert rights.eligible
    assert rights.age_at_contract_end == 40
    assert rights.reference_wage_cents == Decimal("98.63")
    assert rights.daily_allowance == Decimal("56.22")
    assert rights.duration_days == 274
    assert rights.first_paid_day == date(2025, 7, 8)
    assert rights.end_date == date(2026, 4, 10)
    assert projection(facts, rights).degressivity is None
    assert rights.deferrals.total_days == 7
    labels = [label(s) for s in rights.explanation]
    assert labels[:3] == ["Fin du dernier contrat", "Conditions remplies", "Période de référence"]
    assert "Salaire journalier de référence" in labels and "Premier jour indemnisé" in labels
    text = as_text(rights.explanation)
    assert "36 000,00 € de salaires / 365 jours = 98,63 €" in text
    assert "Votre indemnisation commence le mardi 8 juillet 2025." in text


def test_first_month_is_partial_and_july_revaluation_is_used():
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 3000))
    rights = compute_rights(facts)
    july = monthly_allowance(facts, rights, date(2025, 7, 1))
    # 8–31 July: 24 × 56,22 = 1 349,28 €; retirement 24 × 2,958904 = 71,01; no CSG.
    assert (july.days_payable, july.gross) == (24, Decimal("1349.28"))
    assert july.retirement_contribution == Decimal("71.01")
    assert july.net == Decimal("1278.27")


def test_a_claim_that_does_not_open_rights():
    facts = claim(contract(date(2025, 3, 3), date(2025, 6, 30), 2500))
    rights = compute_rights(facts)
    assert not rights.eligible
    assert rights.duration_days == 0 and rights.daily_allowance == 0
    assert rights.ineligibility is not None and "130" in detail(rights.ineligibility)
    month = monthly_allowance(facts, rights, date(2025, 8, 1))
    assert month.gross == 0 and month.days_payable == 0
    assert label(month.explanation[0]) == "Conditions non remplies"
    assert projection(facts, rights).months == ()


@pytest.mark.parametrize(
    ("end", "months", "duration", "degressive"),
    [
        # Contract ends 31 Mar 2025, age 55: 36 months (from 53), band ≥ 55 -> 822 days,
        # dégressivité applies under 57.
        (date(2025, 3, 31), 36, 822, True),
        # Ends 1 Apr 2025, age 55: 36 months (from 55), band 55–56 -> 685 days,
        # no dégressivité from 55.
        (date(2025, 4, 1), 36, 685, False),
    ],
)
def test_regime_switch_of_1_april_2025_for_a_55_year_old(end, months, duration, degressive):
    # At 9 000 € a month since 2022 the 36-month period is full: 1 096 days × 0,75 = 822,
    # and AJ = 57 % × SJR is far above the dégressivité threshold.
    facts = claim(contract(date(2022, 1, 1), end, 9000), birth=born_aged(55, end))
    rights = compute_rights(facts)
    assert rights.reference_period_months == months
    assert rights.duration_days == duration
    assert rights.degressivity_age_condition is degressive
    assert (projection(facts, rights).degressivity is not None) is degressive


def test_schedule_pays_exactly_the_duration():
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 3000))
    rights = compute_rights(facts)
    timeline = projection(facts, rights)
    assert sum(m.used_days for m in timeline.months) == 274
    assert timeline.months[-1].allowance.rights_exhausted_on == date(2026, 4, 10) == timeline.end_date
    assert sum(m.allowance.gross for m in timeline.months) == 274 * Decimal("56.22")


def test_malformed_facts_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="before Contract.start"):
        Contract(date(2025, 6, 30), date(2025, 1, 1), ())
    with pytest.raises(ValueError, match="first day"):
        MonthlyWage(date(2025, 6, 15), Decimal(100))
    with pytest.raises(ValueError, match="at least one contract"):
        ClaimFacts(date(1985, 1, 1), (), date(2025, 7, 1))
    with pytest.raises(ValueError, match="working_time_ratio"):
        Contract(date(2025, 1, 1), date(2025, 6, 30), (), Decimal("1.5"))
