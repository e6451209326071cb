"""Borsetshire's delivery week: about 400 evidence notes from the demo peers and about 40 findings.

Most findings are supported and agreed; two are still unsupported and one has an open challenge from the observer.
"""

import datetime
import random

from django.utils import timezone

from . import actions, search
from .models import Challenge, EvidenceSession, Finding, FindingLink, FindingStatus, Note, NoteLine

# line code -> [(kind, finding title, [what people said that supports it])]
FINDINGS = {
    "leadership.self_knowledge": [
        (
            "strength",
            "Leaders know the service well and are visible to front-line staff",
            [
                "Senior leaders visit teams regularly and staff know who they are",
                "The self-assessment is honest about where practice is not good enough",
                "Performance reports are discussed monthly at the leadership team",
            ],
        ),
        (
            "strength",
            "The self-assessment is candid and matches what the team found",
            [
                "The self-assessment names re-referrals as the main risk",
                "Audit findings are quoted in the self-assessment without softening",
            ],
        ),
        (
            "area",
            "Performance information is not always used to change practice",
            [
                "Managers receive reports but few could say what changed because of them",
                "Data on repeat plans is collected but not analysed by team",
            ],
        ),
        (
            "recommendation",
            "Use the performance framework to track the impact of the neglect strategy",
            [
                "There is no measure of whether the neglect strategy is working",
                "Neglect toolkit use is not recorded in the case system",
            ],
        ),
    ],
    "front_door.thresholds": [
        (
            "strength",
            "Thresholds are understood by most partners",
            [
                "Schools described the threshold document as clear and practical",
                "Police referrers could explain when a contact becomes a referral",
                "Health visitors use the consultation line before referring",
            ],
        ),
        (
            "area",
            "Re-referrals are rising and the reasons are not understood",
            [
                "Re-referrals rose from 24% to 27% over three quarters",
                "Several re-referred families had closed after a single assessment",
                "Managers could not say why re-referrals are rising",
            ],
        ),
        (
            "area",
            "Consent is not always sought or recorded before checks",
            [
                "Consent was not recorded in four of the cases looked at",
                "Some referrers believe the front door will seek consent for them",
            ],
        ),
        (
            "recommendation",
            "Audit a sample of re-referrals to understand the pattern",
            [
                "Nobody has looked at re-referrals case by case",
                "The quality assurance plan does not include the front door this year",
            ],
        ),
    ],
    "front_door.mash": [
        (
            "strength",
            "Police and health are present in the hub every day",
            [
                "Police researchers sit with social workers in the hub",
                "A health practitioner attends every strategy discussion",
                "Partners share systems access in the hub",
            ],
        ),
        (
            "strength",
            "Strategy discussions are timely and well attended",
            [
                "Strategy discussions are held on the day in most cases",
                "Education is represented at most strategy discussions",
            ],
        ),
        (
            "area",
            "The quality of police referrals is variable",
            [
                "Some police referrals arrive with little analysis of risk",
                "Hub staff spend time chasing information from police referrals",
            ],
        ),
        (
            "recommendation",
            "Agree a shared quality standard for referrals with police partners",
            [
                "There is no agreed standard for what a good referral contains",
                "Police leaders welcomed the idea of joint referral audits",
            ],
        ),
    ],
    "child_protection.neglect": [
        (
            "strength",
            "Social workers know their children well and visit regularly",
            [
                "Case records show regular visits and the child's views",
                "Workers spoke warmly and knowledgeably about the children they support",
                "Direct work with children is evident in most files",
            ],
        ),
        (
            "area",
            "Neglect is recognised late, after several contacts",
            [
                "Cases showed repeated contacts about neglect before a referral",
                "Early help closed several families where neglect later escalated",
                "The neglect toolkit is not used consistently",
            ],
        ),
        (
            "area",
            "Plans for children in neglect cases are not specific enough",
            [
                "Child protection plans use general actions such as 'improve home conditions'",
                "Review conferences do not always test whether plans are working",
            ],
        ),
        (
            "recommendation",
            "Relaunch the neglect toolkit with partners and track its use",
            ["Partners did not know the neglect toolkit exists", "Practitioners asked for training on cumulative harm"],
        ),
    ],
    "workforce.stability": [
        (
            "strength",
            "Social workers feel well supported by their managers",
            [
                "Staff said managers are accessible and supportive",
                "Newly qualified workers have protected caseloads",
                "The staff survey shows high satisfaction with supervision",
            ],
        ),
        (
            "strength",
            "Caseloads are manageable in most teams",
            ["Average caseloads are around 17 children", "Workers said they have time to see children"],
        ),
        (
            "area",
            "Reliance on agency staff in the assessment teams is high",
            [
                "A third of assessment team posts are filled by agency staff",
                "Families described several changes of worker",
            ],
        ),
        (
            "area",
            "Supervision is regular but not always reflective",
            ["Supervision records list tasks but rarely reflect on risk", "Staff want more group supervision"],
        ),
        (
            "recommendation",
            "Develop a recruitment and retention plan for the assessment teams",
            [
                "There is no specific plan for the assessment teams",
                "Neighbouring councils pay more for experienced workers",
            ],
        ),
    ],
    "voice_of_child.participation": [
        (
            "strength",
            "The children in care council is active and influential",
            [
                "Young people described changes they had made to leaving care support",
                "Senior leaders meet the children in care council every quarter",
            ],
        ),
        (
            "area",
            "The voice of younger children is not well captured in plans",
            [
                "Plans for under-fives rarely record the child's lived experience",
                "Workers asked for tools for direct work with very young children",
            ],
        ),
        (
            "recommendation",
            "Share direct-work tools for younger children across teams",
            ["Some teams have good direct-work tools that others do not know about"],
        ),
    ],
}
# Findings across the service (no single line).
GENERAL = [
    (
        "strength",
        "Staff are proud to work for the council and believe in its direction",
        ["Staff at every level described a shared sense of purpose", "Partners said the council is open to challenge"],
    ),
    (
        "area",
        "Partnership arrangements for neglect are not yet joined up",
        [
            "The safeguarding partnership has no neglect sub-group",
            "Partners described neglect work as the council's job",
        ],
    ),
]

