"""gdlab: the helper package the course notebooks import.

It holds checks for the test cells (``gdlab.checks``), interactive sliders
(``gdlab.sliders``), data loading (``gdlab.data``) and the command line
(``gdlab.cli``). It holds no answer to any graded exercise.
"""

__version__ = "0.1.0"
