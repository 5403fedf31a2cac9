"""Reading Factur-X / ZUGFeRD CII invoices, standalone and embedded in a hybrid PDF."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import facturx
import pypdfium2 as pdfium
import pytest

from nex_automat.domain.model import (
    DocumentType,
    Party,
)
from nex_automat.errors import UnsupportedFormat, XmlEntitiesRefused
from nex_automat.formats.attachments import find_structured_attachment
from nex_automat.formats.cii import read_cii, read_cii_stated_totals
from nex_automat.formats.en16931 import check_en16931
from tests.formats.as_carried import as_cii_carries
from tests.formats.invoices import slovak_invoice

NAMESPACES = (
    'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
    'xmlns:ram="urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100" '
    'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" '
    'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"'
)


def tax(category: str, rate: str) -> str:
    return (
        f"<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{category}</ram:CategoryCode>"
        f"<ram:RateApplicablePercent>{rate}</ram:RateApplicablePercent>"
    )


def registration(scheme: str, value: str) -> str:
    return (
        f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="{scheme}">{value}</ram:ID>'
        "</ram:SpecifiedTaxRegistration>"
    )


def scheme_id(scheme: str, value: str) -> str:
    return f'<ram:ID schemeID="{scheme}">{value}</ram:ID>'


def endpoint(scheme: str, value: str) -> str:
    return f'<ram:URIID schemeID="{scheme}">{value}</ram:URIID>'


def day(value: str) -> str:
    return f'<udt:DateTimeString format="102">{value}</udt:DateTimeString>'


EN16931_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice {NAMESPACES}>
 <rsm:ExchangedDocumentContext>
  <ram:GuidelineSpecifiedDocumentContextParameter>
   <ram:ID>urn:cen.eu:en16931:2017</ram:ID>
  </ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument>
  <ram:ID>2026000123</ram:ID>
  <ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime>{day("20260302")}</ram:IssueDateTime>
  <ram:IncludedNote><ram:Content>Tovar zostáva majetkom dodávateľa.</ram:Content></ram:IncludedNote>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct>
    <ram:GlobalID schemeID="0160">8586000000019</ram:GlobalID>
    <ram:SellerAssignedID>CEM-0025</ram:SellerAssignedID>
    <ram:Name>Cement CEM II/B-M 32,5 R 25 kg</ram:Name>
   </ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement>
    <ram:NetPriceProductTradePrice><ram:ChargeAmount>5.20</ram:ChargeAmount></ram:NetPriceProductTradePrice>
   </ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery>
    <ram:BilledQuantity unitCode="H87">40</ram:BilledQuantity>
   </ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement>
    <ram:ApplicableTradeTax>{tax("S", "23")}</ram:ApplicableTradeTax>
    <ram:SpecifiedTradeAllowanceCharge>
     <ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>
     <ram:CalculationPercent>5</ram:CalculationPercent>
     <ram:BasisAmount>208.00</ram:BasisAmount>
     <ram:ActualAmount>10.40</ram:ActualAmount>
    </ram:SpecifiedTradeAllowanceCharge>
    <ram:SpecifiedTradeSettlementLineMonetarySummation>
     <ram:LineTotalAmount>197.60</ram:LineTotalAmount>
    </ram:SpecifiedTradeSettlementLineMonetarySummation>
   </ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:AssociatedDocumentLineDocument><ram:LineID>2</ram:LineID></ram:AssociatedDocumentLineDocument>
   <ram:SpecifiedTradeProduct><ram:Name>Piesok 0-4 mm</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeAgreement>
    <ram:NetPriceProductTradePrice>
     <ram:ChargeAmount>1840</ram:ChargeAmount>
     <ram:BasisQuantity unitCode="TNE">100</ram:BasisQuantity>
    </ram:NetPriceProductTradePrice>
   </ram:SpecifiedLineTradeAgreement>
   <ram:SpecifiedLineTradeDelivery>
    <ram:BilledQuantity unitCode="TNE">2.5</ram:BilledQuantity>
   </ram:SpecifiedLineTradeDelivery>
   <ram:SpecifiedLineTradeSettlement>
    <ram:ApplicableTradeTax>{tax("S", "23")}</ram:ApplicableTradeTax>
    <ram:SpecifiedTradeSettlementLineMonetarySummation>
     <ram:LineTotalAmount>46.00</ram:LineTotalAmount>
    </ram:SpecifiedTradeSettlementLineMonetarySummation>
   </ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:BuyerReference>Sklad Senec</ram:BuyerReference>
   <ram:SellerTradeParty>
    <ram:Name>Stavebniny Horák s.r.o.</ram:Name>
    <ram:SpecifiedLegalOrganization><ram:ID>35123456</ram:ID></ram:SpecifiedLegalOrganization>
    <ram:PostalTradeAddress>
     <ram:PostcodeCode>917 01</ram:PostcodeCode>
     <ram:LineOne>Hlavná 12</ram:LineOne>
     <ram:CityName>Trnava</ram:CityName>
     <ram:CountryID>SK</ram:CountryID>
    </ram:PostalTradeAddress>
    {registration("VA", "SK2020123457")}
    {registration("FC", "2020123457")}
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty>
    <ram:Name>Stavby Novák s.r.o.</ram:Name>
    <ram:SpecifiedLegalOrganization>{scheme_id("0158", "46123455")}</ram:SpecifiedLegalOrganization>
    <ram:PostalTradeAddress>
     <ram:PostcodeCode>903 01</ram:PostcodeCode>
     <ram:LineOne>Mlynská 3</ram:LineOne>
     <ram:CityName>Senec</ram:CityName>
     <ram:CountryID>SK</ram:CountryID>
    </ram:PostalTradeAddress>
    <ram:URIUniversalCommunication>{endpoint("0245", "2023456781")}</ram:URIUniversalCommunication>
    {registration("VA", "SK2023456781")}
   </ram:BuyerTradeParty>
   <ram:BuyerOrderReferencedDocument>
    <ram:IssuerAssignedID>OBJ-2026-0042</ram:IssuerAssignedID>
   </ram:BuyerOrderReferencedDocument>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery>
   <ram:ActualDeliverySupplyChainEvent>
    <ram:OccurrenceDateTime>{day("20260301")}</ram:OccurrenceDateTime>
   </ram:ActualDeliverySupplyChainEvent>
  </ram:ApplicableHeaderTradeDelivery>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:PaymentReference>2026000123</ram:PaymentReference>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementPaymentMeans>
    <ram:TypeCode>58</ram:TypeCode>
    <ram:PayeePartyCreditorFinancialAccount>
     <ram:IBANID>SK31 1200 0000 1987 4263 7541</ram:IBANID>
    </ram:PayeePartyCreditorFinancialAccount>
    <ram:PayeeSpecifiedCreditorFinancialInstitution>
     <ram:BICID>TATRSKBX</ram:BICID>
    </ram:PayeeSpecifiedCreditorFinancialInstitution>
   </ram:SpecifiedTradeSettlementPaymentMeans>
   <ram:ApplicableTradeTax>
    <ram:CalculatedAmount>60.63</ram:CalculatedAmount>
    <ram:TypeCode>VAT</ram:TypeCode>
    <ram:BasisAmount>263.60</ram:BasisAmount>
    <ram:CategoryCode>S</ram:CategoryCode>
    <ram:RateApplicablePercent>23</ram:RateApplicablePercent>
   </ram:ApplicableTradeTax>
   <ram:SpecifiedTradeAllowanceCharge>
    <ram:ChargeIndicator><udt:Indicator>true</udt:Indicator></ram:ChargeIndicator>
    <ram:ActualAmount>20.00</ram:ActualAmount>
    <ram:Reason>Doprava</ram:Reason>
    <ram:CategoryTradeTax>{tax("S", "23")}</ram:CategoryTradeTax>
   </ram:SpecifiedTradeAllowanceCharge>
   <ram:SpecifiedTradePaymentTerms>
    <ram:DueDateDateTime>{day("20260316")}</ram:DueDateDateTime>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:LineTotalAmount>243.60</ram:LineTotalAmount>
    <ram:ChargeTotalAmount>20.00</ram:ChargeTotalAmount>
    <ram:TaxBasisTotalAmount>263.60</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">60.63</ram:TaxTotalAmount>
    <ram:RoundingAmount>0.02</ram:RoundingAmount>
    <ram:GrandTotalAmount>324.23</ram:GrandTotalAmount>
    <ram:DuePayableAmount>324.25</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()

EXPECTED = as_cii_carries(slovak_invoice(note="Tovar zostáva majetkom dodávateľa."))
"""The invoice EN16931_XML states: the shared Slovak invoice, as CII carries it."""


MINIMUM_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice {NAMESPACES}>
 <rsm:ExchangedDocumentContext>
  <ram:GuidelineSpecifiedDocumentContextParameter>
   <ram:ID>urn:factur-x.eu:1p0:minimum</ram:ID>
  </ram:GuidelineSpecifiedDocumentContextParameter>
 </rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument>
  <ram:ID>D-2026-77</ram:ID>
  <ram:TypeCode>381</ram:TypeCode>
  <ram:IssueDateTime>{day("20260410")}</ram:IssueDateTime>
 </rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement>
   <ram:SellerTradeParty>
    <ram:Name>Dodávateľ s.r.o.</ram:Name>
    <ram:PostalTradeAddress><ram:CountryID>CZ</ram:CountryID></ram:PostalTradeAddress>
    {registration("VA", "CZ12345679")}
   </ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Odberateľ a.s.</ram:Name></ram:BuyerTradeParty>
  </ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>CZK</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>1000.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="CZK">210.00</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>1210.00</ram:GrandTotalAmount>
    <ram:DuePayableAmount>1210.00</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def blank_pdf() -> bytes:
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def facturx_pdf(xml: bytes) -> bytes:
    """A hybrid PDF as Factur-X producers make it; the package checks the XML's schema."""
    return facturx.generate_from_binary(blank_pdf(), xml, check_xsd=True)


