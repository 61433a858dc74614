"""The web pages in a real headless Chromium, driven by Selenium: a person signs in, declares an
incident with the impact matrix while a second window's list shows it arrive live, acknowledges,
adds a hypothesis and confirms it, changes the status, resolves and signs out, at desktop width
and at phone width (390 px), with axe-core checking each page for serious or critical
accessibility violations. Screenshots of every step go
to a folder this prints (not committed).

Usage: MUSTER_BINARY=.build/debug/muster python3 Tests/Browser/ui_test.py
Exits 1 with the reasons when a check fails.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

binary = os.environ.get("MUSTER_BINARY", ".build/debug/muster")
work = tempfile.mkdtemp(prefix="muster-ui-")
shots = os.path.join(work, "screenshots")
os.makedirs(shots)
database = os.path.join(work, "muster.db")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def settle(condition, seconds=15):
    """Waits for a page to get where a click sends it: Selenium's click does not wait for the
    navigation it starts. Returns whether the condition came true."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


def muster(*arguments, token=None, stdin=None):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MUSTER_")}
    if token:
        environment.update({"MUSTER_URL": url, "MUSTER_TOKEN": token})
    return subprocess.run([binary, *arguments], input=stdin, capture_output=True, text=True, env=environment, check=True).stdout


with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
url = f"http://127.0.0.1:{port}"
server = subprocess.Popen(
    [binary, "serve", "--port", str(port), "--database", database],
    stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"),
    env={key: value for key, value in os.environ.items() if not key.startswith("MUSTER_")})
