"""The Borsetshire demo week: participants from the council and its partners, about sixty sessions, solved."""

import datetime as dt

from peerreview.solver import timetable as tt

from . import actions, build, invitations
from .models import Participant, PeerSetting, Room, Session, Unavailability

COUNCIL = "Borsetshire County Council"
POLICE = "West Borsetshire Police"
HEALTH = "Borsetshire Integrated Care Board"
SCHOOLS = "Borsetshire schools"

# name, kind, organisation, senior leader, young people
PARTICIPANTS = [
    ("Chief Executive", "person", COUNCIL, True, False),
    ("Director of Children's Services", "person", COUNCIL, True, False),
    ("Lead Member for Children", "person", COUNCIL, True, False),
    ("Assistant Director, Safeguarding", "person", COUNCIL, True, False),
    ("Assistant Director, Early Help and Prevention", "person", COUNCIL, True, False),
    ("Head of Early Help", "person", COUNCIL, False, False),
    ("Head of the MASH and Front Door", "person", COUNCIL, False, False),
    ("Head of Children in Care", "person", COUNCIL, False, False),
    ("Principal Social Worker", "person", COUNCIL, False, False),
    ("Head of Quality Assurance", "person", COUNCIL, False, False),
    ("Head of HR and Workforce Development", "person", COUNCIL, False, False),
    ("Independent Reviewing Officers", "group", COUNCIL, False, False),
    ("MASH team managers", "group", COUNCIL, False, False),
    ("MASH social workers", "group", COUNCIL, False, False),
    ("Assessment team managers", "group", COUNCIL, False, False),
    ("Assessment social workers", "group", COUNCIL, False, False),
    ("Child protection team managers", "group", COUNCIL, False, False),
    ("Child protection social workers", "group", COUNCIL, False, False),
    ("Newly qualified social workers", "group", COUNCIL, False, False),
    ("Early help family workers", "group", COUNCIL, False, False),
    ("Children in care social workers", "group", COUNCIL, False, False),
    ("Foster carers", "group", COUNCIL, False, False),
    ("Young people in care (Children in Care Council)", "group", COUNCIL, False, True),
    ("Care leavers", "group", COUNCIL, False, True),
    ("Detective Inspector, Public Protection", "person", POLICE, False, False),
    ("MASH police officers", "group", POLICE, False, False),
    ("Designated Nurse for Safeguarding", "person", HEALTH, False, False),
    ("Health visitors and school nurses", "group", HEALTH, False, False),
    ("Designated safeguarding leads (schools)", "group", SCHOOLS, False, False),
    ("Virtual School Head", "person", COUNCIL, False, False),
    (
        "Independent Chair, Safeguarding Children Partnership",
        "person",
        "Borsetshire Safeguarding Children Partnership",
        True,
        False,
    ),
    ("Trade union representatives", "group", COUNCIL, False, False),
]

L, FD, MASH, NEG, WF, VOICE = (
    "leadership.self_knowledge",
    "front_door.thresholds",
    "front_door.mash",
    "child_protection.neglect",
    "workforce.stability",
    "voice_of_child.participation",
)

