"""What the console shows, in French: labels, times, the live messages and the file summary.

Pure functions over the backend's and Rasa's JSON, so that they are tested
without a server. Every text that came from a person goes through
``bot.privacy.redaction.redact`` before it is shown; Jinja2 escapes it.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from bot.clock import PARIS
from bot.common.needs import LABELS as NEED_LABELS
from bot.formatting import format_date_fr, format_eur, format_month_fr
from bot.privacy.redaction import redact

REASONS = {
    "low_confidence": "Le bot n'était pas sûr de comprendre",
    "repeated_misunderstanding": "Incompréhensions répétées",
    "human_requested": "La personne demande un conseiller",
    "distress": "Détresse exprimée",
    "backend_error": "Dossier indisponible (incident technique)",
    "identification_locked": "Identification bloquée",
    "contest_overpayment": "Contestation d'un trop-perçu",
    "sanction": "Question sur une sanction",
}
CHANNELS = {
    "socketio": "Site web",
    "web": "Site web",
    "rest": "API (essai)",
    "shell": "Terminal (essai)",
    "twilio_sms": "SMS",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
}
STATUSES = {"waiting": "En attente", "taken": "Pris en charge", "closed": "Clos"}
PAYMENT_STATUSES = {"paid": "payé", "scheduled": "programmé", "blocked": "bloqué"}
DECLARATION_STATUSES = {
    "submitted": "faite",
    "late": "faite en retard",
    "missing": "manquante",
    "open": "ouverte, pas encore faite",
}
OVERPAYMENT_STATUSES = {
    "notified": "notifié",
    "contested": "contesté",
    "recovering": "en recouvrement",
    "repaid": "remboursé",
    "not_recovered": "non recouvré",
}
CONTACT = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "courriel", "phone": "téléphone", "web": "espace personnel"}


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def clock_time(moment: datetime | None) -> str:
    """``14:05``, in Paris."""
    return moment.astimezone(PARIS).strftime("%H:%M") if moment else ""


def elapsed(since: datetime | None, now: datetime) -> str:
    """A waiting time as a counsellor says it: ``moins d'une minute``, ``12 min``, ``1 h 05``."""
    if since is None:
        return ""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return "moins d'une minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


def ticket_row(ticket: dict, now: datetime) -> dict:
    """A ticket as the queue and the ticket page show it."""
    created = parse_time(ticket.get("created_at"))
    taken = parse_time(ticket.get("taken_at"))
    closed = parse_time(ticket.get("closed_at"))
    return {
        **ticket,
        "urgent": ticket.get("priority") == "urgent",
        "reason_label": REASONS.get(ticket.get("reason"), ticket.get("reason") or ""),
        "channel_label": CHANNELS.get(ticket.get("channel"), ticket.get("channel") or ""),
        "status_label": STATUSES.get(ticket.get("status"), ticket.get("status") or ""),
        "created_time": clock_time(created),
        "waiting": elapsed(created, taken or closed or now),
        "taken_time": clock_time(taken),
        "closed_time": clock_time(closed),
        "summary": redact(ticket.get("summary") or ""),
        "need_label": NEED_LABELS.get(ticket.get("need") or "", ticket.get("need") or ""),
    }


def queue(tickets: list[dict], now: datetime, closed_shown: int = 20) -> dict[str, list[dict]]:
    """Waiting, taken and the latest closed tickets; the backend already sorts urgent first, then oldest."""
    rows = [ticket_row(ticket, now) for ticket in tickets]
    closed = [row for row in rows if row["status"] == "closed"]
    closed.sort(key=lambda row: row.get("closed_at") or "", reverse=True)
    return {
        "waiting": [row for row in rows if row["status"] == "waiting"],
        "taken": [row for row in rows if row["status"] == "taken"],
        "closed": closed[:closed_shown],
    }


def transcript(ticket: dict) -> list[dict]:
    """The conversation before the handoff, as the bot recorded it in the ticket (already redacted)."""
    lines = []
    for line in ticket.get("transcript") or []:
        sender = line.get("sender", "user")
        lines.append(
            {
                "sender": sender,
                "who": _who(sender, None, None),
                "text": redact(str(line.get("text", ""))),
                "at": clock_time(parse_time(line.get("at"))),
            }
        )
    return lines


