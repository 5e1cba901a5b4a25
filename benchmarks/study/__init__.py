"""The paper's computational study on public data: ``python -m benchmarks.study``.

* :mod:`.runner`: profiles, data sets, methods, and one resumable run each;
* :mod:`.stats`: the metrics of a run and the tests between methods;
* :mod:`.report`: tables and figures rebuilt from the saved runs;
* :mod:`.aeon_samplers`: aeon's over-samplers as imbalanced-learn samplers;
* :mod:`.compare_folders`: one method's runs of two ``--out`` folders, paired on seeds.
"""
