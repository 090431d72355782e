"""Request dependencies: settings, one database session per request, and the two credentials.

* The service token proves the caller is one of our processes (action server,
  counsellor console). Every ``/v1`` route needs it.
* The access token proves the conversation identified as that person; personal
  routes also check that it names the person in the path and the conversation
  in ``X-Conversation-Id``.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from bot.backend.db import session_scope
from bot.backend.errors import ApiError, forbidden, not_found, unauthorized
from bot.backend.models import JobSeeker
from bot.backend.services import conversation_ids, tokens
from bot.common.config import Settings


def settings(request: Request) -> Settings:
    return request.app.state.settings


def db_session(config: Settings = Depends(settings)) -> Iterator[Session]:
    """One unit of work per request (committed when the route returns)."""
    with session_scope(config.database_url) as session:
        yield session


def service_caller(
    x_service_token: str | None = Header(default=None, description="Secret partagé des services allocbot"),
    config: Settings = Depends(settings),
) -> None:
    if not x_service_token or not hmac.compare_digest(x_service_token.encode(), config.backend_service_token.encode()):
        raise ApiError(401, "service_unauthorized", "Appel refusé : service non authentifié.")


class PersonAccess:
    """The identified person a personal route may read, and the conversation reading it."""

    def __init__(self, person: JobSeeker, conversation_id: str, channel: str, conversation_hash: str):
        self.person = person
        self.conversation_id = conversation_id
        self.channel = channel
        self.conversation_hash = conversation_hash  # what the access log keeps


def person_access(
    job_seeker_id: int = Path(..., ge=1, le=2_147_483_647),
    authorization: str | None = Header(default=None),
    x_conversation_id: str | None = Header(default=None, max_length=200),
    _service: None = Depends(service_caller),
    config: Settings = Depends(settings),
    session: Session = Depends(db_session),
) -> PersonAccess:
    if not authorization or not authorization.startswith("Bearer "):
        raise unauthorized()
    grant = tokens.verify(config.access_token_secret, authorization.removeprefix("Bearer ").strip())
    if grant.job_seeker_id != job_seeker_id:
        raise forbidden()
    if not x_conversation_id or not hmac.compare_digest(x_conversation_id.encode(), grant.conversation_id.encode()):
        raise forbidden()
    person = session.get(JobSeeker, job_seeker_id)
    if person is None:
        raise not_found("Ce dossier n'existe pas.")
    hashed = conversation_ids.hashed(config.access_token_secret, grant.conversation_id)
    return PersonAccess(person, grant.conversation_id, grant.channel, hashed)
