"""A real Dovecot IMAP server for tests, private to one test and gone when it ends.

Everything lives in one folder: the configuration, the maildirs, the state directory and
the log; only the runtime directory, which holds Unix sockets, is a short-named folder of
its own, since a socket's path may not be longer than 107 bytes and a test's folder can be
(pytest-xdist adds a level). The one user logs in with a random password. The server listens
on loopback only, on free ports: plain IMAP (which also offers STARTTLS) and IMAPS, both
with a self-signed certificate for ``127.0.0.1``. The system's Dovecot configuration is
not used (Debian ``dovecot-imapd`` need only be installed); the server runs as root with
Dovecot's own unprivileged users, or entirely as the current user.
:meth:`DovecotServer.stop` and :meth:`DovecotServer.start` take it away and bring it back
on the same ports with the same mail, for tests of an unreachable server.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 10.0

_CONFIG = """\
instance_name = nex-test-{instance}
base_dir = {run_dir}
state_dir = {root}/state
protocols = imap
listen = 127.0.0.1
log_path = {root}/dovecot.log
{identity}
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={home}
}}
service imap-login {{
  {login_chroot}
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
    ssl = yes
  }}
}}
"""

_AS_ROOT = """\
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = {uid}
mail_chroot = {root}/mail
valid_chroot_dirs = {root}/mail
"""
"""As root, Dovecot's own users run the processes, and mail processes are chrooted into the
mail folder: the test's temporary folder stays private to root, yet they reach their mail."""

_AS_USER = """\
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}
"""
"""Unprivileged, every process runs as the current user and nothing can chroot."""


class DovecotError(RuntimeError):
    """The test server did not start or stop; the message carries its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed_certificate(folder: Path) -> None:
    """A key and certificate for 127.0.0.1 in ``folder`` (cert.pem, key.pem) for TLS tests."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )


@dataclass
class DovecotServer:
    """One private server; ``host``/``port`` for plain and STARTTLS, ``ssl_port`` for IMAPS."""

    root: Path
    host: str
    port: int
    ssl_port: int
    user: str
    password: str
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def cert_file(self) -> Path:
        """The self-signed certificate; trust it with ``SSL_CERT_FILE``."""
        return self.root / "cert.pem"

    @property
    def log_file(self) -> Path:
        return self.root / "dovecot.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.running:
            return
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._wait_until_answering()

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Take the server away: TERM lets it close connections, KILL drops them."""
        process = self._process
        if process is None:
            return
        self._process = None
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT_SECONDS)
        self._kill_leftovers(process.pid)
        if process.stderr is not None:
            process.stderr.close()
        self._wait_until_closed()

    def _kill_leftovers(self, group: int) -> None:
        """Login and mail processes live in the master's process group; none may outlive it."""
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            return

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                stderr = self._process.stderr.read().decode() if self._process.stderr else ""
                self._process = None
                raise DovecotError(f"dovecot exited at start:\n{stderr}\n{self._log_text()}")
            if self._greets():
                return
            time.sleep(0.05)
        self.stop(signal.SIGKILL)
        raise DovecotError(f"dovecot did not answer within {START_TIMEOUT_SECONDS}s")

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as connection:
                return connection.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def _wait_until_closed(self) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.05)
        raise DovecotError("dovecot still answers after being stopped")

    def _log_text(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def connect(self, folder: str | None = "INBOX") -> MailBoxUnencrypted:
        """A logged-in client for arranging and inspecting mail; use it as a context manager."""
        return MailBoxUnencrypted(self.host, self.port, timeout=10).login(
            self.user, self.password, initial_folder=folder
        )

    def append(self, message: bytes, folder: str = "INBOX") -> None:
        with self.connect(folder=None) as mailbox:
            if not mailbox.folder.exists(folder):
                mailbox.folder.create(folder)
            mailbox.append(message, folder)

    def message_ids(self, folder: str) -> list[str]:
        """The Message-ID of each message in ``folder``; empty when the folder does not exist."""
        with self.connect(folder=None) as mailbox:
            if not mailbox.folder.exists(folder):
                return []
            mailbox.folder.set(folder)
            messages = mailbox.fetch(mark_seen=False, headers_only=True)
            return [message.headers.get("message-id", ("",))[0].strip() for message in messages]


def _write_config(
    root: Path, run_dir: Path, *, port: int, ssl_port: int, password: str, user: str
) -> None:
    for folder in ("state", "mail"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    home = root / "mail" / user
    home.mkdir(exist_ok=True)
    if os.getuid() == 0:
        entry = pwd.getpwnam("dovecot")
        for path in (root / "mail", home):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        identity = _AS_ROOT.format(root=root, uid=entry.pw_uid)
        mail_user, mail_group, home_in_config, login_chroot = "dovecot", "dovecot", f"/{user}", ""
    else:
        entry = pwd.getpwuid(os.getuid())
        mail_user, mail_group = entry.pw_name, grp.getgrgid(os.getgid()).gr_name
        identity = _AS_USER.format(
            user=mail_user, group=mail_group, uid=entry.pw_uid, gid=entry.pw_gid
        )
        home_in_config, login_chroot = str(home), "chroot ="
    (root / "dovecot.conf").write_text(
        _CONFIG.format(
            instance=secrets.token_hex(4),
            root=root,
            run_dir=run_dir,
            identity=identity,
            password=password,
            port=port,
            ssl_port=ssl_port,
            mail_user=mail_user,
            mail_group=mail_group,
            home=home_in_config,
            login_chroot=login_chroot,
        )
    )


@contextmanager
def running_dovecot(root: Path) -> Iterator[DovecotServer]:
    """Start a private Dovecot in ``root`` (created if missing) and stop it on exit."""
    root.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    self_signed_certificate(root)
    server = DovecotServer(
        root=root,
        host="127.0.0.1",
        port=free_port(),
        ssl_port=free_port(),
        user="nex",
        password=password,
    )
    run_dir = Path(tempfile.mkdtemp(prefix="nex-dovecot-"))
    try:
        _write_config(
            root,
            run_dir,
            port=server.port,
            ssl_port=server.ssl_port,
            password=password,
            user=server.user,
        )
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[DovecotServer]:
    """A running private Dovecot; see :func:`running_dovecot`."""
    with running_dovecot(tmp_path / "dovecot") as server:
        yield server
