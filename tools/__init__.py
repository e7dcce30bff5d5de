"""Developer tools, not shipped: the sample PDF generator, the benchmark, the evaluation
against golden files. Run from the repository root: `python -m tools.bench`."""
