"""Checks the analysts' SQLite files of a build as analysts use them.

    python scripts/store_checks.py OUTPUT_DIR README.md

- every example query in the README's "Querying the store" section runs in the sqlite3 command-line
  shell and in Python's sqlite3 module with the same rows, and those on the public file run in
  Datasette too (served on 127.0.0.1 with the shipped metadata), again with the same rows;
- both files carry the schema version (PRAGMA user_version), the public file is vacuumed with no
  journal or WAL beside it;
- every analyst view answers through Datasette's JSON API, and EXPLAIN QUERY PLAN shows the views'
  lookups of indicator_value use an index rather than scanning the table.

Exits 1 naming each failure.
"""
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

SCHEMA_VERSION = 2
VIEWS = ["latest_value", "area_profile", "foundation_headline", "indicator_series"]
failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL {message}")


def readme_queries(readme, output):
    """(file, sql) for each `sqlite3 ... FILE "SQL"` in the README's querying section."""
    text = Path(readme).read_text(encoding="utf-8")
    section = text.split("## Querying the store", 1)[1].split("\n## ", 1)[0]
    queries = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for match in re.finditer(r'sqlite3 -header -column (\S+) "(.*?)"', block, re.S):
            path = match.group(1).replace("out/", str(output).rstrip("/") + "/", 1)
            queries.append((path, match.group(2).strip()))
    return queries


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_json(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def main():
    output, readme = Path(sys.argv[1]), sys.argv[2]
    public = output / "public" / "data" / "promise-public.sqlite"
    restricted = output / "promise.sqlite"
    metadata = output / "public" / "data" / "datasette-metadata.yml"

    # The files themselves.
    for path in (public, restricted):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            fail(f"{path}: user_version is {version}, expected {SCHEMA_VERSION}")
        for view in VIEWS:
            if connection.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'view' AND name = ?", (view,)).fetchone()[0] != 1:
                fail(f"{path}: no view {view}")
        connection.close()
    connection = sqlite3.connect(f"file:{public}?mode=ro", uri=True)
    if connection.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        fail(f"{public}: in WAL mode")
    free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    if free:
        fail(f"{public}: {free} free pages: not vacuumed")
    for side in ("-wal", "-shm", "-journal"):
        if Path(str(public) + side).exists():
            fail(f"{public}{side} exists beside the public file")

    # The views' lookups use indexes.
    plans = {
        "latest_value": "SELECT * FROM latest_value WHERE geography_code = 'S92000003'",
        "area_profile": "SELECT * FROM area_profile WHERE geography_code = 'S12000005'",
        "foundation_headline": "SELECT * FROM foundation_headline WHERE foundation_id = 'care'",
        "indicator_series": "SELECT * FROM indicator_series WHERE indicator_id = 'residential' AND geography_code = 'S92000003' AND breakdown_type = 'total' ORDER BY sort_key",
    }
    for view, sql in plans.items():
        detail = [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql)]
        scans = [line for line in detail if re.match(r"SCAN (v|v2|s|indicator_value)\b", line) and "INDEX" not in line]
        if scans:
            fail(f"{view}: EXPLAIN QUERY PLAN scans indicator_value without an index: {scans}")
        print(f"plan {view}: " + " | ".join(detail))
    connection.close()

    # The README's queries in the sqlite3 shell and in Python.
    queries = readme_queries(readme, output)
    if len(queries) < 6:
        fail(f"found only {len(queries)} queries in the README")
    python_rows = {}
    for path, sql in queries:
        shell = subprocess.run(["sqlite3", "-readonly", "-json", path, sql], capture_output=True, text=True)
        if shell.returncode != 0 or shell.stderr.strip():
            fail(f"sqlite3 shell: {path}: {sql[:60]}...: {shell.stderr.strip()}")
            continue
        shell_rows = json.loads(shell.stdout) if shell.stdout.strip() else []
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            cursor = connection.execute(sql)
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row)) for row in cursor.fetchall()]
            connection.close()
        except sqlite3.Error as error:
            fail(f"python sqlite3: {path}: {sql[:60]}...: {error}")
            continue
        if len(rows) != len(shell_rows):
            fail(f"{sql[:60]}...: {len(shell_rows)} rows in the shell, {len(rows)} in Python")
        python_rows[(path, sql)] = rows
        print(f"ok ({len(rows)} rows) {Path(path).name}: {' '.join(sql.split())[:90]}")

    # Datasette: the public file with its metadata, on the loopback interface only.
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette", "serve", "--immutable", str(public), "--metadata", str(metadata),
                               "--host", "127.0.0.1", "--port", str(port), "--setting", "sql_time_limit_ms", "20000"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                fetch_json(f"{base}/-/versions.json")
                break
            except OSError:
                if server.poll() is not None:
                    fail("datasette exited: " + server.stdout.read()[-2000:])
                    return
                time.sleep(0.1)
        database = public.stem
        served_metadata = fetch_json(f"{base}/-/metadata.json")
        if "indicator_value" not in served_metadata.get("databases", {}).get(database, {}).get("tables", {}):
            fail("datasette does not show the table descriptions from datasette-metadata.yml")
        for view in VIEWS:
            rows = fetch_json(f"{base}/{database}/{view}.json?_shape=array&_size=5")
            if not rows:
                fail(f"datasette: view {view} returned no rows")
            else:
                print(f"ok datasette view {view}: {len(rows)} rows, columns {', '.join(rows[0])}")
        scotland = fetch_json(f"{base}/{database}/latest_value.json?_shape=array&geography_code=S92000003&_size=max")
        if not scotland or any(row["value"] is None and row["marker"] is None for row in scotland):
            fail("datasette: latest_value for Scotland is empty or has rows with neither value nor marker")
        for name, parameters in (("scotland-latest", ""), ("area-against-scotland", "&geography_code=S12000005"),
                                 ("foundation-headlines", "&foundation_id=care"),
                                 ("indicator-time-series", "&indicator_id=residential&geography_code=S92000003")):
            rows = fetch_json(f"{base}/{database}/{name}.json?_shape=array{parameters}")
            if not rows:
                fail(f"datasette canned query {name} returned nothing")
            else:
                print(f"ok datasette canned query {name}: {len(rows)} rows")
        for (path, sql), rows in python_rows.items():
            if Path(path).resolve() != public.resolve():
                continue
            served = fetch_json(f"{base}/{database}.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array", "_size": "max"}))
            if len(served) != len(rows):
                fail(f"datasette: {' '.join(sql.split())[:60]}...: {len(served)} rows, Python {len(rows)}")
            else:
                print(f"ok datasette ({len(served)} rows): {' '.join(sql.split())[:80]}")
    finally:
        server.terminate()
        server.wait(timeout=10)

    if failures:
        print(f"{len(failures)} store check(s) failed")
        sys.exit(1)
    print("store checks passed")


if __name__ == "__main__":
    main()
