"""The run command: train if stale, seed, start every process, say where to go, stop on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bot.cli import processes
from bot.cli.training import train_if_stale
from bot.common.config import PROJECT_ROOT, load_settings
from bot.console.accounts import DEMO_COUNSELLORS
from bot.privacy.files import PRIVATE_UMASK, make_private, private_files


def main() -> int:
    started = time.monotonic()
    settings = load_settings()
    train_if_stale()
    subprocess.run([sys.executable, "-m", "bot.backend.seed"], cwd=PROJECT_ROOT, check=True, umask=PRIVATE_UMASK)
    make_private(private_files(PROJECT_ROOT / "var"))  # files of an older run, made 0644
    backend_port = int(os.environ.get("ALLOCBOT_BACKEND_PORT", "8000"))
    actions_port = 5055  # endpoints.yml names it, so that `rasa shell` finds the actions too
    rasa_port = int(os.environ.get("ALLOCBOT_RASA_PORT", "5005"))
    token = os.environ["ALLOCBOT_RASA_TOKEN"]
    logs = PROJECT_ROOT / "var" / "log"
    env = {"ALLOCBOT_BACKEND_URL": settings.backend_url}
    site_port = int(os.environ.get("ALLOCBOT_SITE_PORT", "8200"))
    services = [
        processes.backend_service(backend_port, env, logs),
        processes.action_service(actions_port, env, logs),
        processes.rasa_service(rasa_port, token, env, logs),
        # The widget in the browser talks to this Rasa (ALLOCBOT_WIDGET_SOCKET_URL overrides it).
        processes.site_service(site_port, {**env, "ALLOCBOT_RASA_URL": f"http://127.0.0.1:{rasa_port}"}, logs),
    ]
    console_port = int(os.environ.get("ALLOCBOT_CONSOLE_PORT", "8100"))
    console_env = {**env, "ALLOCBOT_RASA_URL": f"http://127.0.0.1:{rasa_port}"}
    services.append(processes.console_service(console_port, console_env, logs))
    print("→ démarrage du backend, du serveur d'actions et de Rasa…", flush=True)
    try:
        processes.start_all(services)
    except RuntimeError as error:
        print(f"✗ {error}", file=sys.stderr)
        return 1
    counsellors = ", ".join(DEMO_COUNSELLORS)
    counsellor_password = os.environ.get("ALLOCBOT_COUNSELLOR_PASSWORD", "(voir .env)")
    print(
        f"""
allocbot est prêt ({time.monotonic() - started:.0f} s).

  Rasa (API REST, jeton requis)  http://127.0.0.1:{rasa_port}/webhooks/rest/webhook
  Serveur d'actions              http://127.0.0.1:{actions_port}/health
  Backend simulé (OpenAPI)       http://127.0.0.1:{backend_port}/openapi.json
  Espace personnel + chat (web)  http://127.0.0.1:{site_port}/connexion
                                 démo : identifiant 1234567A, date de naissance 12/04/1988
  Console des conseillers        http://127.0.0.1:{console_port}/
                                 démo : {counsellors} ; mot de passe {counsellor_password}
  Journaux                       {logs}

Pour parler au bot dans un terminal (comme un conseiller) :
  make shell   (rasa shell avec les variables du .env : le serveur d'actions exige son jeton)
  puis « combien vais-je toucher ? », identifiant 1234567A, né le 12/04/1988 (voir README).

Un processus qui s'arrête est relancé (délai croissant) ; Ctrl-C arrête tout.
""",
        flush=True,
    )

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    # Explicit for both: a process started in the background inherits an ignored SIGINT.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # A process that stops is started again with backoff; the others keep serving meanwhile.
        processes.Supervisor(services).run_forever()
    except KeyboardInterrupt:
        print("\n→ arrêt de tous les processus…", flush=True)
    finally:
        processes.stop_all(services)
        print("→ arrêté.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
