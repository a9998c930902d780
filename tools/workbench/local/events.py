"""API Gateway HTTP API (payload v2) events: what the gateway hands a Lambda.

Used by the local server (to turn an HTTP request into an event), the demo, the tests, and to
write the sample events under ``events/api/`` (``make api-events``).
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ACCOUNT = "123456789012"
SAMPLE_TIME = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
PORTAL_ROLE = f"arn:aws:sts::{ACCOUNT}:assumed-role/lsh-portal/portal-backend"
OTHER_ROLE = f"arn:aws:sts::{ACCOUNT}:assumed-role/reporting-job/nightly"


def iam_context(user_arn: str = PORTAL_ROLE) -> dict[str, Any]:
    return {
        "iam": {
            "accessKey": "ASIAEXAMPLEEXAMPLE",
            "accountId": ACCOUNT,
            "callerId": "AROAEXAMPLEEXAMPLE:portal-backend",
            "cognitoIdentity": None,
            "principalOrgId": None,
            "userArn": user_arn,
            "userId": "AROAEXAMPLEEXAMPLE:portal-backend",
        }
    }


def jwt_context(
    subject: str = "committee-member-1", groups: str = "[committee]", token_use: str = "access"
) -> dict[str, Any]:
    return {
        "jwt": {
            "claims": {
                "sub": subject,
                "cognito:groups": groups,
                "token_use": token_use,
                "iss": "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_EXAMPLE",
            },
            "scopes": None,
        }
    }


def http_event(
    method: str,
    path: str,
    route_key: str,
    *,
    body: str | None = None,
    query: dict[str, str] | None = None,
    path_parameters: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
    request_id: str | None = None,
    headers: dict[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    request_id = request_id or str(uuid.uuid4())
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route_key}",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {
            "content-type": "application/json",
            "host": "lsh.example.execute-api.eu-north-1.amazonaws.com",
            "user-agent": "lsh-events",
            **(headers or {}),
        },
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "lsh",
            "domainName": "lsh.example.execute-api.eu-north-1.amazonaws.com",
            "domainPrefix": "lsh",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.7",
                "userAgent": "lsh-events",
            },
            "requestId": request_id,
            "routeKey": f"{method} {route_key}",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if authorizer:
        event["requestContext"]["authorizer"] = authorizer
    if query:
        event["queryStringParameters"] = dict(query)
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if body is not None:
        event["body"] = body
    return event


def submit_event(body: str, authorizer: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    auth = iam_context() if authorizer is None else authorizer
    return http_event("POST", "/screenings", "/screenings", body=body, authorizer=auth, **kw)


def committee_event(
    method: str,
    route: str,
    application_id: str | None = None,
    *,
    query: dict[str, str] | None = None,
    body: str | None = None,
    authorizer: dict[str, Any] | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """A committee route (Cognito JWT of the committee group unless ``authorizer`` says
    otherwise); ``route`` as API Gateway names it, ``{application_id}`` filled in."""
    path_parameters = None if application_id is None else {"application_id": application_id}
    return http_event(
        method,
        route.replace("{application_id}", application_id or ""),
        route,
        body=body,
        query=query,
        path_parameters=path_parameters,
        authorizer=jwt_context() if authorizer is None else authorizer,
        **kw,
    )


def get_event(application_id: str, authorizer: dict[str, Any] | None = None) -> dict[str, Any]:
    return committee_event("GET", "/screenings/{application_id}", application_id,
                           authorizer=authorizer)  # fmt: skip


def list_event(
    query: dict[str, str] | None = None, authorizer: dict[str, Any] | None = None
) -> dict[str, Any]:
    return committee_event("GET", "/screenings", query=query, authorizer=authorizer)


def report_event(
    application_id: str,
    query: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return committee_event("GET", "/screenings/{application_id}/report", application_id,
                           query=query, authorizer=authorizer)  # fmt: skip


def round_event(
    query: dict[str, str] | None = None, authorizer: dict[str, Any] | None = None
) -> dict[str, Any]:
    return committee_event("GET", "/reports/round", query=query, authorizer=authorizer)


def rules_event(query: dict[str, str] | None = None) -> dict[str, Any]:
    return http_event("GET", "/rules", "/rules", query=query)


def decision_event(
    application_id: str, body: str, authorizer: dict[str, Any] | None = None, **kw: Any
) -> dict[str, Any]:
    return committee_event("PUT", "/screenings/{application_id}/decision", application_id,
                           body=body, authorizer=authorizer, **kw)  # fmt: skip


def agreement_event(
    query: dict[str, str] | None = None, authorizer: dict[str, Any] | None = None
) -> dict[str, Any]:
    return committee_event("GET", "/agreement", query=query, authorizer=authorizer)


def agreement_report_event(
    query: dict[str, str] | None = None, authorizer: dict[str, Any] | None = None
) -> dict[str, Any]:
    return committee_event("GET", "/reports/agreement", query=query, authorizer=authorizer)


def rescreen_event(
    application_id: str,
    query: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return committee_event("POST", "/screenings/{application_id}/rescreen", application_id,
                           query=query, authorizer=authorizer)  # fmt: skip


def portfolio_event(
    query: dict[str, str] | None = None, authorizer: dict[str, Any] | None = None
) -> dict[str, Any]:
    return committee_event("GET", "/reports/portfolio", query=query, authorizer=authorizer)


def follow_up_report_event(
    application_id: str,
    query: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return committee_event("GET", "/loans/{application_id}/follow-up/report", application_id,
                           query=query, authorizer=authorizer)  # fmt: skip


def effect_report_event(
    body: str, authorizer: dict[str, Any] | None = None, **kw: Any
) -> dict[str, Any]:
    auth = iam_context() if authorizer is None else authorizer
    return http_event(
        "POST", "/effect-reports", "/effect-reports", body=body, authorizer=auth, **kw
    )


def follow_up_event(
    application_id: str,
    query: dict[str, str] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return committee_event("GET", "/loans/{application_id}/follow-up", application_id,
                           query=query, authorizer=authorizer)  # fmt: skip


SAMPLE_DECISION = {
    "decision": "granted",
    "decision_date": "2026-11-20",
    "round": "2026-R3",
    "screening_revision": 1,
    "assessments": {"grundkrav_3": "met", "grundkrav_5": "met"},
    "overridden_rules": [],
    "motivation": "Målgrupp och effektmål är tydliga; uppföljningen sker årligen.",
}


def sample_events(
    application: dict[str, Any], effect_report: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """File name → event. The name ends in the documented status: ``<case>.<status>.json``.
    The effect-report and follow-up events expect the loan granted (put-decision-granted)."""
    app_id = application["application_id"]
    body = json.dumps(application, ensure_ascii=False, indent=1)
    broken = dict(application)
    broken.pop("project")
    broken["applicant"] = {**application["applicant"], "organisation_number": "212000-0000"}
    broken["unexpected"] = True
    oversized = json.dumps({**application, "padding": "x" * (260 * 1024)})
    other_applicant = {
        **application,
        "applicant": {**application["applicant"], "organisation_number": "556777-0010"},
    }
    events = {
        "post-screenings-valid.201.json": submit_event(body),
        "post-screenings-retry.200.json": submit_event(body),
        "post-screenings-malformed-json.400.json": submit_event(body[: len(body) // 2]),
        "post-screenings-schema-errors.422.json": submit_event(json.dumps(broken)),
        "post-screenings-not-an-object.422.json": submit_event("[1, 2, 3]"),
        "post-screenings-array-of-applications.422.json": submit_event(f"[{body}, {body}]"),
        "post-screenings-too-large.413.json": submit_event(oversized),
        "post-screenings-form-encoded.415.json": submit_event(
            "application=" + body, headers={"content-type": "application/x-www-form-urlencoded"}
        ),
        "post-screenings-other-organisation.409.json": submit_event(json.dumps(other_applicant)),
        "post-screenings-unsigned.401.json": submit_event(body, authorizer={}),
        "post-screenings-other-iam-role.403.json": submit_event(
            body, authorizer=iam_context(OTHER_ROLE)
        ),
        "post-screenings-committee-jwt.403.json": submit_event(body, authorizer=jwt_context()),
        "get-rules.200.json": rules_event(),
        "get-screening-known.200.json": get_event(app_id),
        "get-screening-unknown.404.json": get_event("LSH-2026-UNKNOWN"),
        "get-screening-portal-iam.403.json": get_event(app_id, authorizer=iam_context()),
        "get-screening-no-group.403.json": get_event(
            app_id, authorizer=jwt_context(groups="[applicants]")
        ),
        "get-screening-id-token.401.json": get_event(
            app_id, authorizer=jwt_context(token_use="id")
        ),
        "get-screening-bad-id.422.json": get_event("ab"),
        "get-screenings-unsigned.401.json": list_event(authorizer={}),
        "get-screenings-all.200.json": list_event(),
        "get-screenings-filtered.200.json": list_event(
            {"outcome": "eligible", "from": "2026-01-01", "to": "2026-12-31", "limit": "10"}
        ),
        "get-screenings-bad-outcome.422.json": list_event({"outcome": "granted", "limit": "0"}),
        "get-screenings-bad-cursor.400.json": list_event({"cursor": "bm90LWEtY3Vyc29y"}),
        "get-report-known.200.json": report_event(app_id),
        "get-report-english.200.json": report_event(app_id, query={"lang": "en"}),
        "get-report-unknown.404.json": report_event("LSH-2026-UNKNOWN"),
        "get-report-portal-iam.403.json": report_event(app_id, authorizer=iam_context()),
        "get-round-report.200.json": round_event({"from": "2026-01-01", "to": "2026-12-31"}),
        "get-round-report-reversed.422.json": round_event(
            {"from": "2026-12-31", "to": "2026-01-01"}
        ),
        "get-round-report-no-range.422.json": round_event(),
        "get-rules-at-date.200.json": rules_event({"at": "2026-06-01"}),
        "get-rules-bad-date.422.json": rules_event({"at": "2026-13-01"}),
        "put-decision-granted.201.json": decision_event(app_id, json.dumps(SAMPLE_DECISION)),
        "put-decision-unknown-revision.404.json": decision_event(
            app_id, json.dumps({**SAMPLE_DECISION, "screening_revision": 7})
        ),
        "put-decision-unknown-application.404.json": decision_event(
            "LSH-2026-UNKNOWN", json.dumps(SAMPLE_DECISION)
        ),
        "put-decision-invalid.422.json": decision_event(
            app_id, json.dumps({**SAMPLE_DECISION, "decision": "approved"})
        ),
        "put-decision-portal-iam.403.json": decision_event(
            app_id, json.dumps(SAMPLE_DECISION), authorizer=iam_context()
        ),
        "get-agreement.200.json": agreement_event({"round": "2026-R3"}),
        "get-agreement-reversed.422.json": agreement_event(
            {"from": "2026-12-31", "to": "2026-01-01"}
        ),
        "get-agreement-report.200.json": agreement_report_event({"round": "2026-R3"}),
        "post-rescreen.201.json": rescreen_event(app_id),
        "post-rescreen-unknown-release.422.json": rescreen_event(app_id, {"release": "1999.1.1"}),
        "post-rescreen-unknown.404.json": rescreen_event("LSH-2026-UNKNOWN"),
    }
    if effect_report is not None:
        report = json.dumps(effect_report, ensure_ascii=False, indent=1)
        with_number = {**effect_report, "narrative": "Frågor till 811218-9876."}
        broken_report = {**effect_report, "reporting_year": "förra året", "people_reached": -1}
        other_loan = {**effect_report, "application_id": "LSH-2026-UNKNOWN"}
        events |= {
            "post-effect-report-valid.201.json": effect_report_event(report),
            "post-effect-report-personal-number.422.json": effect_report_event(
                json.dumps(with_number, ensure_ascii=False)
            ),
            "post-effect-report-schema-errors.422.json": effect_report_event(
                json.dumps(broken_report, ensure_ascii=False)
            ),
            "post-effect-report-not-granted.404.json": effect_report_event(
                json.dumps(other_loan, ensure_ascii=False)
            ),
            "post-effect-report-unsigned.401.json": effect_report_event(report, authorizer={}),
            "post-effect-report-committee-jwt.403.json": effect_report_event(
                report, authorizer=jwt_context()
            ),
            "get-follow-up.200.json": follow_up_event(app_id, {"on": "2029-06-01"}),
            "get-follow-up-unknown.404.json": follow_up_event("LSH-2026-UNKNOWN"),
            "get-follow-up-portal-iam.403.json": follow_up_event(app_id, authorizer=iam_context()),
            "get-follow-up-report.200.json": follow_up_report_event(app_id),
            "get-follow-up-report-english.200.json": follow_up_report_event(app_id, {"lang": "en"}),
            "get-follow-up-report-unknown.404.json": follow_up_report_event("LSH-2026-UNKNOWN"),
            "get-portfolio-report.200.json": portfolio_event(),
            "get-portfolio-report-year.200.json": portfolio_event({"year": "2027"}),
            "get-portfolio-report-bad-year.422.json": portfolio_event({"year": "1800"}),
        }
    for name, event in events.items():  # stable files: fixed time and request id per name
        context = event["requestContext"]
        context["requestId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
        context["time"] = SAMPLE_TIME.strftime("%d/%b/%Y:%H:%M:%S +0000")
        context["timeEpoch"] = int(SAMPLE_TIME.timestamp() * 1000)
    return events


def main(argv: list[str]) -> int:
    import yaml

    target = Path(argv[0]) if argv else Path("events/api")
    base = Path(argv[1]) if len(argv) > 1 else Path("rules/examples/base-application.yaml")
    for old in target.glob("*.json"):  # the set of events is exactly what is generated
        old.unlink()
    application = yaml.safe_load(base.read_text("utf-8"))
    follow_up = base.parent.parent / "follow-up" / "examples" / "base-follow-up.yaml"
    first_report = yaml.safe_load(follow_up.read_text("utf-8"))["earlier_reports"][0]
    target.mkdir(parents=True, exist_ok=True)
    for name, event in sample_events(application, first_report).items():
        (target / name).write_text(json.dumps(event, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(target / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
