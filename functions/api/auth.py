"""Who is calling, from the context API Gateway puts in the event (it has verified it already).

- The portal signs with IAM (SigV4) as its configured role (``PORTAL_ROLE_NAMES``, a template
  parameter): ``requestContext.authorizer.iam.userArn`` is an assumed-role session of it. Any
  other IAM principal that may invoke the API is refused (403).
- Committee members send a Cognito **access** token (``token_use: access``; an id token is
  refused) and must be in the committee group.

API Gateway enforces the authorizer per route (template.yaml); the handlers check again so
that a route wired to the wrong authorizer fails closed, and so the portal's principal can
never read the committee routes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import forbidden, unauthorized

# arn:aws:sts::123456789012:assumed-role/ROLE/SESSION  or  arn:aws:iam::123456789012:role/PATH/ROLE
_ASSUMED = re.compile(r"^arn:aws[a-z-]*:sts::\d{12}:assumed-role/([^/]+)/[^/]+$")
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/(?:[^/]+/)*([^/]+)$")


@dataclass(frozen=True)
class Principal:
    kind: str  # "iam" or "jwt"
    id: str  # IAM user/role ARN, or the JWT subject
    groups: frozenset[str]
    token_use: str | None = None

    @property
    def role_name(self) -> str | None:
        match = _ASSUMED.match(self.id) or _ROLE.match(self.id)
        return match.group(1) if match else None


def principal_of(event: dict[str, Any]) -> Principal | None:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    iam = authorizer.get("iam")
    if iam:
        return Principal("iam", str(iam.get("userArn") or ""), frozenset())
    jwt = authorizer.get("jwt")
    if jwt:
        claims = jwt.get("claims") or {}
        return Principal(
            "jwt",
            str(claims.get("sub", "")),
            _groups(claims.get("cognito:groups")),
            str(claims.get("token_use")) if claims.get("token_use") else None,
        )
    return None


def _groups(value: Any) -> frozenset[str]:
    """HTTP API flattens a claim array to the string ``[a b]``; accept both forms."""
    if value is None:
        return frozenset()
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    text = str(value).strip("[]").replace(",", " ").replace('"', " ").replace("'", " ")
    return frozenset(text.split())


def require_portal(event: dict[str, Any], roles: Iterable[str]) -> Principal:
    principal = principal_of(event)
    if principal is None:
        raise unauthorized("sign the request with the portal's IAM credentials (SigV4)")
    if principal.kind != "iam":
        raise forbidden("only the portal (IAM) may call this route")
    if principal.role_name not in set(roles):
        raise forbidden("this IAM principal is not the portal's role")
    return principal


def require_committee(event: dict[str, Any], group: str) -> Principal:
    principal = principal_of(event)
    if principal is None:
        raise unauthorized("sign in as a committee member (Cognito access token)")
    if principal.kind != "jwt":
        raise forbidden(f"the committee routes need a member of the '{group}' group")
    if principal.token_use != "access":
        raise unauthorized("send a Cognito access token, not an id token")
    if group not in principal.groups:
        raise forbidden(f"the committee routes need a member of the '{group}' group")
    return principal


def anyone(event: dict[str, Any]) -> None:
    """GET /rules is public: the catalogue is what the portal shows applicants anyway."""
