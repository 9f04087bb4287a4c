"""Feedback HTML that runs no script of the student's, whoever opens it.

Two layers. ``SanitizeFeedback`` (a ``GenerateFeedback`` preprocessor) cleans
everything a submission controls before nbconvert renders it: markdown and raw
cells and ``text/html`` / ``text/markdown`` outputs through nh3 (the ammonia
sanitizer), images kept only as valid base64 with integer sizes, every other
output type (JavaScript, SVG, widgets, anything unknown) dropped, and the cell
and notebook metadata the templates read reduced to what grading set.
``FeedbackHTMLExporter`` then puts a strict Content-Security-Policy first in the
page's head: no script runs at all (MathJax included, so math shows as its TeX
source), nothing loads from the network, no form posts anywhere.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections import OrderedDict
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import nh3
from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
BASE64 = re.compile(r"^[A-Za-z0-9+/\s]*={0,2}\s*$")
SAFE_TAG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
URL_SCHEMES = {"http", "https", "mailto"}
DROPPED = "[output of a type the feedback does not show]"
SHOWN_AS_TEXT = "*(shown as text: this part held markup or links the feedback does not run)*"
URL_ATTRIBUTE = re.compile(
    r"""(?:href|src|action|formaction|xlink:href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE
)


def clean_html(text: str) -> str:
    """``text`` with every script, event handler, unsafe URL and unknown tag removed (nh3)."""
    return nh3.clean(str(text), url_schemes=URL_SCHEMES, strip_comments=True)


def clean_markdown(text: str, attachments: dict | None = None) -> str:
    """Markdown that renders no script: unchanged when nh3 would keep every tag and attribute of its
    rendering (it is safe as it is), else shown as its source text (an indented code block)."""
    return _clean_markdown(str(text))


@functools.lru_cache(maxsize=4096)  # the given markdown cells are the same in every student's feedback
def _clean_markdown(text: str) -> str:
    try:  # (attachments are checked apart; here they only need to resolve)
        rendered = markdown2html_mistune(text.replace("attachment:", "data:image/png;base64,"))
    except Exception:  # noqa: BLE001 - markdown nbconvert cannot render is shown as text
        rendered = None
    if rendered is not None and _structure(rendered) == _structure(_nh3(rendered)):
        return text
    return SHOWN_AS_TEXT + "\n\n" + "\n".join("    " + line for line in text.splitlines())


def _nh3(rendered: str) -> str:
    """nh3 with what nbconvert's own markdown rendering needs (classes, table alignment), no rel added."""
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = {"class", "id", "title", "lang"}
    for cell in ("td", "th"):
        attributes[cell] = attributes.get(cell, set()) | {"style"}
    return nh3.clean(
        rendered,
        url_schemes=URL_SCHEMES | {"data"},
        attributes=attributes,
        link_rel=None,
        strip_comments=False,
    )


class _Tags(HTMLParser):
    """Start tags with their attributes, in order: what a sanitizer may remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag


def _structure(page: str) -> list[tuple[str, tuple]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def _is_base64(data: Any) -> bool:
    if not isinstance(data, str) or not BASE64.match(data):
        return False
    try:
        base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def clean_output(output: NotebookNode) -> NotebookNode:
    """One output with only what renders safely; unknown kinds become a short note."""
    kind = output.get("output_type")
    if kind == "stream":
        return NotebookNode(
            output_type="stream", name=str(output.get("name", "stdout")), text=str(output.get("text", ""))
        )
    if kind == "error":
        traceback = output.get("traceback", [])
        return NotebookNode(
            output_type="error",
            ename=str(output.get("ename", "")),
            evalue=str(output.get("evalue", "")),
            traceback=[str(line) for line in traceback] if isinstance(traceback, list) else [],
        )
    if kind not in ("display_data", "execute_result"):
        return NotebookNode(output_type="stream", name="stdout", text=DROPPED + "\n")
    data = output.get("data", {}) if isinstance(output.get("data"), dict) else {}
    kept: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for mime, value in data.items():
        if mime == "text/plain":
            kept[mime] = str(value)
        elif mime in ("text/html", "text/markdown"):
            kept[mime] = clean_html(value) if mime == "text/html" else clean_markdown(value)
        elif mime == "text/latex":
            kept[mime] = str(value)  # the templates escape it
        elif mime in IMAGE_TYPES and _is_base64(value):
            kept[mime] = value
            sizes = (
                output.get("metadata", {}).get(mime, {}) if isinstance(output.get("metadata"), dict) else {}
            )
            sizes = sizes if isinstance(sizes, dict) else {}
            metadata[mime] = {k: v for k, v in sizes.items() if k in ("width", "height") and type(v) is int}
    if not kept:
        kept = {"text/plain": DROPPED}
    clean = NotebookNode(output_type=kind, data=NotebookNode(kept), metadata=NotebookNode(metadata))
    if kind == "execute_result":
        clean.execution_count = (
            output.get("execution_count") if type(output.get("execution_count")) is int else None
        )
    return clean


class SanitizeFeedback(NbGraderPreprocessor):
    """Sanitize every student-controlled part of a notebook before it is rendered as feedback
    (an nbgrader preprocessor, so it is enabled wherever it is listed)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        nb.metadata = NotebookNode(
            kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
            language_info={"name": "python", "pygments_lexer": "ipython3"},
        )
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        meta = cell.get("metadata", {})
        tags = meta.get("tags", []) if isinstance(meta.get("tags"), list) else []
        kept = NotebookNode(tags=[t for t in tags if isinstance(t, str) and SAFE_TAG.match(t)])
        if isinstance(meta.get("nbgrader"), dict):
            kept.nbgrader = meta["nbgrader"]
        cell.metadata = kept
        if "attachments" in cell:
            cell.attachments = {
                name: {m: v for m, v in bundle.items() if m in IMAGE_TYPES and _is_base64(v)}
                for name, bundle in (cell.attachments or {}).items()
                if isinstance(bundle, dict) and SAFE_TAG.match(str(name).replace(".", "_"))
            }
        if cell.cell_type == "markdown":
            cell.source = clean_markdown(cell.source, cell.get("attachments"))
        elif cell.cell_type == "raw":
            cell.source = clean_html(cell.source)
        elif cell.cell_type == "code":
            cell.outputs = [clean_output(o) for o in cell.get("outputs", []) if isinstance(o, dict)]
        return cell, resources


