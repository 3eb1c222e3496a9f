"""The table of the privacy policy's promises (docs/privacy.md) names tests that exist:
every promise is either enforced, with at least one test, or a statement of fact."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## The privacy policy's promises"
PROMISES = 33
STATUSES = ("enforced", "statement of fact")
REFERENCE = re.compile(r"`([\w/.-]+\.py)::(\w+)`")


def promise_rows(readme: str) -> list[list[str]]:
    """The table's rows (number, promise, status, proof), from the section's table."""
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append(cells)
    return rows


def functions_of(path: Path) -> set[str]:
    """Test functions of a file, at module level or in a test class."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            names.add(node.name)
    return names


def table_problems(readme: str, root: Path = ROOT) -> list[str]:
    problems = []
    rows = promise_rows(readme)
    if [int(row[0]) for row in rows] != list(range(1, PROMISES + 1)):
        problems.append(f"the table must number the {PROMISES} promises 1 to {PROMISES}")
    for number, promise, status, proof in (row[:4] for row in rows if len(row) >= 4):
        references = REFERENCE.findall(proof)
        if status not in STATUSES:
            problems.append(f"promise {number}: unknown status {status!r}")
        if not promise:
            problems.append(f"promise {number}: says nothing")
        if status == "enforced" and not references:
            problems.append(f"promise {number} is enforced but names no test")
        if status == "statement of fact" and not proof:
            problems.append(f"promise {number}: a statement of fact needs its reason")
        for file, name in references:
            path = root / file
            if not path.is_file():
                problems.append(f"promise {number}: no file {file}")
            elif name not in functions_of(path):
                problems.append(f"promise {number}: no test {name} in {file}")
    return problems


def test_the_readme_table_names_only_tests_that_exist():
    readme = (ROOT / "docs" / "privacy.md").read_text()
    assert table_problems(readme) == []
    statuses = [row[2] for row in promise_rows(readme)]
    assert statuses.count("enforced") > statuses.count("statement of fact")


def test_control_a_renamed_or_missing_test_is_reported():
    readme = (ROOT / "docs" / "privacy.md").read_text()
    renamed = readme.replace("test_checkout_requires_sign_in`", "test_checkout_requires_a_wish`", 1)
    assert table_problems(renamed) == [
        "promise 1: no test test_checkout_requires_a_wish in shop/tests/test_checkout.py"
    ]
    gone = readme.replace("`shop/tests/test_reviews.py::", "`shop/tests/test_gone.py::", 1)
    assert table_problems(gone) == ["promise 17: no file shop/tests/test_gone.py"]


def test_control_a_promise_dropped_or_left_unproved_is_reported():
    readme = (ROOT / "docs" / "privacy.md").read_text()
    rows = readme.split(SECTION, 1)[1]
    row_18 = next(line for line in rows.splitlines() if line.startswith("| 18 |"))
    assert "promise" in " ".join(table_problems(readme.replace(row_18 + "\n", "", 1)))
    unproved = readme.replace(row_18, "| 18 | Something | enforced | by hope |", 1)
    assert table_problems(unproved) == ["promise 18 is enforced but names no test"]
    unknown = readme.replace(row_18, "| 18 | Something | mostly | `x.py::test_y` |", 1)
    assert "promise 18: unknown status 'mostly'" in table_problems(unknown)
