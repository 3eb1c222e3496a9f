"""Serving the shop for a benchmark: a free port, gunicorn started on it and waited for,
and stopped again, patiently, on a busy machine.

    server = Gunicorn(env, workers=2)          # or port=..., log=Path(...), https=(cert, key)
    server.start()                             # returns once /en/ answers 200
    ... server.base_url ...
    server.stop()                              # SIGTERM, then waits (SIGKILL only at the end)

Every benchmark that serves the shop uses this one class, so the command line, the
control socket, the time given to start and stop are the same everywhere.
"""

import http.client
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A worker of a loaded two-core machine can take many seconds to finish its request
# and exit: stopping gives it this long before anything is killed.
STOP_SECONDS = 120


def snippet_output(code: str, env: dict) -> str:
    """What a Python snippet prints, run in the shop's directory with `env` (a
    benchmark's set-up that reads the database it made)."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """One gunicorn serving offtek.wsgi on 127.0.0.1 with `env` as its environment."""

    def __init__(
        self,
        env: dict,
        *,
        workers: int = 2,
        port: int | None = None,
        log: Path | None = None,
        https: tuple[Path, Path] | None = None,
        probe: str = "/en/",
        timeout: int = 60,
    ):
        self.env = env
        self.workers = workers
        self.port = port or free_port()
        self.log = log
        self.https = https
        self.probe = probe
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def base_url(self) -> str:
        return f"{'https' if self.https else 'http'}://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "offtek.wsgi:application",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            str(self.timeout),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--no-control-socket",  # its default path is shared by every gunicorn here
        ]
        if self.https:
            command += ["--certfile", str(self.https[0]), "--keyfile", str(self.https[1])]
        return command

    def start(self, wait_seconds: float = 90) -> "Gunicorn":
        output = None
        if self.log is not None:
            self._log_file = output = self.log.open("w")
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )
        self.wait_until_serving(wait_seconds)
        return self

    def probe_status(self) -> int:
        """The status of GET `probe`, as the production proxy would send it (HTTPS
        said in X-Forwarded-Proto, so production settings do not redirect)."""
        if self.https:
            context = ssl._create_unverified_context()  # noqa: S323 - our own certificate
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=10, context=context
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", self.probe, headers={"X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def wait_until_serving(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                where = f"; see {self.log}" if self.log else ""
                raise RuntimeError(f"gunicorn exited before serving{where}")
            try:
                if self.probe_status() == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on {self.base_url} in {seconds:.0f} s")

    def stop(self, seconds: float = STOP_SECONDS) -> None:
        """Graceful stop: SIGTERM, wait up to `seconds`, then SIGKILL. Never raises
        because the machine is slow, so a caller's results are never lost here."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                print(f"gunicorn did not stop in {seconds:.0f} s: killed", file=sys.stderr)
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
