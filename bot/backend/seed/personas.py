"""The demo personas: one situation each, dated relative to "today".

Each persona is what a counsellor would use to show one kind of question:
dates are computed from the day of the seed so that "declaration missing this
month" is true whatever day the demo runs (pin it with ``ALLOCBOT_TODAY``).
Identifiers, phones and birth dates are invented; the README lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bot.backend.rules.dates import add_months, month_start


@dataclass(frozen=True)
class ContractSpec:
    employer: str
    start: date
    end: date
    monthly_gross: Decimal
    working_time_ratio: Decimal = Decimal(1)


@dataclass(frozen=True)
class PersonaSpec:
    key: str
    situation: str  # French, shown in the README and the console
    identifier: str
    first_name: str
    last_name: str
    birth_date: date
    phone: str
    department: str
    contact_preference: str
    contracts: tuple[ContractSpec, ...]
    paid_leave_compensation: Decimal = Decimal(0)
    csg_rate: str = "normal"
    earnings: dict[date, Decimal] = field(default_factory=dict)  # declared gross earnings by month
    missing_declarations: frozenset[date] = frozenset()
    awaited_payslip_for: date | None = None
    iban_rejected: bool = False
    sanction: tuple[date, date] | None = None
    overpayment: tuple[Decimal, Decimal, date] | None = None  # amount, monthly withholding, notified on
    target_end_of_rights: date | None = None  # shift the contract so that rights end that day


def _contract(employer: str, end: date, months: int, wage: str, ratio: str = "1") -> ContractSpec:
    start = add_months(month_start(end), -months + 1)
    return ContractSpec(employer, start, end, Decimal(wage), Decimal(ratio))


def personas(today: date) -> list[PersonaSpec]:
    """The demo personas for a seed made on ``today``."""
    this_month = month_start(today)
    last_month = add_months(this_month, -1)

    def ended(months_ago: int) -> date:
        """Last day of the month ``months_ago`` months before this one."""
        return add_months(this_month, -months_ago + 1) - timedelta(days=1)

    return [
        PersonaSpec(
            "standard",
            "Indemnisée depuis plusieurs mois, sans particularité.",
            "1234567A",
            "Camille",
            "Martin",
            date(1988, 4, 12),
            "+33612345601",
            "69",
            "web",
            (_contract("Boulangerie du Parc", ended(10), 24, "2400.00"),),
        ),
        PersonaSpec(
            "first_payment",
            "Inscrit il y a moins de trois semaines : différés et délai d'attente en cours, premier paiement à venir.",
            "2345678B",
            "Julien",
            "Petit",
            date(1995, 9, 3),
            "+33612345602",
            "33",
            "sms",
            (_contract("Transports Garonne", today - timedelta(days=12), 18, "1900.00"),),
            paid_leave_compensation=Decimal("1200.00"),
        ),
        PersonaSpec(
            "declaration_missing",
            "N'a pas fait son actualisation du mois dernier : paiement bloqué.",
            "3456789C",
            "Sofia",
            "Benali",
            date(1990, 1, 27),
            "+33612345603",
            "93",
            "whatsapp",
            (_contract("Hôtel Lumière", ended(8), 24, "2000.00"),),
            missing_declarations=frozenset({last_month}),
        ),
        PersonaSpec(
            "work_declared",
            "A déclaré 700 € de salaire le mois dernier (cumul allocation-salaire).",
            "4567890D",
            "Thomas",
            "Leroy",
            date(1985, 6, 18),
            "+33612345604",
            "59",
            "sms",
            (_contract("Entrepôts du Nord", ended(7), 24, "2200.00"),),
            earnings={last_month: Decimal("700.00")},
        ),
        PersonaSpec(
            "degressivity",
            "Ancien cadre de moins de 55 ans : allocation réduite depuis le 183e jour.",
            "5678901E",
            "Nicolas",
            "Moreau",
            date(1980, 11, 5),
            "+33612345605",
            "92",
            "email",
            (_contract("Conseil & Stratégie SA", ended(10), 24, "6000.00"),),
        ),
        PersonaSpec(
            "rights_ending",
            "Ses droits se terminent dans moins de 30 jours.",
            "6789012F",
            "Isabelle",
            "Fournier",
            date(1992, 3, 30),
            "+33612345606",
            "44",
            "web",
            (_contract("Librairie Atlantique", ended(9), 12, "1800.00"),),
            target_end_of_rights=today + timedelta(days=20),
        ),
        PersonaSpec(
            "overpayment",
            "Un trop-perçu de 1 150 € est retenu chaque mois sur ses paiements.",
            "7890123G",
            "Marc",
            "Lambert",
            date(1975, 8, 22),
            "+33612345607",
            "13",
            "phone",
            (_contract("Chantiers Provence", ended(12), 24, "2600.00"),),
            overpayment=(Decimal("1150.00"), Decimal("150.00"), add_months(this_month, -5) + timedelta(days=4)),
        ),
        PersonaSpec(
            "payslip_awaited",
            "A déclaré du travail le mois dernier ; le bulletin de salaire est attendu.",
            "8901234H",
            "Laura",
            "Girard",
            date(1998, 12, 14),
            "+33612345608",
            "31",
            "whatsapp",
            (_contract("Restaurant Capitole", ended(6), 24, "1750.00"),),
            earnings={last_month: Decimal("500.00")},
            awaited_payslip_for=last_month,
        ),
        PersonaSpec(
            "part_time",
            "Travaillait à mi-temps : partie fixe et minimum réduits au prorata.",
            "9012345J",
            "Nadia",
            "Rousseau",
            date(1987, 2, 9),
            "+33612345609",
            "35",
            "sms",
            (_contract("Pharmacie des Lices", ended(5), 24, "1100.00", "0.5"),),
        ),
        PersonaSpec(
            "alsace_moselle",
            "Habite en Alsace : cotisation maladie de 1,5 % en plus.",
            "1122334K",
            "Pierre",
            "Muller",
            date(1983, 7, 1),
            "+33612345610",
            "67",
            "web",
            (_contract("Brasserie de l'Ill", ended(9), 24, "3900.00"),),
        ),
        PersonaSpec(
            "high_earner",
            "Ancienne dirigeante de 57 ans : salaires plafonnés à 4 fois le plafond de la "
            "Sécurité sociale, pas de dégressivité, historique depuis 2024 (février court).",
            "2233445L",
            "Catherine",
            "Dubois",
            date(1967, 5, 20),
            "+33612345611",
            "75",
            "email",
            (ContractSpec("Groupe Horizon", date(2021, 11, 1), date(2024, 10, 31), Decimal("20000.00")),),
        ),
        PersonaSpec(
            "minimum_allowance",
            "Petit salaire : allocation relevée au minimum journalier.",
            "3344556M",
            "Kevin",
            "Bernard",
            date(2000, 10, 2),
            "+33612345612",
            "62",
            "sms",
            (_contract("Jardinerie Côte d'Opale", ended(6), 24, "1370.00"),),
        ),
        PersonaSpec(
            "iban_rejected",
            "Le dernier virement a été rejeté par la banque (RIB à mettre à jour).",
            "4455667N",
            "Emma",
            "Laurent",
            date(1993, 4, 4),
            "+33612345613",
            "06",
            "web",
            (_contract("Agence Azur Voyages", ended(4), 24, "2100.00"),),
            iban_rejected=True,
        ),
        PersonaSpec(
            "sanction",
            "Allocation suspendue ce mois-ci et le mois dernier à la suite d'une sanction.",
            "5566778P",
            "Hugo",
            "Simon",
            date(1989, 8, 30),
            "+33612345614",
            "21",
            "phone",
            (_contract("Vignobles de Bourgogne", ended(8), 24, "1950.00"),),
            sanction=(last_month, add_months(this_month, 1) - timedelta(days=1)),
        ),
    ]
