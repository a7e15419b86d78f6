"""gpevents - read gatepost's JSON event log and check it against
docs/events.schema.json.

validate(lines) -> list of "line N: problem" strings (empty: all valid).
It uses the jsonschema package (Debian: python3-jsonschema, installed by
scripts/install-deps) when it is there, else a small validator of the
subset of JSON Schema draft-07 the schema uses ($ref, oneOf, const, enum,
type, pattern, maxLength, minimum, maxItems, required, properties,
additionalProperties, items), so the check never silently disappears.
An event line is a JSON object on its own, or the JSON object that
follows "IDENT[PID]: info: " in a daemon's log.
"""

import json
import os
import re

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "docs",
    "events.schema.json")

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
          "null": type(None)}


def load_schema():
    with open(SCHEMA_PATH) as f:
        return json.load(f)


def parse_line(line):
    """The event in a line (a dict), or None when it holds none."""
    i = line.find("{")
    if i < 0:
        return None
    return json.loads(line[i:])


def _is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, _TYPES[t])


def _check(root, s, v, path, errs):
    if "$ref" in s:
        ref = s["$ref"]
        assert ref.startswith("#/"), ref
        node = root
        for part in ref[2:].split("/"):
            node = node[part]
        return _check(root, node, v, path, errs)
    if "oneOf" in s:
        ok = [sub for sub in s["oneOf"] if not _check(root, sub, v, path, [])]
        if len(ok) != 1:
            errs.append("%s: matches %d of oneOf, not 1" % (path, len(ok)))
        return errs
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (path, v, s["const"]))
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in %r" % (path, v, s["enum"]))
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(_is_type(v, t) for t in ts):
            errs.append("%s: %r is not of type %s" % (path, v, ts))
            return errs
    if isinstance(v, str):
        if "pattern" in s and not re.search(s["pattern"], v):
            errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
        if "maxLength" in s and len(v) > s["maxLength"]:
            errs.append("%s: longer than %d" % (path, s["maxLength"]))
    if isinstance(v, int) and not isinstance(v, bool) and "minimum" in s \
            and v < s["minimum"]:
        errs.append("%s: %r below %r" % (path, v, s["minimum"]))
    if isinstance(v, list):
        if "maxItems" in s and len(v) > s["maxItems"]:
            errs.append("%s: more than %d items" % (path, s["maxItems"]))
        for i, item in enumerate(v):
            if "items" in s:
                _check(root, s["items"], item, "%s[%d]" % (path, i), errs)
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: %s missing" % (path, k))
        props = s.get("properties", {})
        for k, item in v.items():
            if k in props:
                _check(root, props[k], item, "%s.%s" % (path, k), errs)
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected %s" % (path, k))
    return errs


def validator():
    """(name, function(event) -> list of problems)"""
    schema = load_schema()
    try:
        import jsonschema
        v = jsonschema.Draft7Validator(schema)
        return "jsonschema", lambda ev: [
            "%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "event",
                        e.message) for e in v.iter_errors(ev)]
    except ImportError:
        return "built-in", lambda ev: _check(schema, schema, ev, "event", [])


def validate(lines):
    """(events, problems) for an iterable of log lines."""
    name, check = validator()
    events, problems = [], []
    for n, line in enumerate(lines, 1):
        try:
            ev = parse_line(line)
        except ValueError as e:
            problems.append("line %d: not JSON (%s): %s" % (n, e, line))
            continue
        if ev is None:
            continue
        events.append(ev)
        for p in check(ev):
            problems.append("line %d: %s: %s" % (n, p, line.rstrip()))
    return events, problems
