"""A local mail server for the outbox tests, on 127.0.0.1: it speaks enough SMTP for
Django's SMTP backend, and can answer a recipient with any code, or accept
connections and never say a word (a hung server)."""

import socket
import socketserver
import threading
from email import message_from_bytes


class FakeSmtpServer:
    def __init__(self):
        self.messages = []  # email.message.Message, as received
        self.recipient_answer = "250 OK"
        self.hang = False
        self._hung: list[socket.socket] = []
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                if fake.hang:
                    fake._hung.append(self.request)
                    self.request.recv(1)  # wait (until the client gives up)
                    return
                self._say("220 fake.smtp ready")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().upper()
                    if verb.startswith(("EHLO", "HELO")):
                        self._say("250 fake.smtp")
                    elif verb.startswith("RCPT"):
                        self._say(fake.recipient_answer)
                    elif verb == "DATA":
                        self._say("354 go on")
                        fake.messages.append(message_from_bytes(self._data()))
                        self._say("250 queued")
                    elif verb == "QUIT":
                        self._say("221 bye")
                        return
                    else:  # MAIL, RSET, NOOP
                        self._say("250 OK")

            def _data(self) -> bytes:
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                return b"".join(lines)

            def _say(self, text: str) -> None:
                self.wfile.write(f"{text}\r\n".encode())

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def mailer(self, *, timeout: float = 1) -> dict:
        """A MAILERS setting that sends here."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": timeout},
            }
        }

    def start(self):
        self.thread.start()

    def stop(self):
        for connection in self._hung:
            connection.close()
        self.server.shutdown()
        self.server.server_close()
