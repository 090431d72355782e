"""Identification: the first factor (identifier or phone) plus the birth date.

Three failures lock the identifier, the phone number and the conversation for 15
minutes. The answer never says which factor was wrong. Lock keys are hashed so
that the table never holds an identifier or a phone number in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend.errors import ApiError
from bot.backend.models import IdentificationLock, JobSeeker, utc_aware

MAX_FAILURES = 3
LOCK_DURATION = timedelta(minutes=15)

FAILED = ApiError(
    401,
    "identification_failed",
    "Ces informations ne nous permettent pas de vous identifier. Vérifiez-les et réessayez.",
)


@dataclass(frozen=True)
class IdentityClaim:
    conversation_id: str
    birth_date: date
    identifier: str | None = None
    phone: str | None = None


def normalise_identifier(raw: str) -> str:
    """``' 1234567a '`` -> ``'1234567A'``: people type it in any case, with spaces."""
    return "".join(raw.split()).upper()


def normalise_phone(raw: str) -> str | None:
    """A French or international number in E.164, or None when it is not a number."""
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_is_linked(session: Session, raw_phone: str) -> bool:
    phone = normalise_phone(raw_phone)
    return bool(phone) and session.execute(select(JobSeeker.id).where(JobSeeker.phone == phone)).first() is not None


def _key(secret: str, kind: str, value: str) -> str:
    return kind + ":" + hashlib.sha256(f"{secret}|{kind}|{value}".encode()).hexdigest()[:40]


def _lock_keys(secret: str, claim: IdentityClaim) -> list[str]:
    keys = [_key(secret, "conversation", claim.conversation_id)]
    if claim.identifier:
        keys.append(_key(secret, "identifier", normalise_identifier(claim.identifier)))
    if claim.phone:
        keys.append(_key(secret, "phone", normalise_phone(claim.phone) or claim.phone))
    return keys


def identify(session: Session, secret: str, claim: IdentityClaim, now: datetime | None = None) -> JobSeeker:
    """Return the job seeker, or raise 423 while locked / 401 on a mismatch."""
    now = now or datetime.now(timezone.utc)
    keys = _lock_keys(secret, claim)
    locks = {
        lock.key: lock
        for lock in session.execute(select(IdentificationLock).where(IdentificationLock.key.in_(keys))).scalars()
    }
    locked_until = max(
        (
            utc_aware(lock.locked_until)
            for lock in locks.values()
            if lock.locked_until and utc_aware(lock.locked_until) > now
        ),
        default=None,
    )
    if locked_until:
        raise _locked(locked_until, now)

    person = _match(session, claim)
    if person is None:
        _record_failure(session, keys, locks, now)
        locked_until = max(
            (
                utc_aware(lock.locked_until)
                for lock in locks.values()
                if lock.locked_until and utc_aware(lock.locked_until) > now
            ),
            default=None,
        )
        if locked_until:
            raise _locked(locked_until, now)
        raise FAILED
    for lock in locks.values():
        session.delete(lock)
    return person


def _match(session: Session, claim: IdentityClaim) -> JobSeeker | None:
    if claim.identifier:
        person = session.execute(
            select(JobSeeker).where(JobSeeker.identifier == normalise_identifier(claim.identifier))
        ).scalar_one_or_none()
    elif claim.phone:
        phone = normalise_phone(claim.phone)
        person = phone and session.execute(select(JobSeeker).where(JobSeeker.phone == phone)).scalar_one_or_none()
    else:
        person = None
    if person is None or person.birth_date != claim.birth_date:
        return None
    return person


def _record_failure(session: Session, keys: list[str], locks: dict[str, IdentificationLock], now: datetime) -> None:
    for key in keys:
        lock = locks.get(key)
        if lock is None:
            lock = IdentificationLock(key=key, failures=0)
            session.add(lock)
            locks[key] = lock
        last = utc_aware(lock.last_failure_at)
        if last is None or now - last > LOCK_DURATION:
            lock.failures = 0  # old failures are forgiven
        lock.failures += 1
        lock.last_failure_at = now
        if lock.failures >= MAX_FAILURES:
            lock.locked_until = now + LOCK_DURATION
            lock.failures = 0
    # Committed now: the request ends with an error, and a rollback must not forget the failure.
    session.commit()


def _locked(until: datetime, now: datetime) -> ApiError:
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return ApiError(
        423,
        "identification_locked",
        f"Trop d'essais : l'identification est bloquée pendant {minutes} minutes. "
        "Un conseiller peut vous aider entre-temps.",
        {"Retry-After": str(int((until - now).total_seconds()) + 1)},
    )
