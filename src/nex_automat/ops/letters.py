"""Letters rendered from templates: a subject, a plain-text part and an HTML part.

Templates live in ``mail_templates/`` as ``<name>.txt`` and ``<name>.html``. HTML is
autoescaped, so every value put in it (supplier names, filenames, error messages, all of
which come from outside) is shown as text, never run as markup; the plain-text part is
not HTML and is left as written. Strings come from the workspace's catalogues
(:mod:`nex_automat.web.ui.i18n`) in the language the notifications are configured for,
or the tenant's own when the letter is about one tenant.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from nex_automat.ops.config import NotificationSettings
from nex_automat.ops.mail import Letter
from nex_automat.web.ui.i18n import Locale

SUBJECT_PREFIX = "[NEX Automat]"

_templates = Environment(
    loader=PackageLoader("nex_automat.ops", "mail_templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def installation_name(settings: NotificationSettings) -> str:
    """The host people open the installation at: which of several installations wrote."""
    return urlsplit(settings.base_url).netloc


def write_letter(
    settings: NotificationSettings,
    template: str,
    subject: str,
    *,
    language: str | None = None,
    **values: Any,
) -> Letter:
    """Render ``template`` in ``language`` (a tenant's, for a letter about one tenant) or
    else the configured one; ``subject`` gets the usual prefix."""
    context = {
        "l": Locale(language or settings.language),
        "base_url": settings.base_url,
        "installation": installation_name(settings),
        "subject": subject,
        **values,
    }
    return Letter(
        subject=f"{SUBJECT_PREFIX} {subject}",
        text=_templates.get_template(f"{template}.txt").render(context),
        html=_templates.get_template(f"{template}.html").render(context),
    )


def trial_letter(settings: NotificationSettings) -> Letter:
    """A short mail that shows the settings work and which server carried it."""
    locale = Locale(settings.language)
    server = f"{settings.smtp.host}:{settings.smtp.effective_port}"
    return write_letter(settings, "test", locale.t("mail.test.subject"), server=server)
