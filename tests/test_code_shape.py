"""Sizes every module and function of the package must keep, measured from the source with ast.

A module over 400 lines or a function over 60 lines (from its ``def`` line to its last line, docstring
included; decorators above the ``def`` not counted) is hard to read whole; the test names each offender with its
size so that it is split along its seams rather than grown.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def oversized_modules() -> list[str]:
    found = []
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{_name(path)}: {lines} lines")
    return found


def _functions(tree: ast.AST) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method with its dotted name inside the module (Class.method, outer.inner)."""
    found: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((prefix + child.name, child))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def oversized_functions() -> list[str]:
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, node in _functions(tree):
            end = node.end_lineno if node.end_lineno is not None else node.lineno
            lines = end - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                found.append(f"{_name(path)}:{node.lineno} {name}: {lines} lines")
    return found


def test_the_measures_see_a_long_function_and_its_nested_helpers() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    source = f"class A:\n    def long(self):\n{body.replace('    ', '        ')}\n        def inner():\n            pass\n"
    names = {name: node.end_lineno - node.lineno + 1 for name, node in _functions(ast.parse(source))}
    assert names == {"A.long": 73, "A.long.inner": 2}


def test_no_module_is_over_400_lines() -> None:
    offenders = oversized_modules()
    assert not offenders, f"modules over {MAX_MODULE_LINES} lines (split them):\n" + "\n".join(offenders)


def test_no_function_is_over_60_lines() -> None:
    offenders = oversized_functions()
    assert not offenders, f"functions over {MAX_FUNCTION_LINES} lines (split them):\n" + "\n".join(offenders)
