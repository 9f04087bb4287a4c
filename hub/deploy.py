#!/usr/bin/env python3
"""Set up and start gdlab's class server: JupyterHub with nbgrader's exchange (run as root).

Three steps, each a subcommand (``hub/README.md`` has the walk-through):

``install``   a Python environment in ``PREFIX/venv`` with the course installed from a copy in
              ``PREFIX/course`` (readable by every account; ``solutions/`` only by the
              instructors' group ``gdlab-instructors``), the nbgrader exchange (root-owned,
              mode 1777, with the course's folder in it reserved for the first instructor),
              a collect that takes only submissions their own student made,
              nbgrader's system-wide configuration (course id, exchange), the
              instructor-only extensions (formgrader, create-assignment, course list) off for
              everyone, and the hub's configuration in ``PREFIX/etc``.
``add-user``  a real system account (home mode 700) for a student, grader or instructor, with a
              password for the hub's PAM login; instructors and graders get the course
              directory and the formgrader in their own server.
``start``     JupyterHub as root on 127.0.0.1:8000 (``--ip``/``--port`` at install change that);
              each user's server runs under that user's own uid (LocalProcessSpawner).

Only the standard library is used: this script runs with the system ``python3`` before the
course's environment exists.
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HUB_DIR = Path(__file__).resolve().parent
INSTRUCTORS_GROUP = "gdlab-instructors"
ROLES = ("student", "grader", "instructor")
# What a class server needs of the repository: the installable course and the notebooks.
COURSE_FILES = ("pyproject.toml", "README.md", "lib", "autograde", "solutions", "notebooks", "hub")
INSTRUCTOR_EXTENSIONS = ("formgrader", "create-assignment", "course-list")


class DeployError(Exception):
    """A problem the administrator must fix (printed without a traceback)."""


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command, failing with its output when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise DeployError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done


def settings_path(prefix: Path) -> Path:
    """The hub's settings file (ports, course id, roster), read by ``jupyterhub_config.py``."""
    return prefix / "etc" / "gdlab-hub.json"


def load_settings(prefix: Path) -> dict:
    """The settings ``install`` wrote; a clear error when it has not run."""
    path = settings_path(prefix)
    if not path.is_file():
        raise DeployError(f"{path} does not exist: run `deploy.py install --prefix {prefix}` first")
    return json.loads(path.read_text())


def save_settings(prefix: Path, settings: dict) -> None:
    """Write the settings atomically, readable by root only (the roster names every account)."""
    path = settings_path(prefix)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2) + "\n")
    tmp.chmod(0o600)
    tmp.replace(path)


def ensure_group(name: str) -> None:
    """Create the system group ``name`` unless it exists."""
    try:
        grp.getgrnam(name)
    except KeyError:
        run(["groupadd", "--system", name])


