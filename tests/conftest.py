"""Test-session settings: the course's data loader never touches the network or the user's cache."""

from __future__ import annotations

import os
import tempfile

# Set before any notebook kernel starts, so that kernels inherit them: MNIST comes from the
# embedded digits (or an explicit data_dir), never from a download or a developer's cache.
os.environ["GDLAB_OFFLINE"] = "1"
os.environ["GDLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="gdlab-test-cache-")
os.environ.pop("GDLAB_MNIST_DIR", None)
