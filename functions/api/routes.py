"""Every route of the service, which Lambda function serves it and who may call it.

The one route table: tests check template.yaml against it (events, authorizers, handlers), the
local server dispatches by it, and the OpenAPI generator documents from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Auth = Literal["portal", "committee", "public"]


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway's form: /screenings/{application_id}
    function: str  # the template's function (see FUNCTIONS)
    auth: Auth
    request_body: str | None = None  # "module:Model" documented as the JSON body

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


FUNCTIONS = {
    "submit": ("SubmitFunction", "api.submit.handler"),
    "committee": ("CommitteeFunction", "api.committee.handler"),
    "reports": ("ReportsFunction", "api.reports.handler"),
    "rules": ("RulesFunction", "api.rules.handler"),
    "rescreen": ("RescreenFunction", "api.rescreen.handler"),
    "follow_up": ("FollowUpFunction", "api.follow_up.handler"),
}

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/screenings",
        "submit",
        "portal",
        request_body="screening.models.application:Application",
    ),
    Route("GET", "/screenings", "committee", "committee"),
    Route("GET", "/screenings/{application_id}", "committee", "committee"),
    Route(
        "PUT",
        "/screenings/{application_id}/decision",
        "committee",
        "committee",
        request_body="screening.models.decision:DecisionInput",
    ),
    Route("GET", "/agreement", "committee", "committee"),
    Route("POST", "/screenings/{application_id}/rescreen", "rescreen", "committee"),
    Route("GET", "/screenings/{application_id}/report", "reports", "committee"),
    Route("GET", "/reports/round", "reports", "committee"),
    Route("GET", "/reports/agreement", "reports", "committee"),
    Route("GET", "/reports/portfolio", "reports", "committee"),
    Route("GET", "/loans/{application_id}/follow-up/report", "reports", "committee"),
    Route("GET", "/rules", "rules", "public"),
    Route(
        "POST",
        "/effect-reports",
        "follow_up",
        "portal",
        request_body="screening.models.effect_report:EffectReport",
    ),
    Route("GET", "/loans/{application_id}/follow-up", "follow_up", "committee"),
)


def route(key: str) -> Route:
    return next(r for r in ROUTES if r.key == key)
