"""What the PyTorch references share: the BLAS this process runs, for the bench
tables (library, version, core type — the kernel OpenBLAS picked, which
OPENBLAS_CORETYPE overrides — and threads, from threadpoolctl where it is
installed, else from /proc/self/maps), the timing of Adam steps, and the JSON
line each script prints.
"""
import json
import os
import statistics
import time

import torch


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        for lib in threadpool_info():
            if lib.get("user_api") == "blas":
                return {
                    "library": lib.get("internal_api"),
                    "version": lib.get("version"),
                    "coretype": lib.get("architecture"),
                    "threads": lib.get("num_threads"),
                    "path": lib.get("filepath"),
                    "env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ},
                }
    except ImportError:
        pass
    with open("/proc/self/maps") as maps:
        libs = maps.read()
    name = "openblas" if "openblas" in libs else "reference BLAS (libblas3)" if "libblas" in libs else "unknown"
    return {"library": name, "version": None, "coretype": None, "threads": None, "path": None,
            "env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}}


def median_step_ms(opt, loss_fn, steps, warmup):
    """Median milliseconds of `steps` Adam steps on loss_fn() after `warmup`, the loss read back each step."""
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()
        float(loss)  # read the loss back, as elbo's step does
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def report(**fields):
    """Prints the script's JSON line: its fields, PyTorch's version and the BLAS it ran."""
    print(json.dumps({**fields, "torch": torch.__version__, "blas": blas_info()}))
