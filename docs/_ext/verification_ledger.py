"""The verification ledger: every certificate the build issued, listed on one page.

A check on a page or in a gallery script (:mod:`conv_explained.verify`)
returns a certificate, which the page shows as ``<p class="ce-certificate"
data-ce-certificate="{json}">``. This extension

* finds every certificate in every document when it is read, gives it an
  anchor (``cert-1``, ``cert-2``, ... per page) and keeps its fields in the
  build environment;
* replaces the ``{verification-ledger}`` directive by a table of all of them,
  page by page, each linked to where it stands;
* replaces ``{ledger-count}`` roles (``certificates``, ``numbers``,
  ``cases``, ``rules``, ``pages``) by totals taken from the same list, so the
  counts on the landing page and the verification page come from the ledger.

Documents using the directive or the role are written again whenever what
they show may have changed (``env-get-updated``): when the certificates or
the titles of the pages holding them differ from those the last successful
build wrote (a digest kept in the output folder, :data:`DIGEST_FILE`), or when
that build did not finish. A no-change rebuild writes none of them.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)

_CERT = re.compile(r'<p class="ce-certificate"( id="[^"]*")? data-ce-certificate="([^"]*)"')
COUNTS = ("certificates", "numbers", "cases", "rules", "pages")

#: In the output folder: the digest of the ledger the last finished build wrote.
DIGEST_FILE = ".ce_ledger_digest"


class ledger_node(nodes.General, nodes.Element):
    """Placeholder for the ledger table, filled when every page has been read."""


class count_node(nodes.Inline, nodes.TextElement):
    """Placeholder for a ledger total."""


class LedgerDirective(SphinxDirective):
    """``{verification-ledger}``: the table of every certificate on the site."""

    def run(self) -> list[nodes.Node]:
        self.env.ce_ledger_users = getattr(self.env, "ce_ledger_users", set())
        self.env.ce_ledger_users.add(self.env.docname)
        return [ledger_node()]


class CountRole(SphinxRole):
    """``{ledger-count}`numbers```: a total from the ledger."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        what = self.text.strip()
        if what not in COUNTS:
            msg = self.inliner.reporter.error(
                f"ledger-count must be one of {', '.join(COUNTS)}, got {what!r}", line=self.lineno
            )
            return [], [msg]
        self.env.ce_ledger_users = getattr(self.env, "ce_ledger_users", set())
        self.env.ce_ledger_users.add(self.env.docname)
        return [count_node(what, "", what=what)], []


def _collect(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: anchor and record every certificate of this document."""
    env = app.env
    found = []
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        if "ce-certificate" not in text:
            continue
        pieces = []
        last = 0
        for match in _CERT.finditer(text):
            number = len(found) + 1
            anchor = f"cert-{number}"
            data = json.loads(html.unescape(match.group(2)))
            data["anchor"] = anchor
            found.append(data)
            pieces.append(text[last : match.start()])
            pieces.append(f'<p class="ce-certificate" id="{anchor}" data-ce-certificate="')
            pieces.append(match.group(2))
            pieces.append('"')
            last = match.end()
        if pieces:
            pieces.append(text[last:])
            new = "".join(pieces)
            raw.children = [nodes.Text(new)]
            raw.rawsource = new
    records = getattr(env, "ce_certificates", {})
    records[env.docname] = found
    env.ce_certificates = records


def _purge(app: Any, env: Any, docname: str) -> None:
    getattr(env, "ce_certificates", {}).pop(docname, None)
    getattr(env, "ce_ledger_users", set()).discard(docname)


def _merge(app: Any, env: Any, docnames: set[str], other: Any) -> None:
    env.ce_certificates = getattr(env, "ce_certificates", {})
    env.ce_certificates.update(
        {d: v for d, v in getattr(other, "ce_certificates", {}).items() if d in docnames}
    )
    env.ce_ledger_users = getattr(env, "ce_ledger_users", set()) | getattr(
        other, "ce_ledger_users", set()
    )


def ledger_digest(env: Any) -> str:
    """SHA-256 of everything the ledger and its totals show: certificates and page titles."""
    records = getattr(env, "ce_certificates", {})
    titles = {d: env.titles[d].astext() for d in records if d in env.titles}
    text = json.dumps([records, titles], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _digest_path(app: Any) -> Path:
    return Path(app.outdir) / DIGEST_FILE


def _reread_if_changed(app: Any, env: Any) -> list[str]:
    """``env-get-updated``: the ledger's pages, when what they show has changed."""
    users = sorted(getattr(env, "ce_ledger_users", set()) & set(env.found_docs))
    path = _digest_path(app)
    written = path.read_text(encoding="utf-8").strip() if path.is_file() else None
    if written == ledger_digest(env):
        return []
    path.unlink(missing_ok=True)  # written again only when this build finishes
    return users


def _finished(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: keep the digest of the ledger just written, if all went well."""
    if exception is None and app.builder.format == "html":
        _digest_path(app).write_text(ledger_digest(app.env) + "\n", encoding="utf-8")


def totals(records: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """The ledger's totals: certificates, numbers compared, rule cases, rules, pages."""
    certs = [c for found in records.values() for c in found]
    return {
        "certificates": len(certs),
        "numbers": sum(int(c["count"]) for c in certs if c.get("unit") == "numbers"),
        "cases": sum(int(c["count"]) for c in certs if c.get("unit") == "cases"),
        "rules": sum(1 for c in certs if c.get("unit") == "cases"),
        "pages": sum(1 for found in records.values() if found),
    }


def _table(app: Any, fromdocname: str, records: dict[str, list[dict[str, Any]]]) -> nodes.Node:
    env = app.env
    table = nodes.table(classes=["ce-ledger"])
    group = nodes.tgroup(cols=3)
    table += group
    for width in (22, 38, 40):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for title in ("Where", "What was checked", "Certificate"):
        row += nodes.entry("", nodes.paragraph(text=title))
    head += row
    body = nodes.tbody()
    group += body
    for docname in sorted(records, key=lambda d: env.titles[d].astext() if d in env.titles else d):
        title = env.titles[docname].astext() if docname in env.titles else docname
        for cert in records[docname]:
            row = nodes.row()
            uri = app.builder.get_relative_uri(fromdocname, docname) + "#" + cert["anchor"]
            ref = nodes.reference("", title, internal=True, refuri=uri)
            row += nodes.entry("", nodes.paragraph("", "", ref))
            row += nodes.entry("", nodes.paragraph(text=str(cert.get("what", ""))))
            row += nodes.entry("", nodes.paragraph(text=str(cert.get("line", ""))))
            body += row
    return table


def _resolve(app: Any, doctree: nodes.document, fromdocname: str) -> None:
    """``doctree-resolved``: fill the ledger table and the totals."""
    records = getattr(app.env, "ce_certificates", {})
    sums = totals(records)
    for node in list(doctree.findall(ledger_node)):
        if not sums["certificates"]:
            logger.warning("the verification ledger is empty: no page issued a certificate")
        node.replace_self(_table(app, fromdocname, records))
    for node in list(doctree.findall(count_node)):
        node.replace_self(nodes.Text(f"{sums[node['what']]:,}"))


def setup(app: Any) -> dict[str, Any]:
    """Register the ledger directive, the count role and the certificate collector."""
    app.add_node(ledger_node)
    app.add_node(count_node)
    app.add_directive("verification-ledger", LedgerDirective)
    app.add_role("ledger-count", CountRole())
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-updated", _reread_if_changed)
    app.connect("doctree-resolved", _resolve)
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
