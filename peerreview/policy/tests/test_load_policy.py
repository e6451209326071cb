"""Review types are versioned YAML loaded by `manage.py load_policy`; bad or changed-but-not-bumped files are refused."""

import datetime
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from peerreview.core.testing import make_review, make_user
from peerreview.policy.library import DATA, read_review_types
from peerreview.policy.models import ReviewType
from peerreview.reviews.actions import compute_key_dates

pytestmark = pytest.mark.django_db
TYPES = DATA / "review_types"


def _folder(tmp_path: Path, **edits) -> Path:
    """A copy of the real review types, with edits: {stem: function(data)}."""
    folder = tmp_path / "review_types"
    shutil.copytree(TYPES, folder)
    for stem, edit in edits.items():
        path = folder / f"{stem}.yaml"
        data = yaml.safe_load(path.read_text())
        edit(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def _load(folder=None) -> str:
    out = io.StringIO()
    call_command("load_policy", stdout=out, **({"folder": folder} if folder else {}))
    return out.getvalue()


def test_every_shipped_review_type_validates_and_codes_are_unique():
    types = read_review_types()
    codes = [t["code"] for t in types]
    assert len(types) == len(list(TYPES.glob("*.yaml"))) >= 5
    assert len(codes) == len(set(codes))
    assert {"remote_diagnostic", "peer_challenge", "send", "early_years", "dcs_triad"} <= set(codes)


def test_remote_diagnostic_has_the_facts_from_the_lga_guidance():
    rt = ReviewType.objects.get(code="remote_diagnostic", is_current=True)
    assert "20 minutes" in rt.config["session_types"]["overview"]["note"]
    monday = datetime.date(2027, 3, 8)
    assert monday.weekday() == 0
    dates = {code: day for code, _, day in compute_key_dates(rt, monday)}
    assert dates["case_review_start"] == monday - datetime.timedelta(days=14)
    assert dates["drawing_together"] == datetime.date(2027, 3, 15)  # the following Monday
    assert dates["drawing_together"].weekday() == 0
    assert dates["feedback"] == datetime.date(2027, 3, 16)  # the Tuesday after
    assert dates["feedback"].weekday() == 1
    assert dates["report_due"] == datetime.date(2027, 4, 16)  # one month after feedback
    assert rt.config["report"]["due_months_after_feedback"] == 1


def test_report_due_one_month_after_a_feedback_on_the_last_day_of_a_month_stays_in_the_next_month():
    rt = ReviewType.objects.get(code="remote_diagnostic", is_current=True)
    dates = {code: day for code, _, day in compute_key_dates(rt, datetime.date(2027, 1, 23))}
    assert dates["feedback"] == datetime.date(2027, 1, 31)
    assert dates["report_due"] == datetime.date(2027, 2, 28)


def test_loading_the_same_files_again_reports_them_unchanged():
    assert "Unchanged Children's services remote peer diagnostic (version 2)" in _load()
    assert ReviewType.objects.filter(code="remote_diagnostic").count() == 1


def test_a_changed_file_without_a_version_bump_is_refused(tmp_path):
    folder = _folder(tmp_path, remote_diagnostic=lambda d: d.update(name="Renamed diagnostic"))
    with pytest.raises(CommandError) as exc:
        _load(folder)
    assert "remote_diagnostic version 2 has changed since it was loaded: increase its version number" in str(exc.value)
    assert not ReviewType.objects.filter(name="Renamed diagnostic").exists()


def test_a_new_version_becomes_current_and_existing_reviews_keep_the_old_one(tmp_path):
    old = ReviewType.objects.get(code="remote_diagnostic", is_current=True)
    review = make_review(pcm=make_user("pcm@example.org", is_lga_staff=True))

    def bump(d):
        d["version"] = 3
        d["key_dates"][-3]["days"] = 9  # feedback on the Wednesday

    assert "Loaded Children's services remote peer diagnostic (version 3)" in _load(
        _folder(tmp_path, remote_diagnostic=bump)
    )
    new = ReviewType.objects.get(code="remote_diagnostic", is_current=True)
    assert new.version == 3 and new.pk != old.pk
    old.refresh_from_db()
    assert not old.is_current
    review.refresh_from_db()
    assert review.review_type_id == old.pk
    assert review.date_of("feedback") == review.delivery_start + datetime.timedelta(days=8)
    later = make_review(pcm=make_user("pcm2@example.org", is_lga_staff=True))
    assert later.review_type_id == new.pk
    assert later.date_of("feedback") == later.delivery_start + datetime.timedelta(days=9)


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda d: d.pop("team"), "remote_diagnostic.yaml: missing 'team'"),
        (lambda d: d.update(version="one"), "remote_diagnostic.yaml: 'version' must be a int"),
        (lambda d: d["key_dates"][3].update(days="soon"), "remote_diagnostic.yaml: key_dates[3].days must be a whole"),
        (
            lambda d: d["key_dates"][10].update(after="nowhere"),
            "remote_diagnostic.yaml: key_dates[10] is after 'nowhere', which is not an earlier key date",
        ),
        (
            lambda d: d["key_dates"][1].update(code="scope_agreed"),
            "remote_diagnostic.yaml: key date code 'scope_agreed' is used more than once",
        ),
        (
            lambda d: d["key_dates"].pop(9),
            "remote_diagnostic.yaml: key_dates needs a 'feedback' entry",
        ),
        (
            lambda d: d["team"][0].update(roles=["wizard"]),
            "remote_diagnostic.yaml: team[0] has unknown roles ['wizard']",
        ),
        (lambda d: d["team"][1].update(min=5), "remote_diagnostic.yaml: team[1] min is more than max"),
        (
            lambda d: d["delivery_template"][1].update(kind="party"),
            "remote_diagnostic.yaml: delivery_template[1] kind 'party' is not a session type",
        ),
        (lambda d: d["session_types"].update(party={}), "remote_diagnostic.yaml: session type 'party' is unknown"),
        (
            lambda d: d["lines_of_enquiry"].append("astrology"),
            "remote_diagnostic.yaml: line of enquiry theme 'astrology' is not in the library",
        ),
        (
            lambda d: d["triangulation"].update(min_items=0),
            "remote_diagnostic.yaml: triangulation.min_items must be a whole number of 1 or more",
        ),
        (
            lambda d: d["confidentiality"].pop("text"),
            "remote_diagnostic.yaml: confidentiality needs a version number and text",
        ),
        (lambda d: d["key_dates"].append("tuesday"), "remote_diagnostic.yaml: key_dates[12] must be a mapping"),
        (lambda d: d.update(code="peer_challenge"), "review type code 'peer_challenge' is used by more than one file"),
        # The written report's outline: each section a mapping with a key, a heading and a known source.
        (
            lambda d: d["report"]["sections"].__setitem__(0, "Introduction and context"),
            "remote_diagnostic.yaml: report.sections[0] must be a mapping with a key, a heading and a source",
        ),
        (
            lambda d: d["report"]["sections"][2].update(source="vibes"),
            "remote_diagnostic.yaml: report.sections[2].source 'vibes' is unknown; use one of ['context'",
        ),
        (
            lambda d: d["report"]["sections"][1].update(heading="Introduction and context"),
            "remote_diagnostic.yaml: report section heading 'Introduction and context' is used more than once",
        ),
        (
            lambda d: d["report"]["sections"][1].update(key="Scope!"),
            "remote_diagnostic.yaml: report.sections[1].key must be a short name in lower case letters",
        ),
        (
            lambda d: d["report"]["sections"][4].update(kinds=["strength", "gossip"]),
            "remote_diagnostic.yaml: report.sections[4].kinds must list some of ['strength', 'area', 'recommendation']",
        ),
        (
            lambda d: d["report"]["sections"][0].update(kinds=["strength"]),
            "remote_diagnostic.yaml: report.sections[0].kinds is only for a findings section",
        ),
        (
            lambda d: d["report"]["sections"][3].update(editable=False),
            "remote_diagnostic.yaml: report.sections[3] is written by hand, so it cannot have editable: false",
        ),
        (
            lambda d: d["report"]["sections"][0].update(colour="red"),
            "remote_diagnostic.yaml: report.sections[0] has unknown settings ['colour']",
        ),
        (
            lambda d: d["report"]["sections"].pop(4),
            "remote_diagnostic.yaml: report.sections needs a section with source: findings",
        ),
        (
            lambda d: d["report"]["sections"].append({"key": "more", "heading": "More", "source": "team"}),
            "remote_diagnostic.yaml: report.sections has more than one 'team' section",
        ),
        (lambda d: d["report"].pop("sections"), "remote_diagnostic.yaml: report.sections must be a list of sections"),
    ],
)
def test_validation_errors_name_the_file_and_the_path_and_load_nothing(tmp_path, edit, message):
    before = list(ReviewType.objects.values_list("pk", "code", "version", "is_current"))
    with pytest.raises(CommandError) as exc:
        _load(_folder(tmp_path, remote_diagnostic=edit))
    assert message in str(exc.value)
    assert list(ReviewType.objects.values_list("pk", "code", "version", "is_current")) == before