# More findings, so the board looks like a real review's (about 40 in all).
MORE = {
    "leadership.self_knowledge": [
        (
            "strength",
            "Political and corporate support for children's services is strong",
            ["The lead member knows the service in detail", "Children's services budgets were protected this year"],
        ),
        (
            "area",
            "The improvement plan has too many actions to show priorities",
            ["The improvement plan has over ninety actions", "Managers could not name the plan's top three priorities"],
        ),
    ],
    "front_door.thresholds": [
        (
            "strength",
            "Decisions on contacts are timely",
            ["Most contacts are decided within one working day", "Partners said they get quick feedback on referrals"],
        ),
        (
            "area",
            "Step-down from social care to early help is not always planned",
            ["Some families stepped down without a meeting with early help", "Early help workers learn of cases late"],
        ),
    ],
    "front_door.mash": [
        (
            "area",
            "Information from schools reaches the hub late in the holidays",
            ["Schools find it hard to share information in the holidays", "Education staff cover the hub only in term"],
        ),
    ],
    "child_protection.neglect": [
        (
            "strength",
            "Conference chairs challenge drift well",
            [
                "Chairs raise concerns about drift through the escalation process",
                "Escalations lead to action in most cases",
            ],
        ),
        (
            "area",
            "Pre-proceedings work is not always timely",
            [
                "Some families were in pre-proceedings for more than six months",
                "Legal planning meetings are sometimes delayed",
            ],
        ),
        (
            "recommendation",
            "Introduce a tracker for children on plans for more than a year",
            ["Nobody tracks children who have been on plans for a long time", "Second plans are common"],
        ),
    ],
    "workforce.stability": [
        (
            "strength",
            "Training for social workers is valued and well attended",
            ["Workers described a strong training offer", "The academy for new social workers is well regarded"],
        ),
        (
            "recommendation",
            "Make group supervision available in every team",
            ["Teams that use group supervision value it", "Group supervision is offered in only two teams"],
        ),
    ],
    "voice_of_child.participation": [
        (
            "strength",
            "Advocacy is offered to children in child protection conferences",
            ["Most children of school age are offered an advocate", "Young people said their advocate helped"],
        ),
        (
            "area",
            "Feedback from families is not collected systematically",
            [
                "There is no routine feedback from parents after assessments",
                "Complaints are the main source of feedback",
            ],
        ),
    ],
}
GENERAL += [
    (
        "recommendation",
        "Agree a single partnership approach to neglect",
        ["Partners asked for one approach to neglect", "Each agency uses its own tools for neglect"],
    ),
    (
        "strength",
        "The council is open to challenge and learning",
        ["Leaders welcomed the peer team's challenge", "Learning from reviews is shared across teams"],
    ),
]
for _code, _items in MORE.items():
    FINDINGS[_code] = FINDINGS[_code] + _items

