"""What the instructor should know about a submission: the audit report's findings.

Findings never change a grade by themselves (the sandbox, the restored test
cells and the trusted probes do that); they tell the instructor who tried what.
"""

from __future__ import annotations

import re

import nbformat

# (pattern over a submission's code, what it means)
SUSPICIOUS_CODE = [
    (r"gradebook", "mentions the gradebook"),
    (
        r"solutions/|['\"]solutions['\"]|/autograded|/submitted",
        "looks for the solutions or other submissions",
    ),
    (r"\b(?:np|numpy)(?:\.\w+)*\.\w+\s*=(?!=)|setattr\(\s*(?:np|numpy)\b", "reassigns a numpy function"),
    (r"\bbuiltins\b|__builtins__", "changes builtins"),
    (
        r"input_transformers|input_splitter|ast_transformers|set_custom_exc|events\.register|"
        r"register_magic|sys\.settrace|sys\.setprofile|showtraceback|sys\.excepthook|run_cell\s*=",
        "changes how IPython runs cells or reports errors",
    ),
    (
        r"\b(?:gdlab\.checks\.)?check_(?:close|equal|true|raises|shape|dtype|unchanged)\s*=(?!=)|"
        r"gdlab\.checks\.\w+\s*=(?!=)|setattr\(\s*(?:gdlab\.)?checks\b",
        "replaces a test helper",
    ),
    (r"\bsocket\b|urllib|http\.client|requests\.", "opens network connections"),
    (r"os\.fork|forkpty|start_new_session|setsid|daemon", "starts processes that outlive the cell"),
    (r"os\._exit|sys\.exit|\bexit\(\)|\bquit\(\)|os\.kill|signal\.SIG", "stops or signals the kernel"),
    (r"assert\s+True|AssertionError\s*=", "tampers with assertions"),
]

RESOURCE_SIGNS = [
    ("MemoryError", "ran out of its memory limit"),
    ("Resource temporarily unavailable", "hit the process limit"),
    ("File too large", "hit the file size limit"),
    ("output beyond", "printed more output than is kept"),
    ("CPU time limit", "hit the CPU time limit"),
]


def scan_code(nb: nbformat.NotebookNode) -> list[str]:
    """Suspicious things a submission's code does, one sentence each."""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return [meaning for pattern, meaning in SUSPICIOUS_CODE if re.search(pattern, code)]


def compare_locked_cells(submitted: nbformat.NotebookNode, released: nbformat.NotebookNode) -> list[str]:
    """Locked cells (tests, provided code) a submission deleted, edited or duplicated."""

    def locked(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
        cells = []
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
            if meta.get("locked") or (meta.get("grade") and not meta.get("solution")):
                cells.append((meta.get("grade_id", ""), cell.source))
        return cells

    original = dict(locked(released))
    theirs = locked(submitted)
    findings = []
    names = [name for name, _ in theirs]
    for name, source in original.items():
        if name not in names:
            findings.append(f"deleted locked cell {name} (restored)")
        elif names.count(name) > 1:
            findings.append(f"duplicated locked cell {name} (duplicates dropped)")
        elif dict(theirs)[name].strip() != source.strip():
            findings.append(f"edited locked cell {name} (restored)")
    if submitted.metadata.get("kernelspec", {}).get("name", "python3") != "python3":
        findings.append("changed the kernelspec (reset)")
    return findings


def resource_signs(outputs_text: str) -> list[str]:
    """Resource limits a graded notebook's outputs show it hit."""
    return [meaning for sign, meaning in RESOURCE_SIGNS if sign in outputs_text]
