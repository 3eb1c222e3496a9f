"""The benchmarks' one HTTP client: a shopper's browser that keeps its own cookies and
CSRF token, follows redirects, and records each request's status and time.

By default it talks to the shop as if through the production TLS proxy: every request
says `X-Forwarded-Proto: https` and `X-Forwarded-For: <the shopper's address>` and, for
forms, an `Origin` that matches, so the secure cookies and the CSRF origin check work as
they do in production. It keeps cookies itself, ignoring their Secure flag, because the
socket is plain HTTP. `proxied=False` talks plain HTTP to a development-mode server.

`servers` may list several ports: each request goes to the next one in turn (a
round-robin load balancer in front of several app servers)."""

import http.client
import itertools
import random
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The checkout form's hidden fields: the currency and subtotal the page showed, which
# the order confirms (a browser sends them back with the form).
SHOWN_PRICES = re.compile(r'<input type="hidden" name="(currency|shown_subtotal)" value="(\w+)"')


class ConnectionLost(Exception):
    """The server closed the connection without an answer (a killed worker)."""


class TimeUp(Exception):
    """The run's time is over: the shopper leaves wherever they are."""


@dataclass
class Sample:
    label: str
    status: int  # 0: no answer (connection reset, refused, timed out)
    seconds: float
    port: int = 0
    started: float = 0.0  # time.monotonic() when the request was sent


@dataclass
class Record:
    samples: list[Sample] = field(default_factory=list)
    attempts: list = field(default_factory=list)  # what a workload wants to remember


class RoundRobin:
    """The ports of several app servers, handed out in turn (thread-safe)."""

    def __init__(self, ports):
        self.ports = list(ports)
        self._next = itertools.cycle(self.ports)
        self._lock = threading.Lock()

    def port(self) -> int:
        with self._lock:
            return next(self._next)


class Browser:
    def __init__(
        self,
        servers,
        record: Record | None = None,
        *,
        timeout: float = 60,
        stop_at: float = 0,
        address: str = "",
        proxied: bool = True,
        language: str = "en",
        think: float = 0.0,
    ):
        """`servers`: a port, or a RoundRobin of ports."""
        self.servers = servers if isinstance(servers, RoundRobin) else RoundRobin([servers])
        self.port = self.servers.ports[0]
        # The shopper's address as the proxy would append it to X-Forwarded-For (the
        # documentation range 203.0.113.0/24: a header value only, never connected to).
        self.address = address
        self.stop_at = stop_at  # time.monotonic() after which no request starts
        self.record = record if record is not None else Record()
        self.timeout = timeout
        self.proxied = proxied
        self.language = language
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.shown_prices: dict[str, str] = {}  # from the last checkout page
        # Mean seconds a person pauses before each page or form (0: none, a robot).
        self.think = think

    def pause(self) -> None:
        """A person's pause before the next page: exponential around `think` seconds,
        at most three times it; not part of any request's time."""
        if self.think > 0:
            time.sleep(min(random.expovariate(1 / self.think), 3 * self.think))  # noqa: S311

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, label: str, form: dict | None = None):
        """One request, no redirect followed. Returns (status, location, body)."""
        if self.stop_at and time.monotonic() > self.stop_at:
            raise TimeUp
        port = self.servers.port()
        # One host name for every server, as behind a load balancer: cookies, the CSRF
        # origin and allauth's per-site rate-limit keys are the site's, not a server's.
        headers = {"Host": "127.0.0.1", "Accept-Language": self.language}
        scheme = "https" if self.proxied else "http"
        if self.proxied:
            headers["X-Forwarded-Proto"] = "https"
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"{scheme}://127.0.0.1"
            headers["Referer"] = headers["Origin"] + path
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        sent, started = time.monotonic(), time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.record.samples.append(Sample(label, 0, time.perf_counter() - started, port, sent))
            raise ConnectionLost(f"{method} {path}: {error!r}") from error
        finally:
            connection.close()
        self.record.samples.append(
            Sample(label, response.status, time.perf_counter() - started, port, sent)
        )
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                value = rest.split(";", 1)[0]
                if value in ('""', ""):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
        match = CSRF.search(text)
        if match:
            self.token = match[1]
        shown = dict(SHOWN_PRICES.findall(text))
        if shown:
            self.shown_prices = shown
        location = urllib.parse.urlparse(response.getheader("Location") or "")
        target = location.path + (f"?{location.query}" if location.query else "")
        return response.status, target, text

    def get(self, path: str, label: str = ""):
        self.pause()
        return self.follow(*self.request("GET", path, label or path), label or path)

    def post(self, path: str, form: dict, label: str = ""):
        self.pause()
        return self.follow(*self.request("POST", path, label or path, form), label or path)

    def post_twice(self, path: str, form: dict, label: str):
        """A double click: the same form posted twice at once with the same cookies.
        Follows the first answer; returns it and the redirect target of the second."""
        second: list = []

        def click():
            try:
                second.append(self.request("POST", path, label + " (double click)", form)[1])
            except (ConnectionLost, TimeUp):
                second.append("")

        thread = threading.Thread(target=click)
        thread.start()
        try:
            first = self.follow(*self.request("POST", path, label, form), label)
        finally:
            thread.join()
        return first, second[0]

    def follow(self, status, location, text, label):
        """Follow redirects with GET; returns (final path, status, body)."""
        path = ""
        hops = 0
        while status in (301, 302, 303) and location and hops < 5:
            path = location
            status, location, text = self.request("GET", path, label + " (redirect)")
            hops += 1
        return path, status, text

    def sign_in(self, email: str, password: str) -> bool:
        self.get("/en/accounts/login/", "sign in")
        path, _status, _text = self.post(
            "/en/accounts/login/", {"login": email, "password": password}, "sign in"
        )
        return "/accounts/login/" not in path
