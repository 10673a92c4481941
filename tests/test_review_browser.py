"""The review pages in a real browser: headless Chromium driven by selenium against the review
app serving the audited seeds, and against the static file opened from file://.

Uses the system Chromium and chromedriver (Debian: apt-get install chromium chromium-driver;
.ci/run installs them); selenium-manager is never asked to download anything. Skipped, with
the reason, when either is missing. Set JIXIAO_SCREENSHOT=docs/review.png to save the
screenshot used in the README."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
import sqlite_utils

from conftest import invoke

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import selenium  # noqa: F401
    SELENIUM = True
except ImportError:
    SELENIUM = False

MISSING = None if (CHROMIUM and CHROMEDRIVER and SELENIUM) else (
    "needs headless Chromium: apt-get install chromium chromium-driver, and pip install -e '.[test]' for selenium"
)
# .ci/run sets JIXIAO_REQUIRE_BROWSER=1: there a missing browser fails instead of skipping quietly
pytestmark = pytest.mark.skipif(bool(MISSING) and not os.environ.get("JIXIAO_REQUIRE_BROWSER"), reason=MISSING or "")
WAIT = 15  # seconds; only an upper bound, every wait polls for its condition


@pytest.fixture(scope="module")
def browser():
    if MISSING:
        pytest.fail(MISSING)
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must not go looking for downloads
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run", "--window-size=1440,960", "--lang=zh-CN"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def served(audited):
    """The review app on a free 127.0.0.1 port, in a thread, for one test."""
    from werkzeug.serving import make_server

    from extractor.review.server import create_app

    app = create_app(audited, reviewer="浏览器测试")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PORT"] = server.server_port  # Host and Origin must name this port exactly
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", audited
    server.shutdown()
    thread.join()
    server.server_close()


def wait_for(driver, condition, message: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(lambda d: condition(d), message)


def press(driver, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


SPAN_IN_VIEW = """
const marks = Array.from(document.querySelectorAll('mark.ev.active'))
    .filter(m => m.dataset.f.split(' ').includes(arguments[0]));
