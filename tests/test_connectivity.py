import numpy as np
import pytest

from marinenet.connectivity import connectivity_matrix, tidy_table


def test_counts_and_fractions_on_a_hand_built_case():
    src = ["A", "A", "A", "B", "B", "A"]
    dst = ["A", "B", "stranded", "B", "B", "B"]
    m = connectivity_matrix(src, dst, ["A", "B"], ["A", "B", "stranded", "out_of_domain"])
    assert m.sel(source="A").values.tolist() == [1, 2, 1, 0]
    assert m.sel(source="B").values.tolist() == [0, 2, 0, 0]
    t = tidy_table(m)
    assert set(map(tuple, t[["source", "destination"]].values)) == {
        ("A", "A"),
        ("A", "B"),
        ("A", "stranded"),
        ("B", "B"),
    }
    assert t.loc[(t.source == "A") & (t.destination == "B"), "fraction"].item() == pytest.approx(0.5)
    for s, g in t.groupby("source"):
        assert g["count"].sum() == src.count(s)  # every row sums to its releases
        assert g["fraction"].sum() == pytest.approx(1.0)


def test_labels_missing_from_the_order_are_an_error_not_dropped():
    with pytest.raises(ValueError, match="dead"):
        connectivity_matrix(["A"], ["dead"], ["A"], ["A"])


def test_sources_with_no_release_are_left_out_of_the_table():
    m = connectivity_matrix(["A"], ["A"], ["A", "B"], ["A", "B"])
    assert tidy_table(m)["source"].tolist() == ["A"]
    assert int(np.asarray(m.sel(source="B")).sum()) == 0
