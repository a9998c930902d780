"""Who is calling, from the context API Gateway puts in the event (it has verified it already).

- The portal signs with IAM (SigV4): ``requestContext.authorizer.iam``.
- Committee members send a Cognito JWT: ``requestContext.authorizer.jwt.claims``, and must be
  in the committee group.

API Gateway already enforces this per route (template.yaml); the handlers check it again so
that a route wired to the wrong authorizer fails closed, and so the portal's principal can
never read the committee routes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import forbidden, unauthorized


@dataclass(frozen=True)
class Principal:
    kind: str  # "iam" or "jwt"
    id: str  # IAM user/role ARN, or the JWT subject
    groups: frozenset[str]


def principal_of(event: dict[str, Any]) -> Principal | None:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    iam = authorizer.get("iam")
    if iam:
        return Principal("iam", str(iam.get("userArn") or iam.get("userId") or ""), frozenset())
    jwt = authorizer.get("jwt")
    if jwt:
        claims = jwt.get("claims") or {}
        return Principal("jwt", str(claims.get("sub", "")), _groups(claims.get("cognito:groups")))
    return None


def _groups(value: Any) -> frozenset[str]:
    """HTTP API flattens a claim array to the string ``[a b]``; accept both forms."""
    if value is None:
        return frozenset()
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    text = str(value).strip("[]").replace(",", " ").replace('"', " ").replace("'", " ")
    return frozenset(text.split())


def require_portal(event: dict[str, Any]) -> Principal:
    principal = principal_of(event)
    if principal is None:
        raise unauthorized("sign the request with the portal's IAM credentials (SigV4)")
    if principal.kind != "iam":
        raise forbidden("only the portal (IAM) may submit applications")
    return principal


def require_committee(event: dict[str, Any], group: str) -> Principal:
    principal = principal_of(event)
    if principal is None:
        raise unauthorized("sign in as a committee member (Cognito JWT)")
    if principal.kind != "jwt" or group not in principal.groups:
        raise forbidden(f"the committee routes need a member of the '{group}' group")
    return principal
