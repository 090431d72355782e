"""When the action server cannot be reached, Rasa says so in French instead of staying silent.

Rasa 3.6 logs a failed custom action and goes on with no message: the person
would get an empty answer while the action server restarts. This wraps
``RemoteAction.run`` so that a failed call (connection refused, timeout, 5xx,
refused token) yields ``utter_backend_unavailable`` and ``utter_offer_human``
(the 3949 number and "conseiller") instead. Form validation rejections still
go through untouched.

It is installed in the Rasa process by ``bot.privacy.tracker_store`` (the one
module of ours that Rasa imports at start-up, from endpoints.yml); ``install``
is idempotent.
"""

from __future__ import annotations

import logging

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

SAY_INSTEAD = ("utter_backend_unavailable", "utter_offer_human")


def install() -> None:
    if getattr(RemoteAction.run, "_allocbot_wrapped", False):
        return
    original = RemoteAction.run

    async def run(self, output_channel, nlg, tracker, domain):
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException:
            logger.error("Serveur d'actions injoignable pendant « %s » : réponse de secours envoyée.", self.name())
            events = []
            for response in SAY_INSTEAD:
                message = await nlg.generate(response, tracker, output_channel.name())
                if message:
                    events.append(create_bot_utterance(message))
            return events

    run._allocbot_wrapped = True
    RemoteAction.run = run
