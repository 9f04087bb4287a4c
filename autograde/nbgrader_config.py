"""nbgrader configuration of the gdlab course: the one place grading is configured.

`gdlab release` and `gdlab grade` load this file explicitly (nbgrader itself only
looks in the current directory) and set the paths of each run on top of it.
"""

c = get_config()  # noqa: F821 - provided by traitlets when the file is loaded

c.CourseDirectory.course_id = "gdlab"
# The instructor source is solutions/, the student release notebooks/ (DESIGN §2).
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "README.md"]

# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per-cell timeout (seconds): a cell that runs longer is interrupted and scores 0.
c.Execute.timeout = 60  # (SafeExecute inherits Execute's settings)
c.Execute.interrupt_on_timeout = True
# A cell that does not stop when interrupted is marked as timed out, not fatal to the
# whole submission (SafeExecute then stops the kernel and marks the later cells "not run").
c.Execute.raise_on_iopub_timeout = False
# Each notebook runs in a fresh kernel; a kernel that dies is restarted only once.
c.Execute.execute_retries = 0
# Once the outputs are in, the kernel is killed at once: a graceful shutdown waits ~0.4 s per
# submission, and only for the student's own atexit hooks, which grading has no use for.
c.Execute.shutdown_kernel = "immediate"

# Before restoring cells, metadata nbgrader would trip over is dropped (gdlab_autograde.sanitize).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "gdlab_autograde.sanitize.ForgetUnknownCells",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Test cells a student deleted are put back, and edited ones restored, from the
# source copy in the gradebook; the kernelspec is reset to the course's.
c.OverwriteCells.add_missing_cells = True

# Execution in two phases (gdlab_autograde.execute): the notebook with the visible tests,
# then the hidden checks and the trusted probes, unseen; it keeps the points earned before
# a kernel death or an unstoppable cell.
c.Autograde.autograde_preprocessors = [
    "gdlab_autograde.execute.SafeExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Cap what a submission can print into its graded notebook.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

# Feedback never shows hidden tests: the hidden region is removed from the source
# and tracebacks of test cells are reduced to the exception and its message. Whatever
# the student wrote is sanitized, and the page forbids every script (CSP).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "gdlab_autograde.feedback.HideHiddenTests",
    "gdlab_autograde.sanitize_html.SanitizeFeedback",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.GenerateFeedback.exporter_class = "gdlab_autograde.sanitize_html.FeedbackHTMLExporter"
