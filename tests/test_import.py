"""``import imblearn_seqgan`` is fast and leaves torch alone until a network is trained."""

import json
import subprocess
import sys

CODE = """
import json, sys, time
start = time.perf_counter()
import imblearn_seqgan
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "torch": "torch" in sys.modules}))
"""


def test_import_is_fast_and_does_not_load_torch():
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out)
    assert not result["torch"]
    assert result["seconds"] < 0.5, result


def test_datasets_import_without_torch():
    code = "import sys, imblearn_seqgan.datasets; print('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_estimators_import_and_construct_without_torch():
    """Torch is loaded when an estimator is fitted, not when it is imported or built."""
    code = (
        "import sys, imblearn_seqgan\n"
        "for name in imblearn_seqgan._LAZY:\n"
        "    getattr(imblearn_seqgan, name)().get_params()\n"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
