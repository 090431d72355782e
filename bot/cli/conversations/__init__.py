"""Whole conversations, measured: the scenario suite of ``tests/conversations/`` and the distress set.

A job seeker judges the conversation, not the intent. This package runs
multi-turn scenarios written as people really talk (SMS spelling, corrections,
follow-ups, two questions at once, long and voice-like messages, forgotten
identifiers, knowledge questions, distress and its hard negatives, other
languages) through the real Rasa server, action server and backend, and checks
every answer against the backend's own figures, resolved at run time.

- ``scenarios``: the suite's YAML format, loaded and validated;
- ``facts``: the backend's figures for a persona, and the placeholders that name them;
- ``checks``: what an answer must and must not contain;
- ``runner``: one scenario through Rasa's REST channel, then its tickets in the backend;
- ``distress``: precision and recall of the urgent path on ``tests/nlu/distress_eval.yml``;
- ``report``: the figures per kind, written to ``docs/conversations.md`` and ``docs/evaluation.md``.

``python -m bot.cli.conversations`` runs it all (see ``__main__``).
"""
