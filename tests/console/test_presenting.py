"""The console's French presentation of tickets, messages and the file summary (pure functions)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.console import presenting

pytestmark = pytest.mark.unit  # the fast loop: make unit

NOW = datetime(2026, 11, 22, 13, 30, tzinfo=timezone.utc)


def test_waiting_time_is_said_as_a_counsellor_says_it():
    assert presenting.elapsed(NOW - timedelta(seconds=20), NOW) == "moins d'une minute"
    assert presenting.elapsed(NOW - timedelta(minutes=12, seconds=59), NOW) == "12 min"
    assert presenting.elapsed(NOW - timedelta(hours=1, minutes=5), NOW) == "1 h 05"
    assert presenting.elapsed(None, NOW) == ""


def test_times_are_shown_in_paris():
    assert presenting.clock_time(NOW) == "14:30"  # UTC+1 in November


def test_queue_puts_each_ticket_in_its_part_and_keeps_the_backend_order():
    tickets = [
        {
            "reference": "AB-UUUUUU",
            "status": "waiting",
            "priority": "urgent",
            "reason": "distress",
            "channel": "twilio_sms",
            "created_at": (NOW - timedelta(minutes=3)).isoformat(),
        },
        {
            "reference": "AB-NNNNNN",
            "status": "waiting",
            "priority": "normal",
            "reason": "human_requested",
            "channel": "socketio",
            "created_at": (NOW - timedelta(minutes=30)).isoformat(),
        },
        {
            "reference": "AB-TTTTTT",
            "status": "taken",
            "priority": "normal",
            "reason": "low_confidence",
            "channel": "whatsapp",
            "counsellor": "c.martin",
            "created_at": NOW.isoformat(),
            "taken_at": NOW.isoformat(),
        },
        {
            "reference": "AB-CCCCCC",
            "status": "closed",
            "priority": "normal",
            "reason": "sanction",
            "channel": "rest",
            "created_at": NOW.isoformat(),
            "closed_at": NOW.isoformat(),
        },
    ]
    parts = presenting.queue(tickets, NOW)
    assert [row["reference"] for row in parts["waiting"]] == ["AB-UUUUUU", "AB-NNNNNN"]
    first = parts["waiting"][0]
    assert first["urgent"] and first["reason_label"] == "Détresse exprimée" and first["channel_label"] == "SMS"
    assert first["waiting"] == "3 min"
    assert [row["reference"] for row in parts["taken"]] == ["AB-TTTTTT"]
    assert [row["reference"] for row in parts["closed"]] == ["AB-CCCCCC"]


def test_live_messages_start_at_the_handoff_and_name_who_spoke():
    start = NOW.timestamp()
    tracker = {
        "events": [
            {"event": "user", "text": "avant", "timestamp": start - 5},
            {"event": "user", "text": "mon numéro est le 06 12 34 56 01", "timestamp": start + 1},
            {"event": "action", "name": "action_listen", "timestamp": start + 2},
            {
                "event": "bot",
                "text": "Bonjour, ici Claire.",
                "metadata": {"counsellor": "c.martin"},
                "timestamp": start + 3,
            },
            {"event": "bot", "text": "Bonjour.", "metadata": {"counsellor": "p.durand"}, "timestamp": start + 4},
            {"event": "bot", "text": "Je reprends.", "metadata": {}, "timestamp": start + 5},
            {"event": "bot", "text": "", "timestamp": start + 6},
        ]
    }
    messages = presenting.live_messages(tracker, NOW, "c.martin", {"p.durand": "Paul Durand"})
    assert [(m["sender"], m["who"]) for m in messages] == [
        ("user", "La personne"),
        ("counsellor", "Vous"),
        ("counsellor", "Paul Durand"),
        ("bot", "Assistant automatique"),
    ]
    assert "06 12" not in messages[0]["text"] and "[TÉLÉPHONE]" in messages[0]["text"]


def test_file_summary_formats_money_and_dates_in_french():
    summary = {
        "first_name": "Camille",
        "last_name": "Martin",
        "department": "69",
        "contact_preference": "sms",
        "rights": {
            "daily_allowance": "1234.5",
            "reference_wage": "80.00",
            "end_date": "2027-03-01",
            "days_left": 99,
            "degressivity_date": None,
        },
        "next_payment": {
            "status": "expected",
            "period": "2026-12",
            "payment_date": "2027-01-06",
            "net": "1100.10",
            "estimate": True,
            "reason_details": [],
        },
        "declaration": {"last_due": {"month": "2026-11", "status": "missing", "gross_earnings": "0.00"}},
        "overpayments": [
            {
                "reference": "TP-1",
                "status": "recovering",
                "remaining": "1000.00",
                "amount": "1150.00",
                "monthly_withholding": "150.00",
            }
        ],
    }
    sections = {part["title"]: dict(part["rows"]) for part in presenting.file_summary(summary)}
    assert sections["Personne"]["Nom"] == "Camille Martin"
    assert sections["Droits"]["Allocation journalière brute"] == "1 234,50 €"
    assert sections["Droits"]["Fin des droits"] == "lundi 1 mars 2027"
    assert sections["Droits"]["Dégressivité"] == "non"
    assert sections["Prochain paiement"]["Date"] == "mercredi 6 janvier 2027"
    assert sections["Prochain paiement"]["Montant net"] == "1 100,10 €"
    assert sections["Actualisation"]["État"] == "manquante"
    assert sections["Trop-perçus"]["TP-1 (en recouvrement)"] == (
        "reste 1 000,00 € sur 1 150,00 €, retenue 150,00 € par mois"
    )
