"""The action server, refusing every call that does not carry its token.

rasa_sdk's server has no authentication: anyone who reaches it could run an
action with a forged tracker (a made-up ``access_token`` slot, another person's
conversation id). This launcher builds rasa_sdk's own Sanic app and adds:

- a token check on every route but ``/health``: Rasa sends ``?token=`` from
  endpoints.yml's ``action_endpoint.token`` (``${ALLOCBOT_ACTIONS_TOKEN}``);
  a missing or wrong token gets 401 and the action never runs;
- an error handler that answers 4xx for bad requests and a bare 500 otherwise,
  instead of rasa_sdk's, which echoes the whole tracker (personal data) back and
  logs it;
- a listen address of 127.0.0.1 by default (``ALLOCBOT_ACTIONS_HOST``);
- the sweep of the handoff outbox (``bot.handoff.outbox``), from the start, in every replica.

Run: ``python -m bot.actions_server --port 5055``.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException

from bot.common.config import required  # importing it loads .env when started by hand
from bot.handoff.outbox import start_sweepers
from bot.privacy import log_redaction

logger = logging.getLogger("bot.actions_server")
OPEN_PATHS = frozenset({"/health"})


def actions_token() -> str:
    return required("ALLOCBOT_ACTIONS_TOKEN")


def build_app(token: str, package: str = "actions") -> Sanic:
    app = create_app(package, cors_origins=None)

    @app.on_request
    async def require_token(request):
        if request.path in OPEN_PATHS:
            return None
        given = request.args.get("token") or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return response.json({"error": "Jeton du serveur d'actions absent ou invalide."}, status=401)
        return None

    def handle_error(request, exception: Exception):
        if isinstance(exception, SanicException) and 400 <= getattr(exception, "status_code", 500) < 500:
            return response.json({"error": str(exception)}, status=exception.status_code)
        # Type only: the message or the request may hold personal data.
        logger.error("Erreur dans une action (%s) sur %s", type(exception).__name__, request.path)
        return response.json({"error": "Erreur interne du serveur d'actions."}, status=500)

    app.error_handler.add(Exception, handle_error)

    @app.after_server_start
    async def sweep_outbox(app, loop):
        start_sweepers()  # handoff tickets kept during a backend outage, by this replica or another

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Serveur d'actions allocbot (rasa_sdk avec jeton).")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("ALLOCBOT_ACTIONS_HOST", "127.0.0.1"))
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args()
    utils.configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()
    log_redaction.install()
    app = build_app(actions_token(), args.actions)
    logger.info("Serveur d'actions sur http://%s:%d (jeton requis)", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