SESSIONS = [
    (0, "Council overview presentation and discussion", "overview"),
    (0, "Director of children's services", "interview"),
    (0, "Lead member and chief executive", "interview"),
    (1, "Front door team managers", "focus_group"),
    (1, "Hub partners: police, health and education", "focus_group"),
    (1, "Early help practitioners", "focus_group"),
    (1, "Front door case discussions", "case_discussion"),
    (1, "Observation of a hub morning meeting", "practice_observation"),
    (2, "Child protection social workers", "focus_group"),
    (2, "Independent reviewing officers and conference chairs", "focus_group"),
    (2, "Safeguarding partnership leaders", "interview"),
    (2, "Child protection case discussions", "case_discussion"),
    (2, "Observation of a child protection conference", "practice_observation"),
    (3, "Newly qualified social workers", "focus_group"),
    (3, "Team managers", "focus_group"),
    (3, "Principal social worker and workforce lead", "interview"),
    (3, "Children in care council", "focus_group"),
    (3, "Head teachers", "focus_group"),
    (4, "Heads of service", "focus_group"),
    (4, "Health partners", "interview"),
    (4, "Police partners", "interview"),
    (4, "Assessment team social workers", "focus_group"),
]
SOURCE_OF = {
    "overview": "interview",
    "interview": "interview",
    "focus_group": "focus_group",
    "case_discussion": "case_review",
    "practice_observation": "observation",
}
DOCUMENTS = [
    ("Self-assessment 2026", "document"),
    ("Performance data pack, Q3", "data"),
    ("Improvement plan 2026-27", "document"),
    ("Staff survey 2026", "survey"),
    ("Case audit BOR-C01", "case_review"),
    ("Case audit BOR-C02", "case_review"),
    ("Case audit BOR-C03", "case_review"),
    ("Workforce data", "data"),
]
GROUPS = ["social workers", "team managers", "senior leaders", "partners", "practitioners", "young people"]
PREFIX = ["", "Several people said: ", "We heard that ", "Asked about this, staff said ", "Consistently: "]
NEUTRAL = [
    "Staff described the structure of the service",
    "The team explained how cases move between teams",
    "Partners described their role in the hub",
    "The group talked about recent changes in leadership",
]


