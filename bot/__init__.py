"""allocbot: French self-service assistant for unemployment allowance (ARE) questions.

Every allocbot process imports this package first, so Rasa's telemetry (usage events sent to
Rasa, crash reports to Sentry) is switched off here for the process and for every process it
starts; ``bot.rasa_runtime`` does the same for each Rasa it starts (docs/privacy.md).
"""

import os

os.environ["RASA_TELEMETRY_ENABLED"] = "false"
