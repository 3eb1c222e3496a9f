"""Security scan: the wapiti web scanner against the shop in production mode, once as an
anonymous visitor and once signed in as a customer.

    .venv/bin/python -m bench.scan [--modules 200] [--systems 100] [--scan-seconds 90]
                                   [--attack-seconds 20] [--skip-customer]

Needs wapiti 3.0.4 (Debian: `apt-get install wapiti`) and openssl. Not part of CI: run
it by hand before a release. It builds a fresh SQLite database in a temporary directory
(migrate, cache table, collected static files, a small demo catalog and one customer
with a verified e-mail address), then serves it with gunicorn on 127.0.0.1 and a free
port, over HTTPS with a throwaway self-signed certificate, with DJANGO_DEBUG=false: the
HTTPS redirect, HSTS, secure cookies and the production static storage are all on, as
they are behind the real TLS proxy. Payments use the simulator; e-mail goes nowhere.

Each scan crawls /en/ (folder scope) and runs wapiti's common attack modules plus csrf,
crlf, methods, backup and htaccess (ssrf is left out: it needs wapiti's public endpoint
on the internet). The customer scan signs in through the shop's own login form
(wapiti's `--auth-type post`) and stays away from sign-out and account closure so the
session lasts. Reports go to test-artifacts/wapiti/<scan>.json and .txt; a summary by
category is printed last, with the count of server errors (500) the shop logged. The
exit code is 1 if wapiti reports any vulnerability other than the false positives listed
in EXPLAINED below (shown apart, each with its reason); anomalies (server errors,
time-outs) and "additional" information are listed and do not change it. The server is
stopped whatever happens. With the defaults (90 s of crawling and at most 20 s per
attack module, per scan) both scans took 16 minutes on a shared 2-core machine.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import Gunicorn, free_port

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "test-artifacts" / "wapiti"
CUSTOMER_EMAIL = "scan-customer@example.com"
CUSTOMER_PASSWORD = secrets.token_urlsafe(16)
LOGIN_RATE_WINDOW = 65  # seconds: ACCOUNT_RATE_LIMITS allows 10 failed sign-ins a minute
MODULES = "common,-ssrf,csrf,crlf,methods,backup,htaccess"
# Paths the signed-in scan must not follow: they end the session it scans with.
CUSTOMER_EXCLUDED = ("/en/accounts/logout/", "/en/account/close/")
# Findings examined and explained in docs/security.md ("Security scan") that wapiti 3.0.4
# reports on every run. Each is matched narrowly, listed apart, and does not fail the run;
# anything else wapiti calls a vulnerability does.
EXPLAINED = [
    {
        "category": "Cross Site Request Forgery",
        "info": "Lack of anti CSRF token",
        "request_contains": "csrfmiddlewaretoken=",
        "why": "Django's token field, csrfmiddlewaretoken, is not among the names wapiti "
        "knows; tests/test_site.py proves these forms refuse a forged token",
    },
    {
        "category": "HTTP Secure Headers",
        "info": "X-XSS-Protection is not set",
        "request_contains": "",
        "why": "the shop sends X-XSS-Protection: 0 on purpose (offtek/middleware.py); "
        "wapiti 3.0.4 accepts only a value with a 1 in it",
    },
]
# wapiti 3.0.4 builds its -x patterns as `...\Z(?ms)`, which Python 3.11 refuses (global
# flags must come first), so any -x crashes it. This starts wapiti with the same pattern
# builder, flags first; nothing else in wapiti changes.
WAPITI = """
import re, sys
from wapitiCore.net import crawler
def wildcard_translate(pattern):
    return re.compile("(?ms)" + ".*".join(map(re.escape, pattern.split("*"))) + r"\\Z")
crawler.wildcard_translate = wildcard_translate
from wapitiCore.main.wapiti import wapiti_main

sys.argv[0] = "wapiti"
sys.exit(wapiti_main())
"""


def manage(args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def certificate_make(workdir):
    """A self-signed certificate for 127.0.0.1, valid for the length of the scan."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def customer_create(env):
    """A customer who can sign in: a password and a verified e-mail address."""
    os.environ.update(env)
    import django

    django.setup()
    from allauth.account.models import EmailAddress

    from privacy.models import User

    user = User.objects.create_user(CUSTOMER_EMAIL, CUSTOMER_PASSWORD, language="en")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def wapiti_python():
    """The Python that runs the installed wapiti (the one on its first line)."""
    first_line = Path(shutil.which("wapiti")).read_text().splitlines()[0]
    return first_line.removeprefix("#!").strip()


