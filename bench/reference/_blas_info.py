"""The BLAS this PyTorch process runs, for the bench tables: library, version,
core type (the kernel OpenBLAS picked, which OPENBLAS_CORETYPE overrides) and
threads, from threadpoolctl where it is installed, else from /proc/self/maps.
"""
import os


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
