"""The measurements behind the user guide's figures (throughput, training budgets,
the paper's switches, the novelty scores): each module prints figures and runs with
``python -m benchmarks.investigations.<module>`` from the repository root."""