# title, kind, minutes, peers, participants, lines, specialism
SESSIONS = [
    ("Chief Executive", "interview", 60, 2, ["Chief Executive"], [L], ""),
    ("Director of Children's Services", "interview", 60, 2, ["Director of Children's Services"], [L, WF], ""),
    (
        "Director of Children's Services: testing emerging findings",
        "interview",
        45,
        2,
        ["Director of Children's Services"],
        [L],
        "",
    ),
    ("Lead Member for Children", "interview", 60, 2, ["Lead Member for Children"], [L], ""),
    ("Assistant Director, Safeguarding", "interview", 60, 2, ["Assistant Director, Safeguarding"], [L, NEG], ""),
    (
        "Assistant Director, Early Help and Prevention",
        "interview",
        60,
        2,
        ["Assistant Director, Early Help and Prevention"],
        [FD, NEG],
        "",
    ),
    ("Head of Early Help", "interview", 60, 2, ["Head of Early Help"], [FD, NEG], ""),
    ("Head of the MASH and Front Door", "interview", 60, 2, ["Head of the MASH and Front Door"], [FD, MASH], ""),
    ("Head of Children in Care", "interview", 60, 2, ["Head of Children in Care"], [VOICE], ""),
    ("Principal Social Worker", "interview", 60, 2, ["Principal Social Worker"], [WF, NEG], ""),
    ("Head of Quality Assurance", "interview", 60, 2, ["Head of Quality Assurance"], [L], ""),
    ("Head of HR and Workforce Development", "interview", 60, 1, ["Head of HR and Workforce Development"], [WF], ""),
    (
        "Independent Chair of the Safeguarding Children Partnership",
        "interview",
        60,
        2,
        ["Independent Chair, Safeguarding Children Partnership"],
        [MASH, L],
        "",
    ),
    (
        "Detective Inspector, Public Protection",
        "interview",
        60,
        2,
        ["Detective Inspector, Public Protection"],
        [MASH],
        "police",
    ),
    ("Designated Nurse for Safeguarding", "interview", 60, 2, ["Designated Nurse for Safeguarding"], [MASH, NEG], ""),
    ("Virtual School Head", "interview", 45, 1, ["Virtual School Head"], [VOICE], ""),
    (
        "Front door walk-through with MASH police",
        "practice_observation",
        90,
        1,
        ["MASH police officers"],
        [MASH, FD],
        "police",
    ),
    ("Observation of a MASH strategy discussion", "practice_observation", 90, 1, ["MASH team managers"], [MASH], ""),
    ("MASH team managers", "focus_group", 60, 2, ["MASH team managers"], [FD, MASH], ""),
    ("MASH social workers", "focus_group", 60, 2, ["MASH social workers"], [FD, MASH], ""),
    ("MASH police officers", "focus_group", 60, 2, ["MASH police officers"], [MASH], "police"),
    ("Assessment team managers", "focus_group", 60, 2, ["Assessment team managers"], [FD, NEG], ""),
    ("Assessment social workers", "focus_group", 60, 2, ["Assessment social workers"], [NEG, WF], ""),
    ("Child protection team managers", "focus_group", 60, 2, ["Child protection team managers"], [NEG], ""),
    ("Child protection social workers", "focus_group", 60, 2, ["Child protection social workers"], [NEG, WF], ""),
    ("Newly qualified social workers", "focus_group", 60, 2, ["Newly qualified social workers"], [WF], ""),
    ("Early help family workers", "focus_group", 60, 2, ["Early help family workers"], [FD, NEG], ""),
    ("Children in care social workers", "focus_group", 60, 2, ["Children in care social workers"], [VOICE], ""),
    ("Independent Reviewing Officers", "focus_group", 60, 2, ["Independent Reviewing Officers"], [VOICE, L], ""),
    ("Foster carers", "focus_group", 60, 2, ["Foster carers"], [VOICE], ""),
    ("Young people in care", "focus_group", 60, 2, ["Young people in care (Children in Care Council)"], [VOICE], ""),
    ("Care leavers", "focus_group", 60, 2, ["Care leavers"], [VOICE], ""),
    ("Health visitors and school nurses", "focus_group", 60, 2, ["Health visitors and school nurses"], [NEG, MASH], ""),
    (
        "Designated safeguarding leads from schools",
        "focus_group",
        60,
        2,
        ["Designated safeguarding leads (schools)"],
        [FD, NEG],
        "",
    ),
    ("Trade union representatives", "focus_group", 45, 1, ["Trade union representatives"], [WF], ""),
    (
        "Partnership: police, health and schools together",
        "focus_group",
        90,
        2,
        [
            "Detective Inspector, Public Protection",
            "Designated Nurse for Safeguarding",
            "Designated safeguarding leads (schools)",
        ],
        [MASH, L],
        "",
    ),
]
CASES = [f"Case discussion BOR-C{n:02d}" for n in range(1, 13)]


