"""Run a copy of a notebook top to bottom with nbclient, in THIS interpreter's environment.

Usage: python run_notebook.py IN.ipynb OUT.ipynb WORKDIR TIMEOUT_SECONDS

Prints one JSON object per line on stdout:
  {"event": "start", "python": ..., "cells": [indices of code cells]}
  {"event": "cell", "index": i, "status": "ok" | "error", "durationMs": ms, ...error fields}
  {"event": "done", "state": "passed" | "failed"}
or {"event": "fatal", "code": ..., "message": ...} and exit 3 when the run cannot start.
The kernel is this interpreter (sys.executable), whatever kernelspecs are installed.
The executed copy is written to OUT.ipynb; IN.ipynb is only read.
"""
import json
import sys
import time


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def error_output(cell):
    """The cell's own error output (ename, evalue, traceback lines), if the kernel sent one."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename") or "Error", out.get("evalue") or "", "\n".join(out.get("traceback") or [])
    return None


def fatal(code, message):
    emit(event="fatal", code=code, message=message)
    sys.exit(3)


def main():
    if len(sys.argv) != 5:
        fatal("usage", "usage: run_notebook.py IN OUT WORKDIR TIMEOUT")
    src, out, workdir, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    missing = []
    for module in ("nbformat", "nbclient", "ipykernel", "jupyter_client"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        fatal(
            "missing-modules",
            "%s cannot run notebooks: it lacks %s. Install them into that environment "
            "(pip install nbclient ipykernel) or pick another Python." % (sys.executable, ", ".join(missing)),
        )

    import nbformat
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(src, as_version=4)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    emit(event="start", python=sys.executable, version=sys.version.split()[0], cells=code_cells)

    km = KernelManager(kernel_name="python3")
    # Always this interpreter, not whatever "python3" kernelspec is installed.
    km._kernel_spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="Python 3 (%s)" % sys.executable,
        language="python",
    )
    client = NotebookClient(
        nb, km=km, timeout=timeout, allow_errors=False, resources={"metadata": {"path": workdir}}
    )
    state = "passed"
    try:
        with client.setup_kernel():
            for index in code_cells:
                cell = nb.cells[index]
                started = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                    emit(event="cell", index=index, status="ok", durationMs=round((time.monotonic() - started) * 1000))
                except CellExecutionError as e:
                    state = "failed"
                    ename, evalue, tb = error_output(cell) or (
                        getattr(e, "ename", "Error") or "Error", getattr(e, "evalue", "") or "", str(e)
                    )
                    emit(
                        event="cell", index=index, status="error",
                        durationMs=round((time.monotonic() - started) * 1000),
                        ename=ename, evalue=evalue, traceback=tb,
                    )
                    break
                except CellTimeoutError as e:
                    state = "failed"
                    emit(
                        event="cell", index=index, status="error",
                        durationMs=round((time.monotonic() - started) * 1000),
                        ename="Timeout", evalue="The cell ran longer than %d s." % timeout, traceback=str(e),
                    )
                    break
                except DeadKernelError as e:
                    state = "failed"
                    emit(
                        event="cell", index=index, status="error",
                        durationMs=round((time.monotonic() - started) * 1000),
                        ename="DeadKernel", evalue="The kernel died (out of memory or a crash).", traceback=str(e),
                    )
                    break
    finally:
        nbformat.write(nb, out)
    emit(event="done", state=state)


if __name__ == "__main__":
    main()
