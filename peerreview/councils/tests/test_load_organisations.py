"""The councils and partners are data, loaded by `manage.py load_organisations`; bad data is refused whole."""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from peerreview.councils.actions import DATA
from peerreview.councils.models import REGIONS, Organisation

pytestmark = pytest.mark.django_db


def _load(**options) -> str:
    out = io.StringIO()
    call_command("load_organisations", stdout=out, **options)
    return out.getvalue()


def _write(tmp_path: Path, councils=None, partners=None) -> dict:
    c = yaml.safe_load((DATA / "councils.yaml").read_text())
    p = yaml.safe_load((DATA / "partners.yaml").read_text())
    if councils:
        councils(c["councils"])
    if partners:
        partners(p["organisations"])
    (tmp_path / "councils.yaml").write_text(yaml.safe_dump(c))
    (tmp_path / "partners.yaml").write_text(yaml.safe_dump(p))
    return {"councils": tmp_path / "councils.yaml", "partners": tmp_path / "partners.yaml"}


def _snapshot():
    return sorted(Organisation.objects.values_list("code", "name", "region")), sorted(
        Organisation.neighbours.through.objects.values_list("from_organisation__code", "to_organisation__code")
    )


def test_loads_153_councils_in_english_regions_with_symmetric_neighbours():
    assert "Loaded 153 councils" in _load()
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    assert councils.count() == 153
    assert set(councils.values_list("region", flat=True)) == set(REGIONS)
    pairs = set(Organisation.neighbours.through.objects.values_list("from_organisation_id", "to_organisation_id"))
    assert pairs and all((b, a) in pairs for a, b in pairs)
    kent = Organisation.objects.get(code="kent")
    assert kent.region == "South East" and kent.neighbours.filter(code="medway").exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.POLICE).exists()


def test_loading_twice_changes_nothing():
    _load()
    before = _snapshot()
    _load()
    assert _snapshot() == before


def test_a_council_in_a_made_up_region_is_refused_and_nothing_changes(tmp_path):
    paths = _write(tmp_path, councils=lambda cs: cs[0].update(region="Wessex", name="Changed name"))
    before = _snapshot()
    with pytest.raises(CommandError) as exc:
        _load(**paths)
    assert "region 'Wessex' is not an English region" in str(exc.value)
    assert "councils[0] (barking-and-dagenham)" in str(exc.value)
    assert _snapshot() == before


def test_a_one_sided_neighbour_is_refused_with_both_councils_named(tmp_path):
    def one_sided(cs):
        kent = next(c for c in cs if c["code"] == "kent")
        kent["neighbours"].append("cornwall")

    paths = _write(tmp_path, councils=one_sided)
    before = _snapshot()
    with pytest.raises(CommandError) as exc:
        _load(**paths)
    assert "lists 'cornwall' as a neighbour, but 'cornwall' does not list 'kent'" in str(exc.value)
    assert _snapshot() == before


def test_unknown_neighbour_duplicate_code_and_bad_partner_kind_are_all_reported_at_once(tmp_path):
    def councils(cs):
        cs[1]["neighbours"].append("atlantis")
        cs[2]["code"] = cs[3]["code"]

    paths = _write(tmp_path, councils=councils, partners=lambda ps: ps[0].update(kind="army"))
    with pytest.raises(CommandError) as exc:
        _load(**paths)
    message = str(exc.value)
    assert message.startswith("The organisation data has problems:")
    assert "neighbour 'atlantis' is not a council code" in message
    assert "is used more than once" in message
    assert "organisations[0] (avon-and-somerset-police): kind must be one of" in message
    assert not Organisation.objects.filter(code="atlantis").exists()


def test_a_file_that_is_not_yaml_or_is_missing_is_refused_with_its_name(tmp_path):
    paths = _write(tmp_path)
    paths["councils"].write_text("councils: [unclosed")
    with pytest.raises(CommandError, match=r"councils.yaml: not valid YAML"):
        _load(**paths)
    with pytest.raises(CommandError, match=r"nowhere.yaml: cannot be read"):
        _load(councils=tmp_path / "nowhere.yaml", partners=paths["partners"])


def test_an_entry_without_a_code_is_refused(tmp_path):
    paths = _write(tmp_path, councils=lambda cs: cs[5].pop("code"))
    with pytest.raises(CommandError, match=r"councils\[5\] has no code"):
        _load(**paths)


def test_cli_prints_every_problem_and_exits_non_zero(tmp_path):
    import subprocess
    import sys

    paths = _write(tmp_path, councils=lambda cs: cs[0].update(region="Wessex"))
    result = subprocess.run(
        [sys.executable, "manage.py", "load_organisations", "--councils", str(paths["councils"])],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        env={"PEERREVIEW_DEV": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 1
    assert "The organisation data has problems:" in result.stderr
    assert "region 'Wessex' is not an English region" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_corrected_file_updates_names_and_neighbours_and_keeps_other_links(tmp_path):
    _load()
    fictional = Organisation.objects.create(code="borsetshire", name="Borsetshire", kind="council", is_fictional=True)
    fictional.neighbours.add(Organisation.objects.get(code="worcestershire"))

    def edit(cs):
        by = {c["code"]: c for c in cs}
        by["kent"]["name"] = "Kent Council (renamed)"
        by["kent"]["neighbours"].remove("medway")
        by["medway"]["neighbours"].remove("kent")

    _load(**_write(tmp_path, councils=edit))
    kent = Organisation.objects.get(code="kent")
    assert kent.name == "Kent Council (renamed)"
    assert not kent.neighbours.filter(code="medway").exists()
    assert not Organisation.objects.get(code="medway").neighbours.filter(code="kent").exists()
    assert kent.neighbours.filter(code="east-sussex").exists()
    assert fictional.neighbours.filter(code="worcestershire").exists()
    assert Organisation.objects.get(code="worcestershire").neighbours.filter(code="borsetshire").exists()
