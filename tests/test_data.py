"""gdlab.data: the MNIST loader's sources, checks and errors, without the internet.

Downloads are served by a local HTTP server on 127.0.0.1 with small generated IDX files
whose checksums replace the registry's for the test.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from gdlab import data
from gdlab.data import MNISTError, load_mnist, mnist_source, read_idx

ROOT = Path(__file__).resolve().parents[1]
FULL_MNIST = ROOT.parent / "shared" / "data" / "mnist"


def idx_bytes(array: np.ndarray) -> bytes:
    """An uint8 array as an IDX file (magic 0x0000 08 ndim, big-endian dims, data)."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def small_mnist() -> dict:
    """Generated train (50) and test (20) sets as gzipped IDX bytes, with their arrays and md5s."""
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, size=(50, 28, 28)),
        "train-labels-idx1-ubyte.gz": np.arange(50) % 10,
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, size=(20, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": (np.arange(20) * 3) % 10,
    }
    files = {name: gzip.compress(idx_bytes(a), mtime=0) for name, a in arrays.items()}
    return {
        "arrays": arrays,
        "files": files,
        "md5": {n: hashlib.md5(b).hexdigest() for n, b in files.items()},
    }


class MirrorServer:
    """A local HTTP mirror: serves ``files`` (name -> bytes), counts requests, can lie or truncate."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)
        self.requests: list[str] = []
        self.truncate: set[str] = set()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                name = self.path.rsplit("/", 1)[-1]
                server.requests.append(name)
                body = server.files.get(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # a truncated response announces the full length, sends half, then hangs up
                self.wfile.write(body[: len(body) // 2] if name in server.truncate else body)
                if name in server.truncate:
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port_url() -> str:
    """The URL of a port nobody listens on (a server that is down)."""
    httpd = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    port = httpd.server_address[1]
    httpd.server_close()
    return f"http://127.0.0.1:{port}/mnist/"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_mnist: dict) -> Path:
    """An empty cache in tmp_path, no local directory, online, and the generated files' checksums."""
    monkeypatch.setenv("GDLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GDLAB_MNIST_DIR", raising=False)
    monkeypatch.delenv("GDLAB_OFFLINE", raising=False)
    monkeypatch.setenv("GDLAB_MNIST_MIRRORS", free_port_url())  # never the internet
    monkeypatch.setattr(data, "FILES", dict(small_mnist["md5"]))
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 5.0)
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)  # 127.0.0.1 must be reached directly
    data._parse_folder.cache_clear()
    return tmp_path / "cache" / "mnist"


