"""Namespaces and codes of UN/CEFACT CII D16B as Factur-X and ZUGFeRD 2 use them.

EN 16931's code lists (document types, units, EAS and ICD schemes) are the ones UBL
uses too; they live in :mod:`nex_automat.formats.ubl.codes`.
"""

from __future__ import annotations

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}

GUIDELINE_EN16931 = "urn:cen.eu:en16931:2017"
"""The Factur-X EN 16931 (COMFORT) profile's guideline id (BT-24)."""

VAT_REGISTRATION = "VA"
TAX_REGISTRATION = "FC"
DATE_FORMAT_DAY = "102"
VAT_TYPE = "VAT"
PAYMENT_CREDIT_TRANSFER = "30"
PAYMENT_NOT_DEFINED = "1"
