"""A must-fail case of the PfU conformance flows:
run_must_fail.py ENGINE CORPUS CASE.py. The case is an engine script that
breaks one PfU semantic (or names engine flags that do); its header says

    # must-fail: what is broken, and which flow must catch it
    # flow: test_start_and_stop_server       (pytest -k expression)
    # engine-flags: --port 0                 (optional, instead of loading the case)
    # unity-schema: ../schemas/x.schema.toml (optional: a --unity-schema file, relative
    #                                         to the case, loaded with the case)
    # expect-output: text                    (as many as needed; each must appear)

This passes only if the flow fails with every named text in its output; 77
when the corpus is absent, as the flows themselves."""

import json
import sys
from pathlib import Path

import run_flows


def header(case):
    fields = {"flow": [], "engine-flags": [], "unity-schema": [], "expect-output": [],
              "must-fail": []}
    for line in case.read_text().splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].strip().partition(":")
        if key in fields:
            fields[key].append(value.strip())
    return fields


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: run_must_fail.py ENGINE CORPUS CASE.py")
    engine, corpus = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    case = Path(sys.argv[3]).resolve()
    why = run_flows.missing_corpus(corpus)
    if why:
        print(f"SKIP: {why}")
        return 77
    fields = header(case)
    if not fields["must-fail"] or not fields["flow"] or not fields["expect-output"]:
        print(f"{case}: its header needs must-fail:, flow: and expect-output: lines")
        return 1
    flags = " ".join(fields["engine-flags"]).split() or ["--script", str(case.resolve())]
    for schema in fields["unity-schema"]:
        flags += ["--unity-schema", str((case.parent / schema).resolve())]
    result = run_flows.run(engine, corpus, ["-k", fields["flow"][0]],
                           {"UNDERSTUDY_PFU_ENGINE_FLAGS": json.dumps(flags)})
    if result.returncode == 5:
        print(f"{case.name}: -k {fields['flow'][0]} selected no flow:\n{result.stdout}")
        return 1
    if result.returncode == 0:
        print(f"{case.name}: the flow {fields['flow'][0]} passed, but it must fail: "
              f"{fields['must-fail'][0]}\n{result.stdout}")
        return 1
    missing = [text for text in fields["expect-output"] if text not in result.stdout]
    if missing:
        print(f"{case.name}: the flow failed, but its output lacks {missing}:\n{result.stdout}")
        return 1
    print(f"{case.name}: failed as it must ({fields['must-fail'][0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
