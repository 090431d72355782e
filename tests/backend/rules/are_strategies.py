"""Hypothesis strategies: random claims, and random files around them (what happened, and a day).

A file is what the backend reads a timeline from: declarations made (late ones
too), work declared, months never declared, a sanction, payments held, and the
day the person asks.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from are_builders import born_aged, claim, contract
from hypothesis import strategies as st

from bot.backend.rules import (
    ClaimEvents,
    ClaimFacts,
    CsgRate,
    DeclaredMonth,
    Rights,
    Sanction,
    compute_rights,
    declaration_window,
)
from bot.backend.rules.dates import add_months, month_start, next_month


@st.composite
def claims(draw, min_length: int = 200) -> ClaimFacts:
    end = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 30)))
    length = draw(st.integers(min_value=min_length, max_value=1100))
    # Half of the claims earn enough for the dégressivité (AJ above ~92 € from ~4 900 € a month).
    gross = draw(
        st.one_of(
            st.decimals(min_value=Decimal(600), max_value=Decimal(18000), places=2),
            st.decimals(min_value=Decimal(4800), max_value=Decimal(16000), places=2),
        )
    )
    ratio = draw(st.sampled_from(["1", "0.8", "0.5"]))
    jobs = [contract(end - timedelta(days=length), end, gross, ratio)]
    if draw(st.booleans()):
        # An older job with a gap before the last one (non-worked days).
        gap = draw(st.integers(min_value=10, max_value=400))
        old_end = jobs[0].start - timedelta(days=gap)
        jobs.insert(0, contract(old_end - timedelta(days=draw(st.integers(30, 300))), old_end, gross))
    age = draw(st.one_of(st.integers(min_value=18, max_value=66), st.integers(min_value=25, max_value=52)))
    return claim(
        *jobs,
        birth=born_aged(age, end) - timedelta(days=draw(st.integers(0, 364))),
        registration=end + timedelta(days=draw(st.integers(1, 60))),
        supra_legal_severance=Decimal(draw(st.sampled_from([0, 500, 8000, 40000]))),
        paid_leave_compensation=Decimal(draw(st.sampled_from([0, 300, 2500, 9000]))),
        economic_dismissal=draw(st.booleans()),
        csg_rate=draw(st.sampled_from(list(CsgRate))),
        alsace_moselle=draw(st.booleans()),
        seasonal_worker=draw(st.booleans()),
    )


@st.composite
def claim_files(draw) -> tuple[ClaimFacts, Rights, ClaimEvents, date]:
    """An eligible claim, what its file says happened until a day, and that day."""
    facts = draw(claims())
    rights = compute_rights(facts)
    if not rights.eligible:
        facts = claim(contract(facts.contract_end - timedelta(days=400), facts.contract_end, 2500))
        rights = compute_rights(facts)
    today = rights.first_paid_day + timedelta(days=draw(st.integers(min_value=-40, max_value=900)))
    declarations: dict[date, DeclaredMonth] = {}
    held: dict[date, tuple[str, ...]] = {}
    month = month_start(rights.first_paid_day)
    while declaration_window(month).opens <= today:
        window = declaration_window(month)
        never_declared = window.closes < today and draw(st.integers(0, 9)) == 0  # 1 closed window in 10
        if not never_declared:
            declared_on = window.opens + timedelta(days=draw(st.integers(0, 24)))
            if declared_on <= today:
                earned = draw(st.sampled_from([0, 0, 0, 250, 900, 1800, 4000]))
                declarations[month] = DeclaredMonth(declared_on, Decimal(earned))
        if draw(st.integers(0, 14)) == 0:
            held[month] = (draw(st.sampled_from(["document_awaited", "iban_rejected"])),)
        month = next_month(month)
    sanctions: tuple[Sanction, ...] = ()
    if draw(st.integers(0, 3)) == 0:
        start = rights.first_paid_day + timedelta(days=draw(st.integers(0, 600)))
        if draw(st.booleans()):  # as the agency decides them: whole months
            start = month_start(start)
            end = add_months(start, draw(st.integers(1, 3))) - timedelta(days=1)
            sanctions = (Sanction(start, end),)
        else:
            sanctions = (Sanction(start, start + timedelta(days=draw(st.integers(0, 120)))),)
    return facts, rights, ClaimEvents(declarations, sanctions, held), today
