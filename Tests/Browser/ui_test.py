"""The web pages in a real headless Chromium, driven by Selenium: a person signs in, sees the
incident list, and signs out, at desktop width and at phone width (390 px), with axe-core
checking each page for serious or critical accessibility violations. Screenshots of every step go
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
from selenium.webdriver.common.by import By

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
    muster("incident", "declare", "--title", "Checkout is down for card payments", "--severity", "P1", "--service", "checkout", token=admin)

    for width, height, tag in [(1280, 800, "desktop"), (390, 844, "phone")]:
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            def shot(step):
                driver.save_screenshot(os.path.join(shots, f"{tag}-{step}.png"))

            def accessible(page):
                axe = Axe(driver)
                axe.inject()
                results = axe.run()
                bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
                check(not bad, f"{tag} {page}: axe found {[v['id'] for v in bad]}")

            # Signed out, the list sends the browser to sign in.
            driver.get(url + "/incidents")
            check(settle(lambda: driver.current_url.startswith(url + "/signin")), f"{tag}: not sent to sign in: {driver.current_url}")
            shot("1-signin")
            accessible("sign-in")
            # A wrong password is refused beside the field.
            driver.find_element(By.ID, "username").send_keys("ann")
            driver.find_element(By.ID, "password").send_keys("not the password")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            check(settle(lambda: "username or the password is wrong" in driver.page_source), f"{tag}: no error for a wrong password")
            shot("2-wrong-password")
            # The right one opens the list.
            driver.find_element(By.ID, "password").send_keys("correct horse battery")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            check(settle(lambda: driver.current_url == url + "/incidents"), f"{tag}: after sign-in at {driver.current_url}")
            check(settle(lambda: "Checkout is down for card payments" in driver.page_source), f"{tag}: the incident is not listed")
            shot("3-incidents")
            accessible("incidents")
            # The incident's own page, with its timeline.
            driver.find_element(By.CSS_SELECTOR, "table.incidents a").click()
            check(settle(lambda: "Checkout is down for card payments" in driver.title), f"{tag}: incident page not shown")
            shot("4-incident")
            accessible("incident")
            driver.get(url + "/incidents")
            # Signing out ends the session: the list asks to sign in again.
            driver.find_element(By.CSS_SELECTOR, ".signout button").click()
            settle(lambda: driver.current_url.startswith(url + "/signin"))
            driver.get(url + "/incidents")
            check(settle(lambda: driver.current_url.startswith(url + "/signin")), f"{tag}: still signed in after signing out")
            shot("5-signed-out")
        finally:
            driver.quit()
finally:
    server.terminate()
    server.wait(timeout=30)

print(f"Screenshots of the web pages: {shots}")
if failures:
    print(f"{len(failures)} browser checks failed")
    sys.exit(1)
print("Browser checks passed at desktop and phone width, axe found nothing serious")
