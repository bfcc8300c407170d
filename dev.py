#!/usr/bin/env python3
"""One entry point for a newcomer: `python3 dev.py run` and `python3 dev.py test`.

Runs on any Python 3 (3.8 or later) and finds a Python 3.12+ for the project by itself:
the interpreter running this file, then `python3.14`/`python3.13`/`python3.12` on PATH,
then pyenv's installed versions, then uv's. It creates `.venv` with it, installs the project
(again only when `pyproject.toml` changed), and then:

    run   migrate, load the demo event, serve it at http://127.0.0.1:8000
    test  run the whole test suite (extra arguments go to pytest)
    setup only create/refresh the environment
"""

import glob
import hashlib
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, ".venv")
MINIMUM = (3, 12)
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
VENV_PYTHON = os.path.join(BIN, "python.exe" if os.name == "nt" else "python")


def say(message):
    print("[dev] " + message, flush=True)


def version_of(executable):
    """The (major, minor) of an interpreter, or None when it does not run."""
    # A pyenv shim such as python3.13 fails unless that version is selected; then the
    # pyenv versions folder, tried next, has the interpreter itself.
    try:
        out = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    try:
        major, minor = out.stdout.strip().split(".")
        return int(major), int(minor)
    except ValueError:
        return None


def candidates():
    if sys.version_info[:2] >= MINIMUM:
        yield sys.executable
    for name in ("python3.14", "python3.13", "python3.12"):
        found = shutil.which(name)
        if found:
            yield found
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for path in sorted(glob.glob(os.path.join(pyenv_root, "versions", "3.*", "bin", "python3")), reverse=True):
        yield path
    for path in sorted(glob.glob(os.path.expanduser("~/.local/share/uv/python/cpython-3.*/bin/python3")), reverse=True):
        yield path
    found = shutil.which("python3")
    if found:
        yield found


def find_python():
    for executable in candidates():
        version = version_of(executable)
        if version and version >= MINIMUM:
            return executable, version
    say("This project needs Python 3.12 or later (Django 6.1), and none was found.")
    say("Install one, then run this command again, for example:")
    say("  Debian/Ubuntu 24.04+: sudo apt-get install python3.12 python3.12-venv")
    say("  macOS (Homebrew):     brew install python@3.13")
    say("  any system with pyenv: pyenv install 3.13")
    say("  Windows:              winget install Python.Python.3.13")
    sys.exit(2)


def ensure_venv(extras):
    if os.path.exists(VENV_PYTHON) and (version_of(VENV_PYTHON) or (0, 0)) < MINIMUM:
        say("Removing .venv: it was made with a Python older than 3.12.")
        shutil.rmtree(VENV)
    if not os.path.exists(VENV_PYTHON):
        python, version = find_python()
        say("Creating .venv with Python %d.%d (%s)" % (version + (python,)))
        subprocess.run([python, "-m", "venv", VENV], check=True)
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        digest = hashlib.sha256(handle.read() + extras.encode()).hexdigest()
    stamp = os.path.join(VENV, ".installed-" + (extras or "base"))
    if os.path.exists(stamp) and open(stamp).read() == digest:
        return
    say("Installing the project and its dependencies%s" % (" (%s)" % extras if extras else ""))
    target = ".[%s]" % extras if extras else "."
    subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q", "-e", target], check=True, cwd=ROOT)
    with open(stamp, "w") as handle:
        handle.write(digest)


def dev_env():
    # The quick start is a development server: DEBUG on unless the caller says otherwise.
    return dict(os.environ, DEBUG=os.environ.get("DEBUG", "1"))


def manage(*args):
    subprocess.run([VENV_PYTHON, "manage.py"] + list(args), check=True, cwd=ROOT, env=dev_env())


def main(argv):
    command = argv[1] if len(argv) > 1 else "help"
    if command == "run":
        ensure_venv("")
        manage("migrate", "--no-input", "-v", "0")
        manage("load_demo")
        say("Serving at http://127.0.0.1:8000 (Ctrl+C to stop)")
        try:
            return subprocess.call([VENV_PYTHON, "manage.py", "runserver", "127.0.0.1:8000"], cwd=ROOT, env=dev_env())
        except KeyboardInterrupt:
            return 0
    if command == "test":
        ensure_venv("test")
        return subprocess.call([VENV_PYTHON, "-m", "pytest"] + argv[2:], cwd=ROOT)
    if command == "setup":
        ensure_venv("test")
        return 0
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
