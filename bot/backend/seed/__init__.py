"""Deterministic seed of the simulated backend: demo personas and a synthetic population.

``python -m bot.backend.seed`` migrates the database and writes the demo
personas for today (Europe/Paris, or ``ALLOCBOT_TODAY``); it does nothing when
they are already there for that day. ``--population N`` adds N synthetic job
seekers (Faker ``fr_FR``, seeded) for load tests: person ``i`` of seed ``s`` is
always the same, so a load generator can rebuild identities without the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from stdnum.fr import nir

from bot.backend.models import BackendMeta, ContactPreference, JobSeeker
from bot.backend.rules import compute_rights
from bot.backend.rules.dates import add_months, month_start
from bot.backend.seed.history import LifeEvents, add_claim, build_claim, write_history
from bot.backend.seed.personas import ContractSpec, PersonaSpec, personas
from bot.backend.services.claim import claim_facts

SEED_DAY_KEY = "demo_seed_day"
SYNTHETIC_PREFIX = "9"  # synthetic identifiers are 9xxxxxxL, never a persona's


def social_security_number(sex: int, birth: date, department: str, serial: int) -> str:
    """A checksum-valid, invented NIR (never a real person's): for redaction tests."""
    department = department.zfill(2)[:2] if department.isdigit() else "75"
    body = f"{sex}{birth:%y%m}{department}{101 + serial % 800:03d}{serial % 997 + 1:03d}"
    return body + nir.calc_check_digits(body)


def seeded_day(session: Session) -> str | None:
    row = session.get(BackendMeta, SEED_DAY_KEY)
    return row.value if row else None


def seed_demo(session: Session, today: date, force: bool = False) -> bool:
    """Write the demo personas for ``today``; False when they are already there."""
    if not force and seeded_day(session) == today.isoformat():
        return False
    session.execute(delete(JobSeeker).where(JobSeeker.persona.is_not(None)))
    for serial, spec in enumerate(personas(today), start=1):
        _write_persona(session, spec, today, serial)
    session.merge(BackendMeta(key=SEED_DAY_KEY, value=today.isoformat()))
    session.flush()
    return True


def _write_persona(session: Session, spec: PersonaSpec, today: date, serial: int) -> None:
    contracts = spec.contracts
    if spec.target_end_of_rights is not None:
        contracts = _shift_to_end_of_rights(spec, contracts)
    person = JobSeeker(
        identifier=spec.identifier,
        first_name=spec.first_name,
        last_name=spec.last_name,
        birth_date=spec.birth_date,
        phone=spec.phone,
        department=spec.department,
        email=f"{spec.first_name.lower()}.{spec.last_name.lower()}@exemple.fr",
        contact_preference=ContactPreference(spec.contact_preference),
        social_security_number=social_security_number(1 + serial % 2, spec.birth_date, spec.department, serial),
        iban=f"FR76300040000{serial:02d}00000000{serial:04d}",
        iban_rejected=spec.iban_rejected,
        persona=spec.key,
    )
    session.add(person)
    session.flush()
    registration = contracts[-1].end + timedelta(days=1)
    claim = add_claim(
        session, person, contracts, registration, spec.paid_leave_compensation, spec.csg_rate, spec.sanction
    )
    write_history(
        session,
        person,
        claim,
        today,
        LifeEvents(
            earnings=spec.earnings,
            missing_declarations=spec.missing_declarations,
            awaited_payslip_for=spec.awaited_payslip_for,
            sanction=spec.sanction,
            iban_rejected=spec.iban_rejected,
            overpayment=spec.overpayment,
        ),
    )


def _shift_to_end_of_rights(spec: PersonaSpec, contracts: tuple[ContractSpec, ...]) -> tuple[ContractSpec, ...]:
    """Move the contracts in time so that the rights end on the wanted day."""
    if spec.target_end_of_rights is None:
        return contracts
    for _ in range(3):
        probe = JobSeeker(birth_date=spec.birth_date, department=spec.department)
        claim = build_claim(contracts, contracts[-1].end + timedelta(days=1))
        end = compute_rights(claim_facts(probe, claim)).end_date
        shift = (spec.target_end_of_rights - end).days
        if shift == 0:
            break
        contracts = tuple(
            ContractSpec(
                c.employer,
                c.start + timedelta(days=shift),
                c.end + timedelta(days=shift),
                c.monthly_gross,
                c.working_time_ratio,
            )
            for c in contracts
        )
    return contracts


@dataclass(frozen=True)
class SyntheticIdentity:
    index: int
    identifier: str
    birth_date: date
    phone: str


def synthetic_identity(index: int, seed: int = 42) -> SyntheticIdentity:
    """Identity of synthetic person ``index``: what a load generator types to identify."""
    rng = random.Random(seed * 1_000_003 + index)
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    identifier = f"{SYNTHETIC_PREFIX}{index:06d}{letters[index % len(letters)]}"
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 42))
    phone = f"+3377{index:08d}"
    return SyntheticIdentity(index, identifier, birth, phone)


def generate_population(session: Session, size: int, today: date, seed: int = 42) -> int:
    """Add ``size`` synthetic job seekers (skipping those already there); returns how many were added."""
    existing = set(
        session.execute(select(JobSeeker.identifier).where(JobSeeker.identifier.like(f"{SYNTHETIC_PREFIX}%"))).scalars()
    )
    fake = Faker("fr_FR")
    added = 0
    for index in range(size):
        identity = synthetic_identity(index, seed)
        if identity.identifier in existing:
            continue
        rng = random.Random(seed * 7_919 + index)
        fake.seed_instance(seed * 104_729 + index)
        department = rng.choice(["75", "13", "69", "59", "33", "31", "44", "67", "57", "93", "06", "35"])
        end = add_months(month_start(today), -rng.randint(1, 14)) - timedelta(days=1)
        wage = Decimal(rng.randrange(1_400, 5_500, 10))
        ratio = Decimal("0.5") if rng.random() < 0.1 else Decimal(1)
        contract = ContractSpec(
            fake.company()[:120], add_months(month_start(end), -rng.randint(8, 24) + 1), end, wage, ratio
        )
        person = JobSeeker(
            identifier=identity.identifier,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            birth_date=identity.birth_date,
            phone=identity.phone,
            department=department,
            email=f"synthetique{index}@exemple.fr",
            contact_preference=ContactPreference.WEB,
            social_security_number=social_security_number(1 + index % 2, identity.birth_date, department, index),
            iban=None,
            iban_rejected=False,
            persona=None,
        )
        session.add(person)
        session.flush()
        claim = add_claim(session, person, (contract,), end + timedelta(days=1))
        last_month = add_months(month_start(today), -1)
        earnings = {last_month: Decimal(rng.randrange(200, 1_200, 50))} if rng.random() < 0.4 else {}
        write_history(session, person, claim, today, LifeEvents(earnings=earnings))
        added += 1
        if added % 200 == 0:
            session.flush()
    return added
