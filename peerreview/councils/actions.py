from pathlib import Path

import yaml
from django.db import transaction

from peerreview.core import audit

from .models import REGIONS, Organisation

DATA = Path(__file__).parent / "data"
# libyaml's loader when it is built in: the pure-Python one is ten times slower.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PARTNER_KINDS = {"police", "health", "lga", "education", "other"}


class OrganisationDataError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def _read_list(path: Path, key: str, problems: list[str]) -> list[dict]:
    """Read one data file's list of entries, adding a message that names the file for anything wrong."""
    try:
        raw = yaml.load(path.read_text(), Loader=SafeLoader)
    except OSError as exc:
        problems.append(f"{path.name}: cannot be read ({exc.strerror or exc})")
        return []
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML ({exc})")
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        problems.append(f"{path.name}: must have a list called '{key}'")
        return []
    entries = []
    for i, entry in enumerate(raw[key]):
        if not isinstance(entry, dict):
            problems.append(f"{path.name}: {key}[{i}] must be a mapping")
            continue
        missing = [k for k in ("code", "name") if not entry.get(k)]
        if missing:
            problems.append(f"{path.name}: {key}[{i}] has no {' or '.join(missing)}")
            continue
        entries.append(entry)
    return entries


def read_organisation_data(councils_path: Path = DATA / "councils.yaml", partners_path: Path = DATA / "partners.yaml"):
    problems: list[str] = []
    councils = _read_list(Path(councils_path), "councils", problems)
    partners = _read_list(Path(partners_path), "organisations", problems)
    codes = [c["code"] for c in councils] + [p["code"] for p in partners]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"Organisation code '{code}' is used more than once")
    neighbours = {c["code"]: set(c.get("neighbours") or []) for c in councils}
    for i, c in enumerate(councils):
        if c.get("region") not in REGIONS:
            problems.append(f"councils[{i}] ({c.get('code')}): region '{c.get('region')}' is not an English region")
        for n in c.get("neighbours") or []:
            if n not in neighbours:
                problems.append(f"councils[{i}] ({c['code']}): neighbour '{n}' is not a council code")
            elif n == c["code"]:
                problems.append(f"councils[{i}] ({c['code']}): a council cannot be its own neighbour")
            elif c["code"] not in neighbours[n]:
                # The relation is stored both ways, so a one-sided entry would be silently lost.
                problems.append(
                    f"councils[{i}] ({c['code']}): lists '{n}' as a neighbour, but '{n}' does not list '{c['code']}'"
                )
    for i, p in enumerate(partners):
        if p.get("kind") not in PARTNER_KINDS:
            problems.append(f"organisations[{i}] ({p.get('code')}): kind must be one of {sorted(PARTNER_KINDS)}")
    if problems:
        raise OrganisationDataError(problems)
    return councils, partners


@transaction.atomic
def load_organisations(*, by=None, **paths) -> dict:
    """Create or update every organisation in the files, in a few queries, and set the councils' neighbours."""
    councils, partners = read_organisation_data(**paths)
    wanted = {
        c["code"]: {
            "name": c["name"],
            "short_name": c.get("short_name", ""),
            "kind": Organisation.Kind.COUNCIL,
            "council_kind": c.get("kind", ""),
            "region": c["region"],
        }
        for c in councils
    } | {p["code"]: {"name": p["name"], "kind": p["kind"], "region": p.get("region") or ""} for p in partners}
    existing = Organisation.objects.in_bulk(list(wanted), field_name="code")
    new, changed = [], []
    for code, fields in wanted.items():
        org = existing.get(code)
        if org is None:
            new.append(Organisation(code=code, **fields))
        elif any(getattr(org, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(org, k, v)
            changed.append(org)
    Organisation.objects.bulk_create(new)
    Organisation.objects.bulk_update(changed, ["name", "short_name", "kind", "council_kind", "region"])

    # Neighbours: the relation is symmetric, so the table holds each pair both ways. Only pairs between
    # councils in the file are managed here; links to other organisations (the demo council) are left alone.
    ids = dict(Organisation.objects.filter(code__in=[c["code"] for c in councils]).values_list("code", "id"))
    pairs = {(ids[c["code"]], ids[n]) for c in councils for n in c.get("neighbours") or []}
    through = Organisation.neighbours.through
    managed = through.objects.filter(from_organisation_id__in=ids.values(), to_organisation_id__in=ids.values())
    current = set(managed.values_list("from_organisation_id", "to_organisation_id"))
    stale = current - pairs
    if stale:
        for a, b in stale:
            managed.filter(from_organisation_id=a, to_organisation_id=b).delete()
    through.objects.bulk_create(
        [through(from_organisation_id=a, to_organisation_id=b) for a, b in sorted(pairs - current)]
    )
    audit.record("organisations.loaded", by=by, summary=f"{len(councils)} councils, {len(partners)} partners")
    return {"councils": len(councils), "partners": len(partners)}