try:
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    admin = json.loads(muster("token", "create", "--name", "ui-admin", "--role", "admin", "--json", "--database", database))["secret"]
    muster("user", "create", "ann", "--name", "Ann Lee", "--email", "ann@example.com", token=admin)
    muster("user", "password", "ann", "--database", database, stdin="correct horse battery\n")
    muster("service", "create", "checkout", token=admin)
    # A deploy six minutes before the first incident: its page lists it among the recent changes.
    muster("change", "record", "--service", "checkout", "Deploy checkout v2.34", "--source", "ci",
           "--at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 360)), token=admin)
    muster("incident", "declare", "--title", "Checkout is down for card payments", "--severity", "P1", "--service", "checkout", token=admin)

    def api(method, path, body):
        request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method=method,
                                         headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(request, timeout=10).read() or b"{}")

    muster("user", "create", "ada", "--name", "Ada Park", "--email", "ada@example.com", "--role", "admin", token=admin)
    muster("user", "password", "ada", "--database", database, stdin="admin horse battery\n")
    api("POST", "/api/v1/schedules", {"id": "primary", "name": "Primary", "timeZone": "UTC", "layers": [
        {"name": "daily", "users": ["ann", "ada"], "shiftLength": 1, "unit": "days", "start": "2026-01-01T09:00:00Z", "timeZone": "UTC"}]})
    api("POST", "/api/v1/escalation-policies", {"id": "web-oncall", "name": "Web on call", "levels": [
        {"targets": [{"type": "schedule", "id": "primary"}], "delayMinutes": 10}]})
    integration = api("POST", "/api/v1/services/checkout/integrations", {"kind": "generic"})
    # A runbook for checkout, shown on its incidents.
    api("POST", "/api/v1/runbooks", {"id": "checkout-down", "title": "Checkout down", "services": ["checkout"],
                                     "body": "## First steps\n- [ ] Check the payment provider\n- [ ] Check the last deploy"})
    api("POST", "/api/v1/silences", {"matchers": ["alertname=\"DiskFull\""], "duration": "2h", "comment": "Resizing"})
    # Leadership hears a summary of checkout's incidents; its webhook refuses, so the page shows a failing delivery.
    api("POST", "/api/v1/stakeholder-groups", {"id": "leadership", "name": "Leadership", "mode": "summary", "services": ["checkout"],
                                               "members": [{"kind": "webhook", "address": "http://127.0.0.1:9/leadership"}]})
    # The public status page: a group, two components, the first incident published, maintenance to come.
    api("PUT", "/api/v1/status-page/settings", {"name": "Acme status", "accentColor": "#0b5cad",
                                                "links": [{"label": "Acme", "url": "https://acme.example/"}]})
    api("POST", "/api/v1/status-groups", {"id": "shop", "name": "Shop"})
    api("POST", "/api/v1/status-components", {"id": "checkout", "name": "Checkout", "services": ["checkout"], "groupID": "shop",
                                              "description": "Paying for the cart"})
    muster("service", "create", "search", token=admin)
    api("POST", "/api/v1/status-components", {"id": "search", "name": "Search", "services": ["search"], "position": 2})
    api("POST", "/api/v1/incidents/INC-2026-0001/updates", {"audience": "external", "phase": "identified",
                                                           "text": "Card payments fail; a fix is being rolled out."})
    api("POST", "/api/v1/maintenances", {"title": "Search index rebuild", "message": "Search results may be incomplete for an hour.",
                                         "components": ["search"], "startsAt": "2099-01-10T22:00:00Z", "endsAt": "2099-01-10T23:00:00Z"})
    muster("user", "create", "bob", "--name", "Bob Ray", "--email", "bob@example.com", token=admin)
    muster("user", "password", "bob", "--database", database, stdin="another horse battery\n")

    def browser(width, height):
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
            options.add_argument(argument)
        if width < 500:
            # A desktop window is never narrower than about 500 px; a phone is emulated.
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}})
        return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

    def sign_in(driver, user, password):
        driver.get(url + "/signin")
        driver.find_element(By.ID, "username").send_keys(user)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
        return settle(lambda: driver.current_url == url + "/incidents")

    for width, height, tag in [(1280, 800, "desktop"), (390, 844, "phone")]:
        driver = browser(width, height)
        watcher = browser(width, height)
        title = f"Payments fail at checkout ({tag})"
        try:
            def shot(step, of=driver):
                of.save_screenshot(os.path.join(shots, f"{tag}-{step}.png"))

            def accessible(page):
                axe = Axe(driver)
                axe.inject()
                results = axe.run()
                bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
                check(not bad, f"{tag} {page}: axe found {[(v['id'], [(n['target'], n.get('failureSummary')) for n in v['nodes']][:2]) for v in bad]}")

            def steady(action):
                """Runs an interaction again when a live update replaced the element under it."""
                for attempt in range(5):
                    try:
                        return action()
                    except StaleElementReferenceException:
                        time.sleep(0.3)
                return action()

            def submit(form_id):
                steady(lambda: driver.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]").click())

            # Signed out, the list sends the browser to sign in.
            driver.get(url + "/incidents")
            check(settle(lambda: driver.current_url.startswith(url + "/signin")), f"{tag}: not sent to sign in: {driver.current_url}")
            shot("01-signin")
            accessible("sign-in")
            # A wrong password is refused beside the field.
            driver.find_element(By.ID, "username").send_keys("ann")
            driver.find_element(By.ID, "password").send_keys("not the password")
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            check(settle(lambda: "username or the password is wrong" in driver.page_source), f"{tag}: no error for a wrong password")
            shot("02-wrong-password")
            # The right one opens the list.
            driver.find_element(By.ID, "password").send_keys("correct horse battery")
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            check(settle(lambda: driver.current_url == url + "/incidents"), f"{tag}: after sign-in at {driver.current_url}")
            check(settle(lambda: "Checkout is down for card payments" in driver.page_source), f"{tag}: the incident is not listed")
            shot("03-incidents")
            accessible("incidents")

            # A second window watches the list live.
            check(sign_in(watcher, "bob", "another horse battery"), f"{tag}: the second window could not sign in")
            check(settle(lambda: watcher.execute_script("return document.body.dataset.live") == "connected"),
                  f"{tag}: the second window's list is not live")

            # Declare with the impact matrix: it proposes a severity as the impact is assessed.
            driver.get(url + "/incidents/new")
            check(settle(lambda: driver.find_elements(By.ID, "declare-title")), f"{tag}: no declaration form")
            driver.find_element(By.ID, "declare-title").send_keys(title)
            driver.find_element(By.CSS_SELECTOR, "input[name=services][value=checkout]").click()
            driver.find_element(By.CSS_SELECTOR, "input[name=userImpact][value=many]").click()
            driver.find_element(By.CSS_SELECTOR, "input[name=businessImpact][value=significant]").click()
            check(settle(lambda: "The matrix proposes P2" in driver.find_element(By.ID, "proposal").text),
                  f"{tag}: the matrix proposed {driver.find_element(By.ID, 'proposal').text!r}")
            shot("04-declare")
            accessible("declare")
            submit("form-declare")
            check(settle(lambda: title in driver.title), f"{tag}: the declared incident is not shown: {driver.current_url}")
            check("P2" in driver.find_element(By.ID, "live-head").text, f"{tag}: not declared at P2")
            shot("05-declared")
            accessible("incident")

            # The watcher's list shows it without a reload.
            check(settle(lambda: title in watcher.page_source, 15), f"{tag}: the new incident did not arrive live")
            shot("06-arrived-live", watcher)

            # Acknowledge.
            submit("form-acknowledge")
            check(settle(lambda: "Acknowledged" in driver.find_element(By.ID, "live-head").text), f"{tag}: not acknowledged")
            # A hypothesis, then confirmed.
            steady(lambda: Select(driver.find_element(By.ID, "entry-kind")).select_by_value("hypothesis"))
            driver.find_element(By.ID, "entry-text").send_keys("The payments deploy at 14:05 broke card tokens")
            submit("form-timeline")
            check(settle(lambda: "broke card tokens" in driver.find_element(By.ID, "live-timeline").text), f"{tag}: hypothesis missing")
            steady(lambda: driver.find_element(By.CSS_SELECTOR, "#live-timeline button[value=confirmed]").click())
            check(settle(lambda: "confirmed" in driver.find_element(By.CSS_SELECTOR, "#live-timeline .entry-hypothesis").text),
                  f"{tag}: hypothesis not confirmed")
            # The composer previews the update as it is typed, then publishes it; the clock resets.
            steady(lambda: driver.find_element(By.ID, "update-text").send_keys("Rolling back the payments deploy."))
            driver.find_element(By.ID, "update-next").send_keys("10m")
            check(settle(lambda: "Now: Rolling back the payments deploy." in driver.find_element(By.ID, "update-preview").text),
                  f"{tag}: the composer showed no live preview")
            shot("07-composer-preview")
            steady(lambda: driver.find_element(By.CSS_SELECTOR, "#form-update button[value=publish]").click())
            check(settle(lambda: "UPDATE PUBLISHED" in driver.find_element(By.ID, "live-timeline").text.upper()),
                  f"{tag}: the update is not on the timeline")
            check(settle(lambda: any(words in driver.find_element(By.ID, "live-head").text for words in ("due in 9 min", "due in 10 min"))),
                  f"{tag}: the internal update clock did not reset: {driver.find_element(By.ID, 'live-head').text!r}")
            # A severity change without a reason is refused beside the field.
            steady(lambda: driver.find_element(By.CSS_SELECTOR, "#details-severity summary").click())
            driver.execute_script("document.getElementById('severity-reason').removeAttribute('required')")
            steady(lambda: Select(driver.find_element(By.ID, "severity-severity")).select_by_value("P1"))
            submit("form-severity")
            check(settle(lambda: driver.find_elements(By.ID, "severity-reason-error")), f"{tag}: no error beside the reason")
            shot("08-refused-beside-field")
            # Status: identified.
            steady(lambda: Select(driver.find_element(By.ID, "status-status")).select_by_value("identified"))
            submit("form-status")
            check(settle(lambda: "Identified" in driver.find_element(By.ID, "live-head").text), f"{tag}: status not changed")
            shot("09-identified")
            # Resolve, after confirming.
            steady(lambda: driver.find_element(By.CSS_SELECTOR, "#details-resolve summary").click())
            steady(lambda: driver.find_element(By.ID, "resolve-resolution").send_keys("Rolled back payments to v2.2"))
            steady(lambda: driver.find_element(By.ID, "resolve-cause").send_keys("v2.3 dropped the card token field"))
            # Resolution checklist items are still open: the form says so and asks why resolve anyway.
            holds = driver.find_element(By.ID, "resolve-holds").text
            check("resolution checklist items are open" in holds, f"{tag}: the resolve form names no holds: {holds!r}")
            steady(lambda: driver.find_element(By.ID, "resolve-force").send_keys("Card payments verified by hand"))
            shot("09b-resolve-holds")
            submit("form-resolve")
            check(settle(lambda: driver.switch_to.alert is not None), f"{tag}: resolving did not ask first")
            driver.switch_to.alert.accept()
            check(settle(lambda: "Resolved" in driver.find_element(By.ID, "live-head").text), f"{tag}: not resolved")
            check(settle(lambda: "Resolved although" in driver.find_element(By.ID, "live-timeline").text),
                  f"{tag}: the timeline does not note the override")
            shot("10-resolved")
            # Leadership is told of the declaration and the resolution; its webhook refuses, and the page says so.
            def told():
                time.sleep(0.5)
                driver.refresh()
                return "Stakeholders told" in driver.page_source and "refused the connection" in driver.page_source
            check(settle(told, 20), f"{tag}: the incident page does not show what leadership was told")
            steady(lambda: driver.execute_script("[...document.querySelectorAll('h3')].find(h => h.textContent == 'Stakeholders told').scrollIntoView()"))
            shot("10b-stakeholders-told")
            # The shortcuts overlay.
            driver.find_element(By.TAG_NAME, "body").send_keys("?")
            check(settle(lambda: driver.find_element(By.ID, "shortcuts").is_displayed()), f"{tag}: no shortcuts overlay")
            shot("11-shortcuts")
            driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)

            # The post-mortem: drafted from the record, a section edited, the blameless check's
            # finding shown, publishing asks for a reason, then publishes.
            incident_url = driver.current_url.split("?")[0].split("#")[0]
            driver.get(incident_url + "/postmortem")
            check(settle(lambda: "Draft the post-mortem" in driver.page_source), f"{tag}: no way to draft the post-mortem")
            submit("form-draft")
            check(settle(lambda: "The draft was written" in driver.page_source), f"{tag}: the post-mortem was not drafted")
            shot("25-postmortem-draft")
            accessible("/incidents/…/postmortem")
            steady(lambda: driver.find_element(By.CSS_SELECTOR, "#section-what-could-be-improved summary").click())
            area = driver.find_element(By.ID, "body-what-could-be-improved")
            area.clear()
            area.send_keys("The on-call engineer ignored the first alert.")
            driver.find_element(By.CSS_SELECTOR, "#section-what-could-be-improved form button[type=submit]").click()
            check(settle(lambda: "open finding" in driver.page_source), f"{tag}: the blameless check said nothing")
            steady(lambda: driver.execute_script("document.getElementById('section-what-could-be-improved').scrollIntoView()"))
            shot("26-postmortem-finding")
            driver.find_element(By.ID, "override").send_keys("Quoted from the chat log as written")
            submit("form-publish")
            check(settle(lambda: "The post-mortem is published" in driver.page_source), f"{tag}: the post-mortem was not published")
            shot("27-postmortem-published")

            # Every other page, as an admin sees it: axe finds nothing serious on any.
            driver.find_element(By.CSS_SELECTOR, ".signout button").click()
            settle(lambda: "/signin" in driver.current_url)
            check(sign_in(driver, "ada", "admin horse battery"), f"{tag}: the admin could not sign in")
            for step, path, marker in [("12-alerts", "/alerts", "Alerts and silences"), ("13-oncall", "/oncall", "On call now"),
                                       ("14-schedule", "/schedules/primary", "The next two weeks"), ("15-services", "/services", "Integrations"),
                                       ("16-people", "/people", "Contact methods"), ("17-admin", "/admin", "API tokens"),
                                       ("18-stakeholders", "/stakeholders", "Add a group"),
                                       ("18b-statuspage-admin", "/statuspage", "Announce maintenance"),
                                       ("18c-insights", "/insights", "How long each step took"),
                                       ("18d-actions", "/actions", "Add an action item"),
                                       ("18e-changes", "/changes", "Record a change"),
                                       ("18g-runbooks", "/runbooks", "Write a runbook"),
                                       ("18i-policy", "/policies/web-oncall", "Save a new version"),
                                       ("18j-new-policy", "/policies/new", "Make the policy"),
                                       ("18k-account", "/account", "Change your password"),
                                       ("18f-incident-changes", "/incidents/INC-2026-0001", "before detection")]:
                driver.get(url + path)
                check(settle(lambda: marker in driver.page_source), f"{tag}: {path} did not show {marker!r}")
                shot(step)
                accessible(path)

            # The checklist on the incident page: an item ticked by a click, another by someone else
            # through the API, which the open page shows without a reload.
            clicked, remote, remote_text = (("Deployments in the last four hours", "configuration-changes", "Configuration changes")
                                            if tag == "desktop" else
                                            ("Infrastructure changes", "changes-in-traffic-patterns", "Changes in traffic patterns"))
            def done(text):
                return driver.find_elements(By.XPATH, f"//li[contains(@class,'item-done')][contains(., '{text}')]")
            driver.execute_script("arguments[0].open = true", driver.find_element(
                By.XPATH, "//details[contains(@class,'checklist')][.//h3[text()='Recent changes']]"))
            steady(lambda: driver.find_element(By.CSS_SELECTOR, f"button[aria-label='Done: {clicked}']").click())
            check(settle(lambda: done(clicked)), f"{tag}: the ticked item did not show as done")
            api("POST", "/api/v1/incidents/INC-2026-0001/checklist/marks", {"item": f"investigation/{remote}", "state": "done"})
            check(settle(lambda: done(remote_text)), f"{tag}: the item ticked elsewhere did not arrive live")
            shot("18h-checklist-live")

            # Signing out ends the session: the list asks to sign in again.
            driver.find_element(By.CSS_SELECTOR, ".signout button").click()
            check(settle(lambda: "signed out" in driver.page_source), f"{tag}: no word that the person signed out")
            driver.get(url + "/incidents")
            check(settle(lambda: driver.current_url.startswith(url + "/signin")), f"{tag}: still signed in after signing out")
            shot("19-signed-out")

            # The public status page needs no sign-in.
            for step, path, marker in [("20-status", "/status", "Major Service Outage"),
                                       ("21-status-incident", "/status/incidents/INC-2026-0001", "a fix is being rolled out"),
                                       ("22-status-history", "/status/history", "Incident history"),
                                       ("23-status-subscribe", "/status/subscribe", "Subscribe to updates")]:
                driver.get(url + path)
                check(settle(lambda: marker in driver.page_source), f"{tag}: {path} did not show {marker!r}")
                shot(step)
                accessible(path)
            driver.find_element(By.ID, "subscribe-email").send_keys(f"reader-{tag}@example.com")
            driver.find_element(By.CSS_SELECTOR, "form.subscribe button[type=submit]").click()
            check(settle(lambda: "Nothing is sent before you do" in driver.page_source), f"{tag}: subscribing said nothing")
            shot("24-status-subscribed")
        finally:
            driver.quit()
            watcher.quit()
finally:
    server.terminate()
    server.wait(timeout=30)

print(f"Screenshots of the web pages: {shots}")
if failures:
    print(f"{len(failures)} browser checks failed")
    sys.exit(1)
print("Browser checks passed at desktop and phone width, axe found nothing serious")
