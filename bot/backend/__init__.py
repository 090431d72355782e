"""Simulated France Travail benefits backend: ARE rules, data, HTTP API, seed."""
