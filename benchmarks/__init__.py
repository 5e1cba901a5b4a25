"""The benchmarks of imblearn-seqgan: the study that reproduces the paper's comparison
(:mod:`benchmarks.study`), the investigations behind the user guide's figures
(:mod:`benchmarks.investigations`) and the behaviour check of refactorings
(:mod:`benchmarks.check_outputs`). Not part of the installed package: run the modules
with ``python -m`` from the repository root (README.md in this folder lists them)."""
