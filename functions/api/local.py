"""``make serve``: the four routes on http://127.0.0.1:3000 with no Docker and no AWS account.

DynamoDB is moto's server on a loopback port (an embedded DynamoDB, in memory: stopping the
server forgets everything). Each request becomes an API Gateway v2 event and goes to the same
Lambda handler the template wires to that route, so the behaviour is the deployed one.

Auth is simulated (API Gateway verifies it in AWS; here nothing is verified):

- POST /screenings: no ``Authorization`` header → treated as the portal's SigV4-signed IAM
  role ``lsh-portal``. With ``Authorization: Bearer …`` it is a committee JWT → 403.
- GET /screenings, GET /screenings/{id}: ``Authorization: Bearer committee`` → a committee
  member (group ``committee``); any other bearer token → a user outside the group (403);
  no header → 401.
- GET /rules: public.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

LOCAL_PORTAL = "arn:aws:sts::000000000000:assumed-role/lsh-portal/local"
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway HTTP API's own limit
ROUTES = (
    ("POST", re.compile(r"^/screenings/?$"), "/screenings"),
    ("GET", re.compile(r"^/screenings/?$"), "/screenings"),
    ("GET", re.compile(r"^/screenings/(?P<application_id>[^/]+)$"), "/screenings/{application_id}"),
    (
        "GET",
        re.compile(r"^/screenings/(?P<application_id>[^/]+)/report/?$"),
        "/screenings/{application_id}/report",
    ),
    ("GET", re.compile(r"^/reports/round/?$"), "/reports/round"),
    ("GET", re.compile(r"^/rules/?$"), "/rules"),
)


def start_dynamodb(port: int = 0) -> tuple[Any, str]:
    """moto's server on 127.0.0.1 with both tables; points boto3 at it (env)."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's own request log

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    endpoint = f"http://{host}:{bound}"
    os.environ.update(
        {
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-north-1"),
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "VERDICT_TABLE": os.environ.get("VERDICT_TABLE", "lsh-verdicts-local"),
            "IDEMPOTENCY_TABLE": os.environ.get("IDEMPOTENCY_TABLE", "lsh-idempotency-local"),
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    import boto3

    from .tables import create_tables

    create_tables(
        boto3.client("dynamodb", endpoint_url=endpoint),
        os.environ["VERDICT_TABLE"],
        os.environ["IDEMPOTENCY_TABLE"],
    )
    return server, endpoint


def simulated_authorizer(route_key: str, authorization: str | None) -> dict[str, Any] | None:
    from .events import iam_context, jwt_context

    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
        groups = "[committee]" if token == "committee" else "[]"
        return jwt_context(subject=f"local-{token[:20] or 'user'}", groups=groups)
    if route_key == "POST /screenings":
        return iam_context(LOCAL_PORTAL)
    return None


def route_of(method: str, path: str) -> tuple[str, re.Match[str]] | None:
    for route_method, pattern, route in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return route, match
    return None


class Gateway:
    """Turns (method, path, query, headers, body) into a v2 event and invokes the handler."""

    def __init__(self) -> None:
        from . import handlers

        self.handlers = handlers

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        from .events import http_event

        headers = {k.lower(): v for k, v in headers.items()}
        url = urlsplit(target)
        found = route_of(method, url.path)
        if found is None:
            return 404, {"Content-Type": "application/json"}, b'{"message":"Not Found"}'
        route, match = found
        route_key = f"{method} {route}"
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        event = http_event(
            method,
            url.path,
            route,
            body=body.decode("utf-8", errors="replace") if body else None,
            query=query or None,
            path_parameters=match.groupdict() or None,
            authorizer=simulated_authorizer(route_key, headers.get("authorization")),
            headers=headers,
        )
        event["rawQueryString"] = url.query

        class Context:
            function_name = f"local-{self.handlers.ROUTES[route_key]}"
            memory_limit_in_mb = 1024
            invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{function_name}"
            aws_request_id = event["requestContext"]["requestId"]

            @staticmethod
            def get_remaining_time_in_millis() -> int:
                return 15_000

        handler = getattr(self.handlers, self.handlers.ROUTES[route_key])
        reply = handler(event, Context())
        out_headers = {str(k): str(v) for k, v in (reply.get("headers") or {}).items()}
        out_body = (reply.get("body") or "").encode("utf-8")
        return int(reply["statusCode"]), out_headers, out_body


def make_handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "lsh-local"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._reply(
                    413,
                    {"Content-Type": "application/json"},
                    b'{"message":"Request Entity Too Large"}',
                )
                return
            body = self.rfile.read(length) if length else b""
            status, headers, payload = gateway.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
            self._reply(status, headers, payload)

        def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            # Method, path and status only: never a body.
            sys.stderr.write(
                f"local {self.command} {self.path.split('?')[0]} {args[1] if len(args) > 1 else ''}"
                "\n"
            )

    return Handler


def serve(port: int = 3000, dynamodb_port: int = 0) -> tuple[HTTPServer, Any]:
    """Start moto and the gateway; returns (http server, moto server). The caller stops both."""
    moto, _ = start_dynamodb(dynamodb_port)
    gateway = Gateway()
    # One request at a time, like one Lambda container (the resolver is not thread-safe).
    httpd = HTTPServer(("127.0.0.1", port), make_handler(gateway))
    return httpd, moto


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.local", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--dynamodb-port", type=int, default=0, help="0: any free port")
    args = parser.parse_args(argv)
    httpd, moto = serve(args.port, args.dynamodb_port)

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill PID` stops moto cleanly too
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    print(
        json.dumps({"api": base, "dynamodb": os.environ["AWS_ENDPOINT_URL_DYNAMODB"]}),
        f"\nLSH service on {base} (DynamoDB: moto at {os.environ['AWS_ENDPOINT_URL_DYNAMODB']})",
        f"\n  curl -s -X POST {base}/screenings -H 'content-type: application/json'"
        " --data @APPLICATION.json",
        f"\n  curl -s {base}/screenings/APPLICATION_ID -H 'Authorization: Bearer committee'",
        f"\n  curl -s '{base}/screenings?outcome=eligible' -H 'Authorization: Bearer committee'",
        f"\n  curl -s {base}/rules\nCtrl-C stops it (and forgets every verdict).",
        flush=True,
    )
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        moto.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
