"""Request bodies of the API, validated by pydantic (v1, as Rasa 3.6 requires).

Limits are tight on purpose: a chatbot never needs a 10 kB identifier, and a
refused body is a clear 422 rather than work for the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, Field, condecimal, constr, root_validator

# ASCII digits, years 1900-2099: "0000-01" or Unicode digits made a 500 (found by schemathesis).
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"

ConversationId = constr(strip_whitespace=True, min_length=1, max_length=200)
# A channel's keyed hash of where a request comes from (bot/channels/inbound.py; the site's own):
# never an address in clear.
Source = constr(regex=r"^[a-z]{1,10}:[0-9a-f]{8,64}$")


class Channel(str, Enum):
    WEB = "web"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    VOICE = "voice"
    SHELL = "shell"
    REST = "rest"


class IdentificationRequest(BaseModel):
    conversation_id: ConversationId
    channel: Channel
    identifier: constr(strip_whitespace=True, min_length=1, max_length=20) | None = None
    phone: constr(strip_whitespace=True, min_length=4, max_length=30) | None = None
    birth_date: date
    source: Source | None = None

    @root_validator(skip_on_failure=True)
    def one_first_factor(cls, values):  # noqa: N805 - pydantic's signature
        if bool(values.get("identifier")) == bool(values.get("phone")):
            raise ValueError("Donnez soit l'identifiant, soit le numéro de téléphone.")
        return values

    class Config:
        extra = "forbid"


class SiteTokenIdentificationRequest(BaseModel):
    """The personal space already identified the person: the widget's signed token stands for both factors."""

    conversation_id: ConversationId
    channel: Channel
    site_token: constr(strip_whitespace=True, min_length=20, max_length=2000)

    class Config:
        extra = "forbid"


class PhoneLinkRequest(BaseModel):
    phone: constr(strip_whitespace=True, min_length=4, max_length=30)

    class Config:
        extra = "forbid"


class EarningsSimulationRequest(BaseModel):
    month: constr(regex=MONTH_PATTERN)
    gross_earnings: condecimal(ge=Decimal(0), le=Decimal(100000), max_digits=8, decimal_places=2)

    class Config:
        extra = "forbid"


class TranscriptLine(BaseModel):
    sender: constr(regex=r"^(user|bot|counsellor)$")
    text: constr(max_length=4000)
    at: constr(max_length=40) | None = None


class Priority(str, Enum):
    NORMAL = "normal"
    URGENT = "urgent"


class TicketRequest(BaseModel):
    conversation_id: ConversationId
    channel: constr(strip_whitespace=True, min_length=1, max_length=20)
    reason: constr(regex=r"^[a-z_]{1,40}$")
    priority: Priority = Priority.NORMAL
    need: constr(max_length=60) | None = None
    summary: constr(max_length=2000) = ""
    transcript: list[TranscriptLine] = Field(default_factory=list, max_items=200)
    job_seeker_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    source: Source | None = None

    class Config:
        extra = "forbid"


class TranscriptRead(BaseModel):
    counsellor: constr(regex=r"^[a-z0-9][a-z0-9._-]{0,39}$")
    purpose: constr(regex=r"^[a-zà-ÿ' ]{1,60}$") = "lecture de la mise en relation"

    class Config:
        extra = "forbid"


class CounsellorAction(BaseModel):
    counsellor: constr(strip_whitespace=True, min_length=1, max_length=80)

    class Config:
        extra = "forbid"
