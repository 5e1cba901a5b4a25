#!/bin/bash
# One GPU check: the test suite on CUDA, then the throughput figures the GPU page lacks.
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD
{ nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; python3 -c "import torch,sklearn,numpy,imblearn,skorch;print('torch',torch.__version__,'cuda',torch.version.cuda,torch.cuda.get_device_name(0),'sklearn',sklearn.__version__,'numpy',numpy.__version__,'imblearn',imblearn.__version__,'skorch',skorch.__version__)"; nproc; } > $OUT/card.txt 2>&1
cat $OUT/card.txt
start=$SECONDS
timeout 200 python3 -m pytest -v -rfE -n 14 -p no:cacheprovider imblearn_seqgan > $OUT/tests.log 2>&1; echo "tests rc=$? in $((SECONDS-start)) s" | tee -a $OUT/tests.log
tail -25 $OUT/tests.log
start=$SECONDS
timeout 100 python3 -m benchmarks.investigations.classifier --device cuda > $OUT/classifier.log 2>&1; echo "classifier rc=$? in $((SECONDS-start)) s" | tee -a $OUT/classifier.log
start=$SECONDS
timeout 130 python3 -m benchmarks.investigations.gan_throughput --device cuda --only ops steps budgets > $OUT/gan.log 2>&1; echo "gan rc=$? in $((SECONDS-start)) s" | tee -a $OUT/gan.log
start=$SECONDS
timeout 45 python3 -m benchmarks.investigations.novelty --defaults --device cuda > $OUT/novelty.log 2>&1; echo "novelty rc=$? in $((SECONDS-start)) s" | tee -a $OUT/novelty.log
cat $OUT/classifier.log $OUT/gan.log $OUT/novelty.log | cut -c1-300
