"""Handing a conversation over to a counsellor: when counsellors are there, and what to tell the person."""
