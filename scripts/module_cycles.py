#!/usr/bin/env python3
"""Import cycles between the modules of a layer.

Reads every .rs file under src/, finds the module paths each file names
(`use crate::…`, `use super::…`, `crate::…::` in code), and builds a graph
between units: for `services`, each top-level service module with its
submodules is one unit (services::children, services::needs, …); for `web`
and `views`, each file is a unit. A unit's parent module (the layer's root
file, or a file whose submodules these are) is not a dependency: declaring
a submodule is not importing it. Prints every cycle (strongly connected set
of more than one unit) and exits 1 if there is any.

Usage: python3 scripts/module_cycles.py [SRC_DIR]
"""

import os
import re
import sys

LAYERS = {
    # layer: how many path segments (from `crate`) make a unit; None: each
    # file is a unit. A service module with its submodules is one unit.
    "services": 3,
    "web": None,
    "views": None,
}


def module_of(path, src):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel == ["lib"] or rel == ["main"]:
        return ("crate",)
    return ("crate",) + tuple(rel)


def strip(code):
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    code = re.sub(r'r#*"(?:.|\n)*?"#*', '""', code)
    code = re.sub(r'"(?:\\.|[^"\\])*"', '""', code)
    return code


def expand_use(tree):
    """Expands `a::b::{c, d::e}` into a list of paths (as tuples)."""
    tree = tree.replace(" ", "").replace("\n", "")
    out = []

    def walk(prefix, text):
        if "{" not in text:
            for part in split_top(text):
                part = part.split(" as ")[0]
                if part:
                    out.append(prefix + tuple(p for p in part.split("::") if p))
            return
        i = text.index("{")
        head = text[:i].rstrip(":")
        body = text[i + 1 : matching(text, i)]
        base = prefix + tuple(p for p in head.split("::") if p)
        for part in split_top(body):
            walk(base, part)

    walk((), tree)
    return out


def matching(text, i):
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text)


def split_top(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.replace("asself", "") for p in parts if p]


def resolve(path, here):
    """An absolute module path for `path` as written in module `here`."""
    if not path:
        return None
    if path[0] == "crate":
        return path
    base = list(here)
    i = 0
    if path[0] == "self":
        return tuple(base) + path[1:]
    while i < len(path) and path[i] == "super":
        base.pop()
        i += 1
    if i == 0:
        return None  # an external crate or a local name
    return tuple(base) + path[i:]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(root, name)
                files[module_of(path, src)] = path
    modules = set(files)

    def deepest(path):
        for n in range(len(path), 0, -1):
            if path[:n] in modules:
                return path[:n]
        return None

    def unit(module, layer):
        if len(module) < 2 or module[1] != layer:
            return None
        depth = LAYERS[layer]
        if depth is None:
            return module if len(module) > 2 else None
        return module[:depth] if len(module) >= depth else None

    found = False
    for layer in LAYERS:
        edges = {}
        for module, path in files.items():
            u = unit(module, layer)
            if u is None:
                continue
            code = strip(open(path, encoding="utf-8").read())
            refs = []
            for m in re.finditer(r"\buse\s+([^;]+);", code):
                refs += expand_use(m.group(1))
            for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", code):
                refs.append(tuple(m.group(1).split("::")))
            for ref in refs:
                target = resolve(ref, module)
                if target is None:
                    continue
                target = deepest(target)
                if target is None:
                    continue
                v = unit(target, layer)
                # Parents and children of one another are one module tree.
                if v is None or v == u or u[: len(v)] == v or v[: len(u)] == u:
                    continue
                edges.setdefault(u, set()).add(v)
        for scc in cycles(edges):
            found = True
            names = sorted("::".join(m[1:]) for m in scc)
            print(f"cycle in {layer}: " + " <-> ".join(names))
    if not found:
        print("no import cycles in " + ", ".join(LAYERS))
    return 1 if found else 0


def cycles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    nodes = set(edges) | {v for vs in edges.values() for v in vs}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append(scc)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
