"""One JSON-over-HTTPS request to a provider (text messages, review invitations).

POST the payload as JSON with `Authorization: Bearer <token>` and the item's own
`Idempotency-Key` (the same on every attempt, so a provider takes an item once); a 2xx
answer with `{"id": "..."}` means accepted. Anything else raises `ProviderRefused`:
`transient` when another try may succeed (unreachable, slow, busy: 408, 429, 5xx), not
when the provider refused this item for good (another 4xx). The error's text never
holds the payload."""

import json
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 10
LOCAL_ADDRESSES = ("http://127.0.0.1", "http://localhost")


class ProviderRefused(Exception):
    def __init__(self, message: str, *, transient: bool = True):
        super().__init__(message)
        self.transient = transient


def provider_post(*, url: str, token: str, payload: dict, key: str = "", setting: str) -> str:
    """The provider's id for the item `payload` describes; `setting` names the URL's
    variable in errors."""
    if not url.startswith(("https://", *LOCAL_ADDRESSES)):
        raise ProviderRefused(f"{setting} must be an https:// address")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(payload).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            **({"Idempotency-Key": key} if key else {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        transient = error.code in (408, 429) or error.code >= 500
        answer = f"provider answered HTTP {error.code}"
        raise ProviderRefused(answer, transient=transient) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ProviderRefused(f"provider unreachable: {error}") from error
    except ValueError as error:
        raise ProviderRefused("provider answered something that is not JSON") from error
    reference = str(answer.get("id", "")) if isinstance(answer, dict) else ""
    if not reference:
        raise ProviderRefused("provider gave no id")
    return reference[:100]
