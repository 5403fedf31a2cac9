"""``nex-automat notify``: try the e-mail settings before relying on them.

Thin like ``cli.py``: it reads the settings, sends through :mod:`nex_automat.ops.mail`
and prints. ``notify test`` exits 0 when the server took the mail, 1 with the server's
answer when it did not, and 2 when the settings themselves are wrong or missing.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from nex_automat.cli_common import DataDir
from nex_automat.errors import NexError
from nex_automat.ops.config import is_email_address, load_settings
from nex_automat.ops.letters import trial_letter
from nex_automat.ops.mail import Mail, MailError, Postman

NOT_SENT = 1
INVALID_CONFIG = 2

err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
"""Messages quote servers and files: shown as they are, unwrapped, never read as markup."""
notify_app = typer.Typer(help="E-mail notifications.", no_args_is_help=True)


@notify_app.command("test")
def send_test(
    data_dir: DataDir = None,
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Send to this address instead (repeatable)."),
    ] = None,
) -> None:
    """Send a test mail to the configured recipients and say whether the server took it."""
    try:
        notifications = load_settings(data_dir).notifications
    except NexError as exc:
        err.print(f"{exc.code}: {exc.message}")
        raise typer.Exit(INVALID_CONFIG) from exc
    if notifications is None:
        err.print("no notifications: add a notifications section to the config file")
        raise typer.Exit(INVALID_CONFIG)
    smtp = notifications.smtp
    recipients = tuple(to or notifications.recipients)
    wrong = [address for address in recipients if not is_email_address(address)]
    if wrong:
        err.print(f"not an e-mail address: {', '.join(wrong)}")
        raise typer.Exit(INVALID_CONFIG)
    server = f"{smtp.host}:{smtp.effective_port} ({smtp.security})"
    try:
        Postman(smtp).deliver_one(Mail(recipients, trial_letter(notifications)))
    except MailError as exc:
        err.print(f"not sent through {server}")
        err.print(f"{exc.code}: {exc.message}")
        raise typer.Exit(NOT_SENT) from exc
    err.print(f"test mail sent to {', '.join(recipients)} through {server}")
