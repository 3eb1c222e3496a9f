"""A local fake of a JSON-over-HTTPS provider (text messages, review invitations:
shop.fulfilment.provider_http), on 127.0.0.1."""

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "provider-test-token"


class FakeProvider:
    def __init__(self, token: str = TOKEN, port: int = 0):
        """`port`: a port chosen beforehand (a provider that comes up late), else any."""
        self.token = token
        self.received: list[dict] = []
        self.keys: list[str] = []  # the Idempotency-Key of every authorised request
        self.fail_next = 0  # answer HTTP 503 to the next N requests
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._answer(401, {"error": "bad token"})
                fake.keys.append(self.headers.get("Idempotency-Key", ""))
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    return self._answer(503, {"error": "try later"})
                fake.received.append(body)
                return self._answer(201, {"id": f"msg_{len(fake.received)}"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@contextlib.contextmanager
def provider_serving(settings, backend_setting: str, prefix: str):
    """A fake provider serving, and the settings pointing `backend_setting` at it
    (`<prefix>_HTTP_URL`, `<prefix>_HTTP_TOKEN`); stopped on leaving."""
    server = FakeProvider()
    server.start()
    setattr(settings, backend_setting, "http")
    setattr(settings, f"{prefix}_HTTP_URL", server.url)
    setattr(settings, f"{prefix}_HTTP_TOKEN", server.token)
    try:
        yield server
    finally:
        server.stop()