def wapiti_run(name, base_url, workdir, options, extra):
    """One wapiti scan; returns its JSON report as a dict."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    common = [
        wapiti_python(),
        "-c",
        WAPITI,
        "-u",
        f"{base_url}/en/",
        "--scope",
        "folder",
        "-m",
        MODULES,
        "--max-scan-time",
        str(options.scan_seconds),
        "--max-attack-time",
        str(options.attack_seconds),
        "--flush-session",
        "--store-session",
        str(workdir / f"wapiti-{name}"),
        "--store-config",
        str(workdir / f"wapiti-config-{name}"),
        "--no-bugreport",
        "-v",
        "1",
        *extra,
    ]
    log = REPORTS / f"{name}.log"
    print(f"\n== wapiti scan: {name} (log: {log.relative_to(ROOT)}) ==", flush=True)
    with log.open("w") as output:
        subprocess.run(
            [*common, "-f", "json", "-o", str(REPORTS / f"{name}.json")],
            stdout=output,
            stderr=subprocess.STDOUT,
            check=True,
        )
    text = log.read_text()
    if extra and "Login success" not in text:
        raise RuntimeError(f"wapiti could not sign in as the customer; see {log}")
    report = json.loads((REPORTS / f"{name}.json").read_text())
    # The methods module prints what it finds but leaves it out of the report.
    report["logged_only"] = [line for line in text.splitlines() if line.startswith("Interesting")]
    (REPORTS / f"{name}.txt").write_text(report_text(name, report))
    return report


def explanation(category, item):
    """Why a reported vulnerability is a known false positive, or None."""
    for known in EXPLAINED:
        if (
            category == known["category"]
            and item.get("info") == known["info"]
            and known["request_contains"] in item.get("http_request", "")
        ):
            return known["why"]
    return None


def unexplained_count(report):
    return sum(
        explanation(category, item) is None
        for category, items in report["vulnerabilities"].items()
        for item in items
    )


def report_text(name, report):
    """The findings of one report, one line each, grouped as wapiti groups them."""
    lines = [f"Scan: {name}", f"Target: {report['infos'].get('target')}", ""]
    for section in ("vulnerabilities", "anomalies", "additionals"):
        found = {category: items for category, items in report[section].items() if items}
        total = sum(len(items) for items in found.values())
        lines.append(f"{section}: {total}")
        for category, items in found.items():
            lines.append(f"  {category}: {len(items)}")
            for item in items:
                where = f"{item.get('method', '')} {item.get('path', '')}".strip()
                parameter = f" [{item['parameter']}]" if item.get("parameter") else ""
                lines.append(f"    - {where}{parameter}: {item.get('info', '')}")
                why = explanation(category, item) if section == "vulnerabilities" else None
                if why:
                    lines.append(f"      explained (not counted): {why}")
        lines.append("")
    lines.append(f"in wapiti's log only: {len(report['logged_only'])}")
    lines.extend(f"  - {line}" for line in report["logged_only"])
    lines.append("")
    lines.append(f"vulnerabilities not explained: {unexplained_count(report)}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--systems", type=int, default=100)
    parser.add_argument("--scan-seconds", type=int, default=90, help="crawl, per scan")
    parser.add_argument("--attack-seconds", type=int, default=20, help="per attack module")
    parser.add_argument("--skip-customer", action="store_true", help="anonymous scan only")
    options = parser.parse_args()
    if not shutil.which("wapiti"):
        print("wapiti is not installed: apt-get install wapiti", file=sys.stderr)
        return 2

    # A termination request (timeout, kill) ends the run through the finally below, so
    # the server stops with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="offtek-scan-"))
    port = free_port()
    base_url = f"https://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CRYPTOGRAPHY_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'scan.sqlite3'}",
        "EMAIL_URL": "dummymail://",
        "PAYMENT_GATEWAY": "simulator",
        "OFFTEK_TEST_SHOP": "true",  # production settings, but a shop that takes no money
        "BENCH_STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",  # refused requests and errors, in server.log
    }
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
        env.pop(name, None)
    server = None
    reports = {}
    try:
        manage(["migrate", "--no-input", "-v", "0"], env)
        manage(["createcachetable", "-v", "0"], env)
        manage(["collectstatic", "--no-input", "-v", "0"], env)
        manage(
            ["load_demo_catalog", "--modules", str(options.modules)]
            + ["--systems", str(options.systems), "--seed", "1"],
            env,
        )
        customer_create(env)
        cert, key = certificate_make(workdir)
        REPORTS.mkdir(parents=True, exist_ok=True)
        server = Gunicorn(env, port=port, log=REPORTS / "server.log", https=(cert, key))
        server.start()
        print(f"Shop served at {base_url} (production settings, self-signed certificate)")
        reports["anonymous"] = wapiti_run("anonymous", base_url, workdir, options, [])
        if not options.skip_customer:
            # The anonymous scan's attacks on the sign-in form trip its rate limit (10
            # failed sign-ins a minute from one address): let it clear first.
            print(f"Waiting {LOGIN_RATE_WINDOW} s for the sign-in rate limit to clear")
            time.sleep(LOGIN_RATE_WINDOW)
            customer = [
                "--auth-type",
                "post",
                "-a",
                f"{CUSTOMER_EMAIL}%{CUSTOMER_PASSWORD}",
                "-s",
                f"{base_url}/en/accounts/login/",
            ]
            for path in CUSTOMER_EXCLUDED:
                customer += ["-x", f"{base_url}{path}"]
            reports["customer"] = wapiti_run("customer", base_url, workdir, options, customer)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    vulnerabilities = 0
    for name, report in reports.items():
        print()
        print(report_text(name, report))
        vulnerabilities += unexplained_count(report)
    server_errors = (REPORTS / "server.log").read_text().count("Internal Server Error")
    print(f"Server errors (500) logged by the shop during the scans: {server_errors}")
    print(f"Reports: {REPORTS.relative_to(ROOT)}/ (the shop's own log: server.log)")
    print(f"Vulnerabilities not explained as false positives: {vulnerabilities}")
    return 1 if vulnerabilities else 0


if __name__ == "__main__":
    sys.exit(main())
