"""Each API key's requests are paced by a token bucket; beyond it, 429 with Retry-After.
The rate and burst are the installation's, or the key's tenant's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nex_automat.ops.config import ConfigError, TenantSettings, load_settings
from nex_automat.pipeline.services import Services
from nex_automat.web.app import create_app
from nex_automat.web.rate_limits import ApiRateLimits, TokenBuckets
from tests.web.conftest import Api, _tenant_key
from tests.web.ui.test_ratelimit import Clock


def test_a_burst_is_granted_then_requests_are_paced_at_the_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=60, burst=3, clock=clock)
    assert [buckets.take("k") for _ in range(3)] == [None, None, None]
    assert buckets.take("k") == pytest.approx(1.0)
    clock.now += 0.5
    assert buckets.take("k") == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.take("k") is None
    assert buckets.take("k") == pytest.approx(1.0)


def test_an_idle_key_refills_only_up_to_its_burst() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=600, burst=2, clock=clock)
    buckets.take("k")
    clock.now += 3600
    assert [buckets.take("k") for _ in range(3)][:2] == [None, None]
    assert buckets.take("k") is not None


def test_keys_have_buckets_of_their_own() -> None:
    buckets = TokenBuckets(per_minute=1, burst=1, clock=Clock())
    assert buckets.take("a") is None
    assert buckets.take("a") is not None
    assert buckets.take("b") is None


def test_rates_come_from_the_settings_and_must_be_positive(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, api_requests_per_minute=30, api_burst=5)
    assert (settings.api_requests_per_minute, settings.api_burst) == (30, 5)
    with pytest.raises(ConfigError, match="api_burst"):
        load_settings(tmp_path, api_burst=0)


@pytest.fixture
def paced(services: Services) -> tuple[TestClient, Clock]:
    """The app with buckets of 3 requests refilled at one a second, on a clock of ours;
    acme's keys have buckets of 5 refilled at one every two seconds."""
    services.settings = services.settings.model_copy(
        update={
            "api_requests_per_minute": 60,
            "api_burst": 3,
            "tenants": {"acme": TenantSettings(api_requests_per_minute=30, api_burst=5)},
        }
    )
    app = create_app(services)
    clock = Clock()
    app.state.api_rate_limits = ApiRateLimits(services.settings, clock=clock)
    return TestClient(app), clock


def test_a_key_over_its_rate_gets_429_with_retry_after(
    services: Services, paced: tuple[TestClient, Clock]
) -> None:
    client, clock = paced
    api = Api(client, _tenant_key(services, "globex"), "globex")
    assert [api.get("/api/v1/invoices").status_code for _ in range(3)] == [200] * 3

    refused = api.get("/api/v1/invoices")

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert refused.json()["error"]["retry_after_seconds"] == 1
    clock.now += 1
    assert api.get("/api/v1/invoices").status_code == 200


def test_one_keys_flood_does_not_slow_another_key(
    services: Services, paced: tuple[TestClient, Clock]
) -> None:
    client, _ = paced
    acme = Api(client, _tenant_key(services, "acme"), "acme")
    globex = Api(client, _tenant_key(services, "globex"), "globex")
    for _ in range(6):
        acme.get("/api/v1/invoices")
    assert acme.get("/api/v1/invoices").status_code == 429
    assert globex.get("/api/v1/invoices").status_code == 200


def test_requests_without_a_valid_key_are_refused_before_taking_a_token(
    services: Services, paced: tuple[TestClient, Clock]
) -> None:
    client, _ = paced
    for _ in range(5):
        assert client.get("/api/v1/invoices", headers={"X-API-Key": "wrong"}).status_code == 401
    acme = Api(client, _tenant_key(services, "acme"), "acme")
    assert acme.get("/api/v1/invoices").status_code == 200


def test_a_tenants_keys_get_its_own_rate_and_burst(
    services: Services, paced: tuple[TestClient, Clock]
) -> None:
    client, clock = paced
    acme = Api(client, _tenant_key(services, "acme"), "acme")
    globex = Api(client, _tenant_key(services, "globex"), "globex")
    assert [acme.get("/api/v1/invoices").status_code for _ in range(6)] == [200] * 5 + [429]
    assert [globex.get("/api/v1/invoices").status_code for _ in range(4)] == [200] * 3 + [429]

    refused = acme.get("/api/v1/invoices")
    assert refused.headers["Retry-After"] == "2", "acme's rate: one request in two seconds"
    clock.now += 1
    assert acme.get("/api/v1/invoices").status_code == 429
    assert globex.get("/api/v1/invoices").status_code == 200
    clock.now += 1
    assert acme.get("/api/v1/invoices").status_code == 200


def test_the_app_takes_each_tenants_limits_from_the_settings(
    services: Services, tmp_path: Path
) -> None:
    services.settings = load_settings(
        tmp_path / "limits",
        database_url=services.settings.database_url,
        api_burst=50,
        tenants={"acme": {"api_requests_per_minute": 1, "api_burst": 2}},
    )
    client = TestClient(create_app(services))
    acme = Api(client, _tenant_key(services, "acme"), "acme")
    assert [acme.get("/api/v1/invoices").status_code for _ in range(3)] == [200, 200, 429]