def test_en16931_profile_is_read_completely() -> None:
    assert read_cii(EN16931_XML) == EXPECTED


def test_en16931_fixture_is_arithmetically_clean() -> None:
    assert check_en16931(read_cii(EN16931_XML), read_cii_stated_totals(EN16931_XML)) == []


def test_stated_line_total_that_disagrees_with_the_lines_breaks_br_co_10() -> None:
    xml = EN16931_XML.replace(
        b"<ram:LineTotalAmount>243.60</ram:LineTotalAmount>",
        b"<ram:LineTotalAmount>243.61</ram:LineTotalAmount>",
    )
    violations = check_en16931(read_cii(xml), read_cii_stated_totals(xml))
    assert [v.rule_id for v in violations] == ["BR-CO-10", "BR-CO-13"]


def test_facturx_pdf_gives_back_its_xml_and_the_same_invoice() -> None:
    found = find_structured_attachment(facturx_pdf(EN16931_XML))
    assert found is not None
    assert found[0] == "cii"
    assert read_cii(found[1]) == EXPECTED


def test_credit_note_stated_positive_reads_negative_as_printed() -> None:
    """EN 16931 states a 381 credit note positive; the domain keeps it negative."""
    xml = EN16931_XML.replace(b"<ram:TypeCode>380<", b"<ram:TypeCode>381<")
    invoice = read_cii(xml)
    assert invoice.document_type is DocumentType.CREDIT_NOTE
    assert (invoice.total_net, invoice.total_gross, invoice.amount_due) == (
        Decimal("-263.60"),
        Decimal("-324.23"),
        Decimal("-324.25"),
    )
    assert [line.quantity for line in invoice.lines] == [Decimal(-40), Decimal("-2.5")]
    assert [line.unit_price for line in invoice.lines] == [Decimal("5.20"), Decimal("18.40")]
    assert invoice.allowances_charges[0].amount == Decimal("-20.00")
    assert read_cii_stated_totals(xml).line_total == Decimal("-243.60")
    assert check_en16931(invoice, read_cii_stated_totals(xml)) == []


