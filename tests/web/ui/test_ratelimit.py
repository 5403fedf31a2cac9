"""Failed sign-ins are limited per username and per client address."""

from __future__ import annotations

from nex_automat.web.ui.ratelimit import MemoryLoginLimiter, address_key, username_key
from tests.web.ui.conftest import Workspace


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_failures_in_five_minutes_block_until_the_oldest_expires() -> None:
    clock = Clock()
    limiter = MemoryLoginLimiter(max_failures=5, window_seconds=300, clock=clock)
    for _ in range(4):
        limiter.record_failure(["user:eva"])
        clock.now += 10
    assert limiter.retry_after(["user:eva"]) is None
    limiter.record_failure(["user:eva"])
    assert limiter.retry_after(["user:eva"]) == 300 - 40
    clock.now += 261
    assert limiter.retry_after(["user:eva"]) is None


def test_failures_outside_the_window_do_not_count() -> None:
    clock = Clock()
    limiter = MemoryLoginLimiter(max_failures=2, window_seconds=60, clock=clock)
    limiter.record_failure(["ip:10.0.0.1"])
    clock.now += 61
    limiter.record_failure(["ip:10.0.0.1"])
    assert limiter.retry_after(["ip:10.0.0.1"]) is None


def test_reset_forgets_one_key_only() -> None:
    limiter = MemoryLoginLimiter(max_failures=1)
    limiter.record_failure([username_key("Eva"), address_key("10.0.0.1")])
    limiter.reset(username_key("eva"))
    assert limiter.retry_after([username_key("eva")]) is None
    assert limiter.retry_after([address_key("10.0.0.1")]) is not None


def test_a_username_tried_too_often_is_refused_even_with_its_password(
    workspace: Workspace,
) -> None:
    workspace.add_user("eva")
    for _ in range(5):
        assert workspace.browser().sign_in("eva", "guess").status_code == 401
    blocked = workspace.browser().sign_in("eva")
    assert blocked.status_code == 429
    assert "Príliš veľa neúspešných pokusov. Skúste to znova o 5 min." in blocked.text
    assert 290 <= int(blocked.headers["Retry-After"]) <= 300


def test_one_address_trying_many_usernames_is_refused(workspace: Workspace) -> None:
    workspace.add_user("eva")
    for name in ("a1", "a2", "a3", "a4", "a5"):
        assert workspace.browser().sign_in(name, "guess").status_code == 401
    assert workspace.browser().sign_in("eva").status_code == 429


def test_a_successful_sign_in_clears_the_usernames_failures(workspace: Workspace) -> None:
    workspace.add_user("eva")
    state = workspace.app.state.ui
    state.limiter = MemoryLoginLimiter(max_failures=3)
    browser = workspace.browser()
    for _ in range(2):
        browser.sign_in("eva", "guess")
    assert browser.sign_in("eva").status_code == 303
    assert state.limiter.retry_after([username_key("eva")]) is None
