"""« Quels documents attendez-vous de moi ? »: the documents the file still awaits, the payment each holds,
and where to send them (issue 20). Every sentence but the counsellor's offer is the backend's."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.personal import FileAccess, PersonalAction
from actions.phrasing import data_date

COUNSELLOR = (
    "Si un document vous pose problème ou si vous ne savez pas comment l'obtenir, un conseiller peut vous aider."
)


def describe_awaited_documents(view: dict) -> list[str]:
    """The backend's view in short lines: how many, each document (and the payment it holds), how to send them."""
    documents = view.get("documents") or []
    lines = [view["summary"]]
    if not documents:
        return lines
    lines += [document["message"] for document in documents]
    if view.get("how_to_send"):
        lines.append(view["how_to_send"])
    lines.append(COUNSELLOR)
    return lines


class ActionAnswerAwaitedDocuments(PersonalAction):
    def name(self) -> str:
        return "action_answer_awaited_documents"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, access: FileAccess, domain: dict
    ) -> list[EventType]:
        view = await access.get("documents/awaited")
        lines = describe_awaited_documents(view) + [data_date(view.get("computed_at"))]
        dispatcher.utter_message(text="\n".join(line for line in lines if line))
        return [SlotSet("last_answer", "awaited_documents")]
