"""The backend's HTTP API: what the action server and the counsellor console call.

Run with ``uvicorn bot.backend.api.app:create_app --factory``. Routes are sync
functions on purpose: FastAPI runs them in its thread pool, so the blocking
SQLAlchemy session never stalls the event loop.
"""

from __future__ import annotations

import logging
from datetime import date
from enum import Enum

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.backend.api.deps import PersonAccess, db_session, person_access, service_caller, settings
from bot.backend.api.limits import SECURITY_HEADERS, BodySizeLimit
from bot.backend.api.schemas import (
    MONTH_PATTERN,
    CounsellorAction,
    EarningsSimulationRequest,
    IdentificationRequest,
    PhoneLinkRequest,
    SiteTokenIdentificationRequest,
    TicketRequest,
    TranscriptRead,
)
from bot.backend.errors import ApiError, forbidden, not_found
from bot.backend.models import JobSeeker, TicketStatus
from bot.backend.rules import dates
from bot.backend.rules.parameters import ParameterNotFound
from bot.backend.services import (
    access_log,
    conversation_ids,
    file,
    identification,
    privacy,
    rules_view,
    tickets,
    tokens,
)
from bot.common import clock, site_token
from bot.common.calendar import month_of
from bot.common.config import Settings, load_settings
from bot.common.web import SecurityHeaders

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024


class TicketAction(str, Enum):
    TAKE = "take"
    RELEASE = "release"
    CLOSE = "close"


TICKET_ACTIONS = {
    TicketAction.TAKE: tickets.take,
    TicketAction.RELEASE: tickets.release,
    TicketAction.CLOSE: tickets.close,
}


def create_app(config: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="allocbot — backend simulé France Travail",
        version="1.0",
        description=(
            "Simulation des systèmes d'indemnisation (ARE) : identification, droits, paiements, "
            "déclarations, trop-perçus et tickets de mise en relation. Toutes les routes /v1 "
            "exigent l'en-tête X-Service-Token ; les routes personnelles exigent en plus un jeton "
            "d'accès (Authorization: Bearer) lié à la personne et à la conversation (X-Conversation-Id)."
        ),
    )
    app.state.settings = config or load_settings()
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders, headers=SECURITY_HEADERS)
    _install_error_handlers(app)
    _install_routes(app)
    warm_up_calendar()
    return app


def warm_up_calendar() -> None:
    """Build the public holidays of the years around today before the first request: building
    one year takes ~0.4 s, which the first people asking for a payment date would otherwise wait."""
    this_year = clock.today().year
    for year in range(this_year - 1, this_year + 2):
        dates.is_public_holiday(date(year, 1, 1))


def _error(status: int, code: str, message: str, headers: dict | None = None, **extra) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, **extra}, status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.code, error.message, error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        fields = [".".join(str(part) for part in item.get("loc", ())) for item in error.errors()]
        return _error(422, "invalid_request", "La requête n'est pas valide.", fields=fields[:20])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {
            404: ("not_found", "Cette adresse n'existe pas."),
            405: ("method_not_allowed", "Cette méthode n'est pas permise ici."),
        }
        code, message = codes.get(error.status_code, ("http_error", str(error.detail)))
        return _error(error.status_code, code, message)

    @app.exception_handler(ParameterNotFound)
    async def month_without_rules(_request: Request, _exc: ParameterNotFound) -> JSONResponse:
        # A month before the first rules in force (found by schemathesis: it was a 500).
        return _error(422, "month_out_of_range", "Aucune règle d'indemnisation n'est connue pour ce mois.")

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return _error(500, "internal_error", "Une erreur interne est survenue. Réessayez plus tard.")


def committed(session: Session, result):
    """Commit before answering: FastAPI runs a dependency's clean-up only after the response
    has left, and the next request must see what this one wrote (a ticket taken, a log line)."""
    session.commit()
    return result


def file_view(session: Session, view: dict) -> JSONResponse:
    """A view of the person's file, committed (its access log line) and sent as it is.

    The views are plain JSON already (amounts as strings, dates in ISO): FastAPI's
    ``jsonable_encoder`` walked every value of them again, a tenth of a read's CPU."""
    return JSONResponse(committed(session, view))