def extend(review, users) -> None:
    organiser = users["organiser"]
    lines = {line.code: line for line in review.lines.all()}
    people = {}
    for name, kind, org, senior, young in PARTICIPANTS:
        people[name] = Participant.objects.create(
            review=review, name=name, kind=kind, organisation=org, is_senior_leader=senior, is_young_people=young
        )
    Room.objects.create(review=review, name="Committee Room 1", location="County Hall, Borchester")
    members = {m.user.email.split("@")[0]: m for m in build.team(review)}
    for key, specialisms, cap in [
        ("police", "police", None),
        ("psw", "adult social care", None),
        ("peer", "safeguarding, front door", None),
        ("auditor", "case audit", 6),
        ("lead", "", 5),
        ("observer", "", 5),
    ]:
        if key in members:
            PeerSetting.objects.create(membership=members[key], specialisms=specialisms, max_sessions_per_day=cap)
    actions.add_template_events(review, by=organiser)
    for title, kind, minutes, peers, who, codes, specialism in SESSIONS:
        s = Session.objects.create(
            review=review,
            title=title,
            kind=kind,
            minutes=minutes,
            peers_needed=peers,
            required_specialism=specialism,
            meeting_link=f"https://meet.borsetshire.example/{len(title)}-{kind.replace('_', '-')}",
        )
        s.participants.set([people[n] for n in who])
        s.lines.set([lines[c] for c in codes if c in lines])
    days = build.week_days(review)
    for i, title in enumerate(CASES):
        # Thursday is the case discussion day: four at a time, with the case auditors and peers.
        s = Session.objects.create(
            fixed_day=days[3],
            fixed_start=dt.time(9 + i // 4, 30),
            review=review,
            title=title,
            kind="case_discussion",
            minutes=45,
            peers_needed=1,
            meeting_link="https://meet.borsetshire.example/case-discussions",
        )
        ref = title.rsplit(" ", 1)[1]
        worker = Participant.objects.create(
            review=review, name=f"Social worker and manager for {ref}", kind="group", organisation=COUNCIL
        )
        s.participants.set([worker])
        s.lines.set([lines[c] for c in (NEG,) if c in lines])
    for name, day, start, end, reason in [
        ("Lead Member for Children", 2, "09:00", "17:30", "Full council meeting"),
        ("Head of Early Help", 3, "09:00", "13:00", "Court hearing"),
        ("Chief Executive", 0, "09:00", "14:00", "Cabinet briefing"),
        ("Detective Inspector, Public Protection", 4, "09:00", "17:30", "Leave"),
        ("Foster carers", 0, "09:00", "17:30", "Foster carer training day"),
    ]:
        Unavailability.objects.create(
            review=review,
            participant=people[name],
            day=days[day],
            start=dt.time.fromisoformat(start),
            end=dt.time.fromisoformat(end),
            reason=reason,
        )
    # Front-line teams hold their duty weeks on Monday and Tuesday; the organiser booked them later in the week.
    for name in [
        "MASH social workers",
        "Assessment social workers",
        "Child protection social workers",
        "Newly qualified social workers",
        "Early help family workers",
        "Children in care social workers",
        "Health visitors and school nurses",
        "Independent Reviewing Officers",
    ]:
        for day in days[:2]:
            Unavailability.objects.create(
                review=review,
                participant=people[name],
                day=day,
                start=dt.time(9),
                end=dt.time(17, 30),
                reason="Duty week: available Wednesday to Friday",
            )
    if "police" in members:
        Unavailability.objects.create(
            review=review,
            membership=members["police"],
            day=days[4],
            start=dt.time(9),
            end=dt.time(12),
            reason="Force duty",
        )
    problem = build.build_problem(review)
    result = tt.solve(problem, time_limit=15, workers=2, seed=1)
    if result.status not in ("optimal", "feasible"):
        result = tt.greedy(problem)
    build.apply_timetable(review, result.timetable)
    invitations.sync(review)  # everyone's calendar entries, ready to send
