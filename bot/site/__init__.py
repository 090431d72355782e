"""Demo personal space of a job seeker ("Mon espace") that embeds the chat widget (see docs/web.md)."""