@pytest.fixture
def mirror(small_mnist: dict, monkeypatch: pytest.MonkeyPatch, env: Path):
    server = MirrorServer(small_mnist["files"])
    monkeypatch.setenv("GDLAB_MNIST_MIRRORS", server.url)
    yield server
    server.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_fills_the_cache_then_hits_it(mirror: MirrorServer, env: Path, small_mnist: dict) -> None:
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False, flatten=False)
    assert data.last_source().kind == "download"
    assert f"downloaded from {mirror.url}" in mnist_source() and str(env) in mnist_source()
    assert "50 train / 20 test" in mnist_source()
    assert sorted(mirror.requests) == sorted(small_mnist["files"])
    np.testing.assert_array_equal(x_train[:, 0], small_mnist["arrays"]["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(t_test, small_mnist["arrays"]["t10k-labels-idx1-ubyte.gz"])
    assert leftovers(env) == sorted(small_mnist["files"])  # no temporary files left

    load_mnist()
    assert data.last_source().kind == "cache" and "cache" in mnist_source()
    assert len(mirror.requests) == 4, "a cache hit must not download again"


def test_corrupted_cache_file_is_downloaded_again(mirror: MirrorServer, env: Path, small_mnist: dict) -> None:
    load_mnist()
    victim = env / "train-labels-idx1-ubyte.gz"
    victim.write_bytes(b"garbage")
    (_, t_train), _ = load_mnist()
    assert mirror.requests.count("train-labels-idx1-ubyte.gz") == 2 and len(mirror.requests) == 5
    np.testing.assert_array_equal(t_train, small_mnist["arrays"]["train-labels-idx1-ubyte.gz"])
    assert hashlib.md5(victim.read_bytes()).hexdigest() == small_mnist["md5"][victim.name]


def test_wrong_checksum_is_refused_and_leaves_nothing(mirror: MirrorServer, env: Path) -> None:
    mirror.files["t10k-images-idx3-ubyte.gz"] = gzip.compress(b"not mnist")
    with pytest.raises(MNISTError, match=r"t10k-images-idx3-ubyte\.gz.*md5"):
        load_mnist(download=True)
    assert "t10k-images-idx3-ubyte.gz" not in leftovers(env)
    assert not [n for n in leftovers(env) if n.endswith(".part")]


def test_truncated_download_leaves_no_cache_entry(mirror: MirrorServer, env: Path) -> None:
    mirror.truncate.add("train-images-idx3-ubyte.gz")
    with pytest.raises(MNISTError, match=r"could not download(.|\n)*truncated: received"):
        load_mnist(download=True)
    assert "train-images-idx3-ubyte.gz" not in leftovers(env)
    assert not [n for n in leftovers(env) if n.endswith(".part")]


def test_server_down_is_a_clear_error_or_the_embedded_fallback(env: Path) -> None:
    with pytest.raises(MNISTError) as caught:
        load_mnist(download=True)
    message = str(caught.value)
    assert "could not download MNIST (offline?)" in message and "GDLAB_MNIST_DIR" in message
    assert "127.0.0.1" in message
    (x_train, _), (x_test, _) = load_mnist()  # download=None: try, then fall back
    assert data.last_source().kind == "embedded" and "embedded" in mnist_source()
    assert (len(x_train), len(x_test)) == (4000, 1000)


def test_second_mirror_is_used_when_the_first_is_down(
    small_mnist: dict, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = MirrorServer(small_mnist["files"])
    try:
        monkeypatch.setenv("GDLAB_MNIST_MIRRORS", f"{free_port_url()},{server.url}")
        load_mnist(download=True)
        assert data.last_source().kind == "download" and len(server.requests) == 4
    finally:
        server.close()


def test_offline_never_touches_the_network(mirror: MirrorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    load_mnist(download=False)  # online, but told not to download
    assert mirror.requests == [] and data.last_source().kind == "embedded"
    monkeypatch.setenv("GDLAB_OFFLINE", "1")
    load_mnist()
    assert mirror.requests == [] and data.last_source().kind == "embedded"
    load_mnist(download=True)  # an explicit request overrides GDLAB_OFFLINE
    assert len(mirror.requests) == 4 and data.last_source().kind == "download"


def test_a_mirror_that_hangs_times_out(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections are queued but never answered
    try:
        monkeypatch.setenv("GDLAB_MNIST_MIRRORS", f"http://127.0.0.1:{listener.getsockname()[1]}/")
        monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 0.3)
        with pytest.raises(MNISTError, match="timed out"):
            load_mnist(download=True)
        assert not [n for n in leftovers(env) if n.endswith(".part")]
    finally:
        listener.close()


def test_an_unwritable_cache_is_an_error_or_the_embedded_fallback(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GDLAB_CACHE_DIR", str(blocker))  # the cache would be a-file/mnist
    with pytest.raises(MNISTError, match="cannot create the MNIST cache folder(.|\n)*GDLAB_CACHE_DIR"):
        load_mnist(download=True)
    load_mnist()
    assert data.last_source().kind == "embedded"


def test_files_are_parsed_once_and_results_are_copies(
    env: Path, tmp_path: Path, small_mnist: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "mine", small_mnist["files"])
    calls: list[str] = []
    real_read_idx = data.read_idx

    def counting_read_idx(path: Path) -> np.ndarray:
        calls.append(Path(path).name)
        return real_read_idx(path)

    monkeypatch.setattr(data, "read_idx", counting_read_idx)
    (x_train, t_train), _ = load_mnist(normalize=False, data_dir=folder)
    x_train[:] = 0
    t_train[:] = 0
    (x_again, t_again), _ = load_mnist(normalize=False, data_dir=folder)
    assert len(calls) == 4, "the four files must be parsed once per process"
    raw = small_mnist["arrays"]["train-images-idx3-ubyte.gz"]
    np.testing.assert_array_equal(x_again, raw.reshape(50, 784))  # the caller's edits did not leak
    np.testing.assert_array_equal(t_again, np.arange(50) % 10)


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_bytes(body)
    return folder


def test_local_directory_is_used_and_verified(
    env: Path, tmp_path: Path, small_mnist: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "mine", small_mnist["files"])
    (x_train, t_train), _ = load_mnist(data_dir=folder, one_hot_label=True)
    assert data.last_source().kind == "local" and str(folder) in mnist_source()
    assert x_train.shape == (50, 784) and t_train.shape == (50, 10)

    monkeypatch.setenv("GDLAB_MNIST_DIR", str(folder))
    load_mnist()
    assert data.last_source().kind == "local"

    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"changed")
    with pytest.raises(MNISTError, match=r"t10k-labels-idx1-ubyte\.gz has md5 [0-9a-f]{32}, expected"):
        load_mnist()
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(MNISTError, match=r"t10k-labels-idx1-ubyte\.gz is missing"):
        load_mnist()
    with pytest.raises(MNISTError, match="does not exist"):
        load_mnist(data_dir=tmp_path / "nowhere")


def test_formats(env: Path, tmp_path: Path, small_mnist: dict) -> None:
    folder = write_folder(tmp_path / "mine", small_mnist["files"])
    (x, t), (xv, tv) = load_mnist(data_dir=folder)
    assert x.dtype == np.float32 and x.shape == (50, 784) and 0.0 <= x.min() and x.max() <= 1.0
    assert t.dtype == np.int64 and t.shape == (50,) and xv.shape == (20, 784)
    raw = small_mnist["arrays"]["train-images-idx3-ubyte.gz"]
    np.testing.assert_allclose(x[3], raw[3].ravel() / 255.0, rtol=1e-6)
    (x, t), _ = load_mnist(normalize=False, flatten=False, one_hot_label=True, data_dir=folder)
    assert x.dtype == np.uint8 and x.shape == (50, 1, 28, 28)
    np.testing.assert_array_equal(x[7, 0], raw[7])
    assert t.dtype == np.float32 and t.shape == (50, 10)
    np.testing.assert_array_equal(t.argmax(axis=1), np.arange(50) % 10)
    assert set(t.sum(axis=1)) == {1.0}


def test_embedded_subset(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDLAB_OFFLINE", "1")
    (x_train, t_train), (x_test, t_test) = load_mnist(download=False)
    assert x_train.shape == (4000, 784) and x_test.shape == (1000, 784)
    assert x_train.dtype == np.float32 and 0.0 <= x_train.min() and x_train.max() == 1.0
    assert set(np.unique(t_train)) == set(range(10)) and set(np.unique(t_test)) == set(range(10))
    assert 0.05 < x_train.mean() < 0.3  # digits: mostly background
    again = load_mnist(download=False)
    np.testing.assert_array_equal(again[0][1], t_train)  # the split is deterministic
    assert "embedded 5,000-digit MNIST subset" in mnist_source() and "GDLAB_MNIST_DIR" in mnist_source()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\x01\x00\x08\x01" + (3).to_bytes(4, "big") + b"abc", "bad magic number"),
        (b"\x00\x00\x07\x01" + (3).to_bytes(4, "big") + b"abc", "unknown IDX data type code 0x07"),
        (
            b"\x00\x00\x08\x02" + (2).to_bytes(4, "big") + (3).to_bytes(4, "big") + b"abcde",
            "truncated or corrupt",
        ),
        (b"\x00\x00\x08\x01" + (2).to_bytes(4, "big") + b"abc", "truncated or corrupt"),
        (b"\x00\x00\x08\x03" + (2).to_bytes(4, "big"), "truncated IDX header"),
        (b"", "bad magic number"),
        (b"\x1f\x8b\x08\x00garbage", "cannot read"),
    ],
)
def test_read_idx_rejects_bad_files(tmp_path: Path, body: bytes, message: str) -> None:
    path = tmp_path / "bad.idx"
    path.write_bytes(body)
    with pytest.raises(MNISTError, match=message):
        read_idx(path)


def test_read_idx_reads_other_types_and_plain_files(tmp_path: Path) -> None:
    values = np.array([[1, -2], [300, 4]], dtype=">i4")
    path = tmp_path / "ints.idx"
    path.write_bytes(b"\x00\x00\x0c\x02" + (2).to_bytes(4, "big") * 2 + values.tobytes())
    got = read_idx(path)
    np.testing.assert_array_equal(got, [[1, -2], [300, 4]])
    assert got.dtype == np.int32 and got.dtype.isnative


@pytest.mark.fulldata
def test_full_mnist(monkeypatch: pytest.MonkeyPatch) -> None:
    if not all((FULL_MNIST / name).is_file() for name in data.FILES):
        pytest.skip(f"full MNIST not found at {FULL_MNIST}: it is only on development and CI machines")
    data._parse_folder.cache_clear()
    (x_train, t_train), (x_test, t_test) = load_mnist(data_dir=FULL_MNIST)
    assert data.last_source().kind == "local"
    assert x_train.shape == (60_000, 784) and x_test.shape == (10_000, 784)
    assert list(t_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # the famous first training labels
    assert np.bincount(t_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(t_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert abs(float(x_train.mean()) - 0.1307) < 1e-3  # the usual normalisation constants
    assert abs(float(x_train.std()) - 0.3081) < 1e-3
