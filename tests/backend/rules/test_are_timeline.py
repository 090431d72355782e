"""The claim's timeline on worked examples: sanctions, months never declared, payments held,
payment dates, days left (the choices written in docs/backend.md)."""

from datetime import date
from decimal import Decimal

import pytest
from are_builders import claim, contract, projection

from bot.backend.rules import (
    ClaimEvents,
    DeclaredMonth,
    MonthStatus,
    Sanction,
    claim_timeline,
    compute_rights,
)
from bot.backend.wording import as_text

pytestmark = pytest.mark.unit  # the fast loop: make unit


def _claim_3000():
    # 3 000 € a month, 1 Jul 2024 – 30 Jun 2025: AJ 56,22 €, 274 days from 8 Jul 2025 to 10 Apr 2026.
    facts = claim(contract(date(2024, 7, 1), date(2025, 6, 30), 3000))
    return facts, compute_rights(facts)


def test_without_events_the_timeline_ends_on_the_theoretical_end_date():
    facts, rights = _claim_3000()
    timeline = projection(facts, rights)
    assert timeline.end_date == rights.end_date == date(2026, 4, 10)
    assert all(m.status is MonthStatus.ESTIMATED for m in timeline.months)
    assert "Vos droits vont jusqu'au vendredi 10 avril 2026." in as_text(timeline.explanation)


def test_a_sanction_is_a_suspension_of_the_whole_allowance_that_pushes_the_end_back():
    # September 2025 suspended: nothing paid, nothing estimated, its 30 days move to the end
    # (10 Apr 2026 -> 10 May 2026).
    facts, rights = _claim_3000()
    timeline = projection(facts, rights, sanctions=(Sanction(date(2025, 9, 1), date(2025, 9, 30)),))
    september = timeline.month(date(2025, 9, 1))
    assert september.status is MonthStatus.SUSPENDED and not september.estimated
    assert (september.allowance.days_paid, september.allowance.gross, september.allowance.suspended_days) == (
        0,
        Decimal(0),
        30,
    )
    assert september.payment is None
    assert timeline.end_date == date(2026, 5, 10)
    assert "30 jours suspendus par une sanction ne sont pas perdus" in as_text(timeline.explanation)


def test_a_month_partly_under_a_sanction_pays_its_calendar_days_outside_it():
    # Suspended 16 Sep – 10 Oct 2025: September pays the 1st–15th (15 days), October the
    # 11th–31st (21 calendar days, under the 30-day cap); 24 days fewer: end on 4 May 2026.
    facts, rights = _claim_3000()
    timeline = projection(facts, rights, sanctions=(Sanction(date(2025, 9, 16), date(2025, 10, 10)),))
    september, october = timeline.month(date(2025, 9, 1)), timeline.month(date(2025, 10, 1))
    assert (september.allowance.days_paid, september.allowance.paid_dates[-1]) == (15, date(2025, 9, 15))
    assert (october.allowance.days_paid, october.allowance.paid_dates[0]) == (21, date(2025, 10, 11))
    assert september.status is october.status is MonthStatus.ESTIMATED
    assert timeline.end_date == date(2026, 5, 4)


def test_a_month_never_declared_pays_nothing_and_keeps_its_days():
    # July declared on the 28th; August's window closed on 15 September without a declaration.
    facts, rights = _claim_3000()
    events = ClaimEvents({date(2025, 7, 1): DeclaredMonth(date(2025, 7, 28))})
    timeline = claim_timeline(facts, rights, events, date(2025, 9, 20))
    july, august, september = (timeline.month(date(2025, m, 1)) for m in (7, 8, 9))
    assert july.status is MonthStatus.PAID and july.payment.expected == date(2025, 8, 1)
    assert august.status is MonthStatus.NOT_DECLARED and august.used_days == 0 and august.payment is None
    assert september.status is MonthStatus.ESTIMATED
    assert timeline.end_date == date(2026, 5, 10)


def test_a_payment_held_is_due_its_days_are_used():
    facts, rights = _claim_3000()
    events = ClaimEvents(
        {date(2025, m, 1): DeclaredMonth(date(2025, m, 28)) for m in (7, 8)},
        held={date(2025, 8, 1): ("document_awaited",)},
    )
    timeline = claim_timeline(facts, rights, events, date(2025, 9, 20))
    august = timeline.month(date(2025, 8, 1))
    assert august.status is MonthStatus.HELD and august.held_for == ("document_awaited",)
    assert august.used_days == 30 and august.payment is None
    assert timeline.end_date == rights.end_date


def test_a_month_to_come_is_paid_after_its_window_opens_or_after_today():
    # October 2025: window opens Tuesday 28 October; + 3 working days -> Monday 3 November
    # (1 November is a Saturday and a holiday). Asked on 5 November (window open): from then.
    facts, rights = _claim_3000()
    before = claim_timeline(facts, rights, ClaimEvents(), date(2025, 10, 20)).month(date(2025, 10, 1))
    assert before.declared_on == date(2025, 10, 28) and before.payment.expected == date(2025, 11, 3)
    during = claim_timeline(facts, rights, ClaimEvents(), date(2025, 11, 5)).month(date(2025, 10, 1))
    assert during.declared_on == date(2025, 11, 5) and during.payment.expected == date(2025, 11, 10)


def test_days_left_are_days_of_rights_not_calendar_days():
    # On 22 Nov 2025: used = 24 (July) + 3 × 30 (Aug–Oct) + 21 (1–21 Nov) = 135; left 139.
    # Calendar days from 22 Nov 2025 to 10 Apr 2026 are 140: the 31st of December, January
    # and March are not days of rights, February's 30 paid days are 2 more than its days.
    facts, rights = _claim_3000()
    timeline = projection(facts, rights)
    on = date(2025, 11, 22)
    assert timeline.days_used_before(on) == 135
    assert timeline.days_left(on) == 139 == rights.duration_days - 135
    assert (timeline.end_date - on).days + 1 == 140
    # February 2026 on the 30-day basis: its 29th and 30th paid days are dated the 28th.
    february = timeline.month(date(2026, 2, 1)).allowance.paid_dates
    assert len(february) == 30 and february[-3:] == (date(2026, 2, 28),) * 3
    assert timeline.days_left(date(2026, 2, 28)) == 3 + 30 + 10
