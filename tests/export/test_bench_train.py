"""`drape bench train` on the real training command: one short parser run, one process."""

from export.bench_train import bench_train, format_train_table, train_notes


def test_bench_train_times_both_parser_loops():
    rows = bench_train([1], steps=2, models=("parser",))
    assert [(r.model, r.loop, r.processes) for r in rows] == [("parser", "teacher", 1), ("parser", "student", 1)]
    assert all(r.samples_per_s > 0 and r.speedup == 1.0 for r in rows)
    assert "| parser | student | 1 |" in format_train_table(rows) and "torchrun --nnodes" in format_train_table(rows)
    assert train_notes(rows) == ["- only one process count measured"]
