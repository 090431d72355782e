"""Base of every action that reads the person's file.

It makes sure the conversation is identified (else starts the identification
form and comes back), passes the access token to the backend, and turns a
backend failure into a clear French message with the offer of a human.
"""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendClient, BackendRefused, BackendUnavailable, backend
from actions.handoff import hand_over
from actions.satisfaction import ask_after
from bot.common import needs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileAccess:
    """What an action needs to read the identified person's file."""

    client: BackendClient
    person: int
    token: str
    conversation_id: str

    async def get(self, resource: str, **params: str) -> dict:
        return await self.client.personal(
            self.person, self.token, self.conversation_id, resource, params=params or None
        )

    async def simulate_earnings(self, month: str, gross_earnings: str) -> dict:
        return await self.client.simulate_earnings(self.person, self.token, self.conversation_id, month, gross_earnings)


PERSONAL_ACTIONS: dict[str, type[PersonalAction]] = {}

# The personal needs and the action that answers each once the person is identified: from the
# catalogue (bot/common/needs.py); data/rules/identification.yml starts the form for the same intents.
INTENT_ACTIONS = needs.PERSONAL_ACTIONS


class PersonalAction(Action, abc.ABC):
    """Subclasses implement ``answer``; identification and failures are handled here.

    Abstract, so that the action server does not register the base class itself.
    Every concrete subclass is listed in ``PERSONAL_ACTIONS`` so that the question
    that waited for identification can be answered in the same turn.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not getattr(cls, "__abstractmethods__", None):
            PERSONAL_ACTIONS[cls().name()] = cls

    @abc.abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        """Read the file through ``access`` and say the answer."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        token = tracker.get_slot("access_token")
        person = tracker.get_slot("job_seeker_id")
        if not tracker.get_slot("identified") or not token or not person:
            return _identify_first()
        access = FileAccess(backend(), int(person), token, tracker.sender_id)
        try:
            return ask_after(dispatcher, tracker, await self.answer(dispatcher, tracker, access, domain))
        except BackendRefused as refusal:
            if refusal.status in (401, 403):
                # Token expired (it lives minutes): identify again, then answer.
                dispatcher.utter_message(response="utter_identification_expired")
                return [
                    SlotSet("identified", False),
                    SlotSet("access_token", None),
                    SlotSet("identifier", None),
                    SlotSet("birth_date", None),
                    *_identify_first(),
                ]
            log.warning("backend refused %s: %s", self.name(), refusal.code)
            if refusal.message:
                dispatcher.utter_message(text=refusal.message)
            else:
                dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return [
                SlotSet("last_failure", "backend_unavailable"),
                *await hand_over(dispatcher, tracker, "backend_error"),
            ]


def _identify_first() -> list[EventType]:
    """Only reached when a rule could not know (token expired): the form, then the same question."""
    return [FollowupAction("identification_form")]
