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
    by_code = {}
    for c in councils:
        org, _ = Organisation.objects.update_or_create(
            code=c["code"],
            defaults={
                "name": c["name"],
                "short_name": c.get("short_name", ""),
                "kind": Organisation.Kind.COUNCIL,
                "council_kind": c.get("kind", ""),
                "region": c["region"],
            },
        )
        by_code[org.code] = org
    for p in partners:
        Organisation.objects.update_or_create(
            code=p["code"], defaults={"name": p["name"], "kind": p["kind"], "region": p.get("region") or ""}
        )
    for c in councils:
        by_code[c["code"]].neighbours.set([by_code[n] for n in c.get("neighbours", [])])
    audit.record("organisations.loaded", by=by, summary=f"{len(councils)} councils, {len(partners)} partners")
    return {"councils": len(councils), "partners": len(partners)}