def test_a_file_that_is_not_yaml_is_named(tmp_path):
    folder = _folder(tmp_path)
    (folder / "broken.yaml").write_text("code: [unclosed")
    with pytest.raises(CommandError, match=r"broken\.yaml: not valid YAML"):
        _load(folder)


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"has no review type files"):
        _load(tmp_path)


def test_cli_prints_the_problems_without_a_traceback(tmp_path):
    folder = _folder(tmp_path, send=lambda d: d["team"][0].update(roles=["wizard"]))
    result = subprocess.run(
        [sys.executable, "manage.py", "load_policy", "--folder", str(folder)],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        env={"PEERREVIEW_DEV": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 1
    assert "The policy data has problems:" in result.stderr
    assert "send.yaml: team[0] has unknown roles ['wizard']" in result.stderr
    assert "Traceback" not in result.stderr


def test_lga_staff_see_the_current_review_types_and_their_key_dates(world):
    from django.urls import reverse

    from peerreview.core.testing import sign_in

    client = sign_in(world.lga_outsider)
    page = client.get(reverse("policy:review_types")).content.decode()
    assert (
        "Children&#x27;s services remote peer diagnostic" in page
        or "Children's services remote peer diagnostic" in page
    )
    detail = client.get(reverse("policy:review_type", kwargs={"code": "remote_diagnostic"}))
    assert detail.status_code == 200
    assert client.get(reverse("policy:review_type", kwargs={"code": "nope"})).status_code == 404


def test_report_sources_are_the_ones_the_document_builders_know():
    from peerreview.exports.data import SECTION_SOURCES
    from peerreview.policy.library import REPORT_SOURCES

    assert REPORT_SOURCES == SECTION_SOURCES


def test_changing_the_report_sections_needs_a_version_bump(tmp_path):
    def rename(d):
        d["report"]["sections"][0]["heading"] = "About this diagnostic"

    with pytest.raises(CommandError, match="remote_diagnostic version 2 has changed since it was loaded"):
        _load(_folder(tmp_path, remote_diagnostic=rename))

    def rename_and_bump(d):
        rename(d)
        d["version"] = 3

    assert "Loaded Children's services remote peer diagnostic (version 3)" in _load(
        _folder(tmp_path / "bumped", remote_diagnostic=rename_and_bump)
    )
