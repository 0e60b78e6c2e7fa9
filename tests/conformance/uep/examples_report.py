"""uep_examples_report: how far each of UnrealEnginePython's examples/*.py
gets in understudy-engine, run unchanged, one fresh engine each (the corpus
as the UnrealEnginePython plugin, a temp folder as the project):

  syntax       the engine refuses it at start: it does not compile (Python 2)
  import       it stops at an import: the name or module missing
  first call   its imports pass; it stops at an unreal_engine call (the API
               missing) or another error (its message)
  runs         it runs through without an engine error

Prints a table and the counts. A report more than a test: it fails only when
fewer examples get past their imports than the floor in examples_floor.txt
beside it, so that regressions show; raise the floor as the API grows.

usage: examples_report.py ENGINE CORPUS"""

import concurrent.futures
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance_support as cs  # noqa: E402

FLOOR_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "examples_floor.txt")
def script_error(log_path):
    """The traceback lines of the first "script ... raised" record, or None."""
    for record in cs.console_records(log_path):
        if record.severity == "error" and re.match(r"script .* raised", record.text):
            return record.text.splitlines()[1:]
    return None


def classify(example, log_path, log_text, code):
    refused = re.search(r"^understudy-engine: error: .*?:(\d+): (.*)$", log_text, re.M)
    if code == 2 and refused:
        return "syntax", f"line {refused.group(1)}: {refused.group(2)} (refused at start)"
    traceback = script_error(log_path)
    if traceback is None:
        if code == 0:
            return "runs", ""
        return "first call", f"engine exit {code} without a script error"
    last = next((line for line in reversed(traceback) if line.strip()), "")
    where = ""
    statement = ""
    for index, line in enumerate(traceback):
        match = re.match(r'\s*File ".*/' + re.escape(example) + r'", line (\d+)', line)
        if match:
            where = f"line {match.group(1)}: "
            statement = traceback[index + 1].strip() if index + 1 < len(traceback) else ""
    # Whatever an import statement of the example raised, it stopped at an import.
    if statement.startswith(("from ", "import ")):
        return "import", f"{where}{last[:100]}"
    match = re.match(r"ImportError: cannot import name '([^']+)' from '([^']+)'", last)
    if match:
        return "import", f"{match.group(2)}.{match.group(1)}"
    match = re.match(r"ModuleNotFoundError: No module named '([^']+)'", last)
    if match:
        return "import", f"module {match.group(1)}"
    match = re.match(r"AttributeError: module 'unreal_engine(\.\w+)?' has no attribute '([^']+)'",
                     last)
    if match:
        return "first call", f"{where}unreal_engine{match.group(1) or ''}.{match.group(2)}"
    return "first call", f"{where}{last[:100]}"


def run_example(engine, corpus, folder, example):
    project = os.path.join(folder, example[:-3])
    os.mkdir(project)
    log_path = os.path.join(project, "engine.log")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        code, log = cs.run_engine(
            engine, ["--no-rpc", "--frames", "3", "--plugin", f"UnrealEnginePython={corpus}", "--project-dir", project,
                     "--script", os.path.join(corpus, "examples", example)],
            log_path, deadline_s=15, env=env, cwd=project)
    except cs.Failure as failure:
        return example, "first call", f"did not end: {failure}"
    return (example, *classify(example, log_path, log, code))


def main():
    engine, corpus = sys.argv[1:3]
    cs.require_corpus(corpus)
    examples = sorted(name for name in os.listdir(os.path.join(corpus, "examples"))
                      if name.endswith(".py"))
    with open(FLOOR_FILE) as file:
        floor = int(next(line for line in file if line.strip() and not line.startswith("#")))
    started = time.monotonic()
    with cs.temp_folder("uep_examples.") as folder:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            rows = list(pool.map(lambda name: run_example(engine, corpus, folder, name),
                                 examples))
    width = max(len(name) for name in examples)
    print(f"{'example':<{width}}  {'stops at':<10}  what")
    for example, stage, detail in rows:
        print(f"{example:<{width}}  {stage:<10}  {detail}")
    counts = {stage: sum(1 for _, s, _ in rows if s == stage)
              for stage in ("syntax", "import", "first call", "runs")}
    past_imports = counts["first call"] + counts["runs"]
    print(f"{len(rows)} examples: {counts['syntax']} do not compile, {counts['import']} stop "
          f"at an import, {counts['first call']} "
          f"at a first call or later, {counts['runs']} run through; {past_imports} get past "
          f"their imports (floor {floor}, {FLOOR_FILE}); {time.monotonic() - started:.1f} s")
    if past_imports < floor:
        raise cs.Failure(f"expected at least {floor} examples past their imports; "
                         f"{past_imports} got there (table above)")
    return 0


if __name__ == "__main__":
    cs.main_wrapper(main)
