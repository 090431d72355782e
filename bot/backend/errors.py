"""Errors the API returns as JSON: a machine-readable code and a French message."""

from __future__ import annotations


class ApiError(Exception):
    """An expected failure, answered with ``{"code": ..., "message": ...}`` and a 4xx status."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def not_found(what: str = "Ressource introuvable.") -> ApiError:
    return ApiError(404, "not_found", what)


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "Vous n'avez pas accès à ce dossier.")


def unauthorized(message: str = "Authentification requise.") -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})
