"""gdlab's feedback exporter renders the page nbconvert's own HTMLExporter would, plus the CSP.

``FeedbackHTMLExporter`` skips nbconvert's last step (a BeautifulSoup re-parse of the whole page
that only adds image alt text) for speed; these tests hold it to nbconvert's document, so a new
nbconvert that changes its exporter is caught here rather than in a student's feedback.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import nbformat
import nbgrader
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from PIL import Image
from traitlets.config import Config

from gdlab_autograde.coursedir import feedback_template_dirs
from gdlab_autograde.sanitize_html import (
    CSP_META,
    HIGHLIGHTED,
    MARKDOWN_RENDERED,
    FeedbackHTMLExporter,
    with_csp,
)


def png_base64() -> str:
    """A small real PNG, base64-encoded as notebooks store it."""
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 30, 30)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def page_notebook() -> nbformat.NotebookNode:
    """Markdown with and without alt texts, a plotted output, text output and an error."""
    image = png_base64()
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                f'# A title\n\n<img src="data:image/png;base64,{image}">\n\n'
                f'<img alt="a red dot" src="data:image/png;base64,{image}">\n\n$x^2$ and `code`'
            ),
            nbformat.v4.new_code_cell(
                "plot()",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data", data={"image/png": image, "text/plain": "<Figure>"}
                    ),
                    nbformat.v4.new_output("stream", name="stdout", text="a <b>printed</b> line\n"),
                    nbformat.v4.new_output(
                        "error", ename="ValueError", evalue="no", traceback=["ValueError: no"]
                    ),
                ],
            ),
        ],
        metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}},
    )


def config() -> Config:
    """The feedback template and its stylesheet, as nbgrader's GenerateFeedback sets them for gdlab."""
    c = Config()
    c.HTMLExporter.template_name = "gdlab_feedback"
    c.HTMLExporter.extra_template_basedirs = feedback_template_dirs()
    static = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "static"
    c.HTMLExporter.extra_template_paths = [str(static / "node_modules" / "bootstrap" / "dist" / "css")]
    return c


def resources() -> dict:
    """What nbgrader's and gdlab's feedback preprocessors give the template."""
    return {"nbgrader": {"notebook": "page", "summary": "Total: 1/2", "late_penalty": 0}}


def normalised(page: str) -> str:
    """``page`` as BeautifulSoup writes it back (the form nbconvert's own exporter returns)."""
    return str(BeautifulSoup(page, features="html.parser"))


def test_the_feedback_page_is_nbconverts_page_with_the_csp() -> None:
    nb = page_notebook()
    ours, _ = FeedbackHTMLExporter(config=config()).from_notebook_node(nb, resources())
    stock, _ = HTMLExporter(config=config()).from_notebook_node(nb, resources())
    assert ours.count(CSP_META) == 1
    assert normalised(ours) == normalised(with_csp(stock))


def test_every_image_has_an_alt_text_and_given_ones_are_kept() -> None:
    ours, _ = FeedbackHTMLExporter(config=config()).from_notebook_node(page_notebook(), resources())
    images = BeautifulSoup(ours, features="html.parser").find_all("img")
    alts = [image.get("alt") for image in images]
    assert len(images) == 3 and all(alts), alts
    assert "a red dot" in alts


def test_the_remembered_highlighting_and_markdown_give_each_page_its_own_content() -> None:
    """The exporter remembers highlighted code and rendered markdown across students: a page made
    from the memory is nbconvert's page, and a changed cell is rendered anew, never reused."""
    HIGHLIGHTED.clear()
    MARKDOWN_RENDERED.clear()
    first = page_notebook()
    first.cells.append(nbformat.v4.new_code_cell("def mse(y, t):\n    return 0.5 * ((y - t) ** 2).mean()"))
    FeedbackHTMLExporter(config=config()).from_notebook_node(first, resources())
    assert HIGHLIGHTED and MARKDOWN_RENDERED  # the memory is used at all
    again, _ = FeedbackHTMLExporter(config=config()).from_notebook_node(first, resources())
    stock, _ = HTMLExporter(config=config()).from_notebook_node(first, resources())
    assert normalised(again) == normalised(with_csp(stock))

    other = page_notebook()
    other.cells[0].source = other.cells[0].source.replace("A title", "Another title")
    other.cells.append(nbformat.v4.new_code_cell("def mse(y, t):\n    return ((y - t) ** 2).sum()"))
    page, _ = FeedbackHTMLExporter(config=config()).from_notebook_node(other, resources())
    text = BeautifulSoup(page, features="html.parser").get_text()
    assert "Another title" in text and "A title" not in text.replace("Another title", "")
    assert ".sum()" in text and "0.5" not in text
