"""``nex-automat notify test`` as a user runs it, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.installation import environment_without_settings, run_cli
from tests.servers.smtp import SmtpServer, running_smtp


def configure(data_dir: Path, server: SmtpServer) -> dict[str, str]:
    """A config file whose notifications reach ``server``; the environment to run in."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(
        "notifications:\n"
        "  base_url: https://faktury.example.sk\n"
        "  recipients: [spravca@integrator.sk]\n"
        "  language: en\n"
        "  smtp:\n"
        f"    host: {server.host}\n"
        f"    port: {server.port}\n"
        f"    security: {server.security}\n"
        f"    user: {server.user}\n"
        f"    ca_file: {server.cert_file}\n"
        "    sender: nex@example.sk\n"
        "    timeout_seconds: 5\n",
        encoding="utf-8",
    )
    env = environment_without_settings()
    env["NEX_DATA_DIR"] = str(data_dir)
    env["NEX_NOTIFICATIONS__SMTP__PASSWORD"] = server.password or ""
    return env


def test_a_test_mail_goes_to_the_recipients_and_says_through_which_server(
    tmp_path: Path,
) -> None:
    with running_smtp(tmp_path / "smtp", "starttls", user="nex") as server:
        env = configure(tmp_path / "data", server)
        completed = run_cli("notify", "test", env=env)
        assert completed.returncode == 0, completed.stderr
        assert "test mail sent to spravca@integrator.sk through " in completed.stderr
        assert f"127.0.0.1:{server.port} (starttls)" in completed.stderr
        (mail,) = server.wait_for(1)
        assert mail.recipients == ("spravca@integrator.sk",)
        assert mail.message["Subject"] == "[NEX Automat] Test message from NEX Automat"
        assert f"through 127.0.0.1:{server.port}" in mail.part("plain")

        completed = run_cli("notify", "test", "--to", "eva@odberatel.sk", env=env)
        assert completed.returncode == 0, completed.stderr
        assert server.wait_for(2)[1].recipients == ("eva@odberatel.sk",)


def test_the_server_s_refusal_is_reported_without_the_password(tmp_path: Path) -> None:
    with running_smtp(tmp_path / "smtp", "starttls", user="nex") as server:
        env = configure(tmp_path / "data", server)
        env["NEX_NOTIFICATIONS__SMTP__PASSWORD"] = "not-the-password"
        completed = run_cli("notify", "test", env=env)
        assert completed.returncode == 1
        assert "smtp_failed:" in completed.stderr
        assert "refused the login of 'nex'" in completed.stderr
        assert "not-the-password" not in completed.stderr + completed.stdout
        assert server.messages == []


def test_an_unreachable_server_is_reported(tmp_path: Path) -> None:
    with running_smtp(tmp_path / "smtp", "starttls", user="nex") as server:
        env = configure(tmp_path / "data", server)
        server.stop()
        completed = run_cli("notify", "test", env=env)
    assert completed.returncode == 1
    assert f"not sent through 127.0.0.1:{server.port} (starttls)" in completed.stderr
    assert f"cannot connect to 127.0.0.1:{server.port}" in completed.stderr


def test_without_notifications_nothing_can_be_tested(tmp_path: Path) -> None:
    env = environment_without_settings()
    env["NEX_DATA_DIR"] = str(tmp_path / "data")
    completed = run_cli("notify", "test", env=env)
    assert completed.returncode == 2
    assert "add a notifications section" in completed.stderr
