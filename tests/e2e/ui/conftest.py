"""A served installation and one Chromium per test module; each module brings its own
``installation`` (users and invoices) and its own page size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.installation import Installation, running_server
from tests.e2e.ui.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def server_url(
    installation: Installation, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log = tmp_path_factory.mktemp("logs") / "serve.log"
    with running_server(installation, log) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()
