"""Loads and validates the policy data: the lines of enquiry library and the review types.

The data is versioned YAML in data/. Validation collects every problem with the file and path, so a
bad edit is refused with a message that says what to fix.
"""

import functools
from pathlib import Path

import yaml

# libyaml's loader when it is built in: the pure-Python one is ten times slower.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DATA = Path(__file__).parent / "data"
STAGES = [
    "requested",
    "scoping",
    "preparation",
    "case_record_review",
    "delivery",
    "feedback",
    "written_report",
    "evaluation",
    "closed",
]
SESSION_KINDS = {
    "overview",
    "interview",
    "focus_group",
    "case_discussion",
    "practice_observation",
    "site_visit",
    "keeping_in_touch",
    "team_meeting",
    "drawing_together",
    "feedback",
}
PEER_ROLES = {
    "dcs",
    "ad",
    "head_of_service",
    "operational_manager",
    "principal_social_worker",
    "case_auditor",
    "pcm",
    "police",
    "health",
    "education",
    "adult_social_care",
    "councillor",
}


# Where each section of the written report takes its content from. The same list is in
# peerreview/exports/data.py (SECTION_SOURCES); a test keeps the two in step.
REPORT_SOURCES = ("context", "scope", "methodology", "findings", "recommendations", "next_steps", "team", "written")
# Sources whose section carries the team's own wording unless the file says `editable: false`.
REPORT_SOURCES_WRITTEN_BY_DEFAULT = {"context", "scope", "methodology", "next_steps", "written"}
FINDING_KINDS = ("strength", "area", "recommendation")
SECTION_KEYS = {"key", "heading", "source", "editable", "hint", "kinds"}


class PolicyError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@functools.cache
def library() -> dict:
    raw = yaml.load((DATA / "lines_of_enquiry.yaml").read_text(), Loader=SafeLoader)
    problems = []
    seen = set()
    for i, theme in enumerate(raw.get("themes", [])):
        for key in ("code", "title", "questions"):
            if key not in theme:
                problems.append(f"lines_of_enquiry.yaml: themes[{i}] has no {key}")
        for j, q in enumerate(theme.get("questions", [])):
            code = q.get("code", "")
            if not code.startswith(f"{theme.get('code')}."):
                problems.append(
                    f"lines_of_enquiry.yaml: themes[{i}].questions[{j}] code must start with '{theme.get('code')}.'"
                )
            if code in seen:
                problems.append(f"lines_of_enquiry.yaml: question code {code} is used twice")
            seen.add(code)
    codes = [t.get("code") for t in raw.get("themes", [])]
    if len(codes) != len(set(codes)):
        problems.append("lines_of_enquiry.yaml: theme codes must be unique")
    if problems:
        raise PolicyError(problems)
    raw["by_code"] = {t["code"]: t for t in raw["themes"]}
    return raw


def _key_date_problems(key_dates: list[dict], source: str) -> list[str]:
    problems = []
    codes = [d.get("code") for d in key_dates]
    for required in ("delivery_start", "feedback", "report_due"):
        if required not in codes:
            problems.append(f"{source}: key_dates needs a '{required}' entry")
    for code in sorted({c for c in codes if codes.count(c) > 1}, key=str):
        problems.append(f"{source}: key date code '{code}' is used more than once")
    for i, d in enumerate(key_dates):
        if not d.get("code") or not d.get("label"):
            problems.append(f"{source}: key_dates[{i}] needs a code and a label")
        if "days" in d:
            if not isinstance(d["days"], int) or isinstance(d["days"], bool):
                problems.append(f"{source}: key_dates[{i}].days must be a whole number of days")
        elif not ("after" in d and "months" in d):
            problems.append(f"{source}: key_dates[{i}] needs 'days', or 'after' and 'months'")
        elif not isinstance(d["months"], int) or isinstance(d["months"], bool):
            problems.append(f"{source}: key_dates[{i}].months must be a whole number of months")
        if "after" in d and d["after"] not in codes[:i]:
            problems.append(f"{source}: key_dates[{i}] is after '{d['after']}', which is not an earlier key date")
    return problems


