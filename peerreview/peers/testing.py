"""Test world objects and URL examples for the peers app, plus a small pool for the team tests."""

from peerreview.core.roles import Role
from peerreview.core.testing import URL_EXAMPLES, WORLD_HOOKS
from peerreview.councils.models import Organisation

from .models import PeerProfile

# email local part, name, organisation, role, specialisms, reviews_total
SMALL_POOL = [
    ("dcs.york", "Yvonne Dale", "york", "dcs", ["leadership", "front_door"], 5),
    ("ad.kent", "Kieran Ash", "kent", "ad", ["leadership", "front_door", "child_protection"], 6),
    ("ad.medway", "Mina Ward", "medway", "ad", ["leadership", "front_door", "child_protection"], 4),
    ("hos.plymouth", "Paul Hill", "plymouth", "head_of_service", ["front_door"], 2),
    ("om.cornwall", "Cara Nye", "cornwall", "operational_manager", ["child_protection"], 0),
    ("psw.devon", "Dev Rao", "devon", "principal_social_worker", ["workforce"], 1),
    ("om.surrey", "Sue Rey", "surrey", "operational_manager", ["front_door", "child_protection", "workforce"], 3),
    ("ca.norfolk", "Nora Fox", "norfolk", "case_auditor", ["quality_assurance"], 2),
    ("ca.suffolk", "Sid Folk", "suffolk", "case_auditor", ["child_protection"], 0),
    ("ca.leeds", "Lee Dunn", "leeds", "case_auditor", ["child_protection"], 1),
    ("police.lancs", "Lance Shaw", "lancashire-police", "police", ["exploitation"], 1),
]


def make_small_pool(world) -> dict[str, PeerProfile]:
    """A pool for the world's Kent review: one conflicted AD at Kent, one at neighbouring Medway."""
    orgs = {o.code: o for o in Organisation.objects.all()}
    out = {}
    for key, name, org, role, specialisms, total in SMALL_POOL:
        out[key], _ = PeerProfile.objects.get_or_create(
            email=f"{key}@pool.example.org",
            defaults={
                "full_name": name,
                "organisation": orgs[org],
                "role": role,
                "specialisms": specialisms,
                "region": orgs[org].region,
                "reviews_total": total,
            },
        )
    pcm = world.members[Role.PCM]
    out["pcm"], _ = PeerProfile.objects.get_or_create(
        email=pcm.email,
        defaults={
            "full_name": pcm.full_name,
            "user": pcm,
            "organisation": orgs["lga"],
            "role": "pcm",
            "yearly_cap": 12,
        },
    )
    return out


def _hook(world) -> None:
    world.extra["pool"] = make_small_pool(world)


WORLD_HOOKS.append(_hook)
URL_EXAMPLES["peers:profile"] = lambda w: {"profile_id": w.extra["pool"]["dcs.york"].pk}
URL_EXAMPLES["peers:change_member"] = lambda w: {"profile_id": w.extra["pool"]["dcs.york"].pk}
URL_EXAMPLES["peers:respond"] = lambda w: {"token": "not-a-real-token"}
