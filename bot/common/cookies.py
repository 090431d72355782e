"""One signed session cookie, used by the counsellor console and by the personal space.

The value is a small JSON object signed with itsdangerous (timestamped, with a
salt of its own per use so that one secret never signs two kinds of thing
interchangeably); always HttpOnly, SameSite and, behind TLS, Secure. What the
object holds is the caller's business.
"""

from __future__ import annotations

from typing import Any, Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response


class SignedCookie:
    def __init__(
        self,
        name: str,
        secret: str,
        salt: str,
        max_age: int,
        samesite: Literal["lax", "strict", "none"] = "strict",
        secure: bool = False,
        path: str = "/",
    ):
        self.name = name
        self.max_age = max_age
        self.samesite = samesite
        self.secure = secure
        self.path = path
        self._serializer = URLSafeTimedSerializer(secret, salt=salt)

    def read(self, request: Request) -> dict[str, Any] | None:
        """The signed object, or None when absent, forged, expired or not an object."""
        value = request.cookies.get(self.name)
        if not value:
            return None
        try:
            data = self._serializer.loads(value, max_age=self.max_age)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None

    def write(self, response: Response, data: dict[str, Any]) -> None:
        response.set_cookie(
            self.name,
            self._serializer.dumps(data),
            max_age=self.max_age,
            httponly=True,
            samesite=self.samesite,
            secure=self.secure,
            path=self.path,
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(self.name, path=self.path)
