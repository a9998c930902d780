"""``make serve``: every route on http://127.0.0.1:3000 with no Docker and no AWS account.

DynamoDB is moto's server on a loopback port (in memory: stopping the server forgets
everything). Each request becomes an API Gateway v2 event and goes to the handler module the
template wires to that route (``api.routes``), so the behaviour is the deployed one. Requests
are accepted concurrently; each function serves one request at a time, like one Lambda
container.

Auth is simulated (API Gateway verifies it in AWS; here nothing is verified):

- POST /screenings: no ``Authorization`` header → the portal's SigV4-signed IAM role
  ``lsh-portal``. ``Authorization: Bearer …`` is a committee JWT → 403.
- Committee routes: ``Authorization: Bearer committee`` → a committee member (group
  ``committee``, access token); any other bearer token → a user outside the group (403);
  no header → 401.
- GET /rules: public.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from api.routes import FUNCTIONS, ROUTES, Route

from .dynamodb import start_dynamodb

LOCAL_PORTAL = "arn:aws:sts::000000000000:assumed-role/lsh-portal/local"
MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway HTTP API's own limit


def _pattern(route: Route) -> re.Pattern[str]:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", route.path)
    return re.compile(rf"^{regex}/?$")


PATTERNS = [(route, _pattern(route)) for route in ROUTES]


def simulated_authorizer(route: Route, authorization: str | None) -> dict[str, Any] | None:
    from .events import iam_context, jwt_context

    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
        groups = "[committee]" if token == "committee" else "[]"
        return jwt_context(subject=f"local-{token[:20] or 'user'}", groups=groups)
    if route.auth == "portal":
        return iam_context(LOCAL_PORTAL)
    return None


def route_of(method: str, path: str) -> tuple[Route, re.Match[str]] | None:
    for route, pattern in PATTERNS:
        match = pattern.match(path)
        if match and route.method == method:
            return route, match
    return None


class Gateway:
    """Turns (method, path, query, headers, body) into a v2 event and invokes the handler."""

    def __init__(self) -> None:
        self._handlers: dict[str, Any] = {}
        self._locks = {name: threading.Lock() for name in FUNCTIONS}

    def handler(self, function: str) -> Any:
        if function not in self._handlers:
            module_name, _, attribute = FUNCTIONS[function][1].rpartition(".")
            module = importlib.import_module(module_name)
            module.init()  # its container init, now that the local environment is set
            self._handlers[function] = getattr(module, attribute)
        return self._handlers[function]

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
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        try:
            text: str | None = body.decode("utf-8") if body else None
            encoded = False
        except UnicodeDecodeError:  # API Gateway passes such a body on base64-encoded
            import base64

            text, encoded = base64.b64encode(body).decode(), True
        event = http_event(
            method,
            url.path,
            route.path,
            body=text,
            query=query or None,
            path_parameters=match.groupdict() or None,
            authorizer=simulated_authorizer(route, headers.get("authorization")),
            headers=headers,
        )
        event["rawQueryString"] = url.query
        event["isBase64Encoded"] = encoded
        if "content-type" not in headers:
            event["headers"].pop("content-type", None)

        class Context:
            function_name = f"local-{route.function}"
            memory_limit_in_mb = 1024
            invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{function_name}"
            aws_request_id = event["requestContext"]["requestId"]

            @staticmethod
            def get_remaining_time_in_millis() -> int:
                return 15_000

        handler = self.handler(route.function)
        with self._locks[route.function]:  # one request at a time per function (container)
            reply = handler(event, Context())
        out_headers = {str(k): str(v) for k, v in (reply.get("headers") or {}).items()}
        out_body = (reply.get("body") or "").encode("utf-8")
        return int(reply["statusCode"]), out_headers, out_body


def make_handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "lsh-local"

        def _serve(self) -> None:
            declared = self.headers.get("Content-Length")
            try:
                length = int(declared) if declared is not None else 0
            except ValueError:
                length = -1
            if length < 0:
                self._reply(
                    400, {"Content-Type": "application/json"}, b'{"message":"Bad Content-Length"}'
                )
                return
            if length > MAX_REQUEST_BYTES:
                self._reply(
                    413,
                    {"Content-Type": "application/json"},
                    b'{"message":"Request Entity Too Large"}',
                )
                return
            body = self.rfile.read(length) if length else b""
            if len(body) < length:
                self._reply(
                    400,
                    {"Content-Type": "application/json"},
                    b'{"message":"Body shorter than Content-Length"}',
                )
                return
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
            if self.command != "HEAD":  # a HEAD reply has the headers of a GET, no body
                self.wfile.write(payload)

        # Every method reaches the gateway, which answers an unknown route 404 (JSON) as API
        # Gateway does; Python's server would answer 501 with an HTML page.
        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:
            # Method, path and status only: never a body.
            sys.stderr.write(
                f"local {self.command} {self.path.split('?')[0]} {args[1] if len(args) > 1 else ''}"
                "\n"
            )

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def serve(port: int = 3000, dynamodb_port: int = 0) -> tuple[ThreadingHTTPServer, Any]:
    """Start DynamoDB and the gateway; returns (http server, dynamodb). The caller stops both."""
    os.environ.setdefault("PORTAL_ROLE_NAMES", "lsh-portal")
    dynamodb, _ = start_dynamodb(dynamodb_port)
    from api import aws

    aws.dynamodb.cache_clear()  # a client made before the endpoint was set would miss it
    httpd = _Server(("127.0.0.1", port), make_handler(Gateway()))
    return httpd, dynamodb


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbench.local.server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--dynamodb-port", type=int, default=0, help="0: any free port")
    args = parser.parse_args(argv)
    httpd, dynamodb = serve(args.port, args.dynamodb_port)

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill PID` stops the local DynamoDB cleanly too
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
        dynamodb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