def _report_problems(report: dict, source: str) -> list[str]:
    """`report.sections`: the written report's outline, one mapping per section, in order."""
    sections = report.get("sections")
    if not isinstance(sections, list) or not sections:
        return [f"{source}: report.sections must be a list of sections"]
    problems = []
    for i, sec in enumerate(sections):
        where = f"{source}: report.sections[{i}]"
        if not isinstance(sec, dict):
            problems.append(f"{where} must be a mapping with a key, a heading and a source, not {sec!r}")
            continue
        unknown = set(sec) - SECTION_KEYS
        if unknown:
            problems.append(f"{where} has unknown settings {sorted(unknown)}; use {sorted(SECTION_KEYS)}")
        key = sec.get("key")
        if not isinstance(key, str) or not key or not key.replace("_", "").isalnum() or not key.islower():
            problems.append(f"{where}.key must be a short name in lower case letters, digits and _")
        heading = sec.get("heading")
        if not isinstance(heading, str) or not heading.strip() or len(heading) > 200:
            problems.append(f"{where}.heading must be text of 200 characters or fewer")
        kind = sec.get("source")
        if kind not in REPORT_SOURCES:
            problems.append(f"{where}.source '{kind}' is unknown; use one of {list(REPORT_SOURCES)}")
        if "editable" in sec and not isinstance(sec["editable"], bool):
            problems.append(f"{where}.editable must be true or false")
        if kind == "written" and sec.get("editable") is False:
            problems.append(f"{where} is written by hand, so it cannot have editable: false")
        if "hint" in sec and not isinstance(sec["hint"], str):
            problems.append(f"{where}.hint must be text")
        if "kinds" in sec:
            kinds = sec["kinds"]
            if kind != "findings":
                problems.append(f"{where}.kinds is only for a findings section")
            elif (
                not isinstance(kinds, list)
                or not kinds
                or any(k not in FINDING_KINDS for k in kinds)
                or len(set(kinds)) != len(kinds)
            ):
                problems.append(f"{where}.kinds must list some of {list(FINDING_KINDS)}, each once")
    if problems:
        return problems
    for field in ("key", "heading"):
        values = [sec[field] for sec in sections]
        for value in sorted({v for v in values if values.count(v) > 1}):
            problems.append(f"{source}: report section {field} '{value}' is used more than once")
    sources = [sec["source"] for sec in sections]
    for kind in sorted({k for k in sources if k != "written" and sources.count(k) > 1}):
        problems.append(f"{source}: report.sections has more than one '{kind}' section")
    if "findings" not in sources:
        problems.append(f"{source}: report.sections needs a section with source: findings")
    return problems


def validate_review_type(data: dict, source: str) -> list[str]:
    problems = []

    def need(key, kind):
        if key not in data:
            problems.append(f"{source}: missing '{key}'")
        elif not isinstance(data[key], kind):
            problems.append(f"{source}: '{key}' must be a {kind.__name__}")

    for key, kind in [
        ("code", str),
        ("version", int),
        ("name", str),
        ("key_dates", list),
        ("team", list),
        ("session_types", dict),
        ("delivery_template", list),
        ("documents", list),
        ("lines_of_enquiry", list),
        ("triangulation", dict),
        ("confidentiality", dict),
        ("report", dict),
    ]:
        need(key, kind)
    if problems:
        return problems
    for key in ("key_dates", "team", "delivery_template", "documents"):
        for i, item in enumerate(data[key]):
            if not isinstance(item, dict):
                problems.append(f"{source}: {key}[{i}] must be a mapping")
    if problems:
        return problems
    problems += _key_date_problems(data["key_dates"], source)
    for i, slot in enumerate(data["team"]):
        bad = set(slot.get("roles", [])) - PEER_ROLES
        if bad:
            problems.append(f"{source}: team[{i}] has unknown roles {sorted(bad)}; use {sorted(PEER_ROLES)}")
        if slot.get("min", 0) > slot.get("max", 0):
            problems.append(f"{source}: team[{i}] min is more than max")
    for kind in data["session_types"]:
        if kind not in SESSION_KINDS:
            problems.append(f"{source}: session type '{kind}' is unknown; use {sorted(SESSION_KINDS)}")
    for i, event in enumerate(data["delivery_template"]):
        if event.get("kind") not in data["session_types"]:
            problems.append(f"{source}: delivery_template[{i}] kind '{event.get('kind')}' is not a session type")
    lib = library()["by_code"]
    for code in data["lines_of_enquiry"]:
        if code not in lib:
            problems.append(f"{source}: line of enquiry theme '{code}' is not in the library")
    conf = data["confidentiality"]
    if not isinstance(conf.get("version"), int) or not conf.get("text"):
        problems.append(f"{source}: confidentiality needs a version number and text")
    problems += _report_problems(data["report"], source)
    tri = data["triangulation"]
    for key in ("min_items", "min_source_types", "min_distinct_peers_or_sessions"):
        if not isinstance(tri.get(key), int) or tri[key] < 1:
            problems.append(f"{source}: triangulation.{key} must be a whole number of 1 or more")
    return problems


def read_review_types(folder: Path = DATA / "review_types") -> list[dict]:
    problems, types = [], []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(), Loader=SafeLoader)
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML ({exc})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path.name}: must be a mapping")
            continue
        problems += validate_review_type(data, path.name)
        types.append(data)
    if not types and not problems:
        problems.append(f"{folder}: has no review type files (*.yaml)")
    seen = [t.get("code") for t in types]
    for code in {c for c in seen if seen.count(c) > 1}:
        problems.append(f"review type code '{code}' is used by more than one file")
    if problems:
        raise PolicyError(problems)
    return types
