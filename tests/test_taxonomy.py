import pytest

from hearing_analysis import load_taxonomy
from hearing_analysis.errors import TaxonomyError
from hearing_analysis.taxonomy import available_taxonomies

LABELS_MD_FOCUS = ["naering", "by_region", "klima_miljo", "transport"]
LABELS_MD_THEMES = ["sirkular", "gronn_transport", "kraft", "oslofjorden", "profilering"]


def test_default_taxonomy_has_the_codes_of_labels_md():
    tax = load_taxonomy()
    assert tax.focus_codes == LABELS_MD_FOCUS and tax.theme_codes == LABELS_MD_THEMES
    assert tax.label("kraft").name == "Kraft"
    assert all(len(lab.terms) >= 30 and lab.description for lab in (*tax.focus_areas, *tax.themes))
    assert [lab.code for lab in tax.levels] == ["strategisk", "tiltak", "prosess"]
    assert [lab.code for lab in tax.stances] == ["stotte", "innvending", "noytral"]
    assert "osloregionen-2025-2028" in available_taxonomies()
    # every term belongs to one label only
    seen = {}
    for lab in (*tax.focus_areas, *tax.themes):
        for term in lab.terms:
            assert seen.setdefault(term, lab.code) == lab.code, term


def test_custom_taxonomy_file(tmp_path):
    f = tmp_path / "vei.toml"
    f.write_text('name = "vei"\ntitle = "Veiplan"\n[[focus_areas]]\ncode = "trafikk"\nname = "Trafikk"\n'
                 'terms = ["bil", "Vei "]\n', encoding="utf-8")
    tax = load_taxonomy(f)
    assert tax.focus_codes == ["trafikk"] and tax.focus_areas[0].terms == ("bil", "vei") and tax.themes == ()


@pytest.mark.parametrize("body,message", [
    ('title = "x"\n', "mangler feltet 'name'"),
    ('name = "x"\ntitle = "x"\n', r"\[\[focus_areas\]\]"),
    ('name = "x"\ntitle = "x"\n[[focus_areas]]\ncode = "Næring"\nname = "N"\n', "små bokstaver"),
    ('name = "x"\ntitle = "x"\n[[focus_areas]]\ncode = "a"\nname = "A"\n[[themes]]\ncode = "a"\nname = "A"\n', "både"),
    ('name = "x"\ntitle = "x"\n[[focus_areas]]\ncode = "a"\nname = "A"\nterms = "ikke liste"\n', "liste"),
    ('name = x', "ikke gyldig TOML"),
])
def test_invalid_taxonomies_explain_themselves(tmp_path, body, message):
    f = tmp_path / "t.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(f)
