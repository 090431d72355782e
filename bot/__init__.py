"""allocbot: French self-service assistant for unemployment allowance (ARE) questions.

Every allocbot process imports this package first, so:

- Rasa's telemetry (usage events sent to Rasa, crash reports to Sentry) is switched off here
  for the process and for every process it starts; ``bot.rasa_runtime`` does the same for
  each Rasa it starts (docs/privacy.md);
- numpy's and scipy's OpenBLAS and OpenMP get one thread, unless the environment says
  otherwise (``ONE_MATH_THREAD``), before numpy is loaded.
"""

import os

ONE_MATH_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""A message's products are small: with a second thread, OpenBLAS woke it for each and let it
spin afterwards, which was half the Rasa server's CPU per message (61 → 28 ms, docs/performance.md)."""

os.environ["RASA_TELEMETRY_ENABLED"] = "false"
for _name, _value in ONE_MATH_THREAD.items():
    os.environ.setdefault(_name, _value)
