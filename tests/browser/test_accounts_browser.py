"""In a real browser: pasting is never blocked, and the idle warning's "Stay signed in" keeps the session alive."""

import time

import pytest

from peerreview.core.browser import assert_accessible, sign_in_browser
from peerreview.core.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE = """() => [...document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea')]
    .map((field) => {
        const data = new DataTransfer();
        data.setData('text/plain', 'pasted');
        const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
        field.dispatchEvent(event);
        return [field.name, event.defaultPrevented, field.getAttribute('autocomplete')];
    })"""


def test_nothing_cancels_a_paste_into_the_sign_in_fields_and_paste_then_sign_in_works(browser_page, live_server):
    page = browser_page
    make_user("pat@example.org")
    page.goto(f"{live_server.url}/sign-in/")
    fields = page.evaluate(PASTE)
    assert [f[0] for f in fields] == ["email", "password"]
    assert not any(prevented for _, prevented, _ in fields)
    assert dict((name, auto) for name, _, auto in fields) == {"email": "email", "password": "current-password"}
    # Paste the password from the clipboard, as a password manager or a person copying it would.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_label("Email address").fill("pat@example.org")
    page.evaluate("(text) => navigator.clipboard.writeText(text)", PASSWORD)
    page.get_by_label("Password").focus()
    page.keyboard.press("Control+V")
    assert page.get_by_label("Password").input_value() == PASSWORD
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Your reviews").is_visible()
    assert_accessible(page)


def test_stay_signed_in_extends_the_session_and_idling_signs_out(browser_page, live_server, settings):
    settings.SESSION_IDLE_SECONDS = 4  # the warning shows after one second (it is due two minutes early)
    page = browser_page
    make_user("pat@example.org")
    sign_in_browser(page, live_server, "pat@example.org")
    loaded = time.monotonic()
    dialog = page.locator("#timeout-warning")
    dialog.wait_for(state="visible", timeout=5000)
    assert_accessible(page)
    with page.expect_response("**/keep-alive/") as keep_alive:
        page.get_by_role("button", name="Stay signed in").click()
    assert keep_alive.value.status == 204
    extended = time.monotonic()
    assert not dialog.is_visible()
    # Past the idle time since the page loaded, but not since "Stay signed in".
    time.sleep(max(0, loaded + 4.5 - time.monotonic()))
    assert time.monotonic() - extended < 4, "the machine is too slow for this timing"
    page.reload()
    assert page.get_by_role("heading", name="Your reviews").is_visible()
    time.sleep(4.5)
    page.reload()
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.get_by_text("You were signed out because you had been inactive").is_visible()
