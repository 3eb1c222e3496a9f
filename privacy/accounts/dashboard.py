"""Sections of the account dashboard that other apps contribute.

Privacy never imports the apps that plug into it, so each app adds its own pages
(its customer's purchases, say) from a module its AppConfig.ready imports::

    dashboard.section_register(
        key="purchases", title=_("My purchases"), url_name="app:purchase-list", order=30
    )
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class DashboardSection:
    key: str
    title: object
    url_name: str
    description: object = ""
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_sections: dict[str, DashboardSection] = {}


def section_register(*, key: str, title, url_name: str, description="", order: int = 50):
    _sections[key] = DashboardSection(key, title, url_name, description, order)


_home: list[str] = []


def home_register(url_name: str) -> None:
    """The site's front page, where privacy pages send a visitor with nothing to show."""
    _home[:] = [url_name]


def home_url() -> str:
    if not _home:
        raise LookupError("No app registered the site's home page (dashboard.home_register).")
    return reverse(_home[0])


def sections() -> list[DashboardSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))
