"""JupyterHub configuration of gdlab's class server (copied to PREFIX/etc by ``deploy.py install``).

Everything that varies (address, ports, course id, the roster) comes from the settings file
``deploy.py`` writes, named by ``$GDLAB_HUB_SETTINGS``. The choices made here:

- PAM logins for the system accounts ``deploy.py add-user`` creates (their own passwords); only
  the roster may log in; instructors are the hub's admins, graders and students are not.
- LocalProcessSpawner: each user's JupyterLab runs under that user's uid in their home (mode 700),
  from the course's environment in PREFIX/venv, with gdlab and nbgrader's student extensions.
- The hub, its API and the proxy listen on 127.0.0.1 unless ``install --ip`` says otherwise.
- A user's server gets a token that may only reach its own server (JupyterHub's default
  ``server_token_scopes``), never the admin API.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub's config loader defines it

settings = json.loads(Path(os.environ["GDLAB_HUB_SETTINGS"]).read_text())
prefix = Path(settings["prefix"])
users = settings["users"]
instructors = {name for name, role in users.items() if role == "instructor"}
graders = {name for name, role in users.items() if role == "grader"}
students = {name for name, role in users.items() if role == "student"}
course_id = settings["course_id"]

c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{prefix / 'var' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(prefix / "var" / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session per spawn (no systemd-logind here)
c.Authenticator.allowed_users = instructors | graders | students
c.Authenticator.admin_users = instructors
# nbgrader's groups for a course (its "multiple classes" layout): who grades, who takes it.
c.JupyterHub.load_groups = {
    f"formgrade-{course_id}": {"users": sorted(instructors | graders)},
    f"nbgrader-{course_id}": {"users": sorted(students)},
}

venv_bin = prefix / "venv" / "bin"
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin"}
# A class logs in at once: the first JupyterLab start of many users on a small server is slow.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
