"""Browser tests: the real service (uvicorn, demo data) in Debian's Chromium via Playwright.

Chromium must be at /usr/bin/chromium (``apt-get install chromium``; .ci/run installs it);
a missing browser fails the tests, it never skips them. Screenshots of the main pages at
1280 px and 360 px go to .data/screenshots/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from infra.embedded import free_port, port_open
from infra.settings import Settings
from tests.conftest import Servers, _drop_database, make_database
from tests.integration.accounts import Mailbox, smtp_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(".data/screenshots")
DEMO_PASSWORD = "sujarit-demo-2569"
pytestmark = pytest.mark.timeout(240)


@dataclass
class Site:
    url: str
    settings: Settings
    mailbox: Mailbox
    log: Path


@pytest.fixture(scope="session")
def mailbox_server() -> Iterator[Mailbox]:
    yield from smtp_server()


@pytest.fixture(scope="session")
def site(
    servers: Servers, mailbox_server: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One running service with the demo data, shared by the browser tests."""
    from services.usecases.demo import load_demo

    name = f"sujarit_browser_{uuid.uuid4().hex[:8]}"
    data = tmp_path_factory.mktemp("site")
    settings = replace(make_database(servers, name), data_dir=data)
    asyncio.run(load_demo(settings))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SUJARIT_DATA_DIR": str(data),
        "COOKIE_SECURE": "false",
        "SMTP_PORT": str(mailbox_server.port),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_JSON": "0",
        "LOG_LEVEL": "WARNING",
    }
    log = data / "api.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "services.api.asgi:make_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not port_open(port, "127.0.0.1"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the API did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        yield Site(f"http://127.0.0.1:{port}", settings, mailbox_server, log)
    finally:
        proc.terminate()
        proc.wait(20)
        asyncio.run(_drop_database(servers.admin_url, name))


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (browser tests never skip)")
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        await b.close()


@pytest.fixture
async def context(browser: Browser, site: Site) -> AsyncIterator[BrowserContext]:
    ctx = await browser.new_context(
        base_url=site.url, viewport={"width": 1280, "height": 900}, locale="th-TH"
    )
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> AsyncIterator[Page]:
    p = await context.new_page()
    yield p


async def sign_in_as(page: Page, org: str, email: str, password: str = DEMO_PASSWORD) -> None:
    await page.goto(f"/t/{org}/signin")
    await page.get_by_label("อีเมล").fill(email)
    await page.get_by_label("รหัสผ่าน").fill(password)
    await page.get_by_role("button", name="เข้าสู่ระบบ").click()
    await page.wait_for_url(f"**/t/{org}/")


async def screenshots(page: Page, name: str) -> list[Path]:
    """The page at 1280 px and at 360 px, full length; fails if anything overflows at 360."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = []
    for width in (1280, 360):
        await page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}-{width}.png"
        await page.screenshot(path=str(path), full_page=True)
        out.append(path)
        if width == 360:
            overflow = await page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{name} overflows by {overflow}px at 360 px"
    await page.set_viewport_size({"width": 1280, "height": 900})
    return out
