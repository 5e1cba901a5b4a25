#!/bin/bash
# Rerun after the fixes: the CUDA-sensitive test files, then the GAN's step times.
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
nvidia-smi -L
start=$SECONDS
timeout 80 python3 -m pytest -q -rfEs -W "error::UserWarning:torch.nn.modules.rnn" -n 6 -p no:cacheprovider imblearn_seqgan/classification/tests/test_seq2seq.py imblearn_seqgan/ensemble/tests/test_bagging.py imblearn_seqgan/_nn/tests > $OUT/tests2.log 2>&1; echo "tests rc=$? in $((SECONDS-start)) s" | tee -a $OUT/tests2.log
tail -15 $OUT/tests2.log
start=$SECONDS
timeout 110 python3 -m benchmarks.investigations.gan_throughput --device cuda --only steps --repeats 1 > $OUT/gan2.log 2>&1; echo "gan rc=$? in $((SECONDS-start)) s" | tee -a $OUT/gan2.log
grep -v "Warning\|_warn_once\|warnings.warn" $OUT/gan2.log