if (!marks.length) return 'no active mark';
const r = marks[0].getBoundingClientRect(), pane = marks[0].closest('.text-pane').getBoundingClientRect();
const inside = r.height > 0 && r.top >= pane.top && r.bottom <= pane.bottom && r.top >= 0 && r.bottom <= innerHeight;
return inside ? 'ok' : 'out of view: ' + JSON.stringify([r.top, r.bottom, pane.top, pane.bottom]);
"""


def cards(driver):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, ".finding")


def active_fp(driver) -> str:
    return driver.execute_script("const c = document.querySelector('.finding.active'); return c ? c.dataset.fp : null;")


def test_review_a_finding_in_the_browser(browser, served):
    from selenium.webdriver.common.by import By

    url, db_path = served
    browser.get(url)
    rows = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.report-row"), "index rows")
    assert len(rows) == 4 and "004_" in rows[0].text  # most errors first

    next(r for r in rows if "001_" in r.text).find_element(By.CSS_SELECTOR, "td.name a").click()
    wait_for(browser, lambda d: len(cards(d)) == 4, "the report's four findings")
    target = next(c for c in cards(browser) if "sum.basic_breakdown" in c.text)
    fp = target.get_attribute("data-fp")
    target.find_element(By.CSS_SELECTOR, ".title").click()
    assert "active" in target.get_attribute("class")
    assert browser.execute_script(SPAN_IN_VIEW, fp) == "ok"  # scrolled to, and highlighted

    press(browser, "n")
    assert browser.switch_to.active_element.get_attribute("class") == "note"
    note = "分项合计1285.78万元，与基本支出差0.17万元"
    press(browser, note + "\n")  # Enter saves the note on its own and leaves the field
    wait_for(browser, lambda d: d.find_element(By.ID, "toast").text == "备注已保存", "the note is saved")
    press(browser, "c")
    wait_for(browser, lambda d: target.get_attribute("data-status") == "confirmed", "the card shows the decision")
    rows = sqlite_utils.Database(db_path).execute("select decision, note, reviewer from reviews where fingerprint = ? order by id", [fp]).fetchall()
    assert rows == [(None, note, "浏览器测试"), ("confirmed", note, "浏览器测试")]
    wait_for(browser, lambda d: active_fp(d) != fp, "moves on to the next finding")
    assert browser.execute_script(SPAN_IN_VIEW, active_fp(browser)) == "ok"

    shot = os.environ.get("JIXIAO_SCREENSHOT")
    if shot:  # the README's picture: both sides of the 基本支出 conflict, the next finding confirmed
        press(browser, "kk")
        browser.execute_script("document.getElementById('toast').hidden = true;")
        Path(shot).parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(shot)


def test_every_finding_reviewed_from_the_keyboard(browser, served):
    from selenium.webdriver.common.by import By

    url, db_path = served
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.report-row"), "index rows")
    press(browser, "jj\n")  # second report in the list: 001, four findings
    wait_for(browser, lambda d: len(cards(d)) == 4, "report 001")
    order = [c.get_attribute("data-fp") for c in cards(browser)]
    press(browser, "k")  # already on the first: stays there
    assert active_fp(browser) == order[0]
    for n, key in enumerate("cdcd"):
        assert active_fp(browser) == order[n]
        press(browser, key)
        wait_for(browser, lambda d: cards(d)[n].get_attribute("data-status") != "unreviewed", f"decision {n + 1} shown")
    db = sqlite_utils.Database(db_path)
    stored = dict(db.execute("select fingerprint, decision from latest_reviews").fetchall())
    assert [stored.get(fp) for fp in order] == ["confirmed", "dismissed", "confirmed", "dismissed"]
    press(browser, "k")
    wait_for(browser, lambda d: active_fp(d) == order[2], "k goes back one finding")
    press(browser, "d")  # a changed mind: a new row, the old one kept
    wait_for(browser, lambda d: cards(d)[2].get_attribute("data-status") == "dismissed", "changed decision shown")
    assert db.execute("select count(*) from reviews where fingerprint = ?", [order[2]]).fetchone()[0] == 2
    press(browser, "]")
    wait_for(browser, lambda d: "003_" in d.find_element(By.CSS_SELECTOR, ".report-title h1").text, "] opens the next report")
    press(browser, "i")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.report-row"), "i returns to the list")
    assert "4/4" in browser.find_elements(By.CSS_SELECTOR, "tr.report-row")[1].text


def test_static_file_works_offline_and_read_only(browser, audited, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out = tmp_path / "review.html"
    assert invoke("html", "--db", audited, "-o", out).exit_code == 0
    browser.get(out.as_uri())
    visible_rows = lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, "tr.report-row") if r.is_displayed()]  # noqa: E731
    assert len(wait_for(browser, visible_rows, "index rows")) == 4
    Select(browser.find_element(By.NAME, "severity")).select_by_value("warning")
    wait_for(browser, lambda d: len(visible_rows(d)) == 3, "the severity filter")
    visible_rows(browser)[0].find_element(By.CSS_SELECTOR, "td.name a").click()
    wait_for(browser, lambda d: len(cards(d)) == 5, "report 004 rendered from its fragment")
    card = cards(browser)[3]
    card.find_element(By.CSS_SELECTOR, ".title").click()
    assert browser.execute_script(SPAN_IN_VIEW, card.get_attribute("data-fp")) == "ok"
    press(browser, "c")
    toast = wait_for(browser, lambda d: d.find_element(By.ID, "toast").text, "read-only notice")
    assert "只读" in toast and card.get_attribute("data-status") == "unreviewed"
    card.find_element(By.CSS_SELECTOR, "a.check").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "catalogue-view").is_displayed(), "the bundled check catalogue")
    browser.back()
    wait_for(browser, lambda d: d.find_element(By.ID, "report-view").is_displayed(), "back to the report")


def test_a_note_typed_and_left_survives_moving_to_another_report(browser, served):
    """Typed, Esc, then ] and [: the note is still there as a draft (kept in the browser), and
    nothing was written to the database."""
    from selenium.webdriver.common.by import By

    url, db_path = served
    browser.get(url)
    rows = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.report-row"), "index rows")
    next(r for r in rows if "001_" in r.text).find_element(By.CSS_SELECTOR, "td.name a").click()
    wait_for(browser, lambda d: len(cards(d)) == 4, "the report's four findings")
    fp = active_fp(browser)
    first = browser.current_url.split("#")[0]
    press(browser, "n")
    press(browser, "待与财政局核对" + "\ue00c")  # Escape: leave the field without saving
    press(browser, "]")
    wait_for(browser, lambda d: d.current_url.split("#")[0] != first, "the next report")
    press(browser, "[")
    wait_for(browser, lambda d: d.find_elements(By.ID, f"f-{fp}"), "back on the first report")
    card = browser.find_element(By.ID, f"f-{fp}")
    assert card.find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == "待与财政局核对"
    assert "note-draft" in card.get_attribute("class")
    assert sqlite_utils.Database(db_path)["reviews"].count == 0
