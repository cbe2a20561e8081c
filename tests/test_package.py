"""The package's shape: sub-packages in a strict order (no import cycle, also
counting imports inside functions), small modules, and the study's facts
written once (issue: the house in order)."""
import ast
import os
import re

from transfer_study import PROJECT_ROOT

PACKAGE = os.path.join(PROJECT_ROOT, "transfer_study")


def _modules():
    for dirpath, _, names in os.walk(PACKAGE):
        for n in sorted(names):
            if n.endswith(".py"):
                path = os.path.join(dirpath, n)
                rel = os.path.relpath(path, PROJECT_ROOT)[:-3].replace(os.sep, ".")
                yield rel[:-len(".__init__")] if rel.endswith(".__init__") else rel, path


def _imports(path, module):
    """Every transfer_study module `path` imports, at any depth of its code."""
    tree = ast.parse(open(path).read(), path)
    package = module if path.endswith("__init__.py") else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("transfer_study"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if base.startswith("transfer_study"):
                out.update("%s.%s" % (base, a.name) for a in node.names)
                out.add(base)
    return out


def _unit(name):
    """transfer_study.runs.train -> 'runs'; transfer_study.layout -> 'layout'."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "transfer_study"


def _graph():
    known = dict(_modules())
    edges = {}
    for module, path in known.items():
        for imp in _imports(path, module):
            # "from transfer_study.runs import train" names a module or a symbol
            target = imp if imp in known else imp.rsplit(".", 1)[0]
            if target in known and target != module:
                edges.setdefault(module, set()).add(target)
    return known, edges


def _cycle(edges):
    """One cycle of the graph as a list of nodes, or None."""
    state = {}

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m, stack)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(edges):
        if n not in state:
            found = visit(n, [])
            if found:
                return found
    return None


def test_sub_packages_import_in_one_direction():
    _, edges = _graph()
    units = {}
    for a, targets in edges.items():
        for b in targets:
            if _unit(a) != _unit(b) and "transfer_study" not in (_unit(a), _unit(b)):
                units.setdefault(_unit(a), set()).add(_unit(b))
    cycle = _cycle(units)
    assert cycle is None, "sub-packages import each other: %s" % " -> ".join(cycle)
    assert units, "the graph found no imports between sub-packages: the walk is broken"


def test_modules_import_without_cycles():
    known, edges = _graph()
    assert len(known) > 40 and sum(len(t) for t in edges.values()) > 80
    cycle = _cycle(edges)
    assert cycle is None, "import cycle: %s" % " -> ".join(cycle)
    fig, card = "transfer_study.results.figures", "transfer_study.results.scorecard"
    assert card not in edges.get(fig, ()) and fig not in edges.get(card, ())


def test_no_module_over_500_lines():
    long = ["%s (%d lines)" % (os.path.relpath(p, PROJECT_ROOT), n)
            for p, n in ((p, sum(1 for _ in open(p))) for _, p in _modules()) if n > 500]
    assert not long, "split these: %s" % ", ".join(long)


def test_study_facts_live_in_the_catalog():
    """449/551 (the natural/man-made halves), the reduced sizes, the split
    seeds and the paper's 1.7 s/iteration are written once: experiments.yaml
    and the catalog (1.7 in runs/cost.py), not in the code that uses them."""
    allowed = {os.path.join("transfer_study", "runs", "cost.py"): {"1.7"}}
    literal = re.compile(r"(?<![\w.])(449|551|1\.7)(?![\w.])")
    found = []
    for _, path in _modules():
        rel = os.path.relpath(path, PROJECT_ROOT)
        if rel.startswith(os.path.join("transfer_study", "nets")):
            continue
        tree = ast.parse(open(path).read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                    and not isinstance(node.value, bool):
                text = repr(node.value)
                if literal.fullmatch(text) and text not in allowed.get(rel, ()):
                    found.append("%s:%d: %s" % (rel, node.lineno, text))
    assert not found, "facts of the study outside the catalog: %s" % ", ".join(found)
