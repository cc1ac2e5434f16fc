"""Interactive docs at /api/docs/: local assets only, and working under the site's CSP."""

import re

import pytest


def test_the_docs_page_has_no_inline_script_or_style(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 3
    assert all("src=" in attributes for attributes in scripts)


def test_the_docs_page_runs_under_a_csp_without_unsafe_inline(db, client):
    policy = client.get("/api/docs/")["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"


def test_the_docs_assets_are_served_by_the_site_itself(db, client):
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    static = [url for url in assets if url.startswith("/static/")]
    assert len(static) == 4  # stylesheet, favicon, two scripts
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    for url in static:
        assert client.get(url).status_code == 200, url


def test_the_start_up_script_is_a_file_of_its_own(db, client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert 'url: "/api/schema/"' in response.content.decode()


@pytest.mark.browser
def test_swagger_ui_renders_the_api_under_the_csp(live_api, chromium):
    errors, outside = [], []
    page = chromium.new_page()
    try:
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("request", lambda r: r.url.startswith(live_api.url) or outside.append(r.url))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e =>"
            " (window.cspViolations = window.cspViolations || [])"
            ".push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.goto(f"{live_api.url}/api/docs/")
        page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20_000)
        title = page.inner_text(".swagger-ui .info .title")
        operations = page.locator(".swagger-ui .opblock").count()
        violations = page.evaluate("window.cspViolations || []")
    finally:
        page.close()
    assert "Newsroom API" in title
    assert operations == 15
    assert violations == []
    assert errors == []
    assert [url for url in outside if not url.startswith("data:")] == []