def copy_course(prefix: Path) -> Path:
    """Copy the course into ``PREFIX/course``: world-readable, but the solutions for instructors only."""
    course = prefix / "course"
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
    for name in COURSE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, course / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, course / name)
    for path in [course, *course.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    solutions = course / "solutions"
    os.chown(solutions, 0, grp.getgrnam(INSTRUCTORS_GROUP).gr_gid)
    solutions.chmod(0o750)
    return course


def write_nbgrader_system_config(python_prefix: Path, course_id: str, exchange: Path) -> None:
    """nbgrader's course id and exchange for every user, in the environment's own config folder."""
    etc = python_prefix / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(
        "# Written by hub/deploy.py: the class every account belongs to and where its exchange is.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "# Collect only submissions their own student made (hub/gdlab_exchange.py).\n"
        'c.ExchangeFactory.collect = "gdlab_exchange.OwnerCheckedCollect"\n'
    )
    # The instructor-only parts are off for everyone here and turned back on in each
    # instructor's own ~/.jupyter (add-user); the exchange's permissions are what keeps a
    # student from releasing or collecting, this keeps the menus honest.
    server = {ext: False for ext in ("formgrader", "course_list")}
    # After nbgrader.json, which turns them on: the files of this folder load in name order.
    (etc / "jupyter_server_config.d").mkdir(exist_ok=True)
    (etc / "jupyter_server_config.d" / "nbgrader_gdlab_hub.json").write_text(
        json.dumps(
            {
                "ServerApp": {
                    "jpserver_extensions": {f"nbgrader.server_extensions.{e}": v for e, v in server.items()}
                }
            },
            indent=2,
        )
    )
    labconfig = etc / "labconfig"
    labconfig.mkdir(exist_ok=True)
    disabled = {f"@jupyter/nbgrader:{e}": True for e in INSTRUCTOR_EXTENSIONS}
    (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}, indent=2))
    # A class should not be asked whether to fetch Jupyter's news.
    overrides = python_prefix / "share" / "jupyter" / "lab" / "settings"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / "overrides.json").write_text(
        json.dumps({"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}, indent=2)
    )


def check_python_is_shared() -> None:
    """Every account runs the class's environment, made from this Python: it must be theirs to run."""
    base = Path(sys.base_prefix).resolve()
    for folder in [base, *base.parents]:
        if not folder.stat().st_mode & 0o001:
            raise DeployError(
                f"this Python ({sys.executable}) lives in {base}, which other users cannot reach "
                f"({folder} is not world-executable): run deploy.py with the system's /usr/bin/python3"
            )


def reserve_course_exchange(course_exchange: Path) -> None:
    """Create the course's folder in the exchange, owned by root until an instructor takes it.

    nbgrader's first ``release_assignment`` creates ``EXCHANGE/<course>`` (with ``outbound/``
    and ``inbound/``) as whoever runs it: in a world-writable exchange a student who got there
    first would own the course's inbound (everyone's submissions) and outbound (what everyone
    fetches). Made here, nobody but root can write in it until ``add-user --role instructor``.
    """
    if not course_exchange.exists():
        course_exchange.mkdir()
        os.chown(course_exchange, 0, 0)
        course_exchange.chmod(0o755)
    owner = course_exchange.stat().st_uid
    if owner != 0 and INSTRUCTORS_GROUP not in groups_of(owner):
        raise DeployError(
            f"{course_exchange} belongs to {pwd.getpwuid(owner).pw_name}, who is not an instructor: "
            "remove it (it may hold submissions or released files nobody checked) and install again"
        )


def groups_of(uid: int) -> set[str]:
    """Names of the groups of a system account (primary and supplementary)."""
    account = pwd.getpwuid(uid)
    return {g.gr_name for g in grp.getgrall() if account.pw_name in g.gr_mem} | {
        grp.getgrgid(account.pw_gid).gr_name
    }


def hand_course_exchange(settings: dict, name: str) -> str:
    """Give the course's exchange folder to the first instructor (the one whose releases count);
    return who owns it."""
    course_exchange = Path(settings["exchange"]) / settings["course_id"]
    reserve_course_exchange(course_exchange)
    if course_exchange.stat().st_uid == 0:
        account = pwd.getpwnam(name)
        os.chown(course_exchange, account.pw_uid, account.pw_gid)
        course_exchange.chmod(0o755)  # nbgrader's mode for it: only its owner writes
    return pwd.getpwuid(course_exchange.stat().st_uid).pw_name


def install(args: argparse.Namespace) -> None:
    """The ``install`` subcommand: environment, course copy, exchange, configuration."""
    check_python_is_shared()
    prefix = Path(args.prefix).resolve()
    exchange = Path(args.exchange).resolve() if args.exchange else prefix / "exchange"
    ensure_group(INSTRUCTORS_GROUP)
    for folder in (prefix, prefix / "etc"):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    (prefix / "var").mkdir(exist_ok=True)
    (prefix / "var").chmod(0o700)  # the hub's database and cookie secret
    course = copy_course(prefix)
    env_dir = prefix / "venv"
    print(f"creating {env_dir} and installing the course with JupyterHub (pip) ...", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", *args.pip_arg]
    # Editable from the world-readable copy: the students' kernels import gdlab from it.
    run([*pip, "-e", f"{course}[hub]"], env=dict(os.environ, PIP_NO_INPUT="1"))
    for path in [env_dir, *env_dir.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    site_packages = (
        env_dir / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    )
    shutil.copy2(HUB_DIR / "gdlab_exchange.py", site_packages / "gdlab_exchange.py")
    (site_packages / "gdlab_exchange.py").chmod(0o644)
    write_nbgrader_system_config(env_dir, args.course_id, exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(0o1777)  # everyone may create in it, nobody may remove another's files
    reserve_course_exchange(exchange / args.course_id)
    shutil.copy2(HUB_DIR / "jupyterhub_config.py", prefix / "etc" / "jupyterhub_config.py")
    proxy = shutil.which("configurable-http-proxy")
    if proxy is None:
        raise DeployError("configurable-http-proxy is not on PATH: `npm install -g configurable-http-proxy`")
    old = load_settings(prefix) if settings_path(prefix).is_file() else {}
    save_settings(
        prefix,
        {
            "prefix": str(prefix),
            "course_id": args.course_id,
            "exchange": str(exchange),
            "ip": args.ip,
            "port": args.port,
            "hub_port": args.hub_port,
            "proxy_api_port": args.proxy_api_port,
            "proxy": proxy,
            "users": old.get("users", {}),
        },
    )
    print(f"installed: course {course}, exchange {exchange}, hub config {prefix / 'etc'}")


def set_password(name: str, password: str) -> None:
    """Set a system account's password (the hub checks it through PAM)."""
    run(["chpasswd"], input=f"{name}:{password}\n")


def write_instructor_files(name: str, settings: dict) -> Path:
    """An instructor's course directory and the formgrader turned on in their own server."""
    account = pwd.getpwnam(name)
    home = Path(account.pw_dir)
    course_dir = home / settings["course_id"]
    released = Path(settings["prefix"]) / "course" / "notebooks"
    (course_dir / "release").mkdir(parents=True, exist_ok=True)
    for assignment in sorted(p for p in released.iterdir() if p.is_dir()):
        target = course_dir / "release" / assignment.name
        if not target.exists():
            shutil.copytree(assignment, target)
    config = home / ".jupyter"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "nbgrader_config.py").write_text(
        "# Written by hub/deploy.py add-user: this instructor's course directory.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course_dir)!r}\n"
    )
    extensions = {f"nbgrader.server_extensions.{e}": True for e in ("formgrader", "course_list")}
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": extensions}}, indent=2)
    )
    enabled = {f"@jupyter/nbgrader:{e}": False for e in INSTRUCTOR_EXTENSIONS}
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": enabled}))
    for path in [config, course_dir, *config.rglob("*"), *course_dir.rglob("*")]:
        os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
    return course_dir


def add_user(args: argparse.Namespace) -> None:
    """The ``add-user`` subcommand: a system account with a password and its role in the class."""
    prefix = Path(args.prefix).resolve()
    settings = load_settings(prefix)
    name = args.name
    try:
        pwd.getpwnam(name)
        existed = True
    except KeyError:
        run(["useradd", "--create-home", "--shell", "/bin/bash", name])
        existed = False
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)  # nobody else reads a student's work
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else secrets.token_urlsafe(12)
    if not password:
        raise DeployError("an empty password: give one on the first line of standard input")
    set_password(name, password)
    if args.role in ("instructor", "grader"):
        run(["usermod", "--append", "--groups", INSTRUCTORS_GROUP, name])
        write_instructor_files(name, settings)
    if args.role == "instructor":
        owner = hand_course_exchange(settings, name)
        if owner != name:
            print(f"note: {owner} releases and collects: the exchange's course folder is theirs")
    settings["users"][name] = args.role
    save_settings(prefix, settings)
    verb = "updated" if existed else "created"
    shown = "" if args.password_stdin else f", password {password}"
    print(f"{verb} {args.role} {name}{shown}")


def start(args: argparse.Namespace) -> None:
    """The ``start`` subcommand: run JupyterHub in the foreground (Ctrl-C stops it and every server)."""
    prefix = Path(args.prefix).resolve()
    settings = load_settings(prefix)
    if not any(role == "instructor" for role in settings["users"].values()):
        print("note: no instructor yet (`deploy.py add-user NAME --role instructor`)", file=sys.stderr)
    hub = prefix / "venv" / "bin" / "jupyterhub"
    config = prefix / "etc" / "jupyterhub_config.py"
    env = dict(os.environ, GDLAB_HUB_SETTINGS=str(settings_path(prefix)))
    os.chdir(prefix / "var")
    print(f"JupyterHub on http://{settings['ip']}:{settings['port']}/ (Ctrl-C stops it)", flush=True)
    os.execve(str(hub), [str(hub), "-f", str(config)], env)


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``deploy.py``."""
    parser = argparse.ArgumentParser(prog="deploy.py", description=__doc__.split("\n")[0])
    parser.add_argument("--prefix", default="/opt/gdlab", help="where it all lives (default /opt/gdlab)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("install", help="environment, course, exchange and hub configuration")
    p.add_argument("--course-id", default="gdlab", help="nbgrader course id (default gdlab)")
    p.add_argument("--exchange", help="nbgrader exchange (default PREFIX/exchange)")
    p.add_argument("--ip", default="127.0.0.1", help="address the hub listens on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port of the hub's public face (default 8000)")
    p.add_argument("--hub-port", type=int, default=8081, help="hub's internal API port on 127.0.0.1")
    p.add_argument("--proxy-api-port", type=int, default=8001, help="proxy's API port on 127.0.0.1")
    p.add_argument(
        "--pip-arg", action="append", default=[], help="extra argument for pip (repeatable), e.g. --no-index"
    )
    p.set_defaults(run=install)
    p = sub.add_parser("add-user", help="a system account for a student, grader or instructor")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, default="student")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read its password from standard input (default: a random one, printed once)",
    )
    p.set_defaults(run=add_user)
    p = sub.add_parser("start", help="run JupyterHub (foreground)")
    p.set_defaults(run=start)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse the command line and run the subcommand as root."""
    args = build_parser().parse_args(argv)
    if os.geteuid() != 0:
        print("deploy.py: run it as root (it creates accounts and starts servers as them)", file=sys.stderr)
        return 2
    try:
        args.run(args)
    except DeployError as error:
        print(f"deploy.py {args.command}: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
