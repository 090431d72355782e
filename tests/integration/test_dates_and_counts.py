"""Every date and count the bot says is right (issue 15), through the real Rasa, action server and backend.

Each answer is checked against the backend's own figures, and those figures against
another view of the same file (the month-by-month allowances, the stored payments),
so that a date or a count computed twice in two ways cannot drift apart unnoticed.
The day is pinned to ``TEST_TODAY`` (tests/servers.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import holidays
import pytest

from bot.backend.seed.personas import personas
from bot.common.formatting import format_date_fr, format_eur, format_month_fr
from tests.integration.conversation import BackendView, Conversation
from tests.servers import TEST_TODAY

TODAY = date.fromisoformat(TEST_TODAY)
PERSONAS = {p.key: p for p in personas(TODAY)}


def day(iso: str) -> str:
    return format_date_fr(date.fromisoformat(iso[:10]))


def eur(value: str) -> str:
    return format_eur(Decimal(value))


def following(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def talk(dialogue, key: str, question: str) -> tuple[Conversation, BackendView, str]:
    persona = PERSONAS[key]
    conversation = Conversation(dialogue)
    reply = conversation.identify(persona.identifier, persona.birth_date, question)
    return conversation, BackendView(dialogue, persona.identifier, persona.birth_date), reply


def monthly_days(backend: BackendView, first: date) -> list[tuple[date, dict]]:
    """The month-by-month view from ``first`` until a month pays nothing after the end of rights."""
    months, month = [], first
    while True:
        view = backend.get("allowance", month=month.strftime("%Y-%m"))
        if view["status"] == "after_end":
            return months
        months.append((month, view))
        month = following(month)


@pytest.mark.parametrize("key", sorted(PERSONAS))
def test_every_persona_hears_the_days_of_rights_left(dialogue, key):
    _, backend, reply = talk(dialogue, key, "jusqu'à quand je suis indemnisé ?")
    rights = backend.get("rights")
    # The days left said are the rights view's, and no more than the right minus the days used.
    assert f"il vous reste {rights['days_left']} jours" in reply
    assert day(rights["end_date"]) in reply
    assert rights["days_left"] <= rights["duration_days"] - rights["indemnified_days"]
    # They are what the month-by-month view still has to pay: the months after this one, and
    # the days of this month from today (its paid days are its first days).
    this_month = TODAY.replace(day=1)
    first_paid = date.fromisoformat(rights["first_paid_day"])
    months = monthly_days(backend, max(this_month, first_paid.replace(day=1)))
    still = sum(view["monthly"]["days_paid"] for month, view in months if month > this_month)
    current = dict(months).get(this_month)
    if current is not None and current["status"] != "suspended":
        elapsed = (TODAY - max(this_month, first_paid)).days
        still += max(0, current["monthly"]["days_paid"] - elapsed)
    assert rights["days_left"] == still
    backend.close()


def test_nicolas_hears_the_day_his_allowance_was_reduced(dialogue):
    _, backend, reply = talk(dialogue, "degressivity", "jusqu'à quand je suis indemnisé ?")
    rights = backend.get("rights")
    # The backend's own payments: the first one with reduced days says from which day.
    history = backend.get("payments", limit=24)["payments"][::-1]
    first_reduced = next(p for p in history if "degressivity" in p["reasons"])
    august = backend.get("allowance", month=first_reduced["period"])["monthly"]
    reduced_from = date.fromisoformat(august["reduced_from"])
    assert reduced_from.day == august["full_rate_days"] + 1  # a whole month: its k-th paid day is its k-th day
    assert rights["degressivity_date"] == reduced_from.isoformat()
    assert f"Depuis le {format_date_fr(reduced_from)} (183e jour indemnisé)" in reply
    assert f"{eur(rights['reduced_daily_allowance'])} brut (dégressivité)" in reply
    backend.close()


def test_julien_is_told_a_payment_date_after_the_month_it_pays(dialogue):
    _, backend, reply = talk(dialogue, "first_payment", "quand est-ce que je vais être payé ?")
    payment = backend.get("payments/next")
    assert payment["period"] == "2026-12"
    paid_on = date.fromisoformat(payment["payment_date"])
    # Not before the first working day of January 2027 (1 January is a holiday, 2 and 3 a weekend).
    french = holidays.France(years=2027)
    first_working = next(
        date(2027, 1, d) for d in range(1, 8) if date(2027, 1, d).weekday() < 5 and date(2027, 1, d) not in french
    )
    assert paid_on == first_working == date(2027, 1, 4)
    assert "lundi 4 janvier 2027" in reply
    assert "31 décembre" not in reply
    assert eur(payment["net"]) in reply
    backend.close()


def test_marc_hears_what_was_notified_what_is_left_and_the_withholding_applied(dialogue):
    conversation, backend, reply = talk(
        dialogue, "overpayment", "j'ai reçu un courrier pour un trop perçu, c'est quoi ?"
    )
    (item,) = backend.get("overpayments")["overpayments"]
    withheld = sum(Decimal(p["overpayment_withheld"]) for p in backend.get("payments", limit=24)["payments"])
    assert Decimal(item["amount"]) - withheld == Decimal(item["remaining"]) == Decimal(700)
    assert f"notifié le {day(item['notified_on'])} : 1 150,00 €" in reply
    assert "Il reste 700,00 € à rembourser sur les 1 150,00 € notifiés." in reply
    assert "150,00 € sont retenus chaque mois sur vos allocations." in reply
    assert "au plus" not in reply  # the withholding applied, not a new proposal
    assert f"la dernière, de {eur(item['last_withholding']['amount'])}" in reply
    assert f"Le délai pour le contester a pris fin le {day(item['contest_deadline'])}." in reply
    # The expired contest deadline, asked right after.
    contest = conversation.say("je peux contester ?")
    assert f"a pris fin le {day(item['contest_deadline'])}" in contest
    assert "remise gracieuse" in contest and "médiateur" in contest
    assert "Vous avez 2 mois" not in contest
    # The next payment is said after the withholding.
    payment = backend.get("payments/next")
    assert Decimal(payment["overpayment_withheld"]) == Decimal(item["monthly_withholding"]) == Decimal(150)
    backend.close()


def test_hugo_hears_no_amount_for_a_sanctioned_month_and_the_sanction_s_end(dialogue):
    conversation, backend, reply = talk(dialogue, "sanction", "combien je vais toucher ce mois-ci ?")
    november = backend.get("allowance")
    assert november["status"] == "suspended"
    until = day(november["sanction_until"])
    assert f"suspendue jusqu'au {until}" in reply
    assert "aucune allocation n'est due pour novembre 2026" in reply
    assert "estimée" not in reply and " net" not in reply
    duration = conversation.say("ça dure combien de temps la sanction ?")
    assert duration.splitlines()[0].startswith(f"Votre allocation est suspendue jusqu'au {until}")
    # Asked when he will be paid: the suspension, then the first month after it.
    payment_reply = conversation.say("quand est-ce que je vais être payé ?")
    payment = backend.get("payments/next")
    assert payment["status"] == "suspended" and payment["net"] is None
    assert payment["then"]["period"] == "2026-12"
    assert f"suspendue jusqu'au {until}" in payment_reply
    assert day(payment["then"]["payment_date"]) in payment_reply
    backend.close()


def test_isabelle_after_the_end_of_her_rights(dialogue):
    conversation, backend, _ = talk(dialogue, "rights_ending", "combien je vais toucher en décembre ?")
    rights = backend.get("rights")
    end = date.fromisoformat(rights["end_date"])
    after = following(end.replace(day=1))
    reply = conversation.say(f"et en {format_month_fr(after).split()[0]} ?")
    view = backend.get("allowance", month=after.strftime("%Y-%m"))
    assert view["status"] == "after_end" and view["monthly"]["days_paid"] == 0
    assert f"Vos droits prennent fin le {day(rights['end_date'])}" in reply
    assert f"aucune allocation n'est due pour {format_month_fr(after)}" in reply
    assert "ASS" in reply and "rechargement" in reply and "conseiller" in reply
    assert "estimée" not in reply and "× " not in reply
    backend.close()
