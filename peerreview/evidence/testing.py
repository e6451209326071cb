"""Evidence objects in the test world, and example arguments for the evidence URLs."""

import datetime

from peerreview.core.roles import Role
from peerreview.core.testing import URL_EXAMPLES, WORLD_HOOKS

LINES = ["leadership.self_knowledge", "front_door.thresholds", "workforce.stability"]


def add_evidence(review, members) -> dict:
    from peerreview.reviews.actions import choose_lines

    from . import actions
    from .models import Output

    choose_lines(review, by=members[Role.PCM], question_codes=LINES)
    lines = list(review.lines.all())
    day = review.delivery_start
    session = actions.create_session(
        review, by=members[Role.PEER], title="Front door team managers", kind="focus_group", day=day
    )
    note = actions.add_note(
        review,
        by=members[Role.PEER],
        session=session,
        text="Managers say thresholds are applied consistently in the front door.",
        source_type="focus_group",
        leaning="strength",
        lines=[lines[1]],
        staff_groups="team managers",
    )
    finding = actions.create_finding(
        review, by=members[Role.PEER], kind="strength", title="Thresholds are well understood", line=lines[1]
    )
    actions.link_notes(finding, by=members[Role.PEER], notes=[note], supports=True)
    challenge = actions.raise_challenge(finding, by=members[Role.OBSERVER], text="Have we heard from partners?")
    output = Output.objects.create(
        review=review, kind="docx", version=1, status="draft", content=b"PK", size=2, sha256="0" * 64
    )
    return {
        "lines": lines,
        "session": session,
        "note": note,
        "finding": finding,
        "link": finding.links.get(),
        "challenge": challenge,
        "output": output,
        "day": day + datetime.timedelta(days=0),
    }


def _hook(world) -> None:
    world.extra["evidence"] = add_evidence(world.review, world.members)
    world.extra["other_evidence"] = add_evidence(world.other_review, world.other_members)


WORLD_HOOKS.append(_hook)


def _ev(w):
    return w.extra["evidence"]


URL_EXAMPLES.update(
    {
        "evidence:session": lambda w: {"session_id": _ev(w)["session"].pk},
        "evidence:note_edit": lambda w: {"note_id": _ev(w)["note"].pk},
        "evidence:note_delete": lambda w: {"note_id": _ev(w)["note"].pk},
        "evidence:finding": lambda w: {"finding_id": _ev(w)["finding"].pk},
        "evidence:finding_edit": lambda w: {"finding_id": _ev(w)["finding"].pk},
        "evidence:finding_link": lambda w: {"finding_id": _ev(w)["finding"].pk},
        "evidence:finding_unlink": lambda w: {"finding_id": _ev(w)["finding"].pk, "link_id": _ev(w)["link"].pk},
        "evidence:finding_agree": lambda w: {"finding_id": _ev(w)["finding"].pk},
        "evidence:finding_challenge": lambda w: {"finding_id": _ev(w)["finding"].pk},
        "evidence:challenge_resolve": lambda w: {"challenge_id": _ev(w)["challenge"].pk},
        "evidence:chart": lambda w: {"kind": "evidence"},
        "evidence:generate": lambda w: {"kind": "docx"},
        "evidence:output_download": lambda w: {"output_id": _ev(w)["output"].pk},
    }
)
