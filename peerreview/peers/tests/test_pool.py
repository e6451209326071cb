"""The LGA-wide pool pages: import with a validation report (all or nothing), export, search, season, triads."""

import io
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from peerreview.core.models import AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, sign_in
from peerreview.peers import pool_io
from peerreview.peers.models import Conflict, PeerProfile, TeamRun

HEADER = "email,full_name,organisation,job_title,role,specialisms,region,trained_on,unavailable_weeks,reviews_this_year,yearly_cap,reviews_total,conflict_organisations,conflict_people,former_employers\n"
GOOD = (
    HEADER
    + "ann.lee@york.example,Ann Lee,york,Director,dcs,leadership;front_door,,2025-01-10,2027-W10,0,1,3,leeds,bob.ray@devon.example,kent:2022\n"
    + "bob.ray@devon.example,Bob Ray,devon,Service manager,operational_manager,child_protection,,,,,,0,,,\n"
)


def upload(client, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("peers:import"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def staff(world):
    return sign_in(world.lga_outsider)


def test_import_csv_creates_profiles_and_conflicts(staff):
    before = PeerProfile.objects.count()
    response = upload(staff, "pool.csv", GOOD.encode())
    assert response.status_code == 302
    assert PeerProfile.objects.count() == before + 2
    ann = PeerProfile.objects.get(email="ann.lee@york.example")
    assert ann.specialisms == ["leadership", "front_door"] and ann.region == "Yorkshire and the Humber"
    assert ann.unavailable_weeks == ["2027-W10"] and ann.former_employers == [["kent", 2022]]
    assert {c.kind for c in ann.conflicts.all()} == {Conflict.Kind.ORGANISATION, Conflict.Kind.PERSON}
    assert PeerProfile.objects.get(email="bob.ray@devon.example").yearly_cap == 1
    assert AuditEvent.objects.filter(verb="peers.pool_imported").exists()
    # Importing again updates rather than duplicates.
    upload(staff, "pool.csv", GOOD.replace("Ann Lee", "Ann Lee-Smith").encode())
    assert PeerProfile.objects.get(email="ann.lee@york.example").full_name == "Ann Lee-Smith"
    assert PeerProfile.objects.count() == before + 2


BAD_CASES = {
    "missing column": ("email,full_name,organisation\nx@y.example,X,york\n", 1, "the column 'role' is missing"),
    "unknown role": (GOOD.replace(",dcs,", ",director,"), 2, "'director' is not a role"),
    "unknown specialism": (
        GOOD.replace("leadership;front_door", "leadership;astrology"),
        2,
        "astrology not in the lines of enquiry library",
    ),
    "duplicate email": (GOOD + "ann.lee@york.example,Ann Again,york,,dcs,,,,,,,,,,\n", 4, "is also on line 2"),
    "malformed date": (GOOD.replace("2025-01-10", "10/01/2025"), 2, "is not a date; write it like 2026-03-09"),
    "unknown organisation": (GOOD.replace(",devon,", ",atlantis,"), 3, "not a known organisation code"),
    "bad week": (GOOD.replace("2027-W10", "week 10"), 2, "is not an ISO week"),
    "unknown person conflict": (
        GOOD.replace("bob.ray@devon.example,kent", "zed@nowhere.example,kent"),
        2,
        "is not in this file or the pool",
    ),
    "bad number": (GOOD.replace(",0,1,3,", ",0,one,3,"), 2, "'one' is not a whole number"),
}


@pytest.mark.parametrize("case", BAD_CASES, ids=list(BAD_CASES))
def test_a_bad_row_refuses_the_whole_file_with_line_and_fix(staff, case):
    text, line, message = BAD_CASES[case]
    before = PeerProfile.objects.count()
    response = upload(staff, "pool.csv", text.encode())
    assert response.status_code == 200
    assert error_messages(response)[0].startswith("The file was not imported because")
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html
    report, _ = pool_io.check("pool.csv", text.encode())
    assert any(p.line == line and message in p.message for p in report.problems), report.problems
    assert PeerProfile.objects.count() == before  # nothing saved, not even the good row
    assert not PeerProfile.objects.filter(email="bob.ray@devon.example").exists() or case == "unknown organisation"


def test_import_without_a_file_or_with_the_wrong_type(staff):
    assert error_messages(staff.post(reverse("peers:import"), {})) == ["Choose a CSV or XLSX file"]
    assert error_messages(upload(staff, "pool.txt", b"hello")) == ["The file must be a CSV or XLSX file"]
    response = upload(staff, "pool.xlsx", b"not a workbook")
    assert "cannot be read" in response.content.decode()


def test_csv_and_xlsx_round_trip(staff):
    upload(staff, "pool.csv", GOOD.encode())
    csv_bytes = staff.get(reverse("peers:export") + "?format=csv").content
    xlsx_bytes = staff.get(reverse("peers:export") + "?format=xlsx").content
    rows_before = {p.email: pool_io.profile_row(p) for p in PeerProfile.objects.all()}
    PeerProfile.objects.all().delete()
    assert upload(staff, "pool.csv", csv_bytes).status_code == 302
    assert {p.email: pool_io.profile_row(p) for p in PeerProfile.objects.all()} == rows_before
    PeerProfile.objects.all().delete()
    assert upload(staff, "pool.xlsx", xlsx_bytes).status_code == 302
    assert {p.email: pool_io.profile_row(p) for p in PeerProfile.objects.all()} == rows_before
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes))
    assert [c.value for c in wb.active[1]] == pool_io.COLUMNS


