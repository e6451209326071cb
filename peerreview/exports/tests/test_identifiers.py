import pytest

from peerreview.exports.data import Finding
from peerreview.exports.identifiers import find_identifiers, nhs_number_is_valid, scan_report

from .conftest import make_data


def kinds(text):
    return [(f.kind, f.match) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her NHS number is 943 476 5919.", ("nhs_number", "943 476 5919")),
        ("NI number AB 12 34 56 C on file", ("national_insurance", "AB 12 34 56 C")),
        ("UPN A123456789012 was quoted", ("upn", "A123456789012")),
        ("DOB: 12/03/2015", ("date_of_birth", "DOB: 12/03/2015")),
        ("She was born on 4 May 2016.", ("date_of_birth", "born on 4 May 2016")),
        ("See case 12345 for details", ("case_reference", "case 12345")),
        ("Record LCS-123456 was audited", ("case_reference", "LCS-123456")),
        ("It was logged as ID: 1234567.", ("case_reference", "ID: 1234567")),
        ("The family moved to LS1 4AB last year", ("postcode", "LS1 4AB")),
        ("Email jo.bloggs@example.gov.uk today", ("email", "jo.bloggs@example.gov.uk")),
        ("Call 0113 222 3333 for help", ("phone", "0113 222 3333")),
        ("We spoke to Mrs Smith about the plan.", ("name", "Mrs Smith")),
        ("Managers said Sarah Jones leads the team.", ("name", "Sarah Jones")),
        ("The social worker Jenny described the plan.", ("name", "Jenny")),
        ("We read about a young person called Kai.", ("name", "Kai")),
    ],
)
def test_it_flags_identifiers(text, expected):
    assert expected in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Early Help Hub is well regarded by partners.",
        "Staff spoke warmly of the Head of Service.",
        "Children's Services and the Front Door work closely with Ofsted.",
        "Practitioners said Signs of Safety is embedded across Children’s Social Care.",
        "In 2023 the council opened 12 Family Hubs and 3 children's homes.",
        "The Director of Children’s Services meets the Lead Member weekly.",
        "The NHS number check was 9434765918 digits long.",
        "Our child in need plans were reviewed in March 2025.",
    ],
)
def test_it_leaves_ordinary_domain_language_alone(text):
    assert kinds(text) == []


def test_flags_say_what_they_look_like_and_what_to_do_instead():
    flag = find_identifiers("We met Mrs Smith.")[0]
    assert (flag.start, flag.end) == (7, 16)
    assert "looks like a person's name" in flag.message
    assert "staff group" in flag.message and "pseudonymous case reference" in flag.message


def test_nhs_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")


def test_scan_report_names_the_field_and_ignores_the_peer_team():
    data, _ = make_data()
    assert scan_report(data) == []
    bad = Finding("area", "Plans for child Tom were late", "See case 12345.", "K2")
    data, _ = make_data(findings=(*data.findings, bad))
    found = [(where, flag.kind) for where, flag in scan_report(data)]
    assert ("Finding 13 (K2) title", "name") in found
    assert ("Finding 13 (K2) detail", "case_reference") in found
