"""`manage.py check --deploy --fail-level WARNING` passes in production, and would fail
if a production setting slipped."""

from tests.security.production import manage, production_env

CHECK = ("check", "--deploy", "--fail-level", "WARNING")


def test_deploy_check_is_clean_in_production():
    result = manage(*CHECK, env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_notices_that_no_proxy_is_trusted():
    """Behind the TLS proxy, a count of 0 makes every customer the proxy's network."""
    result = manage(*CHECK, env=production_env(DJANGO_TRUSTED_PROXY_COUNT="0"))
    assert result.returncode != 0
    assert "shop.W002" in result.stderr + result.stdout


def test_deploy_check_notices_a_missing_https_redirect():
    """The control: the same check, with the HTTPS redirect turned off, fails."""
    result = manage(*CHECK, env=production_env(DJANGO_SECURE_SSL_REDIRECT="false"))
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
