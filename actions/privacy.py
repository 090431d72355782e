"""Erasure of a conversation at the person's request (GDPR art. 17).

``utter_data_deletion`` asks for confirmation (Oui / Non); on "oui" this action
asks the backend to delete the conversation's tickets, then says it is done. The
conversation itself is deleted by the tracker store (bot/privacy/tracker_store.py)
when it saves a tracker in which this action ran: Rasa saves after the action, so
deleting here would be undone by that save.
"""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendRefused, BackendUnavailable, backend

log = logging.getLogger(__name__)


class ActionEraseConversation(Action):
    def name(self) -> str:
        return "action_erase_conversation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        try:
            await backend().erase_conversation(tracker.sender_id)
        except (BackendUnavailable, BackendRefused) as error:
            log.warning("Effacement des tickets impossible (%s)", type(error).__name__)
            dispatcher.utter_message(response="utter_data_erased_partly")
            return []
        dispatcher.utter_message(response="utter_data_erased")
        return []
