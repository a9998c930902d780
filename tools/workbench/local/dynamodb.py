"""DynamoDB for local runs and tests: moto's server on loopback, one request at a time.

Serving one request at a time gives every request DynamoDB's atomicity — a conditional write or
a transaction is checked and applied with nothing in between — which moto's threaded server
does not promise. The concurrency test and ``make serve`` rely on it.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from .tables import create_tables


class LocalDynamoDB:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's own request log
        app = DomainDispatcherApplication(create_backend_app)
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=False, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalDynamoDB:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


def point_boto3_at(endpoint: str, table: str) -> None:
    """Environment for boto3 and the handlers: the local endpoint, fake credentials."""
    os.environ.update(
        {
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-north-1"),
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "VERDICT_TABLE": table,
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)


def start_dynamodb(port: int = 0, table: str | None = None) -> tuple[LocalDynamoDB, str]:
    """The local DynamoDB with the table created; boto3 pointed at it (environment)."""
    server = LocalDynamoDB(port=port).start()
    table = table or os.environ.get("VERDICT_TABLE", "lsh-screenings-local")
    point_boto3_at(server.endpoint, table)
    import boto3

    client: Any = boto3.client("dynamodb", endpoint_url=server.endpoint)
    create_tables(client, table)
    return server, server.endpoint
