#!/usr/bin/python3
"""Applies a host bundle (rendered by lib/host-config/bundle.ts) to a running host, without a reboot.

    apply_bundle.py BUNDLE.json --deploy-values JSON [--root DIR] [--state-dir DIR]

A bundle is one JSON document: the host's files (inline text, or an artifact fetched by URL), checks
that a changed file must pass before anything is written (e.g. unbound-checkconf on the new text), the actions to run when given files changed (reload, restart...), an optional
`prepare` step run once before the first disruptive action (a Redis master hands its role to the
standby), and a `verify` step that must pass (retried) before the apply counts as done. Values only the
deployed stack knows arrive as --deploy-values and replace {{deploy:NAME}} markers.

Order: lock, resolve markers, fetch artifacts and check changed files (nothing on disk changes if any of
that fails), write
changed files atomically, run the triggered actions in bundle order, verify, then record the version.
An interrupted or failed apply records nothing, so the next apply (the same or an older bundle on
rollback) sees the files as changed and runs their actions again. Standard library only.
"""

import argparse
import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

MARKER = re.compile(r"\{\{deploy:([A-Za-z0-9_.]+)\}\}")


class ApplyError(Exception):
    pass


def log(message):
    print(message, flush=True)


def substitute(text, values, where):
    def one(match):
        name = match.group(1)
        if name not in values:
            raise ApplyError(f"{where}: no deploy value {name!r} (given: {', '.join(sorted(values)) or 'none'})")
        return str(values[name])

    return MARKER.sub(one, text)


def fetch(url, dest):
    """s3:// through the AWS CLI (instance role), file:// for tests and local artifacts."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "s3":
        subprocess.run(["aws", "s3", "cp", "--only-show-errors", url, dest], check=True)
    elif parsed.scheme == "file":
        with open(urllib.parse.unquote(parsed.path), "rb") as src, open(dest, "wb") as out:
            out.write(src.read())
    else:
        raise ApplyError(f"artifact {url}: only s3:// and file:// URLs are fetched")
    with open(dest, "rb") as f:
        return f.read()


def resolve_files(bundle, values, scratch):
    """Every file's final bytes, or ApplyError before anything is written."""
    resolved = []
    for i, entry in enumerate(bundle["files"]):
        path = entry["path"]
        if "content" in entry:
            data = substitute(entry["content"], values, path).encode("utf-8")
        else:
            source = entry["source"]
            url = substitute(source["url"], values, path)
            data = fetch(url, os.path.join(scratch, f"artifact-{i}"))
            digest = hashlib.sha256(data).hexdigest()
            # Content-addressed keys already name one build; a digest, when given, is checked too.
            if "sha256" in source and digest != source["sha256"]:
                raise ApplyError(f"{path}: {url} has sha256 {digest}, the bundle expects {source['sha256']}; refusing a different artifact")
        resolved.append({"path": path, "data": data, "mode": int(entry.get("mode", "0644"), 8), "owner": entry.get("owner", "root:root")})
    return resolved


def target(root, path):
    return os.path.join(root, path.lstrip("/"))


def differs(dest, data, mode):
    try:
        with open(dest, "rb") as f:
            if f.read() != data:
                return True
        return (os.stat(dest).st_mode & 0o7777) != mode
    except FileNotFoundError:
        return True


def chown(dest, owner):
    # Owners only exist on the real host; tests run unprivileged in a temp root.
    if os.geteuid() != 0:
        return
    import grp
    import pwd

    user, _, group = owner.partition(":")
    os.chown(dest, pwd.getpwnam(user).pw_uid, grp.getgrnam(group or user).gr_gid)


def write_atomically(dest, data, mode, owner):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dest), prefix=".bundle-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        chown(tmp, owner)
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def triggered(action, changed):
    when = action.get("when", [])
    return when == "always" or any(path in changed for path in when)


def run_step(name, argv, env):
    log(f"run {name}: {' '.join(argv)}")
    result = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in result.stdout.splitlines():
        log(f"  {name}: {line}")
    if result.returncode != 0:
        raise ApplyError(f"{name} failed (exit {result.returncode})")


