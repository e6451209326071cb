"""The demo peer pool: about 150 generated peers from real councils and partners, plus the demo review's team.

The demo review (Borsetshire) is in its delivery week, so its team is recorded as recommended, approved by the
sponsor, invited and accepted; each existing demo member has a profile in the pool.
"""

import datetime
import random
import secrets

from django.utils import timezone

from peerreview.councils.models import Organisation
from peerreview.policy.library import library

from . import build
from .models import (
    DEFAULT_CAPS,
    HostDecision,
    PeerInvitation,
    PeerProfile,
    ProposedMember,
    TeamProposal,
)

FIRST = [
    "Aaliyah",
    "Abdul",
    "Adam",
    "Aisha",
    "Alan",
    "Alison",
    "Amara",
    "Amir",
    "Andrew",
    "Angela",
    "Anita",
    "Anne",
    "Ayesha",
    "Ben",
    "Bethan",
    "Carl",
    "Caroline",
    "Catherine",
    "Chloe",
    "Chris",
    "Claire",
    "Colin",
    "Dan",
    "Daniel",
    "David",
    "Deborah",
    "Dev",
    "Dominic",
    "Eilidh",
    "Elaine",
    "Emma",
    "Farah",
    "Fiona",
    "Gareth",
    "Gemma",
    "Grace",
    "Hannah",
    "Harjit",
    "Helen",
    "Ian",
    "Imran",
    "Jack",
    "James",
    "Jane",
    "Janet",
    "Jas",
    "Jenny",
    "Joanne",
    "John",
    "Jonathan",
    "Joseph",
    "Julie",
    "Karen",
    "Kate",
    "Kwame",
    "Laura",
    "Leanne",
    "Liam",
    "Lisa",
    "Lucy",
    "Mandeep",
    "Mark",
    "Martin",
    "Mary",
    "Matthew",
    "Meera",
    "Michael",
    "Michelle",
    "Mohammed",
    "Naomi",
    "Natalie",
    "Neil",
    "Nicola",
    "Olu",
    "Paul",
    "Peter",
    "Rachel",
    "Rebecca",
    "Richard",
    "Rob",
    "Ruth",
    "Sam",
    "Samina",
    "Sarah",
    "Sean",
    "Simon",
    "Siobhan",
    "Sophie",
    "Stephen",
    "Steve",
    "Stuart",
    "Tariq",
    "Tom",
    "Tracey",
    "Victoria",
    "Wendy",
    "Yasmin",
    "Zara",
]
LAST = [
    "Adams",
    "Ahmed",
    "Ali",
    "Allen",
    "Anderson",
    "Atkinson",
    "Bailey",
    "Baker",
    "Begum",
    "Bell",
    "Bennett",
    "Brown",
    "Campbell",
    "Carter",
    "Chapman",
    "Clarke",
    "Collins",
    "Cooper",
    "Cox",
    "Davies",
    "Dixon",
    "Edwards",
    "Evans",
    "Fisher",
    "Fletcher",
    "Foster",
    "Gill",
    "Graham",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "King",
    "Lee",
    "Lewis",
    "Marshall",
    "Martin",
    "Mason",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nelson",
    "Nwosu",
    "Obi",
    "O'Brien",
    "Owen",
    "Palmer",
    "Parker",
    "Patel",
    "Phillips",
    "Price",
    "Rahman",
    "Reid",
    "Richards",
    "Roberts",
    "Robinson",
    "Rogers",
    "Scott",
    "Shah",
    "Sharma",
    "Simpson",
    "Singh",
    "Smith",
    "Stevens",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
# role, how many, job title
MIX = [
    ("dcs", 14, "Director of Children's Services"),
    ("ad", 22, "Assistant Director, Children's Social Care"),
    ("head_of_service", 24, "Head of Service, Safeguarding"),
    ("operational_manager", 22, "Service Manager, Children in Need"),
    ("principal_social_worker", 14, "Principal Social Worker"),
    ("case_auditor", 16, "Quality Assurance Manager"),
    ("pcm", 6, "Peer Challenge Manager"),
    ("police", 8, "Detective Chief Inspector, Public Protection"),
    ("health", 8, "Designated Nurse for Safeguarding Children"),
    ("education", 6, "Head of Inclusion"),
    ("adult_social_care", 4, "Principal Social Worker (adults)"),
    ("councillor", 6, "Lead Member for Children's Services"),
]
# The demo review's people: local part of the demo email -> (role in the pool, slot code, theme codes, total reviews)
DEMO_TEAM = {
    "pcm": ("pcm", "pcm", ["leadership", "quality_assurance"], 24),
    "lead": ("dcs", "lead", ["leadership", "workforce", "front_door"], 6),
    "observer": ("dcs", "observer", ["leadership", "children_in_care"], 2),
    "peer": ("head_of_service", "operational", ["front_door", "child_protection"], 3),
    "psw": ("principal_social_worker", "operational", ["voice_of_child", "workforce", "child_protection"], 1),
    "police": ("police", "multi_agency", ["exploitation", "front_door"], 2),
    "auditor": ("case_auditor", "case_auditor", ["quality_assurance", "child_protection"], 4),
}


def _organisations():
    orgs = list(Organisation.objects.filter(is_fictional=False))
    by_kind = {}
    for o in orgs:
        by_kind.setdefault(o.kind, []).append(o)
    return by_kind


def _org_for(role: str, by_kind: dict, rng: random.Random) -> Organisation:
    kind = {"police": "police", "health": "health", "pcm": "lga"}.get(role, "council")
    choices = by_kind.get(kind) or by_kind["council"]
    return rng.choice(choices)


def generate_pool(*, seed: int = 2026, today: datetime.date | None = None) -> list[PeerProfile]:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    themes = [t["code"] for t in library()["themes"]]
    by_kind = _organisations()
    councils = by_kind["council"]
    used, out = set(), []
    for role, count, job in MIX:
        for _ in range(count):
            while True:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                if (first, last) not in used:
                    used.add((first, last))
                    break
            org = _org_for(role, by_kind, rng)
            slug = f"{first}.{last}".lower().replace("'", "")
            domain = org.code.replace("-", "") + ".example.gov.uk"
            total = rng.choice([0, 0, 1, 1, 2, 3, 4, 6]) if role != "pcm" else rng.randint(8, 30)
            cap = DEFAULT_CAPS.get(role, 1)
            unavailable = set()
            for _ in range(rng.randint(0, 4)):
                day = today + datetime.timedelta(weeks=rng.randint(1, 40))
                unavailable.add(build.iso_week(day))
            former = []
            if rng.random() < 0.2:
                former.append([rng.choice(councils).code, today.year - rng.randint(1, 8)])
            out.append(
                PeerProfile(
                    email=f"{slug}@{domain}",
                    full_name=f"{first} {last}",
                    organisation=org,
                    job_title=job,
                    role=role,
                    specialisms=sorted(rng.sample(themes, rng.randint(1, 3))),
                    region=org.region,
                    trained_on=today - datetime.timedelta(days=rng.randint(60, 2500)),
                    unavailable_weeks=sorted(unavailable),
                    reviews_this_year=0 if role == "pcm" else rng.choice([0, 0, 0, 1]),
                    yearly_cap=cap,
                    reviews_total=total,
                    former_employers=former,
                )
            )
    PeerProfile.objects.bulk_create(out, ignore_conflicts=True)
    return out


def extend(review, users) -> None:
    today = timezone.localdate()
    generate_pool(today=today)
    pcm = users["pcm"]
    proposal = TeamProposal.objects.create(review=review, status=TeamProposal.Status.ACCEPTED)
    labels = build.slot_labels(review)
    for key, (role, slot, specialisms, total) in DEMO_TEAM.items():
        user = users[key]
        profile, _ = PeerProfile.objects.update_or_create(
            email=user.email,
            defaults={
                "full_name": user.full_name,
                "user": user,
                "organisation": user.organisation,
                "job_title": user.job_title,
                "role": role,
                "specialisms": specialisms,
                "region": user.organisation.region,
                "trained_on": today - datetime.timedelta(days=400),
                "reviews_this_year": 1,
                "yearly_cap": DEFAULT_CAPS.get(role, 1),
                "reviews_total": total,
            },
        )
        membership = review.memberships.get(user=user)
        ProposedMember.objects.create(
            proposal=proposal,
            profile=profile,
            slot_code=slot,
            slot_label=labels.get(slot, slot),
            pinned=True,
            reasons=[f"covers {', '.join(specialisms)}", "accepted the invitation"],
        )
        if key != "pcm":
            PeerInvitation.objects.create(
                review=review,
                profile=profile,
                slot_code=slot,
                slot_label=labels.get(slot, slot),
                token_hash=PeerInvitation.hash(secrets.token_urlsafe(32)),
                response=PeerInvitation.Response.ACCEPTED,
                membership=membership,
                sent_by=pcm,
                responded_at=timezone.now() - datetime.timedelta(days=50),
            )
    HostDecision.objects.create(
        proposal=proposal,
        decision=HostDecision.Decision.ACCEPTED,
        reason="Content with the team; the police and adult social care perspectives were what we asked for.",
        team_snapshot=[
            {"profile_id": m.profile_id, "name": m.profile.full_name, "slot": m.slot_code}
            for m in proposal.members.all()
        ],
        by=users["sponsor"],
    )
