"""Identification: the first factor (identifier or phone) plus the birth date.

Failed attempts are counted under several keys, all hashed so that the table
never holds an identifier, a phone number or an address in clear:

* **the file** (``person``), the identifier, the phone number and the
  conversation: 3 failures lock them for 15 minutes (423). The file is locked,
  not only the factor that failed: after three wrong birth dates with the
  identifier, the phone number with the right one is refused too (issue 17 §8);
* **the origin** (``source``: the channel's keyed hash of the client's address,
  given by the caller): ``ALLOCBOT_IDENTIFICATION_PER_SOURCE`` (10) failures in
  15 minutes, whatever the identifiers and conversations, throttle that origin
  (429): one birth date sprayed over many identifiers from one address is stopped;
* **everything** (``all``): ``ALLOCBOT_IDENTIFICATION_GLOBAL_MAX`` (1 000) failures
  in 15 minutes throttle every identification for the rest of the window (429):
  a spray from many addresses. Set it from the service's real failure rate: it
  also stops the honest, who are told to retry or call the 3949;
* **the birth date** tried: 10 failures in 15 minutes with one birth date, over
  any identifiers, is only *reported*: throttling it would let anyone block the
  people born that day.

Each throttle answers in French; every spray (a throttle, a birth date reported)
logs a warning ``identification spraying`` for the team that runs the service.
The answer never says which factor was wrong.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend.errors import ApiError
from bot.backend.models import IdentificationLock, JobSeeker, utc_aware

log = logging.getLogger(__name__)

MAX_FAILURES = 3
LOCK_DURATION = timedelta(minutes=15)
PERSONAL_KINDS = ("conversation", "identifier", "phone", "person")  # 423, forgiven by a success
SPRAY_KINDS = ("source", "all")  # 429, never reset by a success
REPORTED_KINDS = ("birth_date",)  # logged, never locked


def _threshold(kind: str) -> int:
    if kind == "source":
        return int(os.environ.get("ALLOCBOT_IDENTIFICATION_PER_SOURCE") or 10)
    if kind == "all":
        return int(os.environ.get("ALLOCBOT_IDENTIFICATION_GLOBAL_MAX") or 1000)
    if kind == "birth_date":
        return 10
    return MAX_FAILURES


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
    source: str | None = None


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


def _lock_keys(secret: str, claim: IdentityClaim, person: JobSeeker | None) -> list[str]:
    keys = [_key(secret, "conversation", claim.conversation_id)]
    if claim.identifier:
        keys.append(_key(secret, "identifier", normalise_identifier(claim.identifier)))
    if claim.phone:
        keys.append(_key(secret, "phone", normalise_phone(claim.phone) or claim.phone))
    if person is not None:
        keys.append(_key(secret, "person", str(person.id)))
    if claim.source:
        keys.append(_key(secret, "source", claim.source))
    keys.append(_key(secret, "birth_date", claim.birth_date.isoformat()))
    keys.append("all:global")
    return keys


def _active(locks: dict[str, IdentificationLock], now: datetime) -> list[IdentificationLock]:
    return [lock for lock in locks.values() if lock.locked_until and utc_aware(lock.locked_until) > now]


def _refusal(active: list[IdentificationLock], now: datetime) -> ApiError:
    throttles = [lock for lock in active if lock.key.split(":", 1)[0] in SPRAY_KINDS]
    until = max(utc_aware(lock.locked_until) for lock in (throttles or active))
    return _throttled(until, now, throttles[0].key.split(":", 1)[0]) if throttles else _locked(until, now)


def identify(session: Session, secret: str, claim: IdentityClaim, now: datetime | None = None) -> JobSeeker:
    """Return the job seeker, or raise 423 while locked, 429 while throttled, 401 on a mismatch."""
    now = now or datetime.now(timezone.utc)
    claimed = _claimed_person(session, claim)
    keys = _lock_keys(secret, claim, claimed)
    locks = {
        lock.key: lock
        for lock in session.execute(select(IdentificationLock).where(IdentificationLock.key.in_(keys))).scalars()
    }
    active = _active(locks, now)
    if active:
        raise _refusal(active, now)

    if claimed is None or claimed.birth_date != claim.birth_date:
        _record_failure(session, keys, locks, now)
        active = _active(locks, now)
        if active:
            raise _refusal(active, now)
        raise FAILED
    for key, lock in locks.items():
        if key.split(":", 1)[0] in PERSONAL_KINDS:
            session.delete(lock)
    return claimed


def _claimed_person(session: Session, claim: IdentityClaim) -> JobSeeker | None:
    """The file the first factor names, whatever the birth date (None if it names none)."""
    if claim.identifier:
        return session.execute(
            select(JobSeeker).where(JobSeeker.identifier == normalise_identifier(claim.identifier))
        ).scalar_one_or_none()
    if claim.phone:
        phone = normalise_phone(claim.phone)
        if phone:
            return session.execute(select(JobSeeker).where(JobSeeker.phone == phone)).scalar_one_or_none()
    return None


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
        kind = key.split(":", 1)[0]
        if lock.failures >= _threshold(kind):
            lock.failures = 0
            if kind in REPORTED_KINDS:
                log.warning("identification spraying: %d failures with one birth date (%s)", _threshold(kind), key[:20])
                continue
            lock.locked_until = now + LOCK_DURATION
            if kind in SPRAY_KINDS:
                log.warning("identification spraying: %s throttled for %s (%s)", kind, LOCK_DURATION, key[:20])
    # Committed now: the request ends with an error, and a rollback must not forget the failure.
    session.commit()


def _refused(status: int, code: str, message: str, until: datetime, now: datetime) -> ApiError:
    """``message`` with ``{minutes}`` filled in, and Retry-After."""
    minutes = max(1, int((until - now).total_seconds() // 60) + 1)
    return ApiError(
        status, code, message.format(minutes=minutes), {"Retry-After": str(int((until - now).total_seconds()) + 1)}
    )


def _throttled(until: datetime, now: datetime, kind: str) -> ApiError:
    where = "sur le service" if kind == "all" else "depuis votre connexion"
    message = (
        f"Trop de tentatives d'identification {where} en peu de temps. Réessayez dans {{minutes}} minutes, "
        "ou appelez le 3949 (service gratuit + prix d'un appel)."
    )
    return _refused(429, "identification_throttled", message, until, now)


def _locked(until: datetime, now: datetime) -> ApiError:
    message = (
        "Trop d'essais : l'identification est bloquée pendant {minutes} minutes. "
        "Un conseiller peut vous aider entre-temps."
    )
    return _refused(423, "identification_locked", message, until, now)
