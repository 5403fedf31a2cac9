"""One module per real-world invoice look; each declares its options and draws its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from nex_automat.domain.model import Invoice

from ..plan import Plan, Profile
from ..truth import Decor
from . import (
    abra_cz,
    flexi_cz,
    helios_cz,
    ikros_sk,
    money_cz,
    mrp_sk,
    omega_sk,
    pohoda_sk,
    sap_print,
    wholesale_sk,
    word_shop,
)

Renderer = Callable[[Invoice, Plan, Decor, Random], bytes]


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    profile: Profile
    render: Renderer


REGISTRY: dict[str, Family] = {
    module.NAME: Family(module.NAME, module.PROFILE, module.render)
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
    )
}

HELD_OUT: dict[str, Family] = {
    module.NAME: Family(module.NAME, module.PROFILE, module.render)
    for module in (helios_cz, wholesale_sk)
}
"""Looks kept out of the accuracy suite: the extractor was never tuned on them."""