def test_minimum_profile_leaves_what_it_lacks_empty() -> None:
    invoice = read_cii(MINIMUM_XML)
    assert invoice.document_type is DocumentType.CREDIT_NOTE
    assert invoice.number == "D-2026-77"
    assert invoice.issue_date == date(2026, 4, 10)
    assert (invoice.total_net, invoice.total_vat, invoice.total_gross, invoice.amount_due) == (
        Decimal("-1000.00"),
        Decimal("-210.00"),
        Decimal("-1210.00"),
        Decimal("-1210.00"),
    )
    assert invoice.supplier == Party(name="Dodávateľ s.r.o.", vat_id="CZ12345679", country="CZ")
    assert invoice.customer == Party(name="Odberateľ a.s.")
    assert invoice.lines == []
    assert invoice.vat_breakdown == []
    assert (invoice.due_date, invoice.tax_point_date, invoice.variable_symbol) == (None, None, None)


def test_month_dates_are_not_taken_for_days() -> None:
    xml = EN16931_XML.replace(
        b'<udt:DateTimeString format="102">20260316</udt:DateTimeString>',
        b'<udt:DateTimeString format="610">202603</udt:DateTimeString>',
    )
    assert read_cii(xml).due_date is None


def test_cii_with_entities_is_refused() -> None:
    xml = EN16931_XML.replace(
        b"<rsm:CrossIndustryInvoice ",
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<rsm:CrossIndustryInvoice ',
        1,
    )
    with pytest.raises(XmlEntitiesRefused):
        read_cii(xml)


def test_ubl_is_not_taken_for_cii() -> None:
    ubl = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    with pytest.raises(UnsupportedFormat):
        read_cii(ubl)
