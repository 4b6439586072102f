#!/usr/bin/env bash
# Install everything mmdistill needs into a project virtualenv, idempotently.
#
#   bash tools/setup_env.sh            # creates/reuses .venv next to this repository
#
# Environment knobs:
#   MMDISTILL_VENV      virtualenv directory               (default: <repo>/.venv)
#   MMDISTILL_CACHE     where the built mmcv wheel is kept  (default: ~/.cache/mmdistill)
#   PYTHON              interpreter used to create the venv (default: python3.11, else python3)
#   FORCE_CUDA=1        build mmcv with CUDA ops (automatic when nvidia-smi sees a GPU)
#   TORCH_CUDA_ARCH_LIST  passed through to the mmcv CUDA build
#   MAX_JOBS            parallel compile jobs for mmcv (default: number of cores)
#
# Every step prints its name; a failing step stops the script with a message naming it.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$(realpath -m "${MMDISTILL_VENV:-$REPO_DIR/.venv}")"  # absolute: the mmcv build cds away
CACHE="${MMDISTILL_CACHE:-$HOME/.cache/mmdistill}"
MMCV_VERSION="2.1.0"
STAMP="$VENV/.mmdistill-installed"

step() { CURRENT_STEP="$1"; echo "[setup_env] ==> $1"; }
trap 'echo "[setup_env] FAILED at step: ${CURRENT_STEP:-start} (see the output above)" >&2' ERR

requirements_hash() {
    cat "$REPO_DIR"/requirements/*.txt "$REPO_DIR/setup.py" "$0" | sha256sum | cut -c1-16
}

verify() {
    "$VENV/bin/python" - <<'EOF'
import mmcv, mmdet, mmengine, mmpose, torch, torchvision
from mmcv.ops import RoIAlign, nms  # compiled ops must be present
import mmdistill
print(f'[setup_env] torch {torch.__version__}, torchvision {torchvision.__version__}, '
      f'mmengine {mmengine.__version__}, mmcv {mmcv.__version__}, mmdet {mmdet.__version__}, '
      f'mmpose {mmpose.__version__}, mmdistill {mmdistill.__version__}, '
      f'cuda available: {torch.cuda.is_available()}')
EOF
}

# A previous complete install with the same requirements is reused as it is.
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$(requirements_hash)" ]]; then
    step "verify existing install in $VENV"
    if verify; then
        echo "[setup_env] up to date"
        exit 0
    fi
    echo "[setup_env] existing install is broken; repairing"
fi

step "create virtualenv $VENV"
if [[ ! -x "$VENV/bin/python" ]]; then
    PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
    "$PY" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)

step "install build tools and torch (requirements/build.txt, requirements/torch.txt)"
"${PIP[@]}" install -q -r "$REPO_DIR/requirements/build.txt" -r "$REPO_DIR/requirements/torch.txt"

TORCH_VERSION="$("$VENV/bin/python" -c 'import torch; print(torch.__version__)')"
if [[ "${FORCE_CUDA:-0}" != "1" ]] && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    export FORCE_CUDA=1
fi
if [[ "${FORCE_CUDA:-0}" == "1" ]]; then
    OPS_FLAVOUR="cuda${TORCH_CUDA_ARCH_LIST:+-${TORCH_CUDA_ARCH_LIST// /_}}"
else
    OPS_FLAVOUR="cpu"
fi
WHEEL_DIR="$CACHE/wheels/mmcv-$MMCV_VERSION+torch$TORCH_VERSION+$OPS_FLAVOUR"

if ! "$VENV/bin/python" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '$MMCV_VERSION'" 2>/dev/null; then
    if ! ls "$WHEEL_DIR"/mmcv-*.whl >/dev/null 2>&1; then
        step "build mmcv $MMCV_VERSION wheel with compiled $OPS_FLAVOUR ops (several minutes, done once per torch version)"
        BUILD_DIR="$(mktemp -d)"
        "${PIP[@]}" download -q --no-deps --no-binary :all: --no-build-isolation \
            "mmcv==$MMCV_VERSION" -d "$BUILD_DIR"
        tar -xzf "$BUILD_DIR"/mmcv-"$MMCV_VERSION".tar.gz -C "$BUILD_DIR"
        SRC="$BUILD_DIR/mmcv-$MMCV_VERSION"
        # torch >= 2.10 headers need C++20; mmcv 2.1.0 asks for C++17.
        sed -i 's/-std=c++17/-std=c++20/g' "$SRC/setup.py"
        mkdir -p "$WHEEL_DIR.partial"
        (cd "$SRC" && MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
            "${PIP[@]}" wheel -q --no-deps --no-build-isolation . -w "$WHEEL_DIR.partial")
        rm -rf "$WHEEL_DIR" && mv "$WHEEL_DIR.partial" "$WHEEL_DIR"
        rm -rf "$BUILD_DIR"
    else
        echo "[setup_env] reusing cached mmcv wheel from $WHEEL_DIR"
    fi
    step "install mmcv from $WHEEL_DIR"
    "${PIP[@]}" install -q --no-deps "$WHEEL_DIR"/mmcv-*.whl
fi

step "install runtime and test requirements (requirements/runtime.txt, requirements/tests.txt)"
grep -vE '^(mmcv|mmpose)==' "$REPO_DIR/requirements/runtime.txt" > "$VENV/.runtime-reqs.txt"
"${PIP[@]}" install -q -r "$VENV/.runtime-reqs.txt" -r "$REPO_DIR/requirements/tests.txt"
"${PIP[@]}" install -q --no-deps "$(grep -E '^mmpose==' "$REPO_DIR/requirements/runtime.txt")"

step "install mmdistill (editable)"
"${PIP[@]}" install -q --no-deps --no-build-isolation -e "$REPO_DIR"

step "verify imports (mmcv.ops RoIAlign and nms, mmdet, mmpose, mmdistill)"
verify
requirements_hash > "$STAMP"
echo "[setup_env] done: activate with 'source $VENV/bin/activate'"
