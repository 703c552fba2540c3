"""The header every page shares: the overdue badge counts what the overdue page lists (overdue
tasks), unread notices are counted apart, the office is named once, and there is a favicon."""
import re
from datetime import timedelta

from tests.helpers import run_due, start_entrustment_case

TOWNSHIP_SUPERVISOR = "supervisor.township.430104001000"


def badge(page: str, name: str) -> int | None:
    found = re.search(rf'id="{name}"[^>]*>(?:✉ )?(\d+)<', page)
    return int(found.group(1)) if found else None


def test_the_badge_and_the_overdue_page_agree_and_notices_are_counted_apart(app, api, start_data, clock, browser):
    start_entrustment_case(api, start_data)
    start_entrustment_case(api, {**start_data, "child": {**start_data["child"], "id_number": "430104201501010031"}})
    browser.sign_in(TOWNSHIP_SUPERVISOR)
    assert badge(browser.get("/").get_data(as_text=True), "overdue-badge") is None  # nothing late yet
    clock.advance(timedelta(days=8))
    run_due(app)  # two home visits overdue; the supervisor is notified of each
    page = browser.get("/overdue").get_data(as_text=True)
    listed = sum(int(n) for n in re.findall(r'<td class="overdue">(\d+)</td>', page))
    assert listed == 2
    assert badge(page, "overdue-badge") == listed
    unread = len(api(TOWNSHIP_SUPERVISOR).get("/notifications?unread=1").get_json())
    assert unread >= 1 and badge(page, "notice-badge") == unread
    assert badge(browser.get("/").get_data(as_text=True), "overdue-badge") == listed  # on every page


def test_the_office_is_named_once_and_pages_have_a_favicon(browser, client):
    browser.sign_in("civil_affairs.430104000000")
    page = browser.get("/").get_data(as_text=True)
    header = page[page.index('<header'):page.index('</header>')]
    assert header.count("岳麓区民政局") == 1
    assert 'rel="icon"' in page
    icon = client.get("/static/favicon.svg")
    try:
        assert icon.status_code == 200 and b"<svg" in icon.data
    finally:
        icon.close()


def test_past_ninety_nine_the_badge_says_99_plus_and_the_overdue_page_counts_them_all(app, api, start_data, clock, browser):
    """The badges count no further than they show (every page asks them): the overdue page keeps the count."""
    from sqlalchemy import select
    from sqlalchemy.orm import make_transient
    from webapp.models import HumanTask

    start_entrustment_case(api, start_data)
    clock.advance(timedelta(days=8))
    with app.extensions["tonghu.sessionmaker"]() as s:  # the late home visit, 120 times over
        late = s.scalars(select(HumanTask).where(HumanTask.state == "open")).one()
        s.expunge(late)
        make_transient(late)
        for n in range(119):
            late.id, late.task_guid = None, f"copy-{n}"
            s.add(late)
            s.flush()
            s.expunge(late)
            make_transient(late)
        s.commit()
    browser.sign_in(TOWNSHIP_SUPERVISOR)
    page = browser.get("/overdue").get_data(as_text=True)
    assert sum(int(n) for n in re.findall(r'<td class="overdue">(\d+)</td>', page)) == 120
    assert re.search(r'id="overdue-badge"[^>]*>99\+<', page)
    assert re.search(r'id="overdue-badge"[^>]*>99\+<', browser.get("/").get_data(as_text=True))
