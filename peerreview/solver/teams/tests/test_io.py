import json

import pytest

from peerreview.solver.teams import ProblemError, solve
from peerreview.solver.teams.__main__ import main
from peerreview.solver.teams.io import problem_from_json, problem_to_json, result_to_json

from .factory import single


def test_json_round_trip():
    problem = single(pinned=frozenset({"o2"}))
    data = json.loads(json.dumps(problem_to_json(problem)))
    assert data["format"] == "peerreview.teams/1"
    assert problem_from_json(data) == problem


def test_validation_errors_have_paths():
    data = problem_to_json(single())
    data["reviews"][0]["slots"][0]["min"] = 3
    data["reviews"][0]["slots"][0]["max"] = 2
    data["peers"][1]["role"] = "wizard"
    data["peers"][2]["colour"] = "blue"
    del data["peers"][3]["organisation"]
    with pytest.raises(ProblemError) as exc:
        problem_from_json(data)
    text = "\n".join(exc.value.errors)
    assert "reviews[0].slots[0].min (3) is more than max (2)" in text
    assert "peers[1].role: 'wizard' is not a known role" in text
    assert "peers[2].colour: unknown field" in text
    assert "peers[3].organisation: missing" in text


def test_wrong_format_version_is_reported():
    with pytest.raises(ProblemError) as exc:
        problem_from_json({"format": "other", "peers": [], "reviews": []})
    assert any(e.startswith("format:") for e in exc.value.errors)


def test_result_to_json_is_serialisable():
    result = solve(single(), workers=1, seed=1, time_limit=5)
    data = json.loads(json.dumps(result_to_json(result)))
    assert data["status"] == "optimal"
    assert data["teams"]["r1"][0]["reasons"]


def test_cli_prints_teams_and_triads(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem_to_json(single())))
    assert main([str(path), "--workers", "1", "--time-limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "Review lead:" in out and "status optimal" in out
    tri = tmp_path / "t.json"
    tri.write_text(json.dumps({"format": "peerreview.triads/1", "councils": ["A", "B", "C", "D"]}))
    assert main(["triads", str(tri), "--workers", "1"]) == 0
    assert "host A:" in capsys.readouterr().out
