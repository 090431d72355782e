"""What the assistant is worth, measured from its own events, without tracking anyone (issue 19).

- ``minimise``: what of a Rasa event may leave the conversation (no text, no identifier);
- ``broker``: Rasa's SQL event broker writing only that (endpoints.yml, ``var/events.db``);
- ``facts`` and ``ingest``: the staged events turned into conversation facts in the
  analytics store (``var/analytics.db``, ``store``), then deleted;
- ``indicators``: containment, escalations, fallbacks, abandonment, satisfaction, answer
  quality (``review``), per need, channel, day and hour; ``value``: gains and running cost;
- ``report`` (HTML, PNG, CSV) and ``demo`` (a seeded month through the real bot);
  the console's supervisors' dashboard reads the same indicators.

Definitions: docs/analytics.md; what is kept and for how long: docs/privacy.md.
"""