def test_pool_search_and_profile(staff, world):
    response = staff.get(reverse("peers:pool"), {"role": "case_auditor"})
    html = response.content.decode()
    assert "Nora Fox" in html and "Yvonne Dale" not in html
    html = staff.get(reverse("peers:pool"), {"specialism": "exploitation"}).content.decode()
    assert "Lance Shaw" in html and "Nora Fox" not in html
    html = staff.get(
        reverse("peers:profile", kwargs={"profile_id": world.extra["pool"]["dcs.york"].pk})
    ).content.decode()
    assert "Yvonne Dale" in html and "Vision, strategy and leadership" in html


def test_pool_is_lga_only(world):
    assert sign_in(world.members[Role.PEER]).get(reverse("peers:pool")).status_code == 404
    assert sign_in(world.members[Role.SPONSOR]).post(reverse("peers:import")).status_code == 404


def test_season_plans_every_upcoming_review_the_pcm_manages(world):
    from peerreview.reviews import actions as review_actions

    pcm = world.members[Role.PCM]
    pcm_client = sign_in(pcm)
    # Give the PCM a second review so the season has two.
    from peerreview.core.testing import make_review

    second = make_review(pcm=pcm, host_code="leeds", days_ahead=120)
    review_actions.choose_lines(second, by=pcm, question_codes=["front_door.thresholds"])
    page = pcm_client.get(reverse("peers:season"))
    assert "Planning the season, this can take up to" in page.content.decode()
    response = pcm_client.post(reverse("peers:season"), follow=True)
    html = unescape(response.content.decode())
    run = TeamRun.objects.get(kind="season")
    assert len(run.problem["reviews"]) == 2
    assert world.review.title in html and second.title in html
    assert "Unfilled" in html or run.result["unfilled"] == []
    # Leeds's own case auditor cannot review Leeds.
    leeds_team = run.result["teams"][f"r{second.pk}"]
    assert world.extra["pool"]["ca.leeds"].solver_id not in {a["peer_id"] for a in leeds_team}
    # One review each a year: nobody is in both teams.
    kent_team = {a["peer_id"] for a in run.result["teams"][f"r{world.review.pk}"]}
    both = kent_team & {a["peer_id"] for a in leeds_team}
    assert all(PeerProfile.objects.get(pk=int(p[1:])).yearly_cap > 1 for p in both)
    response = pcm_client.post(reverse("peers:season_apply"), {"run": run.pk})
    assert response.status_code == 302
    from peerreview.peers.models import TeamProposal

    for r in (world.review, second):
        team = {f"p{m.profile_id}" for m in TeamProposal.objects.get(review=r).team()}
        assert team == {a["peer_id"] for a in run.result["teams"][f"r{r.pk}"]}
    assert (
        world.lga_outsider
        and sign_in(world.lga_outsider).post(reverse("peers:season_apply"), {"run": run.pk}).status_code == 404
    )
    data = pcm_client.get(reverse("peers:season_problem"))
    assert data["Content-Type"] == "application/json"


def test_season_with_no_reviews_says_so(world):
    client = sign_in(world.lga_outsider)
    html = client.post(reverse("peers:season"), follow=True).content.decode()
    assert "There are no upcoming reviews to staff" in html


def test_triads_for_a_region(world):
    client = sign_in(world.lga_outsider)
    response = client.post(reverse("peers:triads"), {"region": "North East"})
    html = response.content.decode()
    assert response.status_code == 200 and "Review lead" in html
    assert html.count('<tr class="govuk-table__row">') >= 13  # header + a triad per North East council
    response = client.post(reverse("peers:triads"), {"region": ""})
    assert error_messages(response) == ["Choose the region"]
    response = client.post(reverse("peers:triads"), {"region": "North East", "last_year": "leeds, york, kent"})
    assert "is not a council in this region" in error_messages(response)[0]
