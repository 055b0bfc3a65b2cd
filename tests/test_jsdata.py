"""The data handed to the site's scripts stays data: hostile text cannot leave its JSON."""

from __future__ import annotations

import json

import pytest

from generator.jsdata import html_json, json_text, script_file

HOSTILE = ["</script><script>alert(1)</script>", "<!-- x", "a & b > c", "line\u2028sep\u2029",
           'quote " and \\ backslash', "Патрушев", "\u0000nul"]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_json_never_holds_markup_and_parses_back(text: str) -> None:
    out = html_json({"name": text})
    assert not set("<>&\u2028\u2029") & set(out)
    assert json.loads(out) == {"name": text}


@pytest.mark.parametrize("text", HOSTILE)
def test_script_file_sets_a_global_to_the_value(text: str) -> None:
    out = script_file("dossierData", [text])
    assert out.startswith("window.dossierData=") and out.endswith(";\n")
    assert "<" not in out
    assert json.loads(out[len("window.dossierData="):-2]) == [text]


@pytest.mark.parametrize("name", ["a.b", "x;alert(1)", "", "1abc", "a b"])
def test_script_file_refuses_a_name_that_is_not_an_identifier(name: str) -> None:
    with pytest.raises(ValueError):
        script_file(name, {})


def test_json_text_is_deterministic() -> None:
    assert json_text({"b": 1, "a": [2, {"d": 3, "c": 4}]}) == '{"a":[2,{"c":4,"d":3}],"b":1}'
    with pytest.raises(ValueError):
        json_text(float("nan"))