def _grant(
    session: Session, config: Settings, person: JobSeeker, conversation_id: str, channel: str, purpose: str
) -> dict:
    """An access token for this person and this conversation, and the identification logged."""
    token, grant = tokens.issue(
        config.access_token_secret, config.access_token_ttl_seconds, person.id, conversation_id, channel
    )
    conversation = conversation_ids.hashed(config.access_token_secret, conversation_id)
    access_log.record(session, person.id, "bot", "identification", purpose, conversation)
    return {
        "access_token": token,
        "expires_at": grant.expires_at.isoformat(),
        "job_seeker_id": person.id,
        "first_name": person.first_name,
    }


def _month_or_current(month: str | None) -> date:
    if month is None:
        return clock.today().replace(day=1)
    return _month(month)


def _month(text: str) -> date:
    """``month_of`` with a 422 instead of a 500 on what the pattern lets through ("2026-01\n")."""
    try:
        return month_of(text)
    except ValueError:
        raise ApiError(422, "invalid_request", "Le mois doit s'écrire AAAA-MM, par exemple 2026-11.") from None


def _install_routes(app: FastAPI) -> None:  # noqa: C901 - a flat list of routes
    service = [Depends(service_caller)]

    @app.get("/health", tags=["exploitation"])
    def health(session: Session = Depends(db_session)) -> dict:
        session.execute(JobSeeker.__table__.select().limit(1))
        return {"status": "ok"}

    @app.get("/v1/calendar/declaration-window", tags=["calendrier"], dependencies=service)
    def declaration_calendar() -> dict:
        """The same for everyone: no identification needed."""
        return file.declaration_calendar(clock.today())

    # knowledge (issue 20): the rule parameters in force today, for the answers of the knowledge base.
    @app.get("/v1/rules/parameters", tags=["règles"], dependencies=service)
    def rule_parameters() -> dict:
        """The same for everyone, read-only: every scalar ARE parameter in force today (no identification)."""
        return rules_view.parameters_in_force(clock.today())

    @app.post("/v1/identification", tags=["identification"], dependencies=service)
    def identify(
        body: IdentificationRequest, config: Settings = Depends(settings), session: Session = Depends(db_session)
    ) -> dict:
        claim = identification.IdentityClaim(
            conversation_id=body.conversation_id,
            birth_date=body.birth_date,
            identifier=body.identifier,
            phone=body.phone,
            source=body.source,
        )
        person = identification.identify(session, config.access_token_secret, claim)
        return committed(
            session, _grant(session, config, person, body.conversation_id, body.channel.value, "identification réussie")
        )

    @app.post("/v1/identification/site-token", tags=["identification"], dependencies=service)
    def identify_by_site_token(
        body: SiteTokenIdentificationRequest,
        config: Settings = Depends(settings),
        session: Session = Depends(db_session),
    ) -> dict:
        """The widget's token, signed by the personal space for the person logged in there."""
        if not config.site_token_secret:
            raise ApiError(503, "site_token_disabled", "L'identification par l'espace personnel n'est pas configurée.")
        try:
            person = session.get(JobSeeker, site_token.verify(body.site_token, config.site_token_secret))
        except site_token.InvalidSiteToken:
            person = None
        if person is None:
            raise identification.FAILED
        return committed(
            session,
            _grant(
                session,
                config,
                person,
                body.conversation_id,
                body.channel.value,
                "identification par l'espace personnel",
            ),
        )

    @app.post("/v1/identification/phone-link", tags=["identification"], dependencies=service)
    def phone_link(body: PhoneLinkRequest, session: Session = Depends(db_session)) -> dict:
        """Whether an SMS/WhatsApp sender's number is linked to a file (it says nothing else).

        Asked by the bot for the verified sender of a message, so that an unknown
        number is told how to link it instead of being asked a birth date in vain."""
        return committed(session, {"linked": identification.phone_is_linked(session, body.phone)})

    def read(access: PersonAccess, session: Session, resource: str, purpose: str) -> JobSeeker:
        # Logged in the commit that ends the request (every route here commits before answering).
        # Added now, the first query's autoflush would INSERT it and hold SQLite's write lock for the
        # whole computation: under load, concurrent reads queued behind it (profiled, docs/performance.md).
        person_id, conversation = access.person.id, access.conversation_hash
        event.listen(
            session,
            "before_commit",
            once=True,
            fn=lambda s: access_log.record(s, person_id, "bot", resource, purpose, conversation),
        )
        return access.person

    @app.get("/v1/job-seekers/{job_seeker_id}/allowance", tags=["dossier"])
    def allowance(
        month: str | None = Query(default=None, regex=MONTH_PATTERN),
        access: PersonAccess = Depends(person_access),
        session: Session = Depends(db_session),
    ):
        person = read(access, session, "allowance", "question sur le montant de l'allocation")
        return file_view(session, file.allowance(session, person, _month_or_current(month), clock.today()))

    @app.get("/v1/job-seekers/{job_seeker_id}/payments/next", tags=["dossier"])
    def next_payment(access: PersonAccess = Depends(person_access), session: Session = Depends(db_session)):
        person = read(access, session, "next_payment", "question sur le prochain paiement")
        return file_view(session, file.next_payment(session, person, clock.today()))

    @app.get("/v1/job-seekers/{job_seeker_id}/payments", tags=["dossier"])
    def payments(
        limit: int = Query(default=12, ge=1, le=60),
        access: PersonAccess = Depends(person_access),
        session: Session = Depends(db_session),
    ):
        person = read(access, session, "payments", "historique des paiements")
        history = file.payment_history(session, person, limit, clock.today())
        return file_view(session, {"payments": history})

    @app.get("/v1/job-seekers/{job_seeker_id}/rights", tags=["dossier"])
    def rights(access: PersonAccess = Depends(person_access), session: Session = Depends(db_session)):
        person = read(access, session, "rights", "question sur la durée des droits")
        return file_view(session, file.rights(session, person, clock.today()))

    @app.get("/v1/job-seekers/{job_seeker_id}/declarations/current", tags=["dossier"])
    def declaration(access: PersonAccess = Depends(person_access), session: Session = Depends(db_session)):
        person = read(access, session, "declaration", "question sur l'actualisation")
        return file_view(session, file.declaration_status(session, person, clock.today()))

    @app.get("/v1/job-seekers/{job_seeker_id}/overpayments", tags=["dossier"])
    def overpayments(access: PersonAccess = Depends(person_access), session: Session = Depends(db_session)):
        person = read(access, session, "overpayments", "question sur un trop-perçu")
        return file_view(session, {"overpayments": file.overpayments(session, person, clock.today())})

    # Issue 20, awaited documents: what the file still awaits from the person, and where to send it.
    @app.get("/v1/job-seekers/{job_seeker_id}/documents/awaited", tags=["dossier"])
    def awaited_documents(access: PersonAccess = Depends(person_access), session: Session = Depends(db_session)):
        person = read(access, session, "awaited_documents", "question sur les documents attendus")
        return file_view(session, file.awaited_documents(session, person))

    @app.post("/v1/job-seekers/{job_seeker_id}/simulations/earnings", tags=["dossier"])
    def simulate(
        body: EarningsSimulationRequest,
        access: PersonAccess = Depends(person_access),
        session: Session = Depends(db_session),
    ):
        person = read(access, session, "simulation", "simulation d'un revenu d'activité")
        result = file.simulate_earnings(session, person, _month(body.month), body.gross_earnings, clock.today())
        return committed(session, result)

    @app.post("/v1/handoff-tickets", tags=["tickets"], dependencies=service, status_code=201)
    def create_ticket(
        body: TicketRequest, config: Settings = Depends(settings), session: Session = Depends(db_session)
    ):
        if body.job_seeker_id is not None and session.get(JobSeeker, body.job_seeker_id) is None:
            raise not_found("Ce dossier n'existe pas.")
        ticket = tickets.create(
            session,
            secret=config.access_token_secret,
            source=body.source,
            conversation_id=body.conversation_id,
            channel=body.channel,
            reason=body.reason,
            priority=body.priority.value,
            need=body.need,
            summary=body.summary,
            transcript=[line.dict() for line in body.transcript],
            job_seeker_id=body.job_seeker_id,
        )
        return committed(session, tickets.view(ticket, config.access_token_secret))

    @app.get("/v1/handoff-tickets", tags=["tickets"], dependencies=service)
    def list_tickets(
        status: TicketStatus | None = None, config: Settings = Depends(settings), session: Session = Depends(db_session)
    ):
        listed = [tickets.view(t, config.access_token_secret) for t in tickets.listing(session, status)]
        return committed(session, {"tickets": listed})

    @app.get("/v1/handoff-tickets/{reference}", tags=["tickets"], dependencies=service)
    def get_ticket(
        reference: str = _reference(), config: Settings = Depends(settings), session: Session = Depends(db_session)
    ):
        return committed(session, tickets.view(tickets.get(session, reference), config.access_token_secret))

    @app.post("/v1/handoff-tickets/{reference}/reads", tags=["tickets"], dependencies=service, status_code=201)
    def record_transcript_read(
        body: TranscriptRead, reference: str = _reference(), session: Session = Depends(db_session)
    ):
        """The console records here every read of a ticket's transcript (who, which ticket, why)."""
        ticket = tickets.get(session, reference)
        if ticket.job_seeker_id is not None:
            access_log.record(
                session,
                ticket.job_seeker_id,
                f"counsellor:{body.counsellor}",
                "transcript",
                f"{body.purpose} {ticket.reference}",
                ticket.conversation_id,
            )
        log.info("transcript of ticket %s read by %s (%s)", ticket.reference, body.counsellor, body.purpose)
        return committed(session, {"recorded": True})

    @app.post("/v1/handoff-tickets/{reference}/{action}", tags=["tickets"], dependencies=service)
    def act_on_ticket(
        action: TicketAction,
        body: CounsellorAction,
        reference: str = _reference(),
        config: Settings = Depends(settings),
        session: Session = Depends(db_session),
    ):
        """``take``, ``release`` or ``close`` a ticket, as the counsellor named in the body."""
        ticket = TICKET_ACTIONS[action](session, reference, body.counsellor)
        return committed(session, tickets.view(ticket, config.access_token_secret))

    @app.delete("/v1/conversations/{conversation_id}", tags=["vie privée"], dependencies=service)
    def erase_conversation(
        conversation_id: str = Path(..., min_length=1, max_length=200, regex=r"^[^\x00-\x1f\x7f]+$"),
        config: Settings = Depends(settings),
        session: Session = Depends(db_session),
    ):
        """Erasure asked by the person in the conversation: its tickets go; the access log keeps only the fact."""
        hashed = conversation_ids.hashed(config.access_token_secret, conversation_id)
        return committed(session, privacy.erase_conversation(session, hashed))

    @app.get("/v1/counsellor/job-seekers/{job_seeker_id}/summary", tags=["conseillers"], dependencies=service)
    def counsellor_summary(
        job_seeker_id: int = Path(..., ge=1, le=2_147_483_647),
        x_counsellor: str = Header(
            ..., regex=r"^[a-z0-9][a-z0-9._-]{0,39}$", description="Identifiant du conseiller (console)"
        ),
        session: Session = Depends(db_session),
    ):
        """The file seen by a counsellor, only while that counsellor holds an open ticket of the person."""
        ticket = tickets.held_by(session, job_seeker_id, x_counsellor)
        if ticket is None:
            raise forbidden()
        person = session.get(JobSeeker, job_seeker_id)
        access_log.record(
            session,
            person.id,
            f"counsellor:{x_counsellor}",
            "summary",
            f"mise en relation {ticket.reference}",
            ticket.conversation_id,
        )
        return file_view(session, file.summary(session, person, clock.today()))


def _reference():
    return Path(..., regex=r"^AB-[A-Z0-9]{6}$", description="Référence du ticket, par exemple AB-7KQ2M9")
