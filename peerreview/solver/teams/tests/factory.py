"""Small hand-made problems for the tests."""

from peerreview.solver.teams import Peer, Problem, Review, Slot

WEEKS = frozenset({"2027-W10", "2027-W11"})
LEAD = Slot("lead", "Review lead", frozenset({"dcs", "ad"}), 1, 1)
OFFICER = Slot("officer", "Officer peer", frozenset({"operational_manager", "head_of_service"}), 1, 2)
AUDITOR = Slot("auditor", "Case auditor", frozenset({"case_auditor"}), 1, 2)
SLOTS = (LEAD, OFFICER, AUDITOR)


def peer(pid, role, org="X", **kw):
    kw.setdefault("reviews_total", 3)
    return Peer(id=pid, name=kw.pop("name", f"Peer {pid}"), organisation=org, role=role, **kw)


def review(rid="r1", host="HOST", weeks=WEEKS, **kw):
    kw.setdefault("slots", SLOTS)
    kw.setdefault("lines_of_enquiry", frozenset({"send", "front_door", "care_leavers"}))
    kw.setdefault("neighbour_orgs", frozenset({"NEIGH"}))
    return Review(id=rid, name=kw.pop("name", f"Review {rid}"), host_org=host, weeks=weeks, **kw)


def pool():
    return [
        peer("l1", "dcs", "A", specialisms={"send"}),
        peer("l2", "ad", "B", specialisms={"front_door"}, name="Sam Patel"),
        peer("l3", "ad", "NEIGH", specialisms={"send", "front_door", "care_leavers"}),
        peer("o1", "operational_manager", "A", specialisms={"care_leavers"}),
        peer("o2", "head_of_service", "C", specialisms={"send"}, reviews_total=0),
        peer("o3", "operational_manager", "D", specialisms={"front_door"}),
        peer("o4", "head_of_service", "HOST", specialisms={"care_leavers", "send"}),
        peer("a1", "case_auditor", "E", specialisms={"care_leavers"}),
        peer("a2", "case_auditor", "F"),
        peer("a3", "case_auditor", "G", unavailable_weeks={"2027-W10"}),
    ]


def single(**kw):
    return Problem(tuple(pool()), (review(**kw),))
