"""One module per real-world invoice look; each declares its options and draws its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from types import ModuleType

from nex_automat.domain.model import Invoice

from ..plan import Plan, Profile
from ..truth import Decor
from . import (
    abra_cz,
    alfa_sk,
    flexi_cz,
    helios_cz,
    ikros_sk,
    money_cz,
    mrp_sk,
    omega_sk,
    pohoda_sk,
    sap_print,
    web_shop,
    wholesale_sk,
    word_shop,
)

Renderer = Callable[[Invoice, Plan, Decor, Random], bytes]
Adjuster = Callable[[Invoice, Plan, Random], None]
"""Reshapes the common truth where a look computes its money its own way (VAT from prices
with VAT, an advance deducted); runs before rendering so the page prints what it leaves."""


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    profile: Profile
    render: Renderer
    adjust: Adjuster | None = None


def _family(module: ModuleType) -> Family:
    return Family(module.NAME, module.PROFILE, module.render, getattr(module, "adjust", None))


REGISTRY: dict[str, Family] = {
    module.NAME: _family(module)
    for module in (
        pohoda_sk,
        money_cz,
        abra_cz,
        omega_sk,
        ikros_sk,
        sap_print,
        word_shop,
        flexi_cz,
        mrp_sk,
        helios_cz,
        wholesale_sk,
    )
}

HELD_OUT: dict[str, Family] = {module.NAME: _family(module) for module in (web_shop, alfa_sk)}
"""Looks kept out of the accuracy suite: the extractor was never tuned on them."""
