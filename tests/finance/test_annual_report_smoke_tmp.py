import io
from pathlib import Path

import page
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Role
from finance import annual_report_services, import_services
from reporting import rendering
from reporting.documents import get_document_class
from tests.factories import OrganisationFactory, user_with_role

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_smoke(tmp_path):
    org = OrganisationFactory(name="Samordningsförbundet Skellefteå-Norsjö", org_number="222000-2642")
    user = user_with_role(org, Role.ECONOMIST)
    job = import_services.ledger_import_upload(
        organisation=org, actor=user, upload=SimpleUploadedFile("a.se", (FIXTURES / "ledger_cp437.se").read_bytes())
    )
    assert job.status == "done", job.errors
    report = annual_report_services.annual_report_create(organisation=org, actor=user, fiscal_year=job.fiscal_year)
    cls = get_document_class("finance.annual_report")
    doc = cls(organisation=org, params={"report": report.pk})
    html = rendering.build_html(doc)
    data = rendering.write_pdf(rendering.layout_html(html))
    (tmp_path / "d.pdf").write_bytes(data)
    for profile in ("3a", "ua1"):
        r = page.validate_pdf_bytes(data, profile=profile)
        assert r.is_compliant, [f"{f.rule_id}: {f.message}" for f in r.failures]
    report = annual_report_services.annual_report_finalise(report=report, actor=user)
    doc = cls(organisation=org, params={"report": report.pk})
    apps = doc.get_appendices()
    data = rendering.write_pdf(rendering.layout_html(rendering.build_html(doc, appendices=apps)), appendices=apps)
    Path("/tmp/annual_final.pdf").write_bytes(data)
    Path("/tmp/annual_draft.html").write_text(html)
    for profile in ("3a", "ua1"):
        r = page.validate_pdf_bytes(data, profile=profile)
        assert r.is_compliant, [f"{f.rule_id}: {f.message}" for f in r.failures]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.attachments) == 2, list(pdf.attachments)
