"""Dependency-free helpers that every allocbot process may use (backend, actions, Rasa, console, site).

Nothing here imports another allocbot package: the clock, French formatting, month arithmetic.
"""
