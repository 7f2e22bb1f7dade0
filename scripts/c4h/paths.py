"""Where things live in a checkout. Everything else takes paths as arguments."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = ROOT / "providers"
SCHEMA_DIR = ROOT / "schema"
TAXONOMY = SCHEMA_DIR / "taxonomy.yml"
PROVIDER_SCHEMA = SCHEMA_DIR / "provider.schema.json"
TEMPLATE = SCHEMA_DIR / "listing-template.yml"
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"
ISSUE_TEMPLATE_DIR = ROOT / ".github" / "ISSUE_TEMPLATE"
REQUEST_FORM = ISSUE_TEMPLATE_DIR / "request-help.yml"
CODEOWNERS = ROOT / ".github" / "CODEOWNERS"
