from pathlib import Path

import yaml
from django.db import transaction

from peerreview.core import audit

from .models import REGIONS, Organisation

DATA = Path(__file__).parent / "data"
PARTNER_KINDS = {"police", "health", "lga", "education", "other"}


class OrganisationDataError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_organisation_data(councils_path: Path = DATA / "councils.yaml", partners_path: Path = DATA / "partners.yaml"):
    councils = yaml.safe_load(councils_path.read_text())["councils"]
    partners = yaml.safe_load(partners_path.read_text())["organisations"]
    problems = []
    codes = [c["code"] for c in councils] + [p["code"] for p in partners]
    for code in {c for c in codes if codes.count(c) > 1}:
        problems.append(f"Organisation code '{code}' is used more than once")
    council_codes = {c["code"] for c in councils}
    for i, c in enumerate(councils):
        if c.get("region") not in REGIONS:
            problems.append(f"councils[{i}] ({c.get('code')}): region '{c.get('region')}' is not an English region")
        for n in c.get("neighbours", []):
            if n not in council_codes:
                problems.append(f"councils[{i}] ({c['code']}): neighbour '{n}' is not a council code")
    for i, p in enumerate(partners):
        if p.get("kind") not in PARTNER_KINDS:
            problems.append(f"organisations[{i}] ({p.get('code')}): kind must be one of {sorted(PARTNER_KINDS)}")
    if problems:
        raise OrganisationDataError(problems)
    return councils, partners


@transaction.atomic
def load_organisations(*, by=None, **paths) -> dict:
    councils, partners = read_organisation_data(**paths)
    rows = [
        {
            "code": c["code"],
            "name": c["name"],
            "short_name": c.get("short_name", ""),
            "kind": Organisation.Kind.COUNCIL,
            "council_kind": c.get("kind", ""),
            "region": c["region"],
        }
        for c in councils
    ] + [
        {
            "code": p["code"],
            "name": p["name"],
            "short_name": "",
            "kind": p["kind"],
            "council_kind": "",
            "region": p.get("region") or "",
        }
        for p in partners
    ]
    existing = {o.code: o for o in Organisation.objects.filter(code__in=[r["code"] for r in rows])}
    fields = ["name", "short_name", "kind", "council_kind", "region"]
    new, changed = [], []
    for r in rows:
        org = existing.get(r["code"])
        if org is None:
            new.append(Organisation(**r))
        elif any(getattr(org, f) != r[f] for f in fields):
            for f in fields:
                setattr(org, f, r[f])
            changed.append(org)
    Organisation.objects.bulk_create(new)
    Organisation.objects.bulk_update(changed, fields)
    ids = dict(Organisation.objects.filter(code__in=[c["code"] for c in councils]).values_list("code", "id"))
    through = Organisation.neighbours.through
    through.objects.filter(from_organisation_id__in=ids.values()).delete()
    through.objects.bulk_create(
        [
            through(from_organisation_id=ids[c["code"]], to_organisation_id=ids[n])
            for c in councils
            for n in c.get("neighbours", [])
        ],
        ignore_conflicts=True,
    )
    audit.record("organisations.loaded", by=by, summary=f"{len(councils)} councils, {len(partners)} partners")
    return {"councils": len(councils), "partners": len(partners), "new": len(new), "changed": len(changed)}