def live_messages(tracker: dict, since: datetime | None, me: str, names: dict[str, str]) -> list[dict]:
    """Messages of the conversation since the handoff, from Rasa's tracker: the person's, the
    bot's and the counsellors' (bot events that carry ``metadata.counsellor``)."""
    cutoff = since.timestamp() if since else 0.0
    messages = []
    for event in tracker.get("events") or []:
        stamp = float(event.get("timestamp") or 0)
        if stamp < cutoff or event.get("event") not in ("user", "bot"):
            continue
        counsellor = (event.get("metadata") or {}).get("counsellor") if event["event"] == "bot" else None
        sender = "user" if event["event"] == "user" else ("counsellor" if counsellor else "bot")
        text = event.get("text") or ""
        if not text.strip():
            continue
        messages.append(
            {
                "key": f"{stamp:.6f}",
                "sender": sender,
                "who": _who(sender, counsellor, me, names),
                "text": redact(text),
                "at": clock_time(datetime.fromtimestamp(stamp, timezone.utc)),
            }
        )
    return messages


def _who(sender: str, counsellor: str | None, me: str | None, names: dict[str, str] | None = None) -> str:
    if sender == "user":
        return "La personne"
    if sender == "counsellor":
        if counsellor and counsellor == me:
            return "Vous"
        return (names or {}).get(counsellor or "", "Conseiller")
    return "Assistant automatique"


def _money(value: str | None) -> str:
    try:
        return format_eur(Decimal(value)) if value is not None else "—"
    except InvalidOperation:
        return "—"


def _day(value: str | None) -> str:
    return format_date_fr(date.fromisoformat(value)) if value else "—"


def _month(value: str | None) -> str:
    return format_month_fr(date.fromisoformat(f"{value}-01")) if value else "—"


def file_summary(summary: dict) -> list[dict]:
    """The file in a few labelled lines, grouped for a ``<dl>`` per section."""
    rights = summary.get("rights") or {}
    payment = summary.get("next_payment") or {}
    declaration = (summary.get("declaration") or {}).get("last_due") or {}
    sections = [
        {
            "title": "Personne",
            "rows": [
                ("Nom", f"{summary.get('first_name', '')} {summary.get('last_name', '')}".strip()),
                ("Département", summary.get("department") or "—"),
                ("Contact préféré", CONTACT.get(summary.get("contact_preference"), "—")),
            ],
        },
        {
            "title": "Droits",
            "rows": [
                ("Allocation journalière brute", _money(rights.get("daily_allowance"))),
                ("Salaire journalier de référence", _money(rights.get("reference_wage"))),
                ("Fin des droits", _day(rights.get("end_date"))),
                ("Jours restants", str(rights.get("days_left", "—"))),
                ("Dégressivité", _day(rights["degressivity_date"]) if rights.get("degressivity_date") else "non"),
            ],
        },
        {"title": "Prochain paiement", "rows": _payment_rows(payment)},
        {
            "title": "Actualisation",
            "rows": [
                ("Mois", _month(declaration.get("month"))),
                ("État", DECLARATION_STATUSES.get(declaration.get("status"), declaration.get("status") or "—")),
                ("Revenus déclarés", _money(declaration.get("gross_earnings"))),
            ],
        },
    ]
    overpayments = summary.get("overpayments") or []
    sections.append(
        {
            "title": "Trop-perçus",
            "rows": [
                (
                    f"{item.get('reference', '')} ({OVERPAYMENT_STATUSES.get(item.get('status'), item.get('status'))})",
                    f"reste {_money(item.get('remaining'))} sur {_money(item.get('amount'))}, "
                    f"retenue {_money(item.get('monthly_withholding'))} par mois",
                )
                for item in overpayments
            ]
            or [("Aucun", "—")],
        }
    )
    return sections


def _payment_rows(payment: dict) -> list[tuple[str, str]]:
    reasons = "; ".join(detail.get("message", "") for detail in payment.get("reason_details") or [])
    if payment.get("status") == "none":
        return [("Paiement", "aucun à venir"), ("Motif", reasons or "—")]
    rows = [
        ("Mois", _month(payment.get("period"))),
        ("État", "estimé" if payment.get("estimate") else PAYMENT_STATUSES.get(payment.get("status"), "—")),
        ("Date", _day(payment.get("payment_date"))),
        ("Montant net", _money(payment.get("net"))),
    ]
    if reasons:
        rows.append(("Motifs", reasons))
    return rows
