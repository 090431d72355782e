"""HTTP API of the simulated benefits backend (FastAPI, OpenAPI at /openapi.json)."""