IMAGE_WITHOUT_ALT = re.compile(r"<img(?=[\s/>])(?![^>]*\salt=)", re.IGNORECASE)
NO_ALT = '<img alt="No description has been provided for this image"'


class FeedbackHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter with :data:`CSP` as the first element of the page's head."""

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict | None = None, **kw: Any
    ) -> tuple[str, dict]:
        # HTMLExporter.from_notebook_node, but for its last step: it parses the whole page again
        # with BeautifulSoup's pure-Python parser (60% of a feedback page's time) to give images
        # an alt text and JupyterLab-template cells a tabindex; this classic-based template has
        # no such cells, and the alt text is added here directly.
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        highlight = self.filters.get(
            "highlight_code", CachedHighlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        data_types = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight)
        self.register_filter("filter_data_type", data_types)
        output, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return with_csp(IMAGE_WITHOUT_ALT.sub(NO_ALT, output)), resources

    @pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        """nbconvert's markdown filter, remembering what it rendered (see :data:`MARKDOWN_RENDERED`)."""
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        if cell.get("attachments") or not isinstance(source, str) or len(source) > HIGHLIGHT_LONGEST:
            return super().markdown2html(context, source)
        # The notebook's folder (a student's own) matters only to embedded images.
        options = (self.embed_images and path, self.anchor_link_text, self.exclude_anchor_links)
        key = (source, repr(options), repr(sorted(self.lexer_options.items())))
        return remembered(
            MARKDOWN_RENDERED, key, lambda: super(FeedbackHTMLExporter, self).markdown2html(context, source)
        )

    def _create_environment(self):  # noqa: ANN202 - nbconvert's signature
        from gdlab_autograde.speedups import TEMPLATE_CACHE

        environment = super()._create_environment()
        environment.bytecode_cache = TEMPLATE_CACHE  # compiled once per process, not per student
        return environment


def with_csp(page: str) -> str:
    """``page`` with the CSP meta right after its ``<head>`` (or first, when it has no head)."""
    match = re.search(r"<head[^>]*>", page, re.IGNORECASE)
    if match is None:
        return CSP_META + page
    return page[: match.end()] + "\n" + CSP_META + page[match.end() :]


class CachedHighlight2HTML(Highlight2HTML):
    """nbconvert's code highlighter, remembering the HTML of the sources it has highlighted.

    Every student's feedback shows the same given cells (imports, test cells, demonstrations):
    Pygments tokenized each of them again for every student (about 40% of a feedback page's
    time). The HTML depends only on the source, the language and the formatter's options, which
    make the key; the sources of one assignment fit in :data:`HIGHLIGHT_ENTRIES`, and a source
    longer than :data:`HIGHLIGHT_LONGEST` (a student's, surely) is not kept.
    """

    def __call__(self, source: str, language: str | None = None, metadata: Any = None) -> str:
        magics = metadata.get("magics_language") if isinstance(metadata, dict) else None
        if not isinstance(source, str) or len(source) > HIGHLIGHT_LONGEST:
            return super().__call__(source, language, metadata)
        options = repr(sorted(self.extra_formatter_options.items()))
        key = (source, language or self.pygments_lexer, magics, options)
        return remembered(
            HIGHLIGHTED, key, lambda: super(CachedHighlight2HTML, self).__call__(source, language, metadata)
        )


def remembered(memo: OrderedDict[tuple, str], key: tuple, make: Callable[[], str]) -> str:
    """``memo[key]``, made by ``make`` the first time; the least recently used entries beyond
    :data:`HIGHLIGHT_ENTRIES` are dropped."""
    html = memo.get(key)
    if html is None:
        html = memo[key] = make()
        while len(memo) > HIGHLIGHT_ENTRIES:
            memo.popitem(last=False)
    else:
        memo.move_to_end(key)
    return html


HIGHLIGHT_ENTRIES = 4096
HIGHLIGHT_LONGEST = 20_000
#: source, language, magics language, formatter options -> HTML (shared by every exporter of the process)
HIGHLIGHTED: OrderedDict[tuple, str] = OrderedDict()
#: markdown source and the exporter's rendering options -> HTML, for cells without attachments
MARKDOWN_RENDERED: OrderedDict[tuple, str] = OrderedDict()