def extend(review, users) -> None:
    rng = random.Random(2026)
    lines = {line.code: line for line in review.lines.all()}
    peers = [users[k] for k in ("lead", "peer", "police", "psw", "pcm")]
    today = timezone.localdate()
    days = [review.delivery_start + datetime.timedelta(days=d) for d in range(5)]
    days = [d for d in days if d <= today] or [review.delivery_start]
    sessions = [
        EvidenceSession.objects.create(
            review=review, title=title, kind=kind, day=days[min(d, len(days) - 1)], created_by=users["pcm"]
        )
        for d, title, kind in SESSIONS
    ]

    notes, tags, support = [], [], {}

    def add(text, line_codes, leaning, key=None):
        if rng.random() < 0.7:
            s = rng.choice(sessions)
            note = Note(review=review, session=s, source_type=SOURCE_OF[s.kind], day=s.day)
        else:
            ref, source = rng.choice(DOCUMENTS)
            note = Note(review=review, source_ref=ref, source_type=source, day=rng.choice(days))
        note.text, note.leaning = text, leaning
        note.staff_groups = rng.choice(GROUPS) if note.session_id else ""
        note.author = rng.choice(peers)
        notes.append(note)
        tags.append([lines[c] for c in line_codes if c in lines])
        if key is not None:
            support.setdefault(key, []).append(len(notes) - 1)

    items = [(code, f) for code, fs in FINDINGS.items() for f in fs] + [("", f) for f in GENERAL]
    for i, (code, (kind, _title, said)) in enumerate(items):
        leaning = "strength" if kind == "strength" else "concern"
        codes = [code] if code else rng.sample(list(lines), 2)
        repeats = 1 if i in (3, 9) else rng.randint(6, 9)  # two findings are left with thin evidence
        for r in range(repeats):
            base = said[r % len(said)]
            add(f"{rng.choice(PREFIX)}{base[0].lower() + base[1:] if r % 5 else base}.", codes, leaning, key=i)
    while len(notes) < 400:
        add(f"{rng.choice(NEUTRAL)}.", [rng.choice(list(lines))], "neutral")
    Note.objects.bulk_create(notes)
    NoteLine.objects.bulk_create(
        [
            NoteLine(note=n, line=line, review=review, source_type=n.source_type, leaning=n.leaning, day=n.day)
            for n, ls in zip(notes, tags, strict=True)
            for line in ls
        ]
    )

    now = timezone.now()
    links = []
    for i, (code, (kind, title, _said)) in enumerate(items):
        f = Finding.objects.create(
            review=review,
            line=lines.get(code),
            kind=kind,
            title=title,
            created_by=rng.choice(peers),
            status=FindingStatus.THEORY if i in (3, 9, 14) else FindingStatus.AGREED,
            agreed_by=None if i in (3, 9, 14) else users["lead"],
            agreed_at=None if i in (3, 9, 14) else now,
        )
        chosen = support.get(i, [])
        links += [FindingLink(finding=f, note=notes[j], supports=True, linked_by=f.created_by) for j in chosen]
        if i == 14:
            Challenge.objects.create(
                finding=f,
                raised_by=users["observer"],
                text="Most of this came from managers. Have we heard from families or from workers who left?",
            )
        if i == 4:
            contra = next(j for j, n in enumerate(notes) if n.leaning == "strength" and j not in chosen)
            links.append(FindingLink(finding=f, note=notes[contra], supports=False, linked_by=users["observer"]))
    FindingLink.objects.bulk_create(links)
    search.reindex(review)

    actions.save_kit_draft(
        review,
        by=users["lead"],
        text="Emerging themes after three days:\n\nLeaders know the service well and staff feel supported.\n\n"
        "Thresholds are well understood, but re-referrals are rising and the team is testing why.\n\n"
        "Neglect is sometimes recognised late; we will look at more cases tomorrow.",
    )
    actions.share_kit(review, by=users["lead"])
    actions.save_report_sections(
        review,
        by=users["pcm"],
        sections={
            "introduction": "Borsetshire County Council asked the LGA for a remote peer diagnostic of its "
            "front door and its response to neglect.\n\nThe team met staff, partners, young people and leaders over "
            "five days and read the council's documents and data.",
            "scope": "The diagnostic looked at six key lines of enquiry agreed with the director of children's "
            "services.",
            "method": "Peers held interviews and focus groups, looked at cases with social workers "
            "and observed practice. Every finding rests on several kinds of evidence.",
            "case_review": "Two case auditors looked at 12 case records two weeks before the delivery week. Most "
            "showed timely visits and clear plans; three showed drift in neglect cases, where chronologies were not "
            "kept up to date.",
            "next_steps": "The council will prepare an action plan.\nThe LGA will offer follow-up support on neglect.",
        },
    )