def verify(step, env):
    attempts = int(step.get("attempts", 30))
    interval = float(step.get("intervalSeconds", 2))
    last = ""
    for attempt in range(1, attempts + 1):
        result = subprocess.run(step["run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode == 0:
            log(f"verified after {attempt} attempt(s): {result.stdout.strip()}")
            return
        last = result.stdout.strip()
        if attempt < attempts:
            time.sleep(interval)
    raise ApplyError(f"verify failed after {attempts} attempts: {last}")


def check_changed(bundle, files, root, scratch, env):
    """Runs each check on the new content of a changed file, staged in scratch ({file} names it)."""
    by_path = {entry["path"]: entry for entry in files}
    for check in bundle.get("checks", []):
        entry = by_path.get(check["path"])
        if entry is None or not differs(target(root, entry["path"]), entry["data"], entry["mode"]):
            continue
        staged = os.path.join(scratch, "check-" + os.path.basename(entry["path"]))
        with open(staged, "wb") as f:
            f.write(entry["data"])
        run_step(f"check {entry['path']}", [arg.replace("{file}", staged) for arg in check["run"]], env)


def apply(bundle_path, values, root, state_dir):
    with open(bundle_path, encoding="utf-8") as f:
        bundle = json.load(f)
    if bundle.get("format") != 1:
        raise ApplyError(f"{bundle_path}: bundle format {bundle.get('format')!r}; this applier reads format 1")
    os.makedirs(state_dir, exist_ok=True)
    with open(os.path.join(state_dir, "lock"), "w") as lock:
        # One apply at a time (State Manager and an operator's Run Command may overlap).
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = dict(os.environ, BUNDLE_ROOT=root, BUNDLE_VERSION=bundle["version"])
        with tempfile.TemporaryDirectory(dir=state_dir) as scratch:
            files = resolve_files(bundle, values, scratch)
            check_changed(bundle, files, root, scratch, env)
        changed = []
        for entry in files:
            dest = target(root, entry["path"])
            if differs(dest, entry["data"], entry["mode"]):
                write_atomically(dest, entry["data"], entry["mode"], entry["owner"])
                changed.append(entry["path"])
                log(f"changed {entry['path']}")
        actions = [a for a in bundle.get("actions", []) if triggered(a, changed)]
        prepared = False
        for action in actions:
            if action.get("disruptive") and not prepared and bundle.get("prepare"):
                run_step("prepare", bundle["prepare"]["run"], env)
                prepared = True
            run_step(action["name"], action["run"], env)
        if bundle.get("verify"):
            verify(bundle["verify"], env)
        state = {"host": bundle["host"], "version": bundle["version"], "changed": changed, "actions": [a["name"] for a in actions], "appliedAt": int(time.time())}
        current = os.path.join(state_dir, "current.json")
        if os.path.exists(current):
            os.replace(current, os.path.join(state_dir, "previous.json"))
        write_atomically(current, (json.dumps(state, indent=2) + "\n").encode(), 0o644, "root:root")
        log(f"applied {bundle['host']} bundle {bundle['version']}: {len(changed)} file(s) changed, actions: {', '.join(state['actions']) or 'none'}")


def main(argv):
    parser = argparse.ArgumentParser(description="Apply a host bundle without a reboot.")
    parser.add_argument("bundle")
    parser.add_argument("--deploy-values", default="{}", help="JSON object replacing {{deploy:NAME}} markers")
    parser.add_argument("--root", default="/", help="filesystem root the bundle's paths are under (tests)")
    parser.add_argument("--state-dir", default="/var/lib/monsaas/bundle")
    args = parser.parse_args(argv)
    try:
        values = json.loads(args.deploy_values)
        if not isinstance(values, dict):
            raise ApplyError("--deploy-values must be a JSON object")
        apply(args.bundle, values, args.root, args.state_dir)
    except (ApplyError, json.JSONDecodeError, subprocess.CalledProcessError, OSError, KeyError) as error:
        print(f"apply failed: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
