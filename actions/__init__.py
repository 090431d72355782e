"""Rasa SDK custom actions of allocbot: conversation logic only, figures come from the backend."""
