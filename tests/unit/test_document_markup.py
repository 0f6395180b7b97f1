"""The PDF templates are read as XML with a short user-agent stylesheet of their own
(infra/documents/templates/user_agent.css): every element they use must have its rules there,
or it would lay out unlike WeasyPrint's HTML5 defaults (a list without bullets, a heading
without its bookmark)."""

from __future__ import annotations

import re

from infra.documents.common import TEMPLATES

TAG = re.compile(r"<([a-z][a-z0-9]*)\b")
# element names as selectors: at the start, after a comma, a space or ">", before a space,
# comma, "{", ":", "." or ">"
# HTML5's user-agent stylesheet has no rule for these (inline, as any element by default)
NO_RULES = {"span"}
SELECTED = re.compile(r"(?:^|[\s,>])([a-z][a-z0-9]*)(?=[\s,{:.>\[])", re.M)


def _user_agent_elements() -> set[str]:
    css = (TEMPLATES / "user_agent.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments
    while "{" in css:  # declarations, margin boxes, then @page
        css = re.sub(r"\{[^{}]*\}", "", css)
    return set(SELECTED.findall(css)) | NO_RULES


def test_every_element_of_the_templates_has_its_user_agent_rules() -> None:
    known = _user_agent_elements()
    assert {"table", "td", "th", "h1", "br", "head"} <= known
    for template in sorted(TEMPLATES.glob("*.html")):
        used = set(TAG.findall(template.read_text()))
        assert used <= known, f"{template.name}: {sorted(used - known)} not in user_agent.css"


def test_void_elements_are_closed_as_xml_wants() -> None:
    for template in sorted(TEMPLATES.glob("*.html")):
        for m in re.finditer(r"<(br|col|meta|img|hr|input|link)\b[^>]*>", template.read_text()):
            assert m[0].endswith("/>"), f"{template.name}: {m[0]}"


def test_every_page_margin_box_the_documents_fill_has_its_user_agent_rules() -> None:
    """Only the margin boxes our stylesheets fill are in user_agent.css (with HTML5's
    alignment); a new one (a footer in @bottom-center, say) must be added there too."""
    box = re.compile(r"@((?:top|bottom|left|right)-[a-z-]+)")
    known = set(box.findall((TEMPLATES / "user_agent.css").read_text()))
    assert known == {"top-center"}
    for source in sorted([*TEMPLATES.glob("*.html"), TEMPLATES / "document.css"]):
        used = set(box.findall(source.read_text()))
        assert used <= known, f"{source.name}: {sorted(used - known)} not in user_agent.css"
