"""WeasyPrint reads our static files and data: URLs, nothing else."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.conf import settings

from reporting import rendering
from reporting.fetcher import FetchRefused, RestrictedURLFetcher, resolve_static, static_url_prefix

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"


@pytest.fixture
def fetcher():
    return RestrictedURLFetcher()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/etc/passwd",
        "http://example.com/",
        "https://example.com/style.css",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.com/file",
        "gopher://example.com/",
    ],
)
def test_refuses_files_and_hosts_outside_static(fetcher, url):
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)


@pytest.mark.parametrize(
    "path",
    [
        "../../../../etc/passwd",
        "css/../../../../../etc/passwd",
        "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "css/%2E%2E/%2E%2E/config/settings/base.py",
        "..%2f..%2f..%2fetc%2fpasswd",
        "/etc/passwd",
        "css\\..\\..\\etc\\passwd",
    ],
)
def test_refuses_path_traversal_below_static_url(fetcher, path):
    with pytest.raises(FetchRefused):
        fetcher.fetch(static_url_prefix() + path)


def test_refuses_traversal_with_a_file_url_into_the_project(fetcher):
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"file://{PRINT_CSS.parent}/../../config/settings/base.py")
    with pytest.raises(FetchRefused):
        fetcher.fetch(f"file://{Path(settings.BASE_DIR) / 'config' / 'settings' / 'base.py'}")


def test_refuses_a_symlink_out_of_the_static_folders(settings, tmp_path, fetcher):
    static_dir = tmp_path / "static"
    static_dir.mkdir()
    (static_dir / "secret.css").symlink_to("/etc/passwd")
    settings.STATICFILES_DIRS = [static_dir]
    assert resolve_static("secret.css") is None
    with pytest.raises(FetchRefused):
        fetcher.fetch(static_url_prefix() + "secret.css")


def test_allows_a_static_stylesheet(fetcher):
    response = fetcher.fetch(static_url_prefix() + "css/print.css")
    assert response.read() == PRINT_CSS.read_bytes()
    assert response.headers.get_content_type() == "text/css"


def test_allows_a_static_file_by_file_url(fetcher):
    response = fetcher.fetch(PRINT_CSS.resolve().as_uri())
    assert response.read() == PRINT_CSS.read_bytes()


def test_allows_data_urls(fetcher):
    assert fetcher.fetch("data:text/plain;base64,aGVq").read() == b"hej"


def test_weasyprint_leaves_refused_resources_out_and_still_renders(caplog):
    html = """<!doctype html><html lang="sv"><head><title>t</title>
      <link rel="stylesheet" href="http://example.com/evil.css">
      <link rel="stylesheet" href="/static/css/print.css"></head>
      <body><p>Hej</p><img src="file:///etc/passwd" alt="x">
      <img src="/static/../../etc/passwd" alt="y"></body></html>"""
    with caplog.at_level(logging.WARNING, logger="reporting.fetcher"):
        pdf = rendering.write_pdf(rendering.layout_html(html))
    assert pdf.startswith(b"%PDF-")
    refused = " ".join(record.getMessage() for record in caplog.records)
    assert "http://example.com/evil.css" in refused
    assert "file:///etc/passwd" in refused
    assert "/static/css/print.css" not in refused
