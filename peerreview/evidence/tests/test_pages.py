from django.urls import reverse

from peerreview.core.roles import Role
from peerreview.evidence import actions


def _url(world, name, **kw):
    return reverse(f"evidence:{name}", kwargs={"review_id": world.review.pk, **kw})


def test_matrix_shows_counts_heat_and_gaps(world):
    ev = world.extra["evidence"]
    for i in range(4):
        actions.add_note(
            world.review,
            by=world.members[Role.PEER],
            text=f"n{i}",
            source_type="interview",
            lines=[ev["lines"][1]],
            session=ev["session"],
        )
    page = world.client(Role.PEER).get(_url(world, "matrix")).content.decode()
    assert 'app-heat-4">4<' in page and 'app-heat-0">0<' in page
    assert "Gaps" in page and "Hold a focus group with front-line practitioners" in page
    assert "Contacts and referrals data" in page  # the line's evidence prompts


def test_team_meeting_lists_today_moved_to_test_and_challenges(world):
    ev = world.extra["evidence"]
    page = world.client(Role.LEAD).get(_url(world, "meeting") + f"?day={ev['session'].day:%Y-%m-%d}").content.decode()
    assert "What we heard today (1 note)" in page
    assert "Have we heard from partners?" in page
    assert "Thresholds are well understood" in page and "needs 2 more supporting evidence notes" in page
    assert world.client(Role.LEAD).get(_url(world, "meeting") + "?day=nonsense").status_code == 200


def test_team_meeting_defaults_to_the_latest_day_and_links_the_others(world):
    import datetime

    ev = world.extra["evidence"]
    first = ev["session"].day
    later = first + datetime.timedelta(days=2)
    peer = world.members[Role.PEER]
    kw = {"by": peer, "source_type": "document", "lines": [ev["lines"][0]]}
    actions.add_note(world.review, text="a", source_ref="Plan", day=later, **kw)
    actions.add_note(world.review, text="b", source_ref="Plan", day=later, **kw)
    actions.add_note(world.review, text="c", session=ev["session"], **kw)
    page = world.client(Role.LEAD).get(_url(world, "meeting")).content.decode()
    assert "What we heard today (2 notes)" in page  # the latest day with notes
    assert f'href="?day={first:%Y-%m-%d}"' in page and f'href="?day={later:%Y-%m-%d}"' not in page
    page = world.client(Role.LEAD).get(_url(world, "meeting") + f"?day={first:%Y-%m-%d}").content.decode()
    assert "What we heard today (2 notes)" in page and "Front door team managers (2)" in page
    assert f'href="?day={later:%Y-%m-%d}"' in page


def test_charts_page_and_png(world):
    c = world.client(Role.OBSERVER)
    page = c.get(_url(world, "charts")).content.decode()
    assert 'alt="' in page and "evidence.png" in page
    r = c.get(_url(world, "chart", kind="findings"))
    assert r["Content-Type"] == "image/png" and r.content.startswith(b"\x89PNG")
    assert c.get(_url(world, "chart", kind="other")).status_code == 404
